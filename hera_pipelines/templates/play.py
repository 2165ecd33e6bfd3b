"""play: the backlog as a batch DAG, one node per runnable task, each running its whole chain.

Generated from the backlog at `backlog:` (tag `tag:`); no backlog file, or nothing left to run,
renders no play. Each DAG node is a resource template that creates that task's `task-pipeline`
Workflow (named `task_names.task_workflow_name(service, id)`, so the merge route resumes exactly
that task) and waits for it to succeed or fail. `depends` comes from the backlog; the task's
priority becomes the child Workflow's `spec.priority`, which orders it in the agent semaphores'
queues. One play per repository runs at a time (a workflow-level mutex). The DAG does not fail
fast: one failed task stops its dependents, not the independent branches.

Scale: a backlog with more than `play.maxTasksPerWorkflow` runnable tasks becomes a workflow of
workflows. `play-chunk-NN` WorkflowTemplates each hold at most that many nodes (fewer when the
tasks' texts would push one past `MAX_OBJECT_BYTES`), and `play` starts every chunk at once.
A dependency across chunks is a `wait-<task>` node in the dependent's chunk that watches the
dependency's own task Workflow (its name is known: `task_workflow_name`): it succeeds when that
Workflow succeeds, and fails when it fails or when the chunk that should create it has ended
without creating it. So a failed task blocks exactly its own dependents, in any chunk, and
independent tasks run on.

Every child Workflow (task or chunk) carries an owner reference to the Workflow that created
it (`setOwnerReference`): deleting the play deletes its chunks and task Workflows, and their
pods with them.

Task texts are data, never template: backlog text (id, title, details, test strategy) is an
UNTRUSTED parameter of task-pipeline, so the child manifest carries its base64
(`task_run.task_arguments`), which no Argo substitution in the play or in the child workflow can
evaluate; the agent gets the exact text from its agent-env Secret. Every value is also written
as a double-quoted scalar in which `{` and `}` are `\\u007b`/`\\u007d` escapes.

Pressing play twice (see README, "Pressing play"): the resource action is `create`, never
`apply`. A second play waits for the first on the mutex. Tasks marked `done` or `cancelled` in
the backlog are not rendered at all. A task whose Workflow still exists (running, suspended
until its merge, or finished but not yet deleted by its TTL) is not started again: `create`
fails with AlreadyExists, that node fails without touching the existing Workflow, and its
dependents do not start from this play. `apply` would instead rewrite a running workflow's
spec, which Argo does not support and which could restart a task mid-flight.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hera_pipelines.backlog.chunk import Chunk, chunk_tasks
from hera_pipelines.backlog.graph import BacklogGraph
from hera_pipelines.backlog.model import Priority
from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels, task_names
from hera_pipelines.conventions.names import label_value
from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.workflows.contract import Flow, FlowParam, FlowSpec, Grant, Kind, Trust
from hera_pipelines.workflows.frame import flow_template
from hera_pipelines.workflows.guard import AUTHORIZE, authorize_template, when_authorized
from hera_pipelines.workflows.resource_text import RUN, resource_text
from hera_pipelines.workflows.task_run import (
    PARAMETERS,
    TEMPLATE,
    default_arguments,
    task_arguments,
)

__all__ = [
    "ACTORS",
    "CHUNK_PREFIX",
    "FLOW",
    "MAX_OBJECT_BYTES",
    "NAME",
    "PRIORITY",
    "SPEC",
    "WAIT_SCRIPT",
    "child_manifest",
    "manifests",
    "play_mutex",
]

#: The play starts one task-pipeline Workflow per task (or one Workflow per chunk) and waits.
#: Who pressed play (the `/play` commenter, or the dispatch's sender), authorized by the play's
#: first step; empty for a play submitted by hand (whoever can submit is already trusted).
ACTORS = FlowParam("actors", Kind.LOGINS, Trust.TRUSTED, required=False, default="")
SPEC = FlowSpec(
    "play",
    (ACTORS,),
    grants=(
        Grant("argoproj.io", "workflows", frozenset({"create", "get", "list", "watch"})),
        Grant("argoproj.io", "workflowtemplates", frozenset({"get"})),
    ),
)
NAME = SPEC.name
CHUNK_PREFIX = f"{NAME}-chunk-"
# Every rendered object stays under this (the API server allows ~1.5 MiB, Argo warns at 1 MiB;
# `kubectl apply`'s last-applied annotation holds at most 256 KiB).
MAX_OBJECT_BYTES = 256 * 1024
# Budget for the JSON size of one generated template. YAML block style adds some 30% of
# indentation, so a chunk's file stays under 128 KiB, where `lint` (HP601) starts to warn.
_BUDGET = 88 * 1024
# The budget when that many chunks would push the top play itself past `_BUDGET` (beyond some
# 10,000 tasks): fewer, larger chunks (lint warns on them; the API server still takes them),
# so backlogs of up to about 50,000 tasks still render under MAX_OBJECT_BYTES.
_LARGE_BUDGET = 160 * 1024
# Estimates that pick the budget before chunking (the result is still checked): a task node's
# JSON beside its manifest's text, and a chunk's node in the top play.
_NODE_BYTES = 448
_CHUNK_NODE_BYTES = 800
# A single task's child manifest may take this much (an object holding only that task can then
# pass the budget: it is written anyway, still under MAX_OBJECT_BYTES).
_TASK_BUDGET = 80 * 1024
# Child Workflow `spec.priority` by task priority: higher is taken first from a semaphore queue.
PRIORITY: dict[Priority, int] = {Priority.HIGH: 3, Priority.MEDIUM: 2, Priority.LOW: 1}

_SUCCESS = "status.phase == Succeeded"
_FAILURE = "status.phase in (Failed, Error)"


def play_mutex(project: Project) -> str:
    """The mutex every play of one repository holds: `play-<owner>.<name>`."""
    return f"{NAME}-{labels.repository_label(project.repository)}"


def child_manifest(
    project: Project, graph: BacklogGraph, ref: str, defaults: Mapping[str, str] | None = None
) -> str:
    """The Workflow that runs task `ref`'s chain, as the text of a resource template.

    `defaults` (task-pipeline's defaults, `default_arguments(project)`) may be passed in when
    building many children, so it is computed once.
    """
    task = graph.task(ref)
    arguments = task_arguments(project, task)
    defaults = default_arguments(project) if defaults is None else defaults
    return resource_text(
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Workflow",
            "metadata": {
                "name": task_names.task_workflow_name(project.service, ref),
                "labels": {labels.RUN: RUN, labels.TASK_ID: label_value(ref)},
            },
            "spec": {
                "workflowTemplateRef": {"name": TEMPLATE},
                "priority": PRIORITY[graph.priority(ref)],
                "arguments": {
                    "parameters": [
                        {"name": name, "value": arguments[name]}
                        for name in PARAMETERS
                        # left out: empty, or the template's default is the same value
                        if arguments[name] and defaults.get(name) != arguments[name]
                    ]
                },
            },
        }
    )


# task ref → the text of its child Workflow manifest
Children = dict[str, str]


@dataclass(frozen=True)
class _Node:
    """One DAG node and the template it runs."""

    task: dict[str, Any]
    template: dict[str, Any]


# A chunk's wait for a task Workflow of another chunk (constant text; values from env vars).
WAIT_SCRIPT = """\
set -eu
while :; do
  phase=$(kubectl get workflows.argoproj.io "$DEPENDENCY" -n "$NAMESPACE" \\
    -o 'jsonpath={.status.phase}' 2>/dev/null || echo missing)
  case "$phase" in
    Succeeded) echo "$DEPENDENCY succeeded"; exit 0 ;;
    Failed|Error) echo "$DEPENDENCY ended $phase: its dependents do not start" >&2; exit 1 ;;
    missing)
      ended=$(kubectl get workflows.argoproj.io -n "$NAMESPACE" \\
        -l "${RUN_LABEL}=${PLAY},${FLOW_LABEL}=${CHUNK}" -o 'jsonpath={.items[*].status.phase}')
      case "$ended" in
        *Succeeded*|*Failed*|*Error*)
          echo "$CHUNK ended without starting $DEPENDENCY: its dependents do not start" >&2
          exit 1 ;;
      esac ;;
  esac
  sleep 30
done
"""
# The chunk parameter naming the play Workflow that started it (for the waits' lookups).
_PLAY_PARAMETER = "play"
_WAIT_TEMPLATE = "wait-for-task"


def _resource(name: str, manifest: str) -> dict[str, Any]:
    return {
        "name": name,
        "resource": {
            "action": "create",
            "setOwnerReference": True,
            "manifest": manifest,
            "successCondition": _SUCCESS,
            "failureCondition": _FAILURE,
        },
    }


def _dag_task(name: str, depends: list[str]) -> dict[str, Any]:
    task = {"name": name, "template": name}
    if depends:
        task["depends"] = " && ".join(depends)
    return task


def _wait_name(ref: str) -> str:
    return f"wait-{task_names.task_label(ref)}"


def _task_node(
    graph: BacklogGraph,
    ref: str,
    inside: set[str],
    children: Children,
    outside: set[str] | None = None,
) -> _Node:
    """One task's node: it depends on its dependencies inside this DAG and on the waits for
    those in `outside` (other chunks)."""
    name = task_names.task_label(ref)
    deps = [task_names.task_label(d) for d in graph.dependencies(ref) if d in inside]
    deps += [_wait_name(d) for d in graph.dependencies(ref) if d in (outside or set())]
    return _Node(task=_dag_task(name, deps), template=_resource(name, children[ref]))


def _wait_template(project: Project) -> dict[str, Any]:
    """Waits for the task Workflow `dependency` that chunk `chunk` of this play creates."""
    env = {
        "DEPENDENCY": "{{inputs.parameters.dependency}}",
        "CHUNK": "{{inputs.parameters.chunk}}",
        "PLAY": f"{{{{workflow.parameters.{_PLAY_PARAMETER}}}}}",
        "NAMESPACE": "{{workflow.namespace}}",
        "RUN_LABEL": labels.RUN,
        "FLOW_LABEL": labels.FLOW,
    }
    return {
        "name": _WAIT_TEMPLATE,
        "inputs": {"parameters": [{"name": "dependency"}, {"name": "chunk"}]},
        "script": {
            "image": project.platform.images.kubectl.reference,
            "command": ["sh"],
            "source": WAIT_SCRIPT,
            "env": [{"name": k, "value": v} for k, v in env.items()],
            "resources": {
                "requests": {"cpu": "10m", "memory": "32Mi"},
                "limits": {"memory": "128Mi"},
            },
        },
    }


def _wait_task(project: Project, ref: str, chunk: str) -> dict[str, Any]:
    return {
        "name": _wait_name(ref),
        "template": _WAIT_TEMPLATE,
        "arguments": {
            "parameters": [
                {
                    "name": "dependency",
                    "value": task_names.task_workflow_name(project.service, ref),
                },
                {"name": "chunk", "value": chunk},
            ]
        },
    }


def _frame(project: Project, name: str, description: str, *, mutex: bool) -> dict[str, Any]:
    spec = SPEC if mutex else FlowSpec(name)
    frame: dict[str, Any] = flow_template(
        project, spec, description=description, waits_for_review=True, name=name
    ).to_dict()
    spec = frame["spec"]
    if mutex:
        spec["synchronization"] = {"mutexes": [{"name": play_mutex(project)}]}
    return frame


def _with_dag(frame: dict[str, Any], nodes: list[_Node]) -> dict[str, Any]:
    dag = {"name": "main", "dag": {"failFast": False, "tasks": [n.task for n in nodes]}}
    frame["spec"]["templates"] = [dag, *(n.template for n in nodes)]
    return frame


def _authorized(project: Project, play: dict[str, Any]) -> dict[str, Any]:
    """The play's DAG behind the guard: who pressed play has write permission (API check)."""
    guard = authorize_template(project)._build_template()
    templates = play["spec"]["templates"]
    templates.append(guard.model_dump(by_alias=True, exclude_none=True, mode="json"))
    tasks = templates[0]["dag"]["tasks"]
    when = when_authorized(AUTHORIZE)
    for task in tasks:
        # a task that depends on a skipped one still runs: every node carries the verdict
        task["when"] = when
        task.setdefault("depends", AUTHORIZE)
    arguments = {"repository": project.repository, "actors": "{{workflow.parameters.actors}}"}
    tasks.insert(
        0,
        {
            "name": AUTHORIZE,
            "template": AUTHORIZE,
            "arguments": {"parameters": [{"name": k, "value": v} for k, v in arguments.items()]},
        },
    )
    return play


def _chunk_name(chunk: Chunk, count: int) -> str:
    return f"{CHUNK_PREFIX}{chunk.index + 1:0{len(str(count))}d}"


def _chunk_node(project: Project, chunk: Chunk, chunks: tuple[Chunk, ...]) -> _Node:
    name = _chunk_name(chunk, len(chunks))
    manifest = resource_text(
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Workflow",
            "metadata": {"generateName": f"{name}-", "labels": {labels.RUN: RUN}},
            "spec": {
                "workflowTemplateRef": {"name": name},
                "arguments": {"parameters": [{"name": _PLAY_PARAMETER, "value": RUN}]},
            },
        }
    )
    # every chunk starts at once: cross-chunk dependencies are per task, inside the chunks
    return _Node(task=_dag_task(name, []), template=_resource(name, manifest))


def _size(obj: dict[str, Any]) -> int:
    return len(json.dumps(obj, ensure_ascii=False, separators=(",", ":")))


def _chunk_templates(
    project: Project, graph: BacklogGraph, size: int, children: Children
) -> tuple[tuple[Chunk, ...], list[dict[str, Any]]]:
    chunks = chunk_tasks(graph, size)
    order = _order(graph)
    home = {ref: _chunk_name(c, len(chunks)) for c in chunks for ref in c.tasks}
    out = []
    for chunk in chunks:
        inside = set(chunk.tasks)
        outside = {d for ref in chunk.tasks for d in graph.dependencies(ref) if d in home} - inside
        nodes = [_task_node(graph, ref, inside, children, outside) for ref in chunk.tasks]
        frame = _frame(
            project,
            _chunk_name(chunk, len(chunks)),
            f"part {chunk.index + 1} of {len(chunks)} of the play: {len(chunk.tasks)} tasks.",
            mutex=False,
        )
        frame["spec"]["arguments"] = {"parameters": [{"name": _PLAY_PARAMETER}]}
        frame = _with_dag(frame, nodes)
        if outside:
            waits = [_wait_task(project, ref, home[ref]) for ref in sorted(outside, key=order)]
            frame["spec"]["templates"][0]["dag"]["tasks"] = [
                *waits,
                *frame["spec"]["templates"][0]["dag"]["tasks"],
            ]
            frame["spec"]["templates"].append(_wait_template(project))
        out.append(frame)
    return chunks, out


def _order(graph: BacklogGraph) -> Any:
    """Sort key: a task ref's place in the graph's topological order (stable output)."""
    position = {ref: n for n, ref in enumerate(graph.runnable)}
    return lambda ref: position.get(ref, len(position))


def _too_large(templates: list[dict[str, Any]], budget: int = _BUDGET) -> int:
    """The largest estimated size among `templates` if one is over `budget`, else 0."""
    largest = max(_size(t) for t in templates)
    return largest if largest > budget else 0


def _node_bytes(children: Children) -> int:
    """Estimated JSON bytes of one task's node in a chunk, on average."""
    return sum(len(text) + _NODE_BYTES for text in children.values()) // max(1, len(children))


def _budgets(node_bytes: int, tasks: int) -> tuple[int, ...]:
    """The chunk budgets to try: the small one first unless its chunks would, by estimate,
    make the top play itself larger than the small budget."""
    chunks = -(-node_bytes * tasks // _BUDGET)
    if chunks * _CHUNK_NODE_BYTES < _BUDGET * 3 // 4:
        return (_BUDGET, _LARGE_BUDGET)
    return (_LARGE_BUDGET,)


def manifests(project: Project) -> list[dict[str, Any]]:
    graph = project.backlog
    if graph is None:
        return []
    runnable = graph.runnable
    if not runnable:
        return []
    # each task's child manifest is built once, whatever the chunking tries
    defaults = default_arguments(project)
    children: Children = {ref: child_manifest(project, graph, ref, defaults) for ref in runnable}
    for ref in runnable:
        if len(children[ref]) > _TASK_BUDGET:
            raise HeraPipelinesError(
                f"task {ref}: title, details and test strategy are too long for one play node "
                f"(over {_TASK_BUDGET // 1024} KiB)",
                file=graph.source,
            )
    description = f"the backlog ({graph.tag}): {len(runnable)} tasks, each to a merged PR."
    if len(runnable) <= project.play.max_tasks_per_workflow:
        inside = set(runnable)
        nodes = [_task_node(graph, ref, inside, children) for ref in runnable]
        play = _authorized(
            project, _with_dag(_frame(project, NAME, description, mutex=True), nodes)
        )
        if not _too_large([play]):
            return [play]
    node_bytes = _node_bytes(children)
    for budget in _budgets(node_bytes, len(children)):
        # start near the size the estimate allows, so one or two tries usually settle it
        size = min(project.play.max_tasks_per_workflow, max(1, budget // node_bytes))
        chunks, templates = _chunk_templates(project, graph, size, children)
        while (largest := _too_large(templates, budget)) and size > 1:
            size = max(1, min(size - 1, size * budget // largest))
            chunks, templates = _chunk_templates(project, graph, size, children)
        top = _frame(project, NAME, f"{description} In {len(chunks)} parts.", mutex=True)
        nodes = [_chunk_node(project, c, chunks) for c in chunks]
        top = _authorized(project, _with_dag(top, nodes))
        if not _too_large([top]):
            break
    return [top, *templates]


FLOW = Flow(SPEC, manifests)
