"""task-pipeline: worktree → implementation → format/lint → QA → suspended until merged."""

from __future__ import annotations

from typing import Any

import yaml

from hera_pipelines.schemas import validate_object
from tests.play.conftest import Render, tasks_json
from tests.play.helpers import templates_by_name

MARKERS = ("TITLE-MARKER-1", "DETAILS-MARKER-2", "STRATEGY-MARKER-3")
BACKLOG = tasks_json(
    [
        {
            "id": 1,
            "title": MARKERS[0],
            "details": MARKERS[1],
            "testStrategy": MARKERS[2],
            "dependencies": [],
        }
    ]
)


def _pipeline(render_module: Render) -> tuple[dict[str, Any], dict[str, Any]]:
    claim, pipeline = render_module("task_pipeline", BACKLOG)
    return claim, pipeline


def test_validates_strictly(render_module: Render) -> None:
    claim, pipeline = _pipeline(render_module)
    assert validate_object(pipeline) == []
    assert validate_object(claim) == []
    assert pipeline["metadata"]["name"] == "task-pipeline"


def test_chain_order_and_exit_handler(render_module: Render) -> None:
    _, pipeline = _pipeline(render_module)
    templates = templates_by_name(pipeline)
    nodes = {t["name"]: t for t in templates["main"]["dag"]["tasks"]}
    # the guard first (the task's branch is not protected), and nothing runs unless it says so
    assert "depends" not in nodes["authorize"]
    assert nodes["worktree"]["depends"] == "authorize"
    assert nodes["agent-env"]["depends"] == "authorize"
    assert nodes["implement"]["depends"] == "worktree && agent-env"
    for name in ("agent-env", "worktree", "implement", "format-lint", "qa"):
        assert nodes[name]["when"] == "{{tasks.authorize.outputs.result}} == run", name
    # pr-state always runs and carries the verdict; the suspend reads only its result
    assert "when" not in nodes["pr-state"]
    assert nodes["merged"]["when"] == "{{tasks.pr-state.outputs.result}} == open"
    assert nodes["format-lint"]["depends"] == "implement"
    assert nodes["qa"]["depends"] == "pre-qa-head"
    assert nodes["pr-state"]["depends"] == "qa-paths-gate"
    assert nodes["merged"]["depends"] == "pr-state"
    assert templates[nodes["merged"]["template"]]["suspend"] == {}
    assert pipeline["spec"]["onExit"] == "cleanup-worktree"
    assert pipeline["spec"]["activeDeadlineSeconds"] == 2592000  # the review deadline, not 6 h
    implement = {p["name"]: p["value"] for p in nodes["implement"]["arguments"]["parameters"]}
    # the agent comes from the play (per task); the implementation role's agent by default
    assert implement["github-app"] == "{{workflow.parameters.github-app}}"
    defaults = {p["name"]: p.get("value") for p in pipeline["spec"]["arguments"]["parameters"]}
    assert defaults["github-app"] == "5DLabs-Rex"


def test_one_mutex_per_worktree(render_module: Render) -> None:
    claim, pipeline = _pipeline(render_module)
    mutexes = pipeline["spec"]["synchronization"]["mutexes"]
    # the worktree's, and the task branch's (one flow per branch at a time)
    assert mutexes[0] == {
        "name": f"{claim['metadata']['name']}:{{{{workflow.parameters.worktree}}}}"
    }
    # keyed by the sanitised task label: task-id is UNTRUSTED (base64) since secdata
    assert [m["name"] for m in mutexes[1:]] == [
        "branch-acme-widgets-{{workflow.parameters.task-label}}"
    ]
    volumes = pipeline["spec"]["volumes"]
    assert volumes == [
        {"name": "workspace", "persistentVolumeClaim": {"claimName": claim["metadata"]["name"]}}
    ]


def _strings(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []


def test_task_values_only_reach_agents_through_parameters(render_module: Render) -> None:
    _, pipeline = _pipeline(render_module)
    # the template is the same whatever the backlog holds: no value is rendered into it
    assert not any(m in s for s in _strings(pipeline) for m in MARKERS)
    for template in pipeline["spec"]["templates"]:
        script = template.get("script")
        if script is None:
            continue
        for text in [script["source"], *script.get("args", []), *script.get("command", [])]:
            assert "{{" not in text, template["name"]
        for env in script["env"]:
            value = env.get("value", "")
            assert "task-title" not in value and "task-details" not in value
    nodes = {t["name"]: t for t in templates_by_name(pipeline)["main"]["dag"]["tasks"]}
    args = {p["name"]: p["value"] for p in nodes["implement"]["arguments"]["parameters"]}
    assert "env" not in args  # no JSON-valued parameter
    keys = args["env-keys"].split(",")
    secret = yaml.safe_load(templates_by_name(pipeline)["agent-env"]["resource"]["manifest"])
    assert secret["kind"] == "Secret"
    for name, parameter in (
        ("TASK_TITLE", "task-title"),
        ("TASK_DETAILS", "task-details"),
        ("TASK_TEST_STRATEGY", "task-test-strategy"),
    ):
        # base64 as it arrived, straight into the Secret's data (the kubelet decodes it)
        assert name in keys
        assert secret["data"][name] == f"{{{{workflow.parameters.{parameter}}}}}"


def test_workspace_claim_follows_config(render_module: Render) -> None:
    config = (
        "repository: acme/widgets\n"
        "workspace:\n  size: 50Gi\n  storageClass: fast\n  accessMode: ReadWriteOnce\n"
    )
    claim, _ = render_module("task_pipeline", BACKLOG, config)
    assert claim["kind"] == "PersistentVolumeClaim"
    assert claim["metadata"]["name"] == "widgets-workspace"
    assert claim["spec"] == {
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": "50Gi"}},
        "storageClassName": "fast",
    }
    assert validate_object(claim) == []
