"""Loader: every layout, tag selection, id types, subtask references, and every bad backlog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hera_pipelines.backlog.load import load_backlog, parse_backlog
from hera_pipelines.errors import HeraPipelinesError

from .helpers import SHARED, Runner, Writer, task

CHAIN = [task(1), task(2, 1), task(3, 2)]


def test_bare_array() -> None:
    backlog = parse_backlog(CHAIN, source="b.json")
    assert (backlog.tag, [t.ref for t in backlog.tasks]) == ("master", ["1", "2", "3"])
    assert backlog.dependencies == {"1": (), "2": ("1",), "3": ("2",)}


def test_legacy_object_is_master() -> None:
    backlog = parse_backlog({"meta": {"projectName": "x"}, "tasks": CHAIN}, source="b.json")
    assert backlog.tag == "master"
    assert len(backlog.tasks) == 3


def test_tagged_picks_the_tag() -> None:
    document = {"master": {"tasks": CHAIN}, "feature": {"tasks": [task("a")], "metadata": {}}}
    assert [t.ref for t in parse_backlog(document, source="b", tag="feature").tasks] == ["a"]
    assert len(parse_backlog(document, source="b").tasks) == 3


def test_tag_from_state_json(write: Writer, tmp_path: Path) -> None:
    document = {"master": {"tasks": CHAIN}, "feature": {"tasks": [task(9)]}}
    path = write(document, ".taskmaster/tasks/tasks.json")
    (tmp_path / ".taskmaster" / "state.json").write_text(json.dumps({"currentTag": "feature"}))
    assert [t.ref for t in load_backlog(path).tasks] == ["9"]
    assert len(load_backlog(path, tag="master").tasks) == 3  # --tag wins


def test_state_json_without_current_tag_means_master(write: Writer, tmp_path: Path) -> None:
    path = write({"master": {"tasks": CHAIN}}, ".taskmaster/tasks/tasks.json")
    (tmp_path / ".taskmaster" / "state.json").write_text("{}")
    assert load_backlog(path).tag == "master"


def test_ids_int_and_string_are_one_id() -> None:
    backlog = parse_backlog([task(1), task("2", "1"), task(3, 2, "02")], source="b")
    assert backlog.dependencies == {"1": (), "2": ("1",), "3": ("2",)}
    assert [t.id for t in backlog.tasks] == [1, "2", 3]  # the backlog's own type is kept


def test_subtask_references() -> None:
    subtasks = [{"id": 1, "title": "a"}, {"id": 2, "title": "b", "dependencies": [1, "4.1"]}]
    backlog = parse_backlog(
        [task(4, subtasks=[{"id": 1, "title": "x"}]), task(5, subtasks=subtasks)], source="b"
    )
    assert [s.dependencies for s in backlog.tasks[1].subtasks] == [(), (1, "4.1")]


def test_task_depending_on_a_subtask_waits_for_its_task() -> None:
    backlog = parse_backlog(
        [task(4, subtasks=[{"id": 1, "title": "x"}]), task(5, "4.1")], source="b"
    )
    assert backlog.dependencies["5"] == ("4",)


def test_unknown_fields_are_ignored() -> None:
    document = [task(1, complexity=7, parentId="undefined", acceptanceCriteria="- ok")]
    assert parse_backlog(document, source="b").tasks[0].title == "Task 1"


def test_shared_examples_load() -> None:
    legacy = load_backlog(SHARED / "tasks.legacy.json")
    assert (len(legacy.tasks), sum(len(t.subtasks) for t in legacy.tasks)) == (22, 117)
    assert legacy.dependencies["22"] == ("21",)
    tagged = load_backlog(SHARED / "tasks.tagged.json", tag="tdd-phase-1-core-rails")
    assert tagged.dependencies["4"] == ("1", "2", "3")  # string dependencies normalised


# -- bad backlogs: one line each, naming the file and the task ids, exit 2 ------------------
CASES = {
    "cycle": (
        [task(3, 7), task(7, 3), task(9)],
        "dependency cycle: 3 -> 7 -> 3 (each task depends on the next)",
    ),
    "long cycle": (
        [task(1, 2), task(2, 3), task(3, 1)],
        "dependency cycle: 1 -> 2 -> 3 -> 1 (each task depends on the next)",
    ),
    "missing": ([task(1), task(2, 1, 9)], "task 2: dependencies: depends on missing task 9"),
    "duplicate": (
        {"tasks": [task(1), task(2), task("1")]},
        "task 1: id: duplicate id (tasks[0] and tasks[2])",
    ),
    "self": ([task(1), task(2, 2)], "task 2: dependencies: depends on itself"),
    "own subtask": (
        [task(2, "2.1", subtasks=[{"id": 1, "title": "s"}])],
        "task 2: dependencies: depends on its own subtask 2.1",
    ),
    "missing subtask": (
        [task(2, subtasks=[{"id": 1, "title": "s", "dependencies": [3]}])],
        "subtask 2.1: dependencies: depends on missing subtask 2.3",
    ),
    "subtask self": (
        [task(2, subtasks=[{"id": 1, "title": "s", "dependencies": ["2.1"]}])],
        "subtask 2.1: dependencies: depends on itself",
    ),
    "not json": (
        "{tasks: [}",
        "not JSON: Expecting property name enclosed in double quotes at line 1 column 2",
    ),
    "scalar": (
        "42",
        'wrong shape: expected {"<tag>": {"tasks": [...]}}, {"tasks": [...]} or [...]',
    ),
    "tasks not a list": ({"tasks": {"1": {}}}, "tasks: must be an array of tasks"),
    "tag not a list": ({"master": {"tasks": 3}}, "master.tasks: must be an array of tasks"),
    "bad id": ([task(1), task(None)], "[1].id: must be an integer or a non-empty string"),
    "bool id": ({"tasks": [task(True)]}, "tasks[0].id: must be an integer or a non-empty string"),
    "no title": ({"tasks": [task(1), {"id": 2}]}, "tasks[1].title: field required"),
    "bad status": (
        {"master": {"tasks": [task(1, status="finished")]}},
        "master.tasks[0].status: input should be 'pending', 'in-progress', 'review', 'done',"
        " 'deferred' or 'cancelled'",
    ),
    "bad dependency": (
        {"tasks": [task(1), task(2, [1])]},
        "tasks[1].dependencies[0]: must be an integer or a non-empty string",
    ),
    "unknown tag": (
        {"b": {"tasks": []}, "a": {"tasks": []}},
        "unknown tag 'master' (the default when no tag is set); available tags: a, b",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_backlog(case: str, write: Writer, plan: Runner) -> None:
    document, problem = CASES[case]
    path = write(document)
    assert plan(path, "--format", "json") == (2, "", f"hera-pipelines plan: {path}: {problem}\n")


def test_unknown_tag_from_the_command_line(plan: Runner) -> None:
    path = SHARED / "tasks.tagged.json"
    assert plan(path, "--tag", "nope") == (
        2,
        "",
        f"hera-pipelines plan: {path}: unknown tag 'nope' (from --tag); "
        "available tags: tdd-phase-1-core-rails, test-tag, tm-start\n",
    )


def test_unknown_tag_from_state_json(write: Writer, tmp_path: Path, plan: Runner) -> None:
    path = write({"tasks": []}, ".taskmaster/tasks/tasks.json")
    state = tmp_path / ".taskmaster" / "state.json"
    state.write_text('{"currentTag": "feature"}')
    assert plan(path) == (
        2,
        "",
        f"hera-pipelines plan: {path}: unknown tag 'feature' (from currentTag in {state}); "
        "available tags: master\n",
    )


def test_shared_test_tag_has_a_dangling_dependency(plan: Runner) -> None:
    path = SHARED / "tasks.tagged.json"
    assert plan(path, "--tag", "test-tag") == (
        2,
        "",
        f"hera-pipelines plan: {path}: task 1: dependencies: depends on missing task 16\n",
    )


def test_missing_file(tmp_path: Path, plan: Runner) -> None:
    path = tmp_path / "nope.json"
    assert plan(path) == (2, "", f"hera-pipelines plan: {path}: no such file\n")


def test_default_path_is_taskmaster_tasks_json(
    write: Writer, tmp_path: Path, plan: Runner, monkeypatch: pytest.MonkeyPatch
) -> None:
    write({"master": {"tasks": CHAIN}}, ".taskmaster/tasks/tasks.json")
    monkeypatch.chdir(tmp_path)
    code, out, err = plan("--format", "json")
    assert (code, err, json.loads(out)["tasks"]) == (0, "", 3)


def test_load_error_parts() -> None:
    with pytest.raises(HeraPipelinesError) as info:
        parse_backlog([task(1, 1)], source="b.json")
    assert (info.value.file, info.value.obj, info.value.field) == (
        "b.json",
        "task 1",
        "dependencies",
    )


def test_state_json_that_is_not_json(write: Writer, tmp_path: Path, plan: Runner) -> None:
    path = write({"master": {"tasks": []}}, ".taskmaster/tasks/tasks.json")
    state = tmp_path / ".taskmaster" / "state.json"
    state.write_text("{")
    assert plan(path) == (
        2,
        "",
        f"hera-pipelines plan: {state}: not JSON: Expecting property name enclosed in double"
        " quotes at line 1 column 2\n",
    )
    state.write_text('{"currentTag": 3}')
    assert plan(path) == (
        2,
        "",
        f"hera-pipelines plan: {state}: currentTag: must be a non-empty string\n",
    )
