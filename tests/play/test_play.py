"""play: one node per runnable task creating its task-pipeline Workflow, chunked at scale."""

from __future__ import annotations

import itertools
from typing import Any

import networkx as nx
import pytest

from hera_pipelines.backlog.generate import generate_backlog
from hera_pipelines.conventions.task_names import task_workflow_name, task_worktree
from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.render.yamlio import dump
from hera_pipelines.schemas import validate_object
from tests.play.conftest import Render, tasks_json
from tests.play.helpers import (
    RUN_PLACEHOLDER,
    child_workflow,
    dag_tasks,
    depends_names,
    parameters,
    templates_by_name,
)

TRICKY = "{{workflow.name}} {{=sprig.env('HOME')}} $(rm -rf /) `id` \"q\" 'q' \\ \n- key: v\n€ 😀"


def _task(i: int, deps: list[int], **extra: Any) -> dict[str, Any]:
    return {"id": i, "title": f"Task {i}", "dependencies": deps, **extra}


def _by_name(objs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {o["metadata"]["name"]: o for o in objs}


def test_no_backlog_renders_no_play(render_module: Render) -> None:
    assert render_module("play", None) == []
    assert render_module("task_pipeline", None) == []


def test_nothing_to_run_renders_no_play(render_module: Render) -> None:
    backlog = tasks_json([_task(1, [], status="done"), _task(2, [1], status="cancelled")])
    assert render_module("play", backlog) == []


def test_play_validates_strictly_and_nodes_follow_the_backlog(render_module: Render) -> None:
    backlog = tasks_json(
        [
            _task(1, [], priority="high"),
            _task(2, [1], priority="low"),
            _task(3, [1]),
            _task(4, [2, 3]),
            _task(5, [], status="done"),
            _task(6, [5]),
        ]
    )
    (play,) = render_module("play", backlog)
    assert validate_object(play) == []
    assert play["spec"]["synchronization"] == {"mutexes": [{"name": "play-acme.widgets"}]}
    nodes = {t["name"]: t for t in dag_tasks(play)}
    assert sorted(nodes) == ["task-1", "task-2", "task-3", "task-4", "task-6"]
    assert depends_names(nodes["task-4"]) == {"task-2", "task-3"}
    assert depends_names(nodes["task-6"]) == set()  # its dependency is done
    assert templates_by_name(play)["main"]["dag"]["failFast"] is False
    priorities = {}
    for name, node in nodes.items():
        resource = templates_by_name(play)[node["template"]]["resource"]
        assert resource["action"] == "create"  # never apply: see README "Pressing play"
        assert resource["successCondition"] == "status.phase == Succeeded"
        assert resource["failureCondition"] == "status.phase in (Failed, Error)"
        # deliberately changed (issue 11 item 9): deleting the play deletes its children
        assert resource["setOwnerReference"] is True
        child = child_workflow(play, node)
        assert validate_object(child) == [], name
        assert child["spec"]["workflowTemplateRef"] == {"name": "task-pipeline"}
        task_id = parameters(child)["task-id"]
        assert child["metadata"]["name"] == task_workflow_name("widgets", task_id)
        assert child["metadata"]["labels"]["pipelines.agents.platform/task-id"] == task_id
        priorities[task_id] = child["spec"]["priority"]
    assert priorities == {"1": 3, "2": 1, "3": 2, "4": 2, "6": 2}


def test_task_values_reach_the_child_exactly_and_never_as_template(render_module: Render) -> None:
    backlog = tasks_json(
        [_task(1, [], title=TRICKY, details=TRICKY + "d", testStrategy=TRICKY + "t")]
    )
    (play,) = render_module("play", backlog)
    (node,) = dag_tasks(play)
    manifest = templates_by_name(play)[node["template"]]["resource"]["manifest"]
    # Argo substitutes `{{...}}` in a resource manifest: no backlog text may carry braces into it.
    assert manifest.count("{{") == manifest.count(RUN_PLACEHOLDER) == 1
    assert "{" not in manifest.replace(RUN_PLACEHOLDER, "")
    values = parameters(child_workflow(play, node))
    assert values["task-title"] == TRICKY
    assert values["task-details"] == TRICKY + "d"
    assert values["task-test-strategy"] == TRICKY + "t"


def test_parallel_tasks_never_share_a_worktree(render_module: Render) -> None:
    backlog = tasks_json([_task(i, [1] if i > 1 else []) for i in range(1, 12)])
    (play,) = render_module("play", backlog)
    nodes = dag_tasks(play)
    graph = nx.DiGraph()
    for node in nodes:
        graph.add_node(node["name"])
        graph.add_edges_from((d, node["name"]) for d in depends_names(node))
    worktrees = {n["name"]: parameters(child_workflow(play, n))["worktree"] for n in nodes}
    parallel = [
        (a, b)
        for a, b in itertools.combinations(sorted(worktrees), 2)
        if not nx.has_path(graph, a, b) and not nx.has_path(graph, b, a)
    ]
    assert len(parallel) == 45  # tasks 2..11 all run side by side
    for a, b in parallel:
        assert worktrees[a] != worktrees[b], (a, b)
    assert worktrees["task-7"] == task_worktree(7)


def _chunked(render_module: Render, count: int, size: int) -> list[dict[str, Any]]:
    config = f"repository: acme/widgets\nplay:\n  maxTasksPerWorkflow: {size}\n"
    return render_module("play", generate_backlog(count, seed=3, done_fraction=0.1), config)


def _check_depends_stay_inside(obj: dict[str, Any]) -> None:
    names = {t["name"] for t in dag_tasks(obj)}
    for task in dag_tasks(obj):
        assert depends_names(task) <= names, (obj["metadata"]["name"], task["name"])


def _task_nodes(obj: dict[str, Any]) -> list[dict[str, Any]]:
    """The DAG nodes that create a task (or chunk) Workflow, not the cross-chunk waits."""
    return [t for t in dag_tasks(obj) if t["template"] != "wait-for-task"]


def _waits(obj: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Cross-chunk wait node name -> its arguments (dependency workflow, chunk)."""
    return {
        t["name"]: {p["name"]: p["value"] for p in t["arguments"]["parameters"]}
        for t in dag_tasks(obj)
        if t["template"] == "wait-for-task"
    }


@pytest.mark.parametrize(("count", "size"), [(60, 7), (1_000, 200)])
def test_workflow_of_workflows_preserves_every_dependency(
    render_module: Render, count: int, size: int
) -> None:
    """Deliberately changed (issue 11 item 9): chunks no longer wait for whole earlier chunks;
    `play` starts every chunk at once and a dependency across chunks is a wait node, in the
    dependent's chunk, on exactly the dependency's task Workflow (so one failed task blocks
    only its own dependents)."""
    objs = _by_name(_chunked(render_module, count, size))
    top = objs.pop("play")
    assert validate_object(top) == []
    backlog = generate_backlog(count, seed=3, done_fraction=0.1)["master"]["tasks"]
    done = {str(t["id"]) for t in backlog if t["status"] == "done"}
    chunk_names = set()
    for node in dag_tasks(top):
        if node["name"] == "authorize":  # authz: the guard first, every chunk behind it
            continue
        child = child_workflow(top, node)
        assert validate_object({**child, "metadata": {"name": "x"}}) == []
        assert node["depends"] == "authorize"  # every chunk starts at once, once authorized
        assert parameters(child) == {"play": "play-abcde"}  # the play's own name
        chunk_names.add(child["spec"]["workflowTemplateRef"]["name"])
        assert templates_by_name(top)[node["template"]]["resource"]["setOwnerReference"] is True
    assert chunk_names == set(objs)
    # every task: which chunk holds it, under which node name, depending on which nodes
    home: dict[str, tuple[str, str]] = {}
    depends: dict[str, set[str]] = {}
    waits: dict[str, dict[str, dict[str, str]]] = {}
    for name, chunk in objs.items():
        assert validate_object(chunk) == []
        assert "synchronization" not in chunk["spec"]  # only the top level holds the mutex
        assert len(_task_nodes(chunk)) <= size
        _check_depends_stay_inside(chunk)
        waits[name] = _waits(chunk)
        for node in _task_nodes(chunk):
            task_id = parameters(child_workflow(chunk, node))["task-id"]
            assert task_id not in home
            home[task_id] = (name, node["name"])
            depends[task_id] = depends_names(node)
    assert set(home) == {str(t["id"]) for t in backlog} - done
    checked = crossing = 0
    for task in backlog:
        ref = str(task["id"])
        if ref in done:
            continue
        for dep in map(str, task["dependencies"]):
            if dep in done:
                continue
            checked += 1
            (chunk, _), (dep_chunk, dep_node) = home[ref], home[dep]
            if chunk == dep_chunk:
                assert dep_node in depends[ref], (dep, ref)
            else:
                crossing += 1
                wait = f"wait-{dep_node}"
                assert wait in depends[ref], (dep, ref)
                assert waits[chunk][wait] == {
                    "dependency": f"widgets-task-{dep}",
                    "chunk": dep_chunk,
                }
    assert checked > count
    assert crossing > 0


def test_thousand_tasks_render_to_small_objects(render_module: Render) -> None:
    objs = render_module("play", generate_backlog(1_000, seed=6))
    # backlog text travels as base64 (4/3 of its size), and chunks hold per-task waits
    assert len(objs) >= 1 + 6
    for obj in objs:
        # under lint's HP601 warning (128 KiB), not only its error (256 KiB)
        assert len(dump(obj).encode()) < 128 * 1024, obj["metadata"]["name"]
        _check_depends_stay_inside(obj)


def test_long_task_texts_shrink_the_chunks(render_module: Render) -> None:
    long = "x" * 6_000
    backlog = tasks_json([_task(i, [i - 1] if i > 1 else [], details=long) for i in range(1, 81)])
    objs = render_module("play", backlog)
    assert len(objs) > 2  # 80 tasks fit the default 200 by count, not by size
    for obj in objs:
        assert len(dump(obj).encode()) < 256 * 1024, obj["metadata"]["name"]
        assert validate_object(obj) == []


def test_a_task_too_large_for_any_play_is_an_error(render_module: Render) -> None:
    backlog = tasks_json([_task(1, [], details="x" * 200_000)])
    with pytest.raises(HeraPipelinesError, match=r"task 1: .* too long"):
        render_module("play", backlog)


def test_so_many_chunks_that_the_top_play_would_grow_take_the_large_budget(
    render_module: Render, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Scaled down (budgets of 16 and 64 KiB instead of 88 and 160): the small budget would
    cut so many chunks that the top play, one node each, passed the small budget itself; the
    large budget keeps it under, and every chunk under the large one."""
    from hera_pipelines.templates import play

    monkeypatch.setattr(play, "_BUDGET", 16 * 1024)
    monkeypatch.setattr(play, "_LARGE_BUDGET", 64 * 1024)
    objs = render_module("play", generate_backlog(400, seed=6))
    top, chunks = objs[0], objs[1:]
    assert play._size(top) <= 16 * 1024
    assert len(chunks) > 1
    assert all(play._size(chunk) <= 64 * 1024 for chunk in chunks)
    assert max(play._size(chunk) for chunk in chunks) > 16 * 1024  # the large budget was used
