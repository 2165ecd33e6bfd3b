"""Project → validated ManifestSet: one pure function, `render_project`.

It reads nothing from disk (the project was resolved, backlog and prompts included, by
`config/project.py`), builds every flow of `templates.FLOWS`, every route of `sensors.ROUTES`,
the EventSource for the routes that rendered, the identities with exactly the grants those flows
and routes declared, and the remaining resources; then it validates every object strictly
against the upstream schema of its kind and raises `RenderError` listing every problem. A library
caller therefore gets only valid objects, and the CLI only writes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hera_pipelines.config.project import Project
from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.events.route import Route
from hera_pipelines.render.set import ManifestSet
from hera_pipelines.resources import (
    eventbus,
    gitops,
    ingress,
    namespace,
    profiles,
    rbac,
    secrets,
    semaphores,
)
from hera_pipelines.schemas import Violation, validate_object
from hera_pipelines.sensors import ROUTES, github
from hera_pipelines.templates import FLOWS
from hera_pipelines.workflows.contract import Grant, grant_rules
from hera_pipelines.workflows.frame import POD_GRANTS

__all__ = ["RESOURCES", "Problem", "RenderError", "build_objects", "render_project"]

Builder = Callable[[Project], list[dict[str, Any]]]

#: The resources beside flows and routes, in render order (one explicit registry).
RESOURCES: tuple[Builder, ...] = (
    namespace.manifests,
    eventbus.manifests,
    ingress.manifests,
    profiles.manifests,
    secrets.manifests,
    semaphores.manifests,
)


@dataclass(frozen=True)
class Problem:
    """One rendered object that breaks the strict schema of its kind."""

    obj: str
    violation: Violation

    def __str__(self) -> str:
        return f"{self.obj}: {self.violation}"


class RenderError(HeraPipelinesError):
    """The render produced invalid objects: a bug in hera-pipelines, never the user's input."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        first = self.problems[0]
        more = f" (and {len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        super().__init__(
            f"{first.violation}{more} (a bug in hera-pipelines: please report it)",
            obj=first.obj,
        )


def build_objects(project: Project) -> list[dict[str, Any]]:
    """Every object of the project, unvalidated, in render order."""
    objects: list[dict[str, Any]] = []
    workflow_grants: list[Grant] = []
    for flow in FLOWS:
        built = flow.build(project)
        if built:
            objects += built
            workflow_grants += [*POD_GRANTS, *flow.grants(project)]
    routes: list[Route] = []
    for builder in ROUTES:
        built = builder.build(project)
        if built:
            objects += built
            routes.append(builder.route)
    objects += github.manifests(project, routes)
    objects += rbac.manifests(
        project,
        workflow_rules=grant_rules(workflow_grants),
        sensor_rules=grant_rules(g for route in routes for g in route.grants),
    )
    for build in RESOURCES:
        objects += build(project)
    objects.append(gitops.application(project))
    return objects


def render_project(project: Project) -> ManifestSet:
    """Every object of `project`, validated strictly; raises `RenderError` if any is invalid."""
    manifests = ManifestSet()
    manifests.extend(build_objects(project))
    problems = [
        Problem(f"{obj['kind']}/{obj['metadata']['name']}", violation)
        for _, obj in manifests
        for violation in validate_object(obj)
    ]
    if problems:
        raise RenderError(problems)
    return manifests
