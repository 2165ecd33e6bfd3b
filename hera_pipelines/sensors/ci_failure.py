"""CI route: a failed CI run on a same-repository PR branch runs ci-remediation, once per head.

One source of failures (`events.routes.ci.source`, default `workflow_run`: one event per Actions
run however many jobs failed; `check_run` sends one per failed check), and the run is named by
(PR, head SHA), so one failure starts one triage run. Never for the default branch or a fork's
head; a bot's failure only when the bot is one of our agents (their pushes are what remediation
fixes: the loop is bounded by the per-PR attempt cap, counted on GitHub by the flow's authorize
step, which also re-checks fork, protection and head SHA and claims the SHA on GitHub so a
redelivery after the workflow's TTL starts nothing).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from hera_pipelines.config.events import CiSource
from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.events.actors import our_bot_logins
from hera_pipelines.events.filters import (
    data_filter,
    dependency,
    exact,
    expr_filter,
    login_at,
    repository_pinned,
    same_repository,
)
from hera_pipelines.events.names import name_template, part_number, part_text
from hera_pipelines.events.route import Route, RouteBuilder
from hera_pipelines.events.triggers import Arm, Param, submit
from hera_pipelines.templates import ci_remediation
from hera_pipelines.workflows.contract import REPOSITORY
from hera_pipelines.workflows.guard import ACTORS

__all__ = ["BUILDER", "ROUTE"]


@dataclass(frozen=True)
class _CiRoute(Route):
    """`events.routes.ci`: the EventSource subscribes to the one configured source only."""

    def events_for(self, project: Project) -> tuple[str, ...]:
        return (project.events.routes.ci.source.value,)


ROUTE = _CiRoute("ci", ("check_run", "workflow_run"))


@dataclass(frozen=True)
class _CiKind:
    """Where one kind of CI event keeps what the trigger needs (GJSON paths into the body)."""

    event: str
    obj: str
    branch: str
    job: str
    logs: str
    source: CiSource


_KINDS: dict[str, _CiKind] = {
    "workflow-run": _CiKind(
        "workflow_run",
        "body.workflow_run",
        "body.workflow_run.head_branch",
        "body.workflow_run.name",
        "body.workflow_run.html_url",
        CiSource.WORKFLOW_RUN,
    ),
    "check-run": _CiKind(
        "check_run",
        "body.check_run",
        "body.check_run.check_suite.head_branch",
        "body.check_run.name",
        "body.check_run.details_url",
        CiSource.CHECK_RUN,
    ),
}


def _arms(project: Project) -> Iterator[Arm]:
    """The one arm of the configured source: its failure on a PR branch runs ci-remediation."""
    route = project.events.routes.ci
    ours = our_bot_logins(project)
    bots = json.dumps(exact(*ours))
    for name, kind in _KINDS.items():
        if kind.source != route.source:
            continue
        obj = kind.obj
        dep = dependency(
            name,
            kind.event,
            ("completed",),
            [
                data_filter(f"{obj}.conclusion", "^failure$"),
                data_filter(f"{obj}.pull_requests.#", "1", kind="number", comparator=">="),
                repository_pinned(project),
                login_at("body.sender.login", *ours),
            ],
            [
                same_repository(f"{obj}.pull_requests.0.head.repo.id", "body.repository.id"),
                expr_filter(
                    f"branch != default && (sender_type != 'Bot' || sender =~ {bots})",
                    branch=kind.branch,
                    default="body.repository.default_branch",
                    sender_type="body.sender.type",
                    sender="body.sender.login",
                ),
            ],
        )
        number = f"{obj}.pull_requests.0.number"
        # one run per (PR, head SHA): re-runs and redeliveries of that failure collide
        parts = [part_number(number), part_text(f"{obj}.head_sha")]
        yield submit(
            project,
            route,
            dep,
            flow=ci_remediation.SPEC,
            workflow_name=name_template("ci", *parts),
            parameters={
                REPOSITORY: Param.repository("body.repository.full_name"),
                ci_remediation.PR_NUMBER: Param.number(number),
                ci_remediation.RUN_ID: Param.number(f"{obj}.id"),
                ci_remediation.RUN_KIND: Param.const(name),
                ci_remediation.JOB_NAME: Param.encoded(kind.job, default=""),
                ci_remediation.HEAD_REF: Param.encoded(kind.branch),
                ci_remediation.HEAD_SHA: Param.sha(f"{obj}.head_sha"),
                ci_remediation.LOGS_URL: Param.encoded(kind.logs, default=""),
                ACTORS: Param.logins("body.sender.login"),
            },
            labels_from={labels.PR: part_number(number)},
        )


BUILDER = RouteBuilder(
    ROUTE,
    "github-ci-failure",
    "Runs ci-remediation on a failed run of a pull request's branch.",
    _arms,
)
