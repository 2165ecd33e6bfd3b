"""pull_request route: a ready, same-repository PR whose head moved runs pr-flow once per SHA.

The gate agents' own pushes (format/lint, QA) do not restart the gates.
"""

from __future__ import annotations

from typing import Any

from hera_pipelines.config.agents import Role
from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.events.actors import our_bot_logins
from hera_pipelines.events.filters import (
    action_is,
    data_filter,
    dependency,
    event_is,
    expr_filter,
    has_label,
    sender_is_not,
)
from hera_pipelines.events.names import name_template, part_number, part_text
from hera_pipelines.events.route import Route, RouteBuilder
from hera_pipelines.events.sensor import sensor
from hera_pipelines.events.triggers import Param, workflow_trigger
from hera_pipelines.templates import pr_flow
from hera_pipelines.workflows.contract import REPOSITORY

__all__ = [
    "ACTIONS",
    "BUILDER",
    "ROUTE",
    "manifests",
]

ROUTE = Route("pull_request", ("pull_request",))
ACTIONS = ("opened", "reopened", "synchronize", "ready_for_review")
_PR = "body.pull_request"


def manifests(project: Project) -> list[dict[str, Any]]:
    if not ROUTE.enabled(project):
        return []
    route = ROUTE.config(project)
    data = [
        event_is("pull_request"),
        action_is(*ACTIONS),
        data_filter(f"{_PR}.draft", "false", kind="bool"),
        sender_is_not(our_bot_logins(project, [Role.QUALITY, Role.TESTING])),
        *(has_label(f"{_PR}.labels", name) for name in route.labels),
    ]
    exprs = []
    if not project.events.allow_forks:
        exprs.append(
            expr_filter(
                "head == base",
                head=f"{_PR}.head.repo.full_name",
                base=f"{_PR}.base.repo.full_name",
            )
        )
    dep = dependency("pull-request", data, exprs)
    trigger = workflow_trigger(
        project,
        route,
        name="pr-flow",
        dependency_name=dep.name or "",
        flow=pr_flow.SPEC,
        workflow_name=name_template(
            pr_flow.NAME, part_number(f"{_PR}.number"), part_text(f"{_PR}.head.sha")
        ),
        parameters={
            REPOSITORY: Param.repository("body.repository.full_name"),
            pr_flow.PR_NUMBER: Param.number(f"{_PR}.number"),
            pr_flow.HEAD_REF: Param.encoded(f"{_PR}.head.ref"),
            pr_flow.HEAD_SHA: Param.sha(f"{_PR}.head.sha"),
        },
        labels_from={labels.PR: part_number(f"{_PR}.number")},
    )
    return [
        sensor(
            project,
            "github-pull-request",
            description="Runs pr-flow on a ready same-repository pull request.",
            dependencies=[dep],
            triggers=[trigger],
        )
    ]


BUILDER = RouteBuilder(ROUTE, manifests)
