"""`plan --format mermaid`: a `graph TD` flowchart that a GitHub comment renders."""

from __future__ import annotations

from typing import TextIO

from hera_pipelines.backlog.model import Status
from hera_pipelines.backlog.plan import Plan
from hera_pipelines.backlog.report._shown import label, shown_edges, shown_tasks
from hera_pipelines.conventions.names import distinct_label

__all__ = ["write"]

_CLASSES = (
    ("critical", "stroke:#d33,stroke-width:3px"),
    ("blocked", "fill:#fdd,stroke:#c33,color:#600"),
    ("deferred", "fill:#eee,stroke:#999,color:#666,stroke-dasharray:4 3"),
)


def write(plan: Plan, out: TextIO) -> None:
    """Nodes by id, then edges, then classes; done and cancelled tasks are left out."""
    graph = plan.graph
    refs = shown_tasks(plan)
    lines = ["graph TD"]
    hidden = len(graph.tasks) - len(refs)
    if hidden:
        lines.append(f"  %% {hidden} done or cancelled tasks not shown")
    lines += [f'  {_node(r)}["{_escape(label(plan, r))}"]' for r in refs]
    lines += [f"  {_node(a)} --> {_node(b)}" for a, b in shown_edges(plan, refs)]
    members = {
        "critical": list(graph.critical_path),
        "blocked": list(graph.blocked),
        "deferred": [r for r in refs if graph.task(r).status is Status.DEFERRED],
    }
    for name, style in _CLASSES:
        if members[name]:
            lines.append(f"  classDef {name} {style}")
            lines.append(f"  class {','.join(_node(r) for r in members[name])} {name}")
    out.write("\n".join(lines) + "\n")


def _node(ref: str) -> str:
    return "t_" + distinct_label(ref).replace("-", "_")


def _escape(text: str) -> str:
    for char, entity in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;")):
        text = text.replace(char, entity)
    return text
