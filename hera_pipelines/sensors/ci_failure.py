"""CI route: a failed workflow run or check run on a PR branch runs ci-remediation.

Never for the default branch; a bot's failure only when the bot is one of our agents (their
pushes are what remediation fixes). The per-PR attempt cap is enforced inside the flow, which
counts earlier ci-remediation runs of the same PR.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.events.actors import our_bot_logins
from hera_pipelines.events.filters import (
    action_is,
    data_filter,
    dependency,
    event_is,
    exact,
    expr_filter,
)
from hera_pipelines.events.names import name_template, part_number
from hera_pipelines.events.route import Route, RouteBuilder
from hera_pipelines.events.sensor import sensor
from hera_pipelines.events.triggers import Param, workflow_trigger
from hera_pipelines.templates import ci_remediation
from hera_pipelines.workflows.contract import REPOSITORY

__all__ = ["BUILDER", "ROUTE", "manifests"]

ROUTE = Route("ci", ("check_run", "workflow_run"))


@dataclass(frozen=True)
class _CiKind:
    """Where one kind of CI event keeps what the trigger needs (GJSON paths into the body)."""

    event: str
    obj: str
    branch: str
    job: str
    logs: str


_KINDS: dict[str, _CiKind] = {
    "workflow-run": _CiKind(
        "workflow_run",
        "body.workflow_run",
        "body.workflow_run.head_branch",
        "body.workflow_run.name",
        "body.workflow_run.html_url",
    ),
    "check-run": _CiKind(
        "check_run",
        "body.check_run",
        "body.check_run.check_suite.head_branch",
        "body.check_run.name",
        "body.check_run.details_url",
    ),
}


def manifests(project: Project) -> list[dict[str, Any]]:
    if not ROUTE.enabled(project):
        return []
    route = ROUTE.config(project)
    bots = json.dumps(exact(*our_bot_logins(project)))
    dependencies, triggers = [], []
    for name, kind in _KINDS.items():
        event = kind.event
        obj = kind.obj
        branch = kind.branch
        job = kind.job
        logs = kind.logs
        dep = dependency(
            name,
            [
                event_is(event),
                action_is("completed"),
                data_filter(f"{obj}.conclusion", "^failure$"),
                data_filter(f"{obj}.pull_requests.#", "1", kind="number", comparator=">="),
            ],
            [
                expr_filter(
                    f"branch != default && (sender_type != 'Bot' || sender =~ {bots})",
                    branch=branch,
                    default="body.repository.default_branch",
                    sender_type="body.sender.type",
                    sender="body.sender.login",
                )
            ],
        )
        dependencies.append(dep)
        parts = [part_number(f"{obj}.id")]
        if name == "workflow-run":
            parts.append(part_number(f"{obj}.run_attempt"))
        number = f"{obj}.pull_requests.0.number"
        triggers.append(
            workflow_trigger(
                project,
                route,
                name=name,
                dependency_name=name,
                flow=ci_remediation.SPEC,
                workflow_name=name_template(f"ci-{name}", *parts),
                parameters={
                    REPOSITORY: Param.repository("body.repository.full_name"),
                    ci_remediation.PR_NUMBER: Param.number(number),
                    ci_remediation.RUN_ID: Param.number(f"{obj}.id"),
                    ci_remediation.RUN_KIND: Param.const(name),
                    ci_remediation.JOB_NAME: Param.encoded(job, default=""),
                    ci_remediation.HEAD_REF: Param.encoded(branch),
                    ci_remediation.HEAD_SHA: Param.sha(f"{obj}.head_sha"),
                    ci_remediation.LOGS_URL: Param.encoded(logs, default=""),
                },
                labels_from={labels.PR: part_number(number)},
            )
        )
    return [
        sensor(
            project,
            "github-ci-failure",
            description="Runs ci-remediation on a failed run of a pull request's branch.",
            dependencies=dependencies,
            triggers=triggers,
        )
    ]


BUILDER = RouteBuilder(ROUTE, manifests)
