"""`plan --format json` end to end: the shared backlogs and hand-built graphs with known answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from hera_pipelines.backlog.report.registry import FORMATS
from hera_pipelines.cli import build_parser

from .helpers import SHARED, Runner, Writer, task

PlanJson = Callable[..., dict[str, Any]]
DONE_LEGACY = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 16, 17, 18]


def test_legacy_example(plan_json: PlanJson) -> None:
    # Checked by hand: the open tasks are 14 (after done 13), 15 (after 2 and 14), 19, 20 and 21
    # (after done tasks only) and 22 (after 21). Chains 14->15 and 21->22 tie at two; the one
    # ending at the smaller id (15) wins.
    assert plan_json(SHARED / "tasks.legacy.json") == {
        "tasks": 6,
        "waves": [[14, 19, 20, 21], [15, 22]],
        "critical_path": [14, 15],
        "max_parallel": 4,
        "blocked": [],
        "skipped": DONE_LEGACY,
        "makespan_waves": 2,
    }


def test_legacy_example_with_concurrency(plan: Runner) -> None:
    # Rounds of 2, high priority first: {19, 21}, then {22 (high, now ready), 14}, then {15, 20}.
    code, out, err = plan(SHARED / "tasks.legacy.json", "--format", "json", "--concurrency", "2")
    assert (code, err) == (0, "")
    assert out == (
        '{"tasks": 6, "waves": [[14, 19, 20, 21], [15, 22]], "critical_path": [14, 15], '
        '"max_parallel": 4, "blocked": [], "skipped": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, '
        '16, 17, 18], "makespan_waves": 2, "concurrency": 2, "rounds_at_concurrency": 3}\n'
    )


def test_tagged_example_tm_start(plan_json: PlanJson) -> None:
    # 1, 3, 4, 7 and 2 are done; 8 is pending with no dependencies.
    assert plan_json(SHARED / "tasks.tagged.json", "--tag", "tm-start") == {
        "tasks": 1,
        "waves": [[8]],
        "critical_path": [8],
        "max_parallel": 1,
        "blocked": [],
        "skipped": [1, 2, 3, 4, 7],
        "makespan_waves": 1,
    }


def test_tagged_example_all_done(plan_json: PlanJson) -> None:
    result = plan_json(
        SHARED / "tasks.tagged.json", "--tag", "tdd-phase-1-core-rails", "--concurrency", "4"
    )
    assert result == {
        "tasks": 0,
        "waves": [],
        "critical_path": [],
        "max_parallel": 0,
        "blocked": [],
        "skipped": list(range(1, 11)),
        "makespan_waves": 0,
        "concurrency": 4,
        "rounds_at_concurrency": 0,
    }


def test_hand_built_graph(write: Writer, plan_json: PlanJson) -> None:
    # 1 -> {2, 3} -> 4 -> 5; 6 -> 7; 8 deferred blocks 9 and, through 9, 10; 11 is done.
    tasks = [
        task(1),
        task(2, 1, priority="high"),
        task(3, 1, priority="low"),
        task(4, 2, 3),
        task(5, 4),
        task(6, priority="high"),
        task(7, 6),
        task(8, status="deferred"),
        task(9, 8),
        task(10, 9, 1),
        task(11, status="done"),
        task(12, 11, 6),
    ]
    assert plan_json(write({"tasks": tasks}), "--concurrency", "2") == {
        "tasks": 8,
        "waves": [[1, 6], [2, 3, 7, 12], [4], [5]],
        "critical_path": [1, 2, 4, 5],
        "max_parallel": 4,
        "blocked": [9, 10],
        "skipped": [8, 11],
        "makespan_waves": 4,
        "concurrency": 2,
        # {6, 1}, {2 (high), 7}, {12, 3}, {4}, {5}
        "rounds_at_concurrency": 5,
    }


def test_string_ids_stay_strings(write: Writer, plan_json: PlanJson) -> None:
    tasks = [task("10"), task("2", "10"), task("auth"), task("api", "auth", 2)]
    result = plan_json(write(tasks))
    assert result["waves"] == [["10", "auth"], ["2"], ["api"]]
    assert result["critical_path"] == ["10", "2", "api"]


def test_mixed_ids_keep_their_own_type(write: Writer, plan_json: PlanJson) -> None:
    result = plan_json(write([task(1), task("2", "1"), task(3, 2)]))
    assert result["waves"] == [[1], ["2"], [3]]


@pytest.mark.parametrize("bad", ["0", "-1", "x"])
def test_concurrency_must_be_a_positive_integer(bad: str, plan: Runner) -> None:
    code, out, err = plan(SHARED / "tasks.legacy.json", "--concurrency", bad)
    assert (code, out) == (2, "")
    assert "argument --concurrency" in err


def test_format_choices_are_the_registry() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    plan_parser = sub.choices["plan"]  # type: ignore[index]
    fmt = next(a for a in plan_parser._actions if a.dest == "format")
    assert list(fmt.choices) == list(FORMATS) == ["dot", "json", "mermaid", "table"]
    assert "keep the backlog's own JSON type" in plan_parser.description


def test_help_states_the_id_rule(capsys: pytest.CaptureFixture[str]) -> None:
    from hera_pipelines.cli import main

    assert main(["plan", "--help"]) == 0
    out = capsys.readouterr().out
    assert "an integer id prints as a number, a string id as a" in out
    assert "default: .taskmaster/tasks/tasks.json" in out
