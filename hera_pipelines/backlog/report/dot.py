"""`plan --format dot`: the plan as a Graphviz digraph, one rank per wave."""

from __future__ import annotations

from typing import TextIO

from hera_pipelines.backlog.model import Status
from hera_pipelines.backlog.plan import Plan
from hera_pipelines.backlog.report._shown import label, shown_edges, shown_tasks

__all__ = ["write"]


def write(plan: Plan, out: TextIO) -> None:
    """Nodes by id with their state as style, edges, then `rank=same` per wave."""
    graph = plan.graph
    refs = shown_tasks(plan)
    critical = set(graph.critical_path)
    blocked = set(graph.blocked)
    lines = [
        "digraph backlog {",
        "  rankdir=TB;",
        '  node [shape=box, style="rounded"];',
    ]
    for ref in refs:
        attrs = [f"label={_quote(label(plan, ref))}"]
        if graph.task(ref).status is Status.DEFERRED:
            attrs.append('style="rounded,dashed", color="gray50", fontcolor="gray40"')
        elif ref in blocked:
            attrs.append('color="red3", fontcolor="red4"')
        if ref in critical:
            attrs.append("penwidth=3")
        lines.append(f"  {_quote(ref)} [{', '.join(attrs)}];")
    lines += [f"  {_quote(a)} -> {_quote(b)};" for a, b in shown_edges(plan, refs)]
    for wave in graph.waves:
        lines.append(f"  {{ rank=same; {' '.join(_quote(r) + ';' for r in wave)} }}")
    lines.append("}")
    out.write("\n".join(lines) + "\n")


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
