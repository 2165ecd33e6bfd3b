"""`hera-pipelines simulate` end to end: exit codes, stdout JSON, stderr lines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.cli import main

HERE = Path(__file__).resolve().parent
MANIFESTS = HERE / "fixtures" / "manifests"
WEBHOOKS = HERE.parent / "data" / "webhooks"
TIME = "2024-07-15T12:00:00Z"


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict[str, Any]:
    assert main(argv) == 0
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


def _sensor(report: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = next(s for s in report["sensors"] if s["name"] == name)
    return found


def test_pull_request_opened_submits_the_pr_flow_workflow(
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = ["simulate", "--event", "pull_request", str(WEBHOOKS / "pull_request/opened.json")]
    argv += ["--manifests", str(MANIFESTS), "--format", "json", "--delivery", "d-1"]
    report = _json(capsys, [*argv, "--time", TIME])

    assert report["event"] == {"type": "pull_request", "delivery": "d-1"}
    sensor = _sensor(report, "pr-flow")
    assert sensor["dependencies"][0]["matched"] is True
    trigger = sensor["triggers"][0]
    assert (trigger["fired"], trigger["operation"]) == (True, "submit")
    assert trigger["resource"] == {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Workflow",
        "metadata": {
            "name": "pr-flowd-1",
            "labels": {
                "pipelines.agents.platform/flow": "pr-flow",
                "pipelines.agents.platform/pr": "2",
                "events.argoproj.io/sensor": "pr-flow",
                "events.argoproj.io/trigger": "pr-flow",
                "events.argoproj.io/action-timestamp": "1721044800000",
            },
        },
        "spec": {
            "workflowTemplateRef": {"name": "pr-flow"},
            "arguments": {
                "parameters": [
                    {"name": "repository", "value": "Codertocat/Hello-World"},
                    {"name": "pr-number", "value": "2"},
                    {"name": "head-sha", "value": "ec26c3e57ca3a959ca5aad62de7213c562f8c821"},
                    {"name": "delivery", "value": "d-1"},
                ]
            },
        },
    }
    merged = _sensor(report, "pr-merged")
    assert merged["dependencies"][0]["matched"] is False
    assert merged["triggers"][0]["fired"] is False


def test_merge_resumes_the_waiting_workflow_by_name(capsys: pytest.CaptureFixture[str]) -> None:
    payload = str(WEBHOOKS / "pull_request/closed.merged.json")
    report = _json(
        capsys,
        [
            "simulate",
            "--event",
            "pull_request",
            payload,
            "--manifests",
            str(MANIFESTS),
            "--format",
            "json",
        ],
    )
    trigger = _sensor(report, "pr-merged")["triggers"][0]
    assert trigger["operation"] == "resume"
    assert trigger["resource"]["metadata"]["name"] == "branch-bookkeeper"
    assert "labels" not in trigger["resource"]["metadata"]  # only submit labels the workflow


def test_explain_says_why_a_dependency_did_not_match(capsys: pytest.CaptureFixture[str]) -> None:
    payload = str(WEBHOOKS / "issue_comment/created.on-issue.json")
    report = _json(
        capsys,
        [
            "simulate",
            "--event",
            "issue_comment",
            payload,
            "--manifests",
            str(MANIFESTS),
            "--format",
            "json",
            "--explain",
        ],
    )
    dep = _sensor(report, "remediation")["dependencies"][0]
    assert dep["matched"] is False
    assert any(
        "data filter error (path 'body.issue.pull_request.url' does not exist)" in r
        for r in dep["reasons"]
    )


def test_text_format_is_a_tree(capsys: pytest.CaptureFixture[str]) -> None:
    payload = str(WEBHOOKS / "pull_request/opened.json")
    argv = ["simulate", "--event", "pull_request", payload, "--manifests", str(MANIFESTS)]
    assert main([*argv, "--delivery", "d-1"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("event pull_request (delivery d-1)\n")
    assert "trigger pr-flow: ▶ fires — submit Workflow/pr-flowd-1" in out


def test_raw_event_for_another_eventsource(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sensor.yaml").write_text(
        """
apiVersion: argoproj.io/v1alpha1
kind: Sensor
metadata: {name: nightly, namespace: ci}
spec:
  dependencies:
    - name: tick
      eventSourceName: calendar
      eventName: nightly
      filters:
        time: {start: "01:00:00", stop: "03:00:00"}
  triggers:
    - template:
        name: cleanup
        k8s:
          operation: create
          source:
            resource: {apiVersion: v1, kind: ConfigMap, metadata: {generateName: cleanup-}}
"""
    )
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"context": {"time": "2024-07-15T02:00:00Z"}, "data": {}}))
    argv = ["simulate", "--raw", str(event), "--source", "calendar", "--name", "nightly"]
    report = _json(capsys, [*argv, "--manifests", str(tmp_path), "--format", "json"])
    trigger = report["sensors"][0]["triggers"][0]
    assert trigger["fired"] is True
    assert trigger["resource"]["metadata"]["namespace"] == "ci"


def test_unsupported_constructs_are_reported_not_decided(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "sensor.yaml").write_text(
        """
apiVersion: argoproj.io/v1alpha1
kind: EventSource
metadata: {name: github}
spec:
  github:
    repo: {events: ["*"]}
---
apiVersion: argoproj.io/v1alpha1
kind: Sensor
metadata: {name: transformed}
spec:
  dependencies:
    - name: pr
      eventSourceName: github
      eventName: repo
      transform: {jq: ".body"}
  triggers:
    - template:
        name: go
        argoWorkflow:
          source:
            url: {path: "https://example.com/wf.yaml"}
"""
    )
    payload = str(WEBHOOKS / "pull_request/opened.json")
    argv = ["simulate", "--event", "pull_request", payload, "--manifests", str(tmp_path)]
    report = _json(capsys, [*argv, "--format", "json"])
    dep = report["sensors"][0]["dependencies"][0]
    trigger = report["sensors"][0]["triggers"][0]
    assert (dep["matched"], dep["status"]) == (None, "unsupported")
    assert (trigger["fired"], trigger["status"]) == (None, "unsupported")


def test_batch_prints_one_line_per_payload(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["simulate", "--batch", str(WEBHOOKS), "--manifests", str(MANIFESTS)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(list(WEBHOOKS.glob("*/*.json")))
    by_file = {line.split("\t")[0]: line.split("\t") for line in lines}
    assert by_file["pull_request/opened.json"][1] == "pull_request"
    assert by_file["pull_request/opened.json"][2].startswith("pr-flow/pr-flow submit pr-flow")
    assert by_file["ping/ping.json"][2] == "-"


def test_manifests_default_to_the_config_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "pipelines.yaml").write_text("repository: acme/widgets\noutput: rendered\n")
    (tmp_path / "rendered").mkdir()
    monkeypatch.chdir(tmp_path)
    payload = str(WEBHOOKS / "ping/ping.json")
    # no Sensors and no EventSource there: --source/--name route the delivery anyway
    argv = ["simulate", "--event", "ping", payload, "--source", "github", "--name", "org"]
    report = _json(capsys, [*argv, "--format", "json"])
    assert report["sensors"] == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--event", "push", "/nonexistent.json"], "cannot read payload"),
        (["--event", "push", str(HERE / "test_cli.py")], "not a JSON object payload"),
        (
            ["--event", "push", str(WEBHOOKS / "push/branch.json"), "--manifests", "/nonexistent"],
            "manifests folder not found",
        ),
        (
            ["--event", "push", str(WEBHOOKS / "push/branch.json"), "--source", "x"],
            "--source and --name go together",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    if "--manifests" not in argv:
        argv = [*argv, "--manifests", str(MANIFESTS)]
    assert main(["simulate", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1
    assert message in captured.err
