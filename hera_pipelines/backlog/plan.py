"""What `plan` reports about a backlog graph, computed once and shared by every output format."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from hera_pipelines.backlog.graph import BacklogGraph

__all__ = ["Plan"]


@dataclass(frozen=True)
class Plan:
    """A backlog graph plus the optional concurrency cap the user asked about."""

    graph: BacklogGraph
    concurrency: int | None = None

    @cached_property
    def rounds(self) -> tuple[tuple[str, ...], ...] | None:
        """The priority-first schedule under `concurrency`, or None when no cap was given."""
        return None if self.concurrency is None else self.graph.schedule(self.concurrency)

    def original_id(self, ref: str) -> int | str:
        """The id as the backlog wrote it: an int stays an int, a string stays a string."""
        return self.graph.task(ref).id

    def to_dict(self) -> dict[str, Any]:
        """The `--format json` document; ids keep the backlog's own type, keys a fixed order."""
        ids = self._ids
        graph = self.graph
        out: dict[str, Any] = {
            "tasks": len(graph.topological_order),
            "waves": [ids(w) for w in graph.waves],
            "critical_path": ids(graph.critical_path),
            "max_parallel": graph.max_parallel,
            "blocked": ids(graph.blocked),
            "skipped": ids(graph.skipped),
            "makespan_waves": len(graph.waves),
        }
        if self.rounds is not None:
            out["concurrency"] = self.concurrency
            out["rounds_at_concurrency"] = len(self.rounds)
        return out

    def _ids(self, refs: tuple[str, ...]) -> list[int | str]:
        return [self.original_id(r) for r in refs]
