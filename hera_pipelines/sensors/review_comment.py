"""Review route: a trusted reviewer's comment or change request on a PR runs comment-remediation.

Three GitHub events mean "a reviewer asked for changes"; each is one dependency and one trigger.
A review and its inline comments are one request: the review and each of its comments name the
workflow by the review id, so they start one run (a plain PR comment is named by its own id).
`/commands` (such as `/play`) are not review comments. The commenter's real permission, the
PR's head (no fork, not protected), one run per review or comment even after the workflow's TTL,
and the per-PR attempt cap are checked by the flow's authorize step through the GitHub API.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.events.filters import (
    data_filter,
    dependency,
    has_label,
    login_at,
    not_a_command,
    not_ours,
    repository_pinned,
    same_repository,
    trusted,
    trusted_associations,
)
from hera_pipelines.events.names import name_template, part_number
from hera_pipelines.events.route import Route, RouteBuilder
from hera_pipelines.events.triggers import Arm, Param, submit
from hera_pipelines.templates import comment_remediation
from hera_pipelines.workflows.contract import REPOSITORY
from hera_pipelines.workflows.guard import ACTORS

__all__ = ["BUILDER", "ROUTE"]

ROUTE = Route("comment", ("issue_comment", "pull_request_review", "pull_request_review_comment"))


@dataclass(frozen=True)
class _CommentKind:
    """One kind of review event: its event and action, and GJSON paths into its body."""

    event: str
    action: str
    obj: str  # the comment or review object
    number: str  # the PR number
    holder: str  # the object holding `labels`
    claim: str  # the id that names the run: the review's for a review and its comments
    prefix: str  # the run name's prefix (review and comment ids are different id spaces)
    head_repo: str | None  # the PR head repository's id, where the payload has it


_KINDS: dict[str, _CommentKind] = {
    "issue-comment": _CommentKind(
        "issue_comment",
        "created",
        "body.comment",
        "body.issue.number",
        "body.issue",
        "body.comment.id",
        "comment",
        None,
    ),
    "review-comment": _CommentKind(
        "pull_request_review_comment",
        "created",
        "body.comment",
        "body.pull_request.number",
        "body.pull_request",
        "body.comment.pull_request_review_id",
        "review",
        "body.pull_request.head.repo.full_name",
    ),
    "review": _CommentKind(
        "pull_request_review",
        "submitted",
        "body.review",
        "body.pull_request.number",
        "body.pull_request",
        "body.review.id",
        "review",
        "body.pull_request.head.repo.full_name",
    ),
}


def _arms(project: Project) -> Iterator[Arm]:
    """One arm per kind of review event, each running comment-remediation."""
    route = project.events.routes.comment
    associations = trusted_associations(project, route)
    for name, kind in _KINDS.items():
        obj = kind.obj
        data = [
            repository_pinned(project),
            trusted(f"{obj}.author_association", associations),
            login_at(f"{obj}.user.login"),
            login_at("body.sender.login"),
            not_ours(project),
            not_ours(project, f"{obj}.user.login"),
            *(has_label(f"{kind.holder}.labels", label) for label in route.labels),
        ]
        if name == "issue-comment":
            # only comments on pull requests (the issue carries a `pull_request` link)
            data.append(data_filter("body.issue.pull_request.url", "^https://"))
        if name == "review":
            data.append(data_filter("body.review.state", "^changes_requested$"))
        else:
            data.append(not_a_command(f"{obj}.body"))
        exprs = [same_repository(kind.head_repo)] if kind.head_repo else []
        yield submit(
            project,
            route,
            dependency(name, kind.event, (kind.action,), data, exprs),
            flow=comment_remediation.SPEC,
            workflow_name=name_template(kind.prefix, part_number(kind.claim)),
            parameters={
                REPOSITORY: Param.repository("body.repository.full_name"),
                comment_remediation.PR_NUMBER: Param.number(kind.number),
                comment_remediation.COMMENT_ID: Param.number(f"{obj}.id"),
                comment_remediation.COMMENT_URL: Param.encoded(f"{obj}.html_url", default=""),
                comment_remediation.COMMENT_KIND: Param.const(name),
                comment_remediation.CLAIM_ID: Param.number(kind.claim),
                ACTORS: Param.logins(f"{obj}.user.login"),
            },
            labels_from={labels.PR: part_number(kind.number)},
        )


BUILDER = RouteBuilder(
    ROUTE,
    "github-review",
    "Runs comment-remediation on a trusted reviewer's comments.",
    _arms,
)
