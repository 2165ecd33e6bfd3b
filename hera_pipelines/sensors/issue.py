"""Issue route: whoever adds the trigger label to an issue runs issue-flow, once per issue.

The actor is the labeler (`sender`), not the issue's author: a maintainer may hand anyone's issue
to the agents. Only a `labeled` event whose `label.name` is the trigger label starts a run
(GitHub sends `labeled` for each label an issue is opened with, so `opened` is not needed, and
adding any other label later starts nothing). The labeler's permission is checked by the flow's
authorize step through the GitHub API (the payload carries no association of the sender, so this
route has no `trustedAssociations`); a reaction on the issue claims it on GitHub, so
re-labelling or a redelivery after the workflow's TTL starts nothing.
"""

from __future__ import annotations

from hera_pipelines.config.project import Project
from hera_pipelines.events.filters import (
    data_filter,
    dependency,
    exact,
    has_label,
    login_at,
    not_ours,
    repository_pinned,
)
from hera_pipelines.events.names import name_template, part_number
from hera_pipelines.events.route import Route, RouteBuilder
from hera_pipelines.events.triggers import Arm, Param, submit
from hera_pipelines.templates import issue_flow
from hera_pipelines.workflows.contract import REPOSITORY
from hera_pipelines.workflows.guard import ACTORS

__all__ = ["BUILDER", "ROUTE"]

ROUTE = Route("issue", ("issues",))


def _arms(project: Project) -> list[Arm]:
    route = project.events.routes.issue
    dep = dependency(
        "issue",
        "issues",
        ("labeled",),
        [
            repository_pinned(project),
            data_filter("body.label.name", exact(route.trigger_label)),
            login_at("body.sender.login"),
            not_ours(project),
            *(has_label("body.issue.labels", label) for label in route.labels),
        ],
    )
    return [
        submit(
            project,
            route,
            dep,
            name="issue-flow",
            flow=issue_flow.SPEC,
            # one run per issue
            workflow_name=name_template(issue_flow.NAME, part_number("body.issue.number")),
            parameters={
                REPOSITORY: Param.repository("body.repository.full_name"),
                issue_flow.ISSUE_NUMBER: Param.number("body.issue.number"),
                issue_flow.ISSUE_TITLE: Param.encoded("body.issue.title", default=""),
                issue_flow.ISSUE_URL: Param.encoded("body.issue.html_url", default=""),
                ACTORS: Param.logins("body.sender.login"),
            },
        )
    ]


BUILDER = RouteBuilder(
    ROUTE,
    "github-issue",
    "Runs issue-flow when a person adds the trigger label to an issue.",
    _arms,
)
