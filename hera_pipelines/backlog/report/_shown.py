"""The tasks a picture of the plan shows: what runs, what is blocked, and the deferred cause."""

from __future__ import annotations

from hera_pipelines.backlog.ids import id_sort_key
from hera_pipelines.backlog.model import Status
from hera_pipelines.backlog.plan import Plan

__all__ = ["MAX_LABEL", "label", "shown_edges", "shown_tasks"]

MAX_LABEL = 60


def shown_tasks(plan: Plan) -> list[str]:
    """Runnable, blocked and deferred tasks, by id; done and cancelled ones are satisfied."""
    graph = plan.graph
    refs = [t.ref for t in graph.tasks if not t.status.satisfies or t.status is Status.DEFERRED]
    return sorted(refs, key=id_sort_key)


def shown_edges(plan: Plan, refs: list[str]) -> list[tuple[str, str]]:
    """Dependency -> dependent edges between shown tasks, sorted by dependent then dependency."""
    keep = set(refs)
    graph = plan.graph.full
    return sorted(
        ((dep, ref) for ref in refs for dep in graph.predecessors(ref) if dep in keep),
        key=lambda e: (id_sort_key(e[1]), id_sort_key(e[0])),
    )


def label(plan: Plan, ref: str) -> str:
    """`<id>: <title>`, on one line, the title cut to `MAX_LABEL` characters."""
    title = " ".join(plan.graph.task(ref).title.split())
    if len(title) > MAX_LABEL:
        title = title[: MAX_LABEL - 1] + "…"
    return f"{ref}: {title}" if title else ref
