"""Each route's rendered filters, run with Argo Events' semantics over real GitHub payloads.

Uses `hera_pipelines.simulate` (the filter engine and the EventSource's event shape) on the
rendered Sensors, so a filter change that lets the wrong delivery through fails here.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

from hera_pipelines.render.set import ManifestSet
from hera_pipelines.simulate.argo.filters.dependency import DependencyFilter
from hera_pipelines.simulate.argo.github import github_event
from tests.conftest import moved
from tests.events.conftest import WEBHOOKS, payload

Edit = Callable[[dict[str, Any]], None]


def _matches(manifests: ManifestSet, event_type: str, body: dict[str, Any]) -> set[str]:
    """`sensor/dependency` of every dependency whose filters pass this delivery."""
    event = github_event(
        event_type,
        json.dumps(body).encode(),
        source="github",
        name="github",
        delivery="72d3162e-cc78-11e3-81ab-4c9367dc0958",
    )
    out = set()
    for sensor in manifests.of_kind("Sensor"):
        for dep in sensor["spec"]["dependencies"]:
            outcome = DependencyFilter(dep.get("filters")).evaluate(
                event, str(dep.get("filtersLogicalOperator") or "")
            )
            if outcome.passed:
                out.add(f"{sensor['metadata']['name']}/{dep['name']}")
    return out


def _set(path: str, value: Any) -> Edit:
    def edit(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = body
        for key in parents:
            node = node[key]
        node[last] = copy.deepcopy(value)

    return edit


def _all(*edits: Edit) -> Edit:
    def edit(body: dict[str, Any]) -> None:
        for one in edits:
            one(body)

    return edit


_CHANGES_REQUESTED = _set("review.state", "changes_requested")


def _same_repository_run(body: dict[str, Any]) -> None:
    # this fixture's run (octo-org/octo-repo) lists a PR of another repository: make it ours
    for pr in body["workflow_run"]["pull_requests"]:
        pr["head"]["repo"]["id"] = pr["base"]["repo"]["id"] = body["repository"]["id"]


_FAILED_RUN = _all(
    _set("workflow_run.conclusion", "failure"),
    _set("workflow_run.head_branch", "fix-it"),
    _same_repository_run,
)
# the real comment is `/build`, a command; a review comment is prose
_PROSE = _set("comment.body", "Please rename this variable.")
_AGENT_LABEL = _all(
    _set("issue.labels", [{"name": "agent:implement"}]), _set("label", {"name": "agent:implement"})
)
_TASK_LABEL = _set("pull_request.labels", [{"name": "bug"}, {"name": "task-7"}])
# this older fixture has no `labels` (GitHub sends `[]`); a missing path fails a data filter
_TASK_BRANCH = _all(
    _set("pull_request.head.ref", "task-12-add-login"), _set("pull_request.labels", [])
)

# (file, edit or None, expected matches)
ACCEPTED: list[tuple[str, Edit | None, set[str]]] = [
    ("pull_request/opened.json", None, {"github-pull-request/pull-request"}),
    ("pull_request/reopened.json", None, {"github-pull-request/pull-request"}),
    ("pull_request/synchronize.json", None, {"github-pull-request/pull-request"}),
    ("pull_request/ready_for_review.json", None, {"github-pull-request/pull-request"}),
    ("issue_comment/created.on-pull-request.json", _PROSE, {"github-review/issue-comment"}),
    ("pull_request_review_comment/created.json", None, {"github-review/review-comment"}),
    ("pull_request_review/submitted.json", _CHANGES_REQUESTED, {"github-review/review"}),
    ("workflow_run/completed.json", _FAILED_RUN, {"github-ci-failure/workflow-run"}),
    ("issues/labeled.json", _AGENT_LABEL, {"github-issue/issue"}),
    # the labeler is the actor: the author may be anyone (checked in the flow)
    (
        "issues/labeled.json",
        _all(_AGENT_LABEL, _set("issue.author_association", "NONE")),
        {"github-issue/issue"},
    ),
    ("code_scanning_alert/created.json", None, {"github-security-alert/code-scanning"}),
    (
        "dependabot_alert/created.json",
        _set("alert.security_advisory.severity", "critical"),
        {"github-security-alert/dependabot"},
    ),
    ("pull_request/closed.merged.json", _TASK_BRANCH, {"github-task-merge/merged-task-branch"}),
    (
        "pull_request/closed.merged.json",
        _all(_TASK_BRANCH, _TASK_LABEL),
        {"github-task-merge/merged-task-branch"},
    ),
]

_BOT = _set("sender", {"login": "renovate[bot]", "type": "Bot"})
_UNTRUSTED = "NONE"

REJECTED: list[tuple[str, Edit | None]] = [
    # no route for these at all
    ("ping/ping.json", None),
    ("push/branch.json", None),
    ("push/tag.json", None),
    ("check_suite/completed.json", None),
    ("workflow_job/completed.failure.json", None),
    ("security_advisory/published.json", None),
    ("pull_request/edited.json", None),
    ("pull_request/labeled.json", None),
    ("pull_request/closed.not-merged.json", None),
    ("issues/closed.json", None),
    # the real payloads that miss one condition
    ("issue_comment/created.on-issue.json", None),  # not on a pull request
    ("pull_request_review/submitted.json", None),  # state commented
    ("workflow_run/completed.json", None),  # success
    ("workflow_run/requested.json", None),
    ("issues/opened.json", None),  # no agent:implement label
    ("issues/labeled.json", None),  # labelled bug
    ("dependabot_alert/created.json", None),  # medium < high
    ("repository_vulnerability_alert/create.json", None),  # deprecated event: no route
    ("repository_vulnerability_alert/create.json", _set("alert.severity", "critical")),
    ("check_run/completed.failure.json", None),  # one CI source: workflow_run by default
    # a task label proves nothing: only the task's own branch resumes it
    ("pull_request/closed.merged.json", _TASK_LABEL),
    # a merged fork PR from a `task-12-...` branch is not the task's
    (
        "pull_request/closed.merged.json",
        _all(_TASK_BRANCH, _set("pull_request.head.repo.full_name", "evil/fork")),
    ),
    # the trigger label must be the label just added: adding another one starts nothing
    (
        "issues/labeled.json",
        _all(_AGENT_LABEL, _set("label", {"name": "bug"})),
    ),
    ("issues/opened.json", _AGENT_LABEL),  # opened: the `labeled` event that follows decides
    # `/play` and other commands are not review comments
    ("issue_comment/created.on-pull-request.json", None),  # the real comment is `/build`
    ("issue_comment/created.on-pull-request.json", _set("comment.body", "/play")),
    ("issue_comment/created.on-pull-request.json", _set("comment.body", "  /retry please")),
    ("pull_request/closed.merged.json", None),  # no task label or branch
    # edited to break exactly one condition
    ("pull_request/opened.json", _set("pull_request.draft", True)),
    ("pull_request/synchronize.json", _set("pull_request.head.repo.full_name", "evil/fork")),
    (
        "pull_request/synchronize.json",
        _set("sender", {"login": "5dlabs-clippy[bot]", "type": "Bot"}),
    ),
    ("pull_request/synchronize.json", _set("sender", {"login": "5dlabs-qa[bot]", "type": "Bot"})),
    ("pull_request/opened.json", _set("action", "opened-again")),  # anchored, not a prefix
    ("pull_request/opened.json", _set("action", "reopened_x")),
    (
        "issue_comment/created.on-pull-request.json",
        _all(_PROSE, _set("comment.author_association", _UNTRUSTED)),
    ),
    ("issue_comment/created.on-pull-request.json", _all(_PROSE, _BOT)),
    ("pull_request_review_comment/created.json", _set("comment.author_association", "CONTRIBUTOR")),
    ("pull_request_review_comment/created.json", _BOT),
    ("pull_request_review/submitted.json", _all(_CHANGES_REQUESTED, _BOT)),
    (
        "pull_request_review/submitted.json",
        _all(_CHANGES_REQUESTED, _set("review.author_association", "FIRST_TIME_CONTRIBUTOR")),
    ),
    ("workflow_run/completed.json", _all(_FAILED_RUN, _BOT)),
    ("workflow_run/completed.json", _all(_FAILED_RUN, _set("workflow_run.head_branch", "master"))),
    ("issues/labeled.json", _all(_AGENT_LABEL, _BOT)),
    ("issues/labeled.json", _set("label", {"name": "agent:implement-later"})),
    ("code_scanning_alert/created.json", _set("alert.rule.severity", "warning")),
    ("pull_request/closed.merged.json", _all(_TASK_BRANCH, _set("pull_request.merged", False))),
    ("pull_request/closed.merged.json", _set("pull_request.head.ref", "feature/task-12-x")),
]


OURS = "acme/widgets"  # the basic example's repository: every Sensor pins it


def _body(file: str, edit: Edit | None, *, ours: bool = True) -> tuple[str, dict[str, Any]]:
    body = copy.deepcopy(payload(file))
    if ours and "repository" in body:
        moved(body, body["repository"]["full_name"], OURS)
    if edit is not None:
        edit(body)
    return file.split("/", 1)[0], body


@pytest.mark.parametrize(
    ("file", "edit", "expected"), ACCEPTED, ids=lambda v: v if isinstance(v, str) else ""
)
def test_route_accepts(
    basic_manifests: ManifestSet, file: str, edit: Edit | None, expected: set[str]
) -> None:
    event_type, body = _body(file, edit)
    assert _matches(basic_manifests, event_type, body) == expected


@pytest.mark.parametrize(("file", "edit"), REJECTED, ids=lambda v: v if isinstance(v, str) else "")
def test_route_rejects(basic_manifests: ManifestSet, file: str, edit: Edit | None) -> None:
    event_type, body = _body(file, edit)
    assert _matches(basic_manifests, event_type, body) == set()


def test_our_agents_ci_failures_are_triaged(basic_manifests: ManifestSet) -> None:
    event_type, body = _body(
        "workflow_run/completed.json",
        _all(_FAILED_RUN, _set("sender", {"login": "5dlabs-rex[bot]", "type": "Bot"})),
    )
    assert _matches(basic_manifests, event_type, body) == {"github-ci-failure/workflow-run"}


@pytest.mark.parametrize(
    ("file", "edit", "expected"), ACCEPTED, ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_route_pins_the_repository(
    basic_manifests: ManifestSet, file: str, edit: Edit | None, expected: set[str]
) -> None:
    """An org-wide hook (or a hook on the wrong repository) delivers other repositories' events:
    each accepted delivery, left in its own repository, starts nothing."""
    event_type, body = _body(file, edit, ours=False)
    assert body["repository"]["full_name"] != OURS
    assert _matches(basic_manifests, event_type, body) == set()


def test_every_payload_file_is_covered() -> None:
    files = {str(p.relative_to(WEBHOOKS)) for p in WEBHOOKS.glob("*/*.json")}
    covered = {f for f, *_ in ACCEPTED} | {f for f, _ in REJECTED}
    assert files <= covered
