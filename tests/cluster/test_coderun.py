"""Issue 11 items 4 and 6: the agent step's template exists in the shape Argo runs it.

Item 6: the semaphore sits on the entry (`coderun`, steps) and the timeout on the inner step
only, so time spent Pending on the semaphore never counts against the agent's timeout.
Item 4: `coderunTemplate: external` calls the platform chart's template the way it is written
(`workflow.parameters`, entry `coderun-main`) through a rendered adapter.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from hera_pipelines.cli import main
from hera_pipelines.config.pipelines import CHART_PARAMETERS
from hera_pipelines.render.set import ManifestSet
from tests.cluster.conftest import RenderSet


def _templates(obj: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in obj["spec"]["templates"]}


def _template(manifests: ManifestSet, name: str) -> dict[str, Any]:
    (found,) = (t for t in manifests.of_kind("WorkflowTemplate") if t["metadata"]["name"] == name)
    return found


def _agent_refs(manifests: ManifestSet) -> set[tuple[str, str]]:
    refs = set()
    for template in manifests.of_kind("WorkflowTemplate"):
        for tmpl in template["spec"]["templates"]:
            for task in tmpl.get("dag", {}).get("tasks", []):
                if "templateRef" in task and task["templateRef"]["name"] != "qa-gate":
                    refs.add((task["templateRef"]["name"], task["templateRef"]["template"]))
    return refs


def _check_semaphore_outside_timeout(template: dict[str, Any], timeout: str) -> dict[str, Any]:
    """The entry holds the semaphore and no timeout; the one step it runs holds the timeout."""
    templates = _templates(template)
    entry = templates["coderun"]
    assert entry["synchronization"]["semaphores"][0]["configMapKeyRef"]["key"] == (
        "agent-{{inputs.parameters.agent-class}}"
    )
    assert "timeout" not in entry
    ((step,),) = entry["steps"]
    assert entry["outputs"]["parameters"] == [
        {
            "name": "coderun-name",
            "valueFrom": {
                "parameter": f"{{{{steps.{step['name']}.outputs.parameters.coderun-name}}}}"
            },
        }
    ]
    inner = templates[step["template"]]
    assert inner["timeout"] == timeout
    assert "synchronization" not in inner
    # every input of the entry reaches the inner step unchanged
    forwarded = {p["name"]: p["value"] for p in step["arguments"]["parameters"]}
    assert forwarded == {
        p["name"]: f"{{{{inputs.parameters.{p['name']}}}}}" for p in entry["inputs"]["parameters"]
    }
    return inner


def test_rendered_coderun_waits_for_its_slot_outside_the_timeout(
    rendered: dict[str, ManifestSet],
) -> None:
    manifests = rendered["taskmaster"]
    inner = _check_semaphore_outside_timeout(_template(manifests, "coderun-template"), "7200s")
    assert "kind: CodeRun" in inner["resource"]["manifest"]
    assert _agent_refs(manifests) == {("coderun-template", "coderun")}


def _parsed_child(manifest: str) -> dict[str, Any]:
    """The child Workflow as Argo sees it after substitution (each value a JSON string)."""
    text = re.sub(
        r"\{\{=sprig\.toJson\(inputs\.parameters\['([a-z-]+)'\]\)\}\}", r'"<\1>"', manifest
    )
    parsed: dict[str, Any] = yaml.safe_load(text.replace("{{workflow.name}}", "flow-x"))
    return parsed


def test_external_chart_template_is_started_as_a_child_workflow(
    rendered: dict[str, ManifestSet],
) -> None:
    manifests = rendered["rust-service"]
    assert not [
        t
        for t in manifests.of_kind("WorkflowTemplate")
        if t["metadata"]["name"] == "coderun-template"
    ]
    assert _agent_refs(manifests) == {("coderun-template-adapter", "coderun")}
    adapter = _template(manifests, "coderun-template-adapter")
    inner = _check_semaphore_outside_timeout(adapter, "7200s")
    resource = inner["resource"]
    assert resource["action"] == "create"
    assert resource["setOwnerReference"] is True
    assert resource["successCondition"] == "status.phase == Succeeded"
    child = _parsed_child(resource["manifest"])
    assert child["kind"] == "Workflow"
    assert child["spec"]["workflowTemplateRef"] == {"name": "coderun-template"}
    given = {p["name"]: p["value"] for p in child["spec"]["arguments"]["parameters"]}
    # exactly the chart's parameters, each from the same-named agent-step input
    assert given == {name: f"<{name}>" for name in CHART_PARAMETERS}
    # the workflows may create and watch that child Workflow
    (role,) = (
        r for r in manifests.of_kind("Role") if r["metadata"]["name"] == "hera-pipelines-workflow"
    )
    verbs = {v for r in role["rules"] if "workflows" in r["resources"] for v in r["verbs"]}
    assert {"create", "get"} <= verbs


def test_external_inputs_style_calls_the_entry_with_template_ref(render_set: RenderSet) -> None:
    manifests = render_set(
        "repository: acme/widgets\nplatform:\n  coderunTemplate: external\n  external:\n"
        "    name: agent-run\n    style: inputs\n    entry: run\n"
        "    parameters:\n      task: task-id\n      app: github-app\n      model: model\n"
    )
    adapter = _template(manifests, "agent-run-adapter")
    entry = _templates(adapter)["coderun"]
    assert "synchronization" in entry
    ((step,),) = entry["steps"]
    assert step["templateRef"] == {"name": "agent-run", "template": "run"}
    assert {p["name"]: p["value"] for p in step["arguments"]["parameters"]} == {
        "app": "{{inputs.parameters.github-app}}",
        "model": "{{inputs.parameters.model}}",
        "task": "{{inputs.parameters.task-id}}",
    }


def test_unknown_value_in_the_external_contract_exits_2(
    make_config: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_config(
        "repository: acme/widgets\nplatform:\n  coderunTemplate: external\n  external:\n"
        "    parameters:\n      task-id: task-number\n"
    )
    assert main(["render", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "platform.external.parameters.task-id: 'task-number' is not an agent-step value" in err


def test_rendered_coderun_grants_no_workflow_creation(rendered: dict[str, ManifestSet]) -> None:
    """The adapter's grant (create child Workflows) comes only with the external style."""
    manifests = rendered["basic"]  # no play, coderun rendered
    (role,) = (
        r for r in manifests.of_kind("Role") if r["metadata"]["name"] == "hera-pipelines-workflow"
    )
    verbs = {v for r in role["rules"] if "workflows" in r["resources"] for v in r["verbs"]}
    assert "create" not in verbs
