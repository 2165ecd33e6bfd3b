"""Readers of rendered play YAML: DAG nodes, their `depends`, and the child Workflows."""

from __future__ import annotations

import base64
from typing import Any

import yaml

from hera_pipelines.workflows import task_run

RUN_PLACEHOLDER = "{{workflow.name}}"
GUARD = "authorize"  # the play's first node (tests/events/test_authorization.py checks it)


def templates_by_name(obj: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in obj["spec"]["templates"]}


def dag_tasks(obj: dict[str, Any]) -> list[dict[str, Any]]:
    """The DAG's task (or chunk) nodes, without the authorize guard every node waits for."""
    entry = templates_by_name(obj)[obj["spec"]["entrypoint"]]
    tasks: list[dict[str, Any]] = [t for t in entry["dag"]["tasks"] if t["name"] != GUARD]
    return tasks


def depends_names(task: dict[str, Any]) -> set[str]:
    """The node names of a `depends` made of `a && b` terms (what play renders), not the guard."""
    expression = task.get("depends", "")
    return {term.strip() for term in expression.split("&&") if term.strip()} - {GUARD}


def child_workflow(obj: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    """The Workflow a play node creates, parsed after substituting the run placeholder."""
    template = templates_by_name(obj)[node["template"]]
    manifest = template["resource"]["manifest"].replace(RUN_PLACEHOLDER, "play-abcde")
    parsed: dict[str, Any] = yaml.safe_load(manifest)
    return parsed


def raw_parameters(workflow: dict[str, Any]) -> dict[str, str]:
    """The child's parameter values as Argo carries them."""
    return {p["name"]: p["value"] for p in workflow["spec"]["arguments"]["parameters"]}


def parameters(workflow: dict[str, Any]) -> dict[str, str]:
    """The child's parameter values as the agent reads them: UNTRUSTED ones (backlog text)
    must be strict base64, and are decoded."""
    out = raw_parameters(workflow)
    if workflow["spec"]["workflowTemplateRef"]["name"] != task_run.SPEC.name:
        return out  # a play chunk's Workflow: its only parameter is the play's name
    for name, value in out.items():
        if task_run.SPEC.parameter(name).untrusted:
            out[name] = base64.b64decode(value, validate=True).decode()
    return out
