"""Issue 11 item 9: the rendered set never references a template it does not contain.

Every `templateRef`, every `workflowTemplateRef` (in a Workflow a resource step creates, and in
a Sensor trigger's Workflow) names a WorkflowTemplate of the set, and the template inside it;
the only exception is the platform's own coderun template with `coderunTemplate: external`.
Checked over every example, an all-done backlog, a chunked play and the external styles.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import yaml

from hera_pipelines.backlog.generate import generate_backlog
from hera_pipelines.render.set import ManifestSet
from tests.cluster.conftest import RenderSet
from tests.conftest import ROOT


def _manifest_objects(text: str) -> dict[str, Any]:
    """A resource step's manifest as Argo creates it (expressions replaced by strings)."""
    text = re.sub(r"\{\{=[^\n]*?\}\}", "x", text)
    text = text.replace("{{", "").replace("}}", "")
    parsed: dict[str, Any] = yaml.safe_load(text)
    return parsed


def references(manifests: ManifestSet) -> Iterator[tuple[str, str, str | None]]:
    """(where, WorkflowTemplate name, template name or None) for every reference in the set."""
    for path, obj in manifests:
        if obj["kind"] == "WorkflowTemplate":
            for tmpl in obj["spec"]["templates"]:
                steps = [s for group in tmpl.get("steps", []) for s in group]
                for call in [*tmpl.get("dag", {}).get("tasks", []), *steps]:
                    if "templateRef" in call:
                        ref = call["templateRef"]
                        yield path, ref["name"], ref["template"]
                resource = tmpl.get("resource")
                if resource and "manifest" in resource:
                    child = _manifest_objects(resource["manifest"])
                    if child.get("kind") == "Workflow":
                        yield path, child["spec"]["workflowTemplateRef"]["name"], None
        if obj["kind"] == "Sensor":
            for trigger in obj["spec"]["triggers"]:
                source = trigger["template"].get("argoWorkflow", {}).get("source", {})
                workflow = source.get("resource", {})
                ref = workflow.get("spec", {}).get("workflowTemplateRef")
                if ref:
                    yield path, ref["name"], None


def check_closed(manifests: ManifestSet, external: frozenset[str] = frozenset()) -> int:
    templates = {
        t["metadata"]["name"]: {x["name"] for x in t["spec"]["templates"]}
        for t in manifests.of_kind("WorkflowTemplate")
    }
    count = 0
    for where, name, template in references(manifests):
        count += 1
        if name in external:
            continue
        assert name in templates, f"{where} references missing WorkflowTemplate {name}"
        if template is not None:
            assert template in templates[name], f"{where} references missing {name}/{template}"
    return count


def test_every_example_is_closed(rendered: dict[str, ManifestSet]) -> None:
    for name, manifests in rendered.items():
        external = frozenset({"coderun-template"} if name == "rust-service" else ())
        assert check_closed(manifests, external) > 5, name
    # the play's Sensor starts the play, which exists
    sensors = {s["metadata"]["name"] for s in rendered["taskmaster"].of_kind("Sensor")}
    assert "github-play" in sensors


def _taskmaster_backlog() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (ROOT / "examples/taskmaster/.taskmaster/tasks/tasks.json").read_text()
    )
    return data


def test_all_done_backlog_renders_no_dangling_play_route(render_set: RenderSet) -> None:
    backlog = copy.deepcopy(_taskmaster_backlog())
    for task in backlog["tasks"]:  # the legacy (untagged) format
        task["status"] = "done"
    assert backlog["tasks"]
    manifests = render_set("repository: acme/taskboard\n", backlog)
    names = {t["metadata"]["name"] for t in manifests.of_kind("WorkflowTemplate")}
    assert "play" not in names
    assert "github-play" not in {s["metadata"]["name"] for s in manifests.of_kind("Sensor")}
    check_closed(manifests)


def test_chunked_play_and_external_styles_are_closed(render_set: RenderSet) -> None:
    backlog = generate_backlog(60, seed=3, done_fraction=0.1)
    manifests = render_set("repository: acme/widgets\nplay:\n  maxTasksPerWorkflow: 7\n", backlog)
    assert check_closed(manifests) > 60
    for style in ("workflowParameters", "inputs"):
        manifests = render_set(
            "repository: acme/widgets\nplatform:\n  coderunTemplate: external\n"
            f"  external:\n    name: platform-run\n    style: {style}\n",
            backlog,
        )
        assert check_closed(manifests, frozenset({"platform-run"})) > 5
