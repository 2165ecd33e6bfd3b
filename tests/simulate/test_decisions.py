"""Which Sensor triggers fire for every shared GitHub payload (expected decisions written here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hera_pipelines.simulate.argo.manifests import load_manifests
from hera_pipelines.simulate.simulator import Simulator

HERE = Path(__file__).resolve().parent
WEBHOOKS = HERE.parent / "data" / "webhooks"

# payload -> the (sensor, trigger) pairs that fire with the fixture Sensors
EXPECTED: dict[str, set[tuple[str, str]]] = {
    "check_run/completed.failure.json": {("remediation", "ci-triage")},
    "check_suite/completed.json": set(),  # the EventSource is not subscribed to check_suite
    "code_scanning_alert/created.json": set(),
    "dependabot_alert/created.json": set(),
    "issue_comment/created.on-issue.json": set(),  # not on a pull request
    "issue_comment/created.on-pull-request.json": {("remediation", "comment-coderun")},
    "issues/closed.json": set(),
    "issues/labeled.json": set(),
    "issues/opened.json": set(),
    "ping/ping.json": set(),
    "pull_request/closed.merged.json": {("pr-merged", "resume-task")},
    "pull_request/closed.not-merged.json": set(),  # closed without merge resumes nothing
    "pull_request/edited.json": set(),
    "pull_request/labeled.json": set(),
    "pull_request/opened.json": {("pr-flow", "pr-flow")},
    "pull_request/ready_for_review.json": {("pr-flow", "pr-flow")},
    "pull_request/reopened.json": {("pr-flow", "pr-flow")},
    "pull_request/synchronize.json": {("pr-flow", "pr-flow")},
    "pull_request_review/submitted.json": set(),
    "pull_request_review_comment/created.json": set(),
    "push/branch.json": {("pushes", "log-push")},
    "push/tag.json": set(),  # a deletion push
    "repository_vulnerability_alert/create.json": set(),
    "security_advisory/published.json": set(),
    "workflow_job/completed.failure.json": {("remediation", "ci-triage")},
    "workflow_run/completed.json": set(),
    "workflow_run/requested.json": set(),
}


@pytest.fixture(scope="module")
def simulator() -> Simulator:
    return Simulator(load_manifests(HERE / "fixtures" / "manifests"))


@pytest.mark.parametrize("payload", sorted(EXPECTED))
def test_fixture_sensors_decide_every_payload(simulator: Simulator, payload: str) -> None:
    path = WEBHOOKS / payload
    report = simulator.github(path.parent.name, path.read_bytes())
    assert set(report.fired()) == EXPECTED[payload]
    assert report.unsupported() == []


def test_every_shared_payload_is_covered() -> None:
    found = {p.relative_to(WEBHOOKS).as_posix() for p in WEBHOOKS.glob("*/*.json")}
    assert found == set(EXPECTED)
