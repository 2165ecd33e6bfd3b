"""A backlog task's optional `agent` (or `agentType`) picks the agent that implements it."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.cli import main
from hera_pipelines.config.project import load_project
from hera_pipelines.render.pipeline import render_project

_CONFIG = """\
repository: acme/widgets
agents:
  blaze:
    role: implementation
    githubApp: acme-blaze
    model: gpt-5-codex
"""


def _project(make_config: Callable[[str], Path], tasks: list[dict[str, Any]]) -> Path:
    config = make_config(_CONFIG)
    backlog = config.parent / ".taskmaster" / "tasks" / "tasks.json"
    backlog.parent.mkdir(parents=True)
    backlog.write_text(json.dumps({"tasks": tasks}))
    return config


def _child_arguments(config: Path) -> dict[str, dict[str, str]]:
    """task id -> the arguments of the Workflow each play node creates."""
    manifests = render_project(load_project(config))
    play = manifests.objects["workflowtemplate/play.yaml"]
    out: dict[str, dict[str, str]] = {}
    for template in play["spec"]["templates"]:
        manifest = template.get("resource", {}).get("manifest")
        if not manifest:
            continue
        task = re.search(r"- name: task-id\n\s+value: \"?([A-Za-z0-9+/=]+)", manifest)
        assert task is not None  # backlog text (the id too) travels as base64
        pairs = re.findall(r"- name: ([a-z-]+)\n\s+value: \"?([^\"\n]*)", manifest)
        out[base64.b64decode(task.group(1)).decode()] = dict(pairs)
    return out


def test_tasks_are_routed_by_agent_key_role_or_default(
    make_config: Callable[[str], Path],
) -> None:
    config = _project(
        make_config,
        [
            {"id": 1, "title": "default", "status": "pending", "dependencies": []},
            {"id": 2, "title": "by key", "agent": "blaze", "dependencies": []},
            {"id": 3, "title": "by role", "agentType": "security", "dependencies": []},
        ],
    )
    args = _child_arguments(config)
    # the default agent is task-pipeline's own default: the node does not repeat it
    assert "agent" not in args["1"]
    assert "github-app" not in args["1"]
    assert args["2"]["agent"] == "blaze"
    assert args["2"]["github-app"] == "acme-blaze"
    assert args["2"]["model"] == "gpt-5-codex"
    assert args["3"]["agent"] == "security"
    assert args["3"]["github-app"] == "5DLabs-Security"


def test_task_pipeline_passes_the_routed_agent_to_the_implement_step(
    make_config: Callable[[str], Path],
) -> None:
    config = _project(make_config, [{"id": 1, "title": "t", "dependencies": []}])
    pipeline = render_project(load_project(config)).objects["workflowtemplate/task-pipeline.yaml"]
    main_dag = next(t for t in pipeline["spec"]["templates"] if t["name"] == "main")
    implement = next(t for t in main_dag["dag"]["tasks"] if t["name"] == "implement")
    values = {p["name"]: p["value"] for p in implement["arguments"]["parameters"]}
    assert values["github-app"] == "{{workflow.parameters.github-app}}"
    assert values["model"] == "{{workflow.parameters.model}}"
    assert values["agent"] == "{{workflow.parameters.agent}}"
    defaults = {p["name"]: p.get("value") for p in pipeline["spec"]["arguments"]["parameters"]}
    assert defaults["github-app"] == "5DLabs-Rex"
    # the other agents of the chain keep their own role's agent
    lint = next(t for t in main_dag["dag"]["tasks"] if t["name"] == "format-lint")
    assert {p["name"]: p["value"] for p in lint["arguments"]["parameters"]}["github-app"] == (
        "5DLabs-Clippy"
    )


def test_unknown_agent_is_a_clear_error(
    make_config: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config = _project(make_config, [{"id": 4, "title": "t", "agent": "nobody"}])
    assert main(["render", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "tasks.json: task 4: agent: unknown agent or role 'nobody'" in err
    assert not (config.parent / "manifests").exists()
