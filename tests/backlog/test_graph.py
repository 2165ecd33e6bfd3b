"""Graph: status rules, waves, critical path, list schedule, on hand-built backlogs."""

from __future__ import annotations

from typing import Any

import pytest

from hera_pipelines.backlog.graph import BacklogGraph
from hera_pipelines.backlog.ids import id_sort_key, normalise_id
from hera_pipelines.backlog.load import parse_backlog
from hera_pipelines.conventions.names import distinct_label

from .helpers import task


def graph(tasks: list[dict[str, Any]]) -> BacklogGraph:
    return BacklogGraph(parse_backlog(tasks, source="b.json"))


# 1 -> {2, 3} -> 4 -> 5, and 6 -> 7 beside it
DIAMOND = [task(1), task(2, 1), task(3, 1), task(4, 2, 3), task(5, 4), task(6), task(7, 6)]


def test_waves_and_critical_path_of_a_diamond() -> None:
    g = graph(DIAMOND)
    assert g.waves == (("1", "6"), ("2", "3", "7"), ("4",), ("5",))
    assert g.critical_path == ("1", "2", "4", "5")  # 2 and 3 tie: the smaller id wins
    assert g.max_parallel == 3
    assert g.topological_order == ("1", "6", "2", "3", "7", "4", "5")
    assert g.dependencies("4") == ("2", "3")


def test_ids_sort_numerically_within_a_wave() -> None:
    g = graph([task(10), task(2), task(1), task("b"), task("a")])
    assert g.waves == (("1", "2", "10", "a", "b"),)


def test_critical_path_ties_end_at_the_smallest_id() -> None:
    g = graph([task(2), task(1), task(4, 2), task(3, 1)])
    assert g.critical_path == ("1", "3")
    g = graph([task(2), task(1), task(4, 2), task(3, 1), task(5, 4, 3)])
    assert g.critical_path == ("1", "3", "5")


def test_a_long_chain_beats_a_wide_fan() -> None:
    fan = [task(i, 1) for i in range(2, 12)]
    g = graph([task(1), *fan, task(20), task(21, 20), task(22, 21)])
    assert g.critical_path == ("20", "21", "22")
    assert g.max_parallel == 11  # the fan of 10 beside 21
    assert len(g.waves) == 3


def test_done_and_cancelled_do_not_run_and_satisfy() -> None:
    g = graph([task(1, status="done"), task(2, status="cancelled"), task(3, 1, 2)])
    assert (g.runnable, g.skipped, g.blocked) == (("3",), ("1", "2"), ())
    assert g.dependencies("3") == ()
    assert g.waves == (("3",),)


@pytest.mark.parametrize("status", ["pending", "in-progress", "review"])
def test_open_statuses_run(status: str) -> None:
    assert graph([task(1, status=status)]).runnable == ("1",)


def test_deferred_blocks_its_dependents_transitively() -> None:
    g = graph(
        [
            task(1, status="deferred"),
            task(2, 1),
            task(3, 2, status="in-progress"),
            task(4, 3, status="review"),
            task(5, 1, status="done"),  # done: satisfies 6 even though its own dependency waits
            task(6, 5),
            task(7, status="deferred"),
            task(8, 7, 6),
            task(9, 6),
        ]
    )
    assert g.blocked == ("2", "3", "4", "8")
    assert g.skipped == ("1", "5", "7")
    assert g.runnable == ("6", "9")
    assert g.waves == (("6",), ("9",))


def test_schedule_is_priority_first() -> None:
    g = graph(
        [
            task(1, priority="low"),
            task(2, priority="high"),
            task(3, priority="medium"),
            task(4, 1, priority="high"),
            task(5, priority="high"),
        ]
    )
    assert g.schedule(2) == (("2", "5"), ("3", "1"), ("4",))
    assert g.schedule(1) == (("2",), ("5",), ("3",), ("1",), ("4",))
    assert g.schedule(10) == (("2", "5", "3", "1"), ("4",))  # no cap: the waves
    with pytest.raises(ValueError, match="at least 1"):
        g.schedule(0)


def test_empty_backlog() -> None:
    g = graph([])
    assert (g.waves, g.critical_path, g.max_parallel, g.schedule(3)) == ((), (), 0, ())


def test_ids() -> None:
    assert [normalise_id(v) for v in (7, "7", " 07 ", "21.04", "abc")] == [
        "7",
        "7",
        "7",
        "21.4",
        "abc",
    ]
    assert sorted(["10", "b", "2", "1.10", "1.9", "a"], key=id_sort_key) == [
        "1.9",
        "1.10",
        "2",
        "10",
        "a",
        "b",
    ]
    assert distinct_label("17") == "17"
    assert distinct_label("api-2") == "api-2"
    odd = [distinct_label(r) for r in ("A_b", "a-b", "a.b", "x" * 80, "Ω")]
    assert len(set(odd)) == 5
    assert all(len(f) <= 49 and f.replace("-", "").isalnum() and f.islower() for f in odd)
    assert distinct_label("A_b").startswith("a-b-")
