"""pull_request route: a ready, same-repository PR by a trusted person runs pr-flow once per SHA.

Pre-filters (the flow's authorize step checks the real permission of the PR's author and of the
sender through the GitHub API): the PR's `author_association` is trusted, author and sender are
user logins (bots only as `events.routes.pullRequest.botAuthors`), none of our agents' bots (our
agents' PRs run their own quality chain, and the gate agents' pushes must not restart it), the
head repository is the repository (no fork), the repository is a configured one.
"""

from __future__ import annotations

import json

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.events.filters import (
    data_filter,
    dependency,
    exact,
    expr_filter,
    has_label,
    login_at,
    not_ours,
    repository_pinned,
    same_repository,
    trusted,
    trusted_associations,
)
from hera_pipelines.events.names import name_template, part_number, part_text
from hera_pipelines.events.route import Route, RouteBuilder
from hera_pipelines.events.triggers import Arm, Param, submit
from hera_pipelines.templates import pr_flow
from hera_pipelines.workflows.contract import REPOSITORY
from hera_pipelines.workflows.guard import ACTORS

__all__ = ["ACTIONS", "BUILDER", "ROUTE"]

ROUTE = Route("pull_request", ("pull_request",))
ACTIONS = ("opened", "reopened", "synchronize", "ready_for_review")
_PR = "body.pull_request"


def _arms(project: Project) -> list[Arm]:
    route = project.events.routes.pull_request
    associations = trusted_associations(project, route)
    bots = route.bot_authors
    data = [
        repository_pinned(project),
        data_filter(f"{_PR}.draft", "false", kind="bool"),
        login_at(f"{_PR}.user.login", *bots),
        login_at("body.sender.login", *bots),
        not_ours(project),
        not_ours(project, f"{_PR}.user.login"),
        *(has_label(f"{_PR}.labels", name) for name in route.labels),
    ]
    exprs = [same_repository(f"{_PR}.head.repo.full_name")]
    if bots:
        # a configured bot author is not a member: its association is not asked
        exprs.append(
            expr_filter(
                f"association =~ {json.dumps(exact(*sorted(a.value for a in associations)))} "
                f"|| author =~ {json.dumps(exact(*bots))}",
                association=f"{_PR}.author_association",
                author=f"{_PR}.user.login",
            )
        )
    else:
        data.append(trusted(f"{_PR}.author_association", associations))
    return [
        submit(
            project,
            route,
            dependency("pull-request", "pull_request", ACTIONS, data, exprs),
            name="pr-flow",
            flow=pr_flow.SPEC,
            workflow_name=name_template(
                pr_flow.NAME, part_number(f"{_PR}.number"), part_text(f"{_PR}.head.sha")
            ),
            parameters={
                REPOSITORY: Param.repository("body.repository.full_name"),
                pr_flow.PR_NUMBER: Param.number(f"{_PR}.number"),
                pr_flow.HEAD_REF: Param.encoded(f"{_PR}.head.ref"),
                pr_flow.HEAD_SHA: Param.sha(f"{_PR}.head.sha"),
                ACTORS: Param.logins(f"{_PR}.user.login", "body.sender.login"),
            },
            labels_from={labels.PR: part_number(f"{_PR}.number")},
        )
    ]


BUILDER = RouteBuilder(
    ROUTE,
    "github-pull-request",
    "Runs pr-flow on a ready same-repository pull request by a trusted author.",
    _arms,
)
