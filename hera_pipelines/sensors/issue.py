"""Issue route: a trusted author's issue carrying the trigger label runs issue-flow, once."""

from __future__ import annotations

from typing import Any

from hera_pipelines.config.project import Project
from hera_pipelines.events.filters import (
    action_is,
    dependency,
    event_is,
    has_label,
    sender_not_bot,
    trusted,
)
from hera_pipelines.events.names import name_template, part_number
from hera_pipelines.events.route import Route, RouteBuilder
from hera_pipelines.events.sensor import sensor
from hera_pipelines.events.triggers import Param, workflow_trigger
from hera_pipelines.templates import issue_flow
from hera_pipelines.workflows.contract import REPOSITORY

__all__ = ["BUILDER", "ROUTE", "manifests"]

ROUTE = Route("issue", ("issues",))


def manifests(project: Project) -> list[dict[str, Any]]:
    if not ROUTE.enabled(project):
        return []
    route = project.events.routes.issue
    associations = route.trusted_associations or project.events.trusted_associations
    wanted = sorted({route.trigger_label, *route.labels})
    dep = dependency(
        "issue",
        [
            event_is("issues"),
            action_is("opened", "labeled"),
            trusted("body.issue.author_association", associations),
            sender_not_bot(),
            *(has_label("body.issue.labels", label) for label in wanted),
        ],
    )
    trigger = workflow_trigger(
        project,
        route,
        name="issue-flow",
        dependency_name="issue",
        flow=issue_flow.SPEC,
        # one run per issue: "opened" and a later "labeled" name the same workflow
        workflow_name=name_template(issue_flow.NAME, part_number("body.issue.number")),
        parameters={
            REPOSITORY: Param.repository("body.repository.full_name"),
            issue_flow.ISSUE_NUMBER: Param.number("body.issue.number"),
            issue_flow.ISSUE_TITLE: Param.encoded("body.issue.title", default=""),
            issue_flow.ISSUE_URL: Param.encoded("body.issue.html_url", default=""),
        },
    )
    return [
        sensor(
            project,
            "github-issue",
            description="Runs issue-flow on a trusted issue labelled for agents.",
            dependencies=[dep],
            triggers=[trigger],
        )
    ]


BUILDER = RouteBuilder(ROUTE, manifests)
