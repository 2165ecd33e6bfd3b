"""Review route: a trusted reviewer's comment or change request on a PR runs comment-remediation.

Three GitHub events mean "a reviewer asked for changes"; each is one dependency and one trigger,
and each run is named by the comment's (or review's) id, so a redelivery starts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.events.filters import (
    action_is,
    data_filter,
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
from hera_pipelines.templates import comment_remediation
from hera_pipelines.workflows.contract import REPOSITORY

__all__ = ["BUILDER", "ROUTE", "manifests"]

ROUTE = Route("comment", ("issue_comment", "pull_request_review", "pull_request_review_comment"))


@dataclass(frozen=True)
class _CommentKind:
    """One kind of review event: event, action, comment object, PR number and labels paths."""

    event: str
    action: str
    obj: str
    number: str
    holder: str


_KINDS: dict[str, _CommentKind] = {
    "issue-comment": _CommentKind(
        "issue_comment", "created", "comment", "body.issue.number", "body.issue"
    ),
    "review-comment": _CommentKind(
        "pull_request_review_comment",
        "created",
        "comment",
        "body.pull_request.number",
        "body.pull_request",
    ),
    "review": _CommentKind(
        "pull_request_review",
        "submitted",
        "review",
        "body.pull_request.number",
        "body.pull_request",
    ),
}


def manifests(project: Project) -> list[dict[str, Any]]:
    if not ROUTE.enabled(project):
        return []
    route = ROUTE.config(project)
    associations = route.trusted_associations or project.events.trusted_associations
    dependencies, triggers = [], []
    for name, kind in _KINDS.items():
        event = kind.event
        action = kind.action
        obj = kind.obj
        number = kind.number
        holder = kind.holder
        data = [
            event_is(event),
            action_is(action),
            trusted(f"body.{obj}.author_association", associations),
            sender_not_bot(),
            *(has_label(f"{holder}.labels", label) for label in route.labels),
        ]
        if name == "issue-comment":
            # only comments on pull requests (the issue carries a `pull_request` link)
            data.append(data_filter("body.issue.pull_request.url", "^https://"))
        if name == "review":
            data.append(data_filter("body.review.state", "^changes_requested$"))
        dep = dependency(name, data)
        dependencies.append(dep)
        triggers.append(
            workflow_trigger(
                project,
                route,
                name=name,
                dependency_name=name,
                flow=comment_remediation.SPEC,
                workflow_name=name_template(f"review-{name}", part_number(f"body.{obj}.id")),
                parameters={
                    REPOSITORY: Param.repository("body.repository.full_name"),
                    comment_remediation.PR_NUMBER: Param.number(number),
                    comment_remediation.COMMENT_ID: Param.number(f"body.{obj}.id"),
                    comment_remediation.COMMENT_URL: Param.encoded(
                        f"body.{obj}.html_url", default=""
                    ),
                    comment_remediation.COMMENT_KIND: Param.const(name),
                },
                labels_from={labels.PR: part_number(number)},
            )
        )
    return [
        sensor(
            project,
            "github-review",
            description="Runs comment-remediation on a trusted reviewer's comments.",
            dependencies=dependencies,
            triggers=triggers,
        )
    ]


BUILDER = RouteBuilder(ROUTE, manifests)
