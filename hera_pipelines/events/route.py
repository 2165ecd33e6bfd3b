"""A route's identity: its key under `events.routes` and the GitHub events it reads."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

from hera_pipelines.config.events import RouteConfig
from hera_pipelines.config.project import Project

__all__ = ["Route", "enabled_routes"]


@dataclass(frozen=True)
class Route:
    """A route's identity: its key under `events.routes` and the GitHub events it reads."""

    key: str
    events: tuple[str, ...]

    def config(self, project: Project) -> RouteConfig:
        config: RouteConfig = getattr(project.events.routes, self.key)
        return config

    def enabled(self, project: Project) -> bool:
        return project.events.enabled and self.config(project).enabled


def enabled_routes(project: Project) -> list[Route]:
    """Every `ROUTE` a module in `sensors/` declares and the project enables, by key."""
    package = importlib.import_module("hera_pipelines.sensors")
    found: dict[str, Route] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        route = getattr(importlib.import_module(f"{package.__name__}.{info.name}"), "ROUTE", None)
        if isinstance(route, Route) and route.enabled(project):
            found[route.key] = route
    return [found[key] for key in sorted(found)]
