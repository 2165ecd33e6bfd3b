"""The security and idempotency rules hold for every rendered template and trigger."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.config.project import load_project
from hera_pipelines.conventions import labels
from hera_pipelines.render.pipeline import render_project
from hera_pipelines.sensors import ROUTES, github
from tests.events.conftest import EXAMPLES

_SHELLISH = ("source", "args", "command")


def _walk(node: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}[{index}]")


def _text(value: Any) -> str:
    return value if isinstance(value, str) else repr(value)


@pytest.mark.parametrize("config", EXAMPLES, ids=lambda p: p.parent.name)
def test_nothing_is_spliced_into_a_script_or_command_line(config: Path) -> None:
    manifests = render_project(load_project(config))
    checked = 0
    for kind in ("WorkflowTemplate", "Sensor", "Workflow", "CronWorkflow"):
        for obj in manifests.of_kind(kind):
            for path, node in _walk(obj):
                if not isinstance(node, dict):
                    continue
                for container_key in ("script", "container"):
                    inner = node.get(container_key)
                    if not isinstance(inner, dict):
                        continue
                    for key in _SHELLISH:
                        if key in inner:
                            checked += 1
                            assert "{{" not in _text(inner[key]), (
                                f"{obj['metadata']['name']}{path}.{container_key}.{key}"
                            )
    assert checked > 0


def test_scan_catches_a_splice() -> None:
    bad = {"script": {"source": "echo {{workflow.parameters.x}}"}}
    assert any(
        "{{" in _text(n["script"]["source"])
        for _, n in _walk(bad)
        if isinstance(n, dict) and "script" in n
    )


def _triggers(manifests: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    for sensor in manifests.of_kind("Sensor"):
        for trigger in sensor["spec"]["triggers"]:
            yield sensor["metadata"]["name"], trigger


def test_every_trigger_is_rate_limited_named_and_labelled(basic_manifests) -> None:  # type: ignore[no-untyped-def]
    for sensor, trigger in _triggers(basic_manifests):
        assert trigger["rateLimit"]["requestsPerUnit"] >= 1, sensor
        wf = trigger["template"]["argoWorkflow"]
        dests = {p["dest"]: p["src"] for p in wf["parameters"]}
        assert "dataTemplate" in dests["metadata.name"], sensor
        resource = wf["source"]["resource"]
        assert "generateName" not in resource["metadata"]
        if wf["operation"] == "submit":
            assert labels.REPOSITORY in resource["metadata"]["labels"]
            assert labels.FLOW in resource["metadata"]["labels"]
            # values reach the workflow only as spec.arguments.parameters values
            for dest in dests:
                assert dest == "metadata.name" or dest.startswith(
                    ("spec.arguments.parameters.", "metadata.labels.")
                ), dest
        else:
            assert wf["operation"] == "resume"


def test_every_trigger_targets_a_rendered_flow(basic_manifests) -> None:  # type: ignore[no-untyped-def]
    flows = {t["metadata"]["name"] for t in basic_manifests.of_kind("WorkflowTemplate")}
    for sensor, trigger in _triggers(basic_manifests):
        spec = trigger["template"]["argoWorkflow"]["source"]["resource"].get("spec", {})
        if "workflowTemplateRef" in spec:
            assert spec["workflowTemplateRef"]["name"] in flows, sensor
            declared = {
                p["name"]
                for t in basic_manifests.of_kind("WorkflowTemplate")
                if t["metadata"]["name"] == spec["workflowTemplateRef"]["name"]
                for p in t["spec"]["arguments"]["parameters"]
            }
            given = {p["name"] for p in spec["arguments"]["parameters"]}
            assert given <= declared, sensor


def test_eventsource_subscribes_exactly_the_routed_events(basic_project, basic_manifests) -> None:  # type: ignore[no-untyped-def]
    (source,) = basic_manifests.of_kind("EventSource")
    subscribed = source["spec"]["github"]["github"]["events"]
    used = {
        f["value"][0].strip("^$()")
        for sensor in basic_manifests.of_kind("Sensor")
        for dep in sensor["spec"]["dependencies"]
        for f in dep["filters"]["data"]
        if f["path"] == "body.X-GitHub-Event"
    }
    routes = [b.route for b in ROUTES if b.route.enabled(basic_project)]
    assert sorted(used) == subscribed == github.events(basic_project, routes)
    assert "*" not in subscribed and "push" not in subscribed and "ping" not in subscribed
