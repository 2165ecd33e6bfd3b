"""Untrusted text is never carried as text through Argo (issue 10, part A).

Argo evaluates `{{...}}` inside parameter values (see `tests/argo_model.py`). So payload and
backlog text must cross every Argo boundary encoded and be decoded only at the leaf, with the
agent getting the exact original bytes. These tests put hostile text into the real GitHub
payloads of `tests/data/webhooks/` and into a backlog, and check what a cluster would see: the
Workflow the Sensor creates (`simulate --format json`), and every template after Argo's
substitution (the model).
"""

from __future__ import annotations

import base64
import copy
import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from hera_pipelines.cli import main
from hera_pipelines.config.project import load_project
from hera_pipelines.render.pipeline import render_project
from hera_pipelines.render.set import ManifestSet
from hera_pipelines.templates import FLOWS
from hera_pipelines.workflows.contract import FlowSpec, Kind
from tests.argo_model import Run, run_workflow, tags
from tests.conftest import moved
from tests.play.helpers import child_workflow, dag_tasks

ROOT = Path(__file__).resolve().parents[2]
WEBHOOKS = ROOT / "tests" / "data" / "webhooks"
DELIVERY = "0b7e9a52-1c3d-4e5f-8a9b-0123456789ab"
BASIC_REPOSITORY = "acme/widgets"  # examples/basic/pipelines.yaml
SPECS: dict[str, FlowSpec] = {f.spec.name: f.spec for f in FLOWS}

_HOSTILE_CORE = (
    "{{=sprig.repeat(3,'A')}} {{workflow.name}} }} \"q\" 'q' \\ \n- env: X\n"
    "$(id) `id` ;|&<> \u20ac \U0001f600 "
)
# 70 KB strings in as many fields as fit: the EventSource drops a delivery over 1 MiB
# (maxPayloadSize), so a payload whose every string were 70 KB would never reach a Sensor.
HOSTILE = _HOSTILE_CORE + "x" * 70_000
_LONG_BUDGET = 700_000
# the free-text fields that routes pass on get the long form first
_LONG_KEYS = {"title", "ref", "head_branch", "name", "html_url", "details_url", "ghsa_id", "id"}
# What must never appear in a parameter, name or label as text.
MARKERS = ("{{", "}}", '"q"', "\n", "$(id)", "`id`", "x" * 64)
# Payload keys the routes filter on (or that are not free text): left as they are, so the
# route still fires; every other string in the payload becomes HOSTILE.
KEEP = {
    "action",
    "label",
    "author_association",
    "conclusion",
    "default_branch",
    "full_name",
    "head_sha",
    "login",
    "security_severity_level",
    "severity",
    "sha",
    "state",
    "type",
    "url",
}
_SHAPES = {
    Kind.NUMBER: re.compile(r"^[0-9]+$"),
    Kind.LOGINS: re.compile(
        r"^[A-Za-z0-9][A-Za-z0-9-]{0,38}(\[bot\])?( [A-Za-z0-9][A-Za-z0-9-]{0,38}(\[bot\])?)*$"
    ),
    Kind.SHA: re.compile(r"^[0-9a-f]{40}$"),
    Kind.REPOSITORY: re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"),
}
_B64 = re.compile(r"^[A-Za-z0-9+/]*={0,2}$")
_LABEL = re.compile(r"^[A-Za-z0-9._/-]{0,63}$")
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")

Change = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Change:
    def change(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = body
        for key in parents:
            node = node[key]
        node[last] = value

    return change


def _labels(*names: str) -> list[dict[str, Any]]:
    return [{"id": i, "name": n, "color": "ededed", "default": False} for i, n in enumerate(names)]


def _set_in_list(path: str, index: int, rest: str, value: Any) -> Change:
    def change(body: dict[str, Any]) -> None:
        node: Any = body
        for key in path.split("."):
            node = node[key]
        node = node[index]
        *parents, last = rest.split(".")
        for key in parents:
            node = node[key]
        node[last] = value

    return change


# (id, event type, payload, change that makes the route fire, the flow it starts or None)
CASES: list[tuple[str, str, str, list[Change], str | None]] = [
    # one CI source (authz): `events.routes.ci.source` defaults to workflow_run
    ("check-run", "check_run", "check_run/completed.failure.json", [], None),
    (
        "workflow-run",
        "workflow_run",
        "workflow_run/completed.json",
        [
            _set("workflow_run.conclusion", "failure"),
            _set("workflow_run.head_branch", "f"),
            _set_in_list("workflow_run.pull_requests", 0, "head.repo.id", 300029405),
        ],
        "ci-remediation",
    ),
    (
        "code-scanning",
        "code_scanning_alert",
        "code_scanning_alert/created.json",
        [],
        "security-remediation",
    ),
    (
        "dependabot",
        "dependabot_alert",
        "dependabot_alert/created.json",
        [_set("alert.security_advisory.severity", "high")],
        "security-remediation",
    ),
    (
        "vulnerability",
        "repository_vulnerability_alert",
        "repository_vulnerability_alert/create.json",
        [_set("alert.severity", "critical")],
        None,  # the legacy alert is no longer subscribed (authz): it starts nothing
    ),
    (
        "issue-comment",
        "issue_comment",
        "issue_comment/created.on-pull-request.json",
        [],
        "comment-remediation",
    ),
    (
        "review-comment",
        "pull_request_review_comment",
        "pull_request_review_comment/created.json",
        [],
        "comment-remediation",
    ),
    (
        "review",
        "pull_request_review",
        "pull_request_review/submitted.json",
        [_set("review.state", "changes_requested")],
        "comment-remediation",
    ),
    ("pull-request", "pull_request", "pull_request/opened.json", [], "pr-flow"),
    (
        "issue",
        "issues",
        "issues/labeled.json",
        [
            _set("issue.labels", _labels("agent:implement")),
            _set("label", _labels("agent:implement")[0]),
        ],
        "issue-flow",
    ),
]


def hostile(value: Any, key: str = "", budget: list[int] | None = None) -> Any:
    """`value` with every free-text string replaced by hostile text (label names and KEEP kept):
    the 70 KB form while the payload stays under the EventSource's 1 MiB, the short form after."""
    budget = [_LONG_BUDGET] if budget is None else budget
    if isinstance(value, dict):
        return {k: v if k in KEEP else hostile(v, k, budget) for k, v in value.items()}
    if isinstance(value, list):
        return value if key == "labels" else [hostile(v, "", budget) for v in value]
    if not isinstance(value, str):
        return value
    if key in _LONG_KEYS and budget[0] >= len(HOSTILE):
        budget[0] -= len(HOSTILE)
        return HOSTILE
    return _HOSTILE_CORE


@pytest.fixture(scope="module")
def basic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The basic example's EventSource and Sensors (what a decision reads)."""
    dest = tmp_path_factory.mktemp("basic")
    for part in ("eventsource", "sensor"):
        shutil.copytree(ROOT / "examples" / "basic" / "manifests" / part, dest / part)
    return dest


def _simulate(
    capsys: pytest.CaptureFixture[str], folder: Path, event: str, payload: Path
) -> dict[str, Any]:
    argv = ["simulate", "--event", event, str(payload), "--manifests", str(folder)]
    argv += ["--format", "json", "--delivery", DELIVERY, "--source", "github", "--name", "github"]
    assert main(argv) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def _created(report: dict[str, Any]) -> dict[str, Any]:
    """The one Workflow the event creates."""
    fired = [t for s in report["sensors"] for t in s["triggers"] if t["fired"]]
    assert len(fired) == 1, [t.get("status") for s in report["sensors"] for t in s["triggers"]]
    workflow: dict[str, Any] = fired[0]["resource"]
    return workflow


def _library(rendered: ManifestSet) -> dict[str, dict[str, Any]]:
    return {
        o["metadata"]["name"]: o
        for o in rendered.objects.values()
        if o["kind"] == "WorkflowTemplate"
    }


def _decoded(workflow: dict[str, Any]) -> dict[str, str]:
    """UNTRUSTED parameters of the created Workflow, decoded (each must be strict base64)."""
    spec = SPECS[workflow["spec"]["workflowTemplateRef"]["name"]]
    out = {}
    for param in workflow["spec"]["arguments"]["parameters"]:
        if spec.parameter(param["name"]).untrusted:
            value = param.get("value", "")
            assert _B64.match(value), param["name"]
            out[param["name"]] = base64.b64decode(value, validate=True).decode()
    return out


def _secret_sources(template: dict[str, Any]) -> dict[str, str]:
    """agent-env Secret key -> the workflow parameter whose value it holds as it arrived."""
    agent_env = next(t for t in template["spec"]["templates"] if t["name"] == "agent-env")
    raw = yaml.safe_load(agent_env["resource"]["manifest"])
    out = {}
    for key, value in raw["data"].items():
        found = re.fullmatch(r"\{\{workflow\.parameters\.([a-z-]+)\}\}", value)
        if found:
            out[key] = found.group(1)
    return out


def check_leaves(run: Run, template: dict[str, Any], decoded: dict[str, str]) -> None:
    """After Argo's substitution: nothing evaluated, the agent's Secret holds the exact bytes."""
    assert run.findings == []
    leaves = {leaf.path: leaf.template for leaf in run.leaves}
    secret = yaml.safe_load(leaves["main/agent-env"]["resource"]["manifest"])
    assert secret["kind"] == "Secret"
    sources = _secret_sources(template)
    assert set(sources.values()) == set(decoded)  # every UNTRUSTED value reaches the agent
    for key, param in sources.items():
        assert base64.b64decode(secret["data"][key], validate=True).decode() == decoded[param]
    coderuns = [
        (path, leaf)
        for path, leaf in leaves.items()
        if "CodeRun" in leaf.get("resource", {}).get("manifest", "")
    ]
    assert coderuns
    for path, leaf in coderuns:
        inputs = {p["name"]: p.get("value", "") for p in leaf["inputs"]["parameters"]}
        assert set(inputs["env-keys"].split(",")) >= set(sources), path
        assert inputs["env-secret"] == "wf-abc-agent-env"
        # nothing of the hostile text, in any form but base64, reaches the CodeRun's template
        text = json.dumps(leaf, ensure_ascii=False)
        for marker in ("sprig.repeat", "$(id)", "`id`", "x" * 64, "'q'", "\u20ac"):
            assert marker not in text, (path, marker)


@pytest.mark.parametrize(
    ("event", "payload", "changes", "flow"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_hostile_payload_text_reaches_the_workflow_only_encoded(
    event: str,
    payload: str,
    changes: list[Change],
    flow: str | None,
    basic: Path,
    rendered: dict[str, ManifestSet],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    body = json.loads((WEBHOOKS / payload).read_text(encoding="utf-8"))
    # every Sensor pins the repository (authz): the payload comes from the example's
    moved(body, body["repository"]["full_name"], BASIC_REPOSITORY)
    for change in changes:
        change(body)
    body = hostile(body)
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    report = _simulate(capsys, basic, event, path)
    if flow is None:
        assert not [t for s in report["sensors"] for t in s["triggers"] if t["fired"]]
        return
    workflow = _created(report)
    assert workflow["spec"]["workflowTemplateRef"] == {"name": flow}
    meta = workflow["metadata"]
    assert _NAME.match(meta["name"]), meta["name"]
    for key, value in meta["labels"].items():
        assert _LABEL.match(value), key
    spec = SPECS[flow]
    for param in workflow["spec"]["arguments"]["parameters"]:
        value = param.get("value", "")
        assert not any(m in value for m in MARKERS), param["name"]
        assert not tags(value)
        shape = _SHAPES.get(spec.parameter(param["name"]).kind)
        if shape and not spec.parameter(param["name"]).untrusted:
            assert shape.match(value), (param["name"], value)
    decoded = _decoded(workflow)
    # the hostile text did reach the flow, byte for byte, as base64
    assert {HOSTILE, _HOSTILE_CORE} & set(decoded.values())
    run = run_workflow(workflow, _library(rendered["basic"]))
    check_leaves(run, _library(rendered["basic"])[flow], decoded)


def test_a_value_carried_as_text_is_caught_by_the_model(rendered: dict[str, ManifestSet]) -> None:
    """The model is not vacuous: the same hostile text passed as text is a finding."""
    workflow = {
        "spec": {
            "workflowTemplateRef": {"name": "pr-flow"},
            "arguments": {
                "parameters": [
                    {"name": "head-ref", "value": HOSTILE},
                    {"name": "head-sha", "value": "a" * 40},
                    {"name": "pr-number", "value": "2"},
                ]
            },
        }
    }
    run = run_workflow(workflow, _library(rendered["basic"]))
    assert run.findings
    # and an untrusted value inside a plain input reference is caught where it is substituted
    library = copy.deepcopy(_library(rendered["basic"]))
    gate = next(t for t in library["qa-gate"]["spec"]["templates"] if t["name"] == "head-sha")
    gate["script"]["source"] = "echo {{inputs.parameters.head-ref-b64}}"
    ok = base64.b64encode(b"main").decode()
    workflow["spec"]["arguments"]["parameters"][0]["value"] = ok
    assert run_workflow(workflow, library).findings == []
    workflow["spec"]["arguments"]["parameters"][0]["value"] = "{{workflow.name}}"
    assert run_workflow(workflow, library).findings


# ---------------------------------------------------------------- the backlog

TRICKY = "{{=sprig.repeat(3,'A')}} }} {{workflow.name}} $(id) `id` \"q\" 'q' \\ \n- key: v\n€ 😀"
_CONFIG = "repository: acme/widgets\n"


def test_backlog_text_reaches_the_agent_exactly_and_is_never_evaluated(
    make_config: Callable[[str], Path],
) -> None:
    config = make_config(_CONFIG)
    backlog = config.parent / ".taskmaster" / "tasks" / "tasks.json"
    backlog.parent.mkdir(parents=True)
    task = {
        "id": 1,
        "title": TRICKY,
        "details": TRICKY + " details",
        "testStrategy": TRICKY + " tests",
        "dependencies": [],
    }
    backlog.write_text(json.dumps({"master": {"tasks": [task]}}), encoding="utf-8")
    manifests = render_project(load_project(config))
    library = _library(manifests)
    play = library["play"]
    # the play itself: substituting its own templates evaluates nothing of the backlog
    play_run = run_workflow(
        {"spec": {"workflowTemplateRef": {"name": "play"}, "arguments": {"parameters": []}}},
        library,
        name="play-abcde",
    )
    assert play_run.findings == []
    (node,) = dag_tasks(play)
    (leaf,) = [x.template for x in play_run.leaves if x.path == f"main/{node['name']}"]
    child: dict[str, Any] = yaml.safe_load(leaf["resource"]["manifest"])
    assert child == child_workflow(play, node) | {"metadata": child["metadata"]}
    decoded = _decoded(child)
    assert decoded["task-title"] == TRICKY
    assert decoded["task-details"] == TRICKY + " details"
    assert decoded["task-test-strategy"] == TRICKY + " tests"
    assert decoded["task-id"] == "1"
    run = run_workflow(child, library, name=child["metadata"]["name"])
    assert run.findings == []
    leaves = {x.path: x.template for x in run.leaves}
    secret = yaml.safe_load(leaves["main/agent-env"]["resource"]["manifest"])
    for key, param in _secret_sources(library["task-pipeline"]).items():
        assert base64.b64decode(secret["data"][key]).decode() == decoded[param]
    assert base64.b64decode(secret["data"]["TASK_TITLE"]).decode() == TRICKY


# ---------------------------------------------------------------- the rendered templates

_REF = re.compile(
    r"(workflow\.parameters|inputs\.parameters)"
    r"(?:\.([A-Za-z0-9_-]+)|\[\s*['\"]([A-Za-z0-9_.-]+)['\"]\s*\])"
)


def _refs(text: str, scope: str) -> set[str]:
    return {m.group(2) or m.group(3) for m in _REF.finditer(text) if m.group(1) == scope}


def _exact(text: str, scope: str) -> str | None:
    found = re.fullmatch(r"\{\{" + re.escape(scope) + r"\.([a-z0-9-]+)\}\}", text)
    return found.group(1) if found else None


def _walk(value: Any, path: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in _walk(v, f"{path}.{k}")]
    if isinstance(value, list):
        return [x for i, v in enumerate(value) for x in _walk(v, f"{path}[{i}]")]
    return [(path, value)] if isinstance(value, str) else []


def _allowed_places(
    template: dict[str, Any], scope: str, names: set[str]
) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Where `template` references `names` (of `scope`) outside an allowed place.

    Allowed: the whole value of a container/script env var; the whole value of a key of the
    agent-env Secret's data; the whole value of a DAG task argument (the callee's input is then
    checked the same way). Returns (misplaced references, (callee template ref, input, name)).
    """
    bad: list[str] = []
    passed: list[tuple[str, str, str]] = []
    body = template.get("script") or template.get("container")
    if body:
        for text in [body.get("source", ""), *body.get("command", []), *body.get("args", [])]:
            assert "{{" not in text, f"{template['name']}: a parameter in script or command"
        for env in body.get("env", []):
            if _exact(env.get("value", ""), scope) in names:
                env["value"] = ""  # allowed here
    if template["name"] == "agent-env":
        lines = []
        for line in template["resource"]["manifest"].splitlines():
            found = re.fullmatch(r'  [A-Z_]+: "(.*)"', line)
            if found and _exact(found.group(1), scope) in names:
                continue
            lines.append(line)
        template = {**template, "resource": {**template["resource"], "manifest": "\n".join(lines)}}
    for task in template.get("dag", {}).get("tasks", []):
        for arg in task.get("arguments", {}).get("parameters", []):
            name = _exact(arg.get("value", ""), scope)
            if name in names:
                ref = task.get("templateRef", {})
                passed.append(
                    (ref.get("name", ""), ref.get("template") or task["template"], arg["name"])
                )
                arg["value"] = ""
    for path, text in _walk(template):
        hit = _refs(text, scope) & names
        if hit:
            bad.append(f"{template['name']}{path}: {sorted(hit)}")
    return bad, passed


@pytest.mark.parametrize("example", ["basic", "rust-service", "taskmaster"])
def test_untrusted_parameters_are_only_referenced_where_argo_no_longer_substitutes(
    example: str, rendered: dict[str, ManifestSet]
) -> None:
    library = copy.deepcopy(_library(rendered[example]))
    bad: list[str] = []
    pending: list[tuple[str, str, str]] = []
    for name, obj in library.items():
        spec = SPECS.get(name)
        if spec is None:
            continue
        untrusted = {p.name for p in spec.parameters if p.untrusted}
        spec_obj = {k: v for k, v in obj["spec"].items() if k != "templates"}
        for path, text in _walk(spec_obj):
            if not path.startswith(".arguments") and _refs(text, "workflow.parameters") & untrusted:
                bad.append(f"{name}.spec{path}")
        for template in obj["spec"]["templates"]:
            found, passed = _allowed_places(template, "workflow.parameters", untrusted)
            bad += [f"{name}: {b}" for b in found]
            pending += [(owner or name, callee, arg) for owner, callee, arg in passed]
    for owner, callee, arg in pending:
        template = next(t for t in library[owner]["spec"]["templates"] if t["name"] == callee)
        found, _ = _allowed_places(copy.deepcopy(template), "inputs.parameters", {arg})
        bad += [
            f"{owner}/{callee} (input {arg} holds base64 of untrusted text): {b}" for b in found
        ]
    assert bad == []
    assert pending  # the check saw untrusted values pass into other templates


def test_a_hostile_play_comment_starts_a_play_with_nothing_of_its_text(
    rendered: dict[str, ManifestSet], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "taskmaster"
    for part in ("eventsource", "sensor"):
        shutil.copytree(ROOT / "examples" / "taskmaster" / "manifests" / part, folder / part)
    raw = json.loads((WEBHOOKS / "issue_comment/created.on-issue.json").read_text("utf-8"))
    moved(raw, raw["repository"]["full_name"], "acme/taskboard")  # the Sensor pins it (authz)
    body = hostile(raw)
    body["comment"]["body"] = "/play"
    path = tmp_path / "payload.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    report = _simulate(capsys, folder, "issue_comment", path)
    (play,) = [
        t["resource"]
        for s in report["sensors"]
        for t in s["triggers"]
        if t["fired"] and s["name"] == "github-play"
    ]
    assert play["spec"]["workflowTemplateRef"] == {"name": "play"}
    assert _NAME.match(play["metadata"]["name"])
    assert all(_LABEL.match(v) for v in play["metadata"]["labels"].values())
    assert not any(m in json.dumps(play, ensure_ascii=False) for m in MARKERS[2:])
    assert run_workflow(play, _library(rendered["taskmaster"]), name="play-1").findings == []
