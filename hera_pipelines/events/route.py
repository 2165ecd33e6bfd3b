"""A route's identity (its key under `events.routes`, the GitHub events it reads, its grants)
and its builder: the one Sensor it renders when enabled.

Routes are registered in one explicit tuple, `hera_pipelines.sensors.ROUTES`; the EventSource
subscribes to exactly the events of the routes that rendered, and the sensors' Role is the union
of those routes' grants (`resources/rbac.py` knows no route).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from hera_pipelines.config.events import RouteConfig
from hera_pipelines.config.project import Project
from hera_pipelines.events.sensor import sensor
from hera_pipelines.events.triggers import Arm
from hera_pipelines.workflows.contract import Grant

__all__ = ["RESUME_GRANTS", "SUBMIT_GRANTS", "Route", "RouteBuilder"]

_ARGO = "argoproj.io"
#: `argo submit` validates the templateRef (get) and creates; argo-events then lists the
#: workflows it submitted by label.
SUBMIT_GRANTS = (
    Grant(_ARGO, "workflows", frozenset({"create", "get", "list"})),
    Grant(_ARGO, "workflowtemplates", frozenset({"get"})),
)
#: `argo resume <name>` gets and updates the workflow.
RESUME_GRANTS = (Grant(_ARGO, "workflows", frozenset({"get", "update"})),)


@dataclass(frozen=True)
class Route:
    """A route's identity: its key under `events.routes`, the events it reads, its grants."""

    key: str
    events: tuple[str, ...]
    grants: tuple[Grant, ...] = field(default=SUBMIT_GRANTS)

    def config(self, project: Project) -> RouteConfig:
        config: RouteConfig = getattr(project.events.routes, self.key)
        return config

    def enabled(self, project: Project) -> bool:
        return project.events.enabled and self.config(project).enabled

    def events_for(self, project: Project) -> tuple[str, ...]:
        """The GitHub events this route reads with `project`'s configuration."""
        return self.events


@dataclass(frozen=True)
class RouteBuilder:
    """A route as the render pipeline sees it: its identity and the one Sensor it renders.

    Every route is one Sensor, rendered only while the route is enabled, named and described
    here; the route module supplies only its `arms` (each dependency with its trigger), so the
    enabled check and the Sensor frame are written once.
    """

    route: Route
    sensor_name: str
    description: str
    arms: Callable[[Project], Iterable[Arm]] = field(compare=False)

    def build(self, project: Project) -> list[dict[str, Any]]:
        """The route's Sensor for `project`, or nothing when the route is disabled."""
        if not self.route.enabled(project):
            return []
        arms = list(self.arms(project))
        return [sensor(project, self.sensor_name, description=self.description, arms=arms)]
