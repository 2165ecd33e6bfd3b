"""The backlog planner: a TaskMaster backlog loaded, checked and turned into a dependency graph."""

from __future__ import annotations

__all__: list[str] = []
