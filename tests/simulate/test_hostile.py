"""Hostile deliveries: deep nesting, oversized payloads, `{{` in values (security issue)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.cli import main
from hera_pipelines.simulate.go.stack import run_deep

EVENTSOURCE = """
apiVersion: argoproj.io/v1alpha1
kind: EventSource
metadata: {name: github, namespace: ci}
spec:
  github:
    repo:
      webhook: {endpoint: /github, port: "12000", method: POST%s}
      events: ["*"]
"""
SENSOR = """
apiVersion: argoproj.io/v1alpha1
kind: Sensor
metadata: {name: pr, namespace: ci}
spec:
  dependencies:
    - name: pr
      eventSourceName: github
      eventName: repo
      filters:
        data:
          - {path: body.action, type: string, value: ["opened"]}
        script: |-
          return event.body.action == "opened"
  triggers:
    - template:
        name: run
        argoWorkflow:
          operation: submit
          source:
            resource:
              apiVersion: argoproj.io/v1alpha1
              kind: Workflow
              metadata: {generateName: pr-}
              spec:
                arguments:
                  parameters:
                    - {name: title, value: ""}
                    - {name: deep, value: ""}
          parameters:
            - src: {dependencyName: pr, dataKey: body.title}
              dest: spec.arguments.parameters.0.value
            - src: {dependencyName: pr, dataKey: body.deep, useRawData: true}
              dest: spec.arguments.parameters.1.value
"""


def _manifests(tmp_path: Path, webhook_extra: str = "") -> Path:
    folder = tmp_path / "manifests"
    folder.mkdir()
    (folder / "eventsource.yaml").write_text(EVENTSOURCE % webhook_extra)
    (folder / "sensor.yaml").write_text(SENSOR)
    return folder


def _run(
    capsys: pytest.CaptureFixture[str], folder: Path, payload: Path, *extra: str
) -> tuple[int, str, str]:
    argv = ["simulate", "--event", "pull_request", str(payload), "--manifests", str(folder)]
    code = main([*argv, *extra])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _deep_payload(path: Path, depth: int, size: int = 0) -> Path:
    head = '{"action":"opened","title":"t","pad":"' + "x" * size + '","deep":'
    path.write_text(head + '{"k":' * (depth - 1) + "1" + "}" * (depth - 1) + "}")
    return path


def test_payload_nested_1000_deep_is_simulated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Go's decoder accepts up to 10000 levels, so the EventSource dispatches this delivery
    payload = _deep_payload(tmp_path / "deep.json", 1000, size=6000)
    assert 11_000 < payload.stat().st_size < 13_000  # a 12 KB payload
    folder = _manifests(tmp_path)
    code, out, err = _run(capsys, folder, payload, "--format", "json")
    assert (code, err) == (0, "")
    trigger = run_deep(lambda: json.loads(out))["sensors"][0]["triggers"][0]
    assert trigger["fired"] is True
    deep = trigger["resource"]["spec"]["arguments"]["parameters"][1]["value"]
    for _ in range(998):
        deep = deep["k"]
    assert deep == {"k": 1}
    code, out, err = _run(capsys, folder, payload, "--explain")
    assert (code, err) == (0, "")
    assert "trigger run: ▶ fires" in out


def test_payload_nested_20000_deep_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = tmp_path / "deeper.json"
    payload.write_text('{"action":"opened","a":' + "[" * 20_000 + "]" * 20_000 + "}")
    code, out, err = _run(capsys, _manifests(tmp_path), payload)
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"hera-pipelines simulate: {payload}: nesting deeper than 10000 levels")
    assert "Traceback" not in err
    assert "RecursionError" not in err


def test_batch_reports_too_deep_payload_as_a_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "payloads" / "pull_request"
    folder.mkdir(parents=True)
    (folder / "deep.json").write_text("[" * 10_001 + "]" * 10_001)
    argv = ["simulate", "--batch", str(tmp_path / "payloads"), "--format", "json"]
    assert main([*argv, "--manifests", str(_manifests(tmp_path))]) == 0
    line = json.loads(capsys.readouterr().out)
    assert line["problem"].startswith("nesting deeper than 10000 levels")


def _sized_payload(path: Path, size: int) -> Path:
    head = '{"action":"opened","title":"t","deep":1,"pad":"'
    path.write_text(head + "x" * (size - len(head) - 2) + '"}')
    assert path.stat().st_size == size
    return path


def _route(out: str) -> dict[str, Any]:
    route: dict[str, Any] = json.loads(out)["routes"][0]
    return route


@pytest.mark.parametrize(
    ("size", "dropped"),
    [(1_048_576, False), (1_048_577, True)],  # DefaultMaxWebhookPayloadSize = 1048576
)
def test_default_payload_limit_is_one_mib(
    size: int, dropped: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = _sized_payload(tmp_path / "big.json", size)
    code, out, _ = _run(capsys, _manifests(tmp_path), payload, "--format", "json")
    assert code == 0
    route = _route(out)
    assert route["accepted"] is not dropped
    assert ("dropped by the EventSource" in route["reason"]) is dropped
    fired = json.loads(out)["sensors"][0]["triggers"][0]["fired"]
    assert fired is not dropped


def test_eventsource_max_payload_size_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = _sized_payload(tmp_path / "small.json", 200)
    folder = _manifests(tmp_path, ", maxPayloadSize: 100")
    code, out, _ = _run(capsys, folder, payload, "--format", "json")
    assert code == 0
    route = _route(out)
    assert route["accepted"] is False
    assert route["reason"] == (
        "dropped by the EventSource: the payload is 200 bytes, over maxPayloadSize 100"
        " (http: request body too large)"
    )
    # --source/--name skips scoping, not the EventSource's limit
    code, out, _ = _run(
        capsys, folder, payload, "--format", "json", "--source", "github", "--name", "repo"
    )
    assert _route(out)["accepted"] is False


def test_explain_warns_about_braces_from_the_payload(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = tmp_path / "inject.json"
    payload.write_text(json.dumps({"action": "opened", "title": "{{workflow.name}}", "deep": 1}))
    folder = _manifests(tmp_path)
    warning = (
        'warning: parameter spec.arguments.parameters.0.value carries "{{" from the payload: '
        "Argo Workflows would evaluate it"
    )
    code, out, err = _run(capsys, folder, payload, "--explain")
    assert code == 0
    assert err == f"hera-pipelines simulate: {warning}\n"  # one line, unwrapped
    assert "warning: parameter spec.arguments.parameters.0.value" in out  # and in the tree
    assert "parameters.1.value carries" not in out + err
    code, out, err = _run(capsys, folder, payload)
    assert "warning:" not in out + err  # only with --explain
    code, out, err = _run(capsys, folder, payload, "--format", "json", "--explain")
    assert err == f"hera-pipelines simulate: {warning}\n"
    trigger = json.loads(out)["sensors"][0]["triggers"][0]
    assert set(trigger) == {"name", "fired", "status", "operation", "resource", "namespace"} | {
        "reasons"
    }  # the JSON shape is unchanged
