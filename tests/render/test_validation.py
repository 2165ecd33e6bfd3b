"""Every rendered object validates strictly against the upstream schema of its kind."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest
import yaml

from hera_pipelines.render.set import KUSTOMIZATION, ManifestSet
from hera_pipelines.schemas import validate_object


def _objects(rendered: dict[str, ManifestSet]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (name, path, obj)
        for name, manifests in rendered.items()
        for path, obj in manifests
        if path != KUSTOMIZATION
    ]


def test_every_rendered_object_is_strictly_valid(rendered: dict[str, ManifestSet]) -> None:
    failures = [
        f"{name}/{path}: {v}"
        for name, path, obj in _objects(rendered)
        for v in validate_object(obj)
    ]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    ("kind", "where"),
    [
        ("WorkflowTemplate", ("spec",)),
        ("Application", ("spec",)),
        ("ConfigMap", ()),
    ],
)
def test_unknown_fields_are_errors(
    rendered: dict[str, ManifestSet], kind: str, where: tuple[str, ...]
) -> None:
    obj = copy.deepcopy(next(o for _, _, o in _objects(rendered) if o["kind"] == kind))
    node = obj
    for key in where:
        node = node[key]
    node["notAField"] = True
    violations = validate_object(obj)
    assert violations and "notAField" in str(violations[0]), violations


def test_wrong_type_is_an_error(rendered: dict[str, ManifestSet]) -> None:
    obj = copy.deepcopy(
        next(o for _, _, o in _objects(rendered) if o["kind"] == "WorkflowTemplate")
    )
    obj["spec"]["activeDeadlineSeconds"] = "soon"
    assert validate_object(obj)


# --- the CodeRun inside coderun-template against the platform's real CRD ----------------------

_PLACEHOLDER = re.compile(r"\{\{=?(.*?)\}\}")


def _sample(expression: str) -> str:
    """A typed sample value for one Argo placeholder, as Argo would substitute it."""
    if expression.startswith("asInt("):
        return "7"
    if expression.endswith("== 'true'"):
        return "true"
    if expression.startswith("sprig.toJson(sprig.dict("):
        return '{"AGENT": "rex", "FLOW": "pr-flow"}'
    if expression.startswith("sprig.toJson(map("):
        return '[{"name": "HEAD_REF", "secretName": "w-agent-env", "secretKey": "HEAD_REF"}]'
    if expression.startswith("sprig.toJson("):
        return '"sample \\"quoted\\" value: {x}"'
    return "sample"


def _coderun(rendered: dict[str, ManifestSet]) -> dict[str, Any]:
    template = next(
        o for _, _, o in _objects(rendered) if o["metadata"]["name"] == "coderun-template"
    )
    manifest: str = template["spec"]["templates"][0]["resource"]["manifest"]
    substituted = _PLACEHOLDER.sub(lambda m: _sample(m.group(1).strip()), manifest)
    assert "{{" not in substituted
    doc: dict[str, Any] = yaml.safe_load(substituted)
    doc["metadata"]["name"] = "coderun-abcde"
    return doc


def test_coderun_manifest_satisfies_the_platform_crd(rendered: dict[str, ManifestSet]) -> None:
    coderun = _coderun(rendered)
    assert validate_object(coderun) == []
    spec = coderun["spec"]
    assert spec["taskId"] == 7 and spec["continueSession"] is True
    assert spec["model"] == 'sample "quoted" value: {x}'  # quoting survives YAML
    assert spec["env"] == {"AGENT": "rex", "FLOW": "pr-flow"}
    assert spec["envFromSecrets"] == [
        {"name": "HEAD_REF", "secretName": "w-agent-env", "secretKey": "HEAD_REF"}
    ]


def test_coderun_crd_check_catches_a_missing_required_field(
    rendered: dict[str, ManifestSet],
) -> None:
    coderun = _coderun(rendered)
    del coderun["spec"]["githubApp"]
    assert any("githubApp" in str(v) for v in validate_object(coderun))


def test_coderun_template_declares_every_parameter_it_uses(
    rendered: dict[str, ManifestSet],
) -> None:
    template = next(
        o for _, _, o in _objects(rendered) if o["metadata"]["name"] == "coderun-template"
    )
    entry = template["spec"]["templates"][0]
    declared = {p["name"] for p in entry["inputs"]["parameters"]}
    used = set(re.findall(r"inputs\.parameters\['([a-z-]+)'\]", entry["resource"]["manifest"]))
    assert used <= declared
    for name in (
        "task-id",
        "service-id",
        "repository-url",
        "docs-repository-url",
        "docs-project-directory",
        "working-directory",
        "github-app",
        "continue-session",
        "overwrite-memory",
        "docs-branch",
        "model",
    ):
        assert name in declared
