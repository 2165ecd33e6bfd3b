"""Started workflows are named by the event's identity: valid, stable, and what naming.py says."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

import pytest

from hera_pipelines.conventions.task_names import task_workflow_name
from hera_pipelines.render.set import ManifestSet
from hera_pipelines.simulate.argo.github import github_event
from hera_pipelines.simulate.argo.params import resolve_param_value
from tests.events.conftest import payload

_DNS = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def _name(manifests: ManifestSet, trigger_name: str, event_type: str, body: dict[str, Any]) -> str:
    event = github_event(
        event_type,
        json.dumps(body).encode(),
        source="github",
        name="github",
        delivery="72d3162e-cc78-11e3-81ab-4c9367dc0958",
    )
    for sensor in manifests.of_kind("Sensor"):
        for trigger in sensor["spec"]["triggers"]:
            if trigger["template"]["name"] != trigger_name:
                continue
            (src,) = [
                p["src"]
                for p in trigger["template"]["argoWorkflow"]["parameters"]
                if p["dest"] == "metadata.name"
            ]
            resolved = resolve_param_value(src, {src["dependencyName"]: event})
            assert resolved.error is None, resolved
            assert resolved.value is not None
            return resolved.value
    raise AssertionError(trigger_name)


def test_pr_flow_name_is_pr_and_head_sha(basic_manifests: ManifestSet) -> None:
    body = payload("pull_request/synchronize.json")
    name = _name(basic_manifests, "pr-flow", "pull_request", body)
    sha = body["pull_request"]["head"]["sha"][:12]
    assert name == f"pr-flow-{body['pull_request']['number']}-{sha}"


def test_large_ids_are_digits_not_floats(basic_manifests: ManifestSet) -> None:
    body = payload("issue_comment/created.on-pull-request.json")
    assert _name(basic_manifests, "issue-comment", "issue_comment", body) == (
        f"comment-{body['comment']['id']}"
    )


@pytest.mark.parametrize("sha", ["", "ZZ--Not a SHA!!", "a" * 300, "-" * 20, "../../etc", "é" * 30])
def test_names_stay_valid_for_any_value(basic_manifests: ManifestSet, sha: str) -> None:
    body = copy.deepcopy(payload("pull_request/synchronize.json"))
    body["pull_request"]["head"]["sha"] = sha
    body["pull_request"]["number"] = 10**15
    name = _name(basic_manifests, "pr-flow", "pull_request", body)
    assert len(name) <= 63 and _DNS.match(name), name


@pytest.mark.parametrize(
    ("labels", "ref", "trigger", "task"),
    [
        # a `task-<id>` label no longer resumes anything (only the task's own branch does)
        ([{"name": "bug"}, {"name": "task-7"}], "task-7-fix", "resume-merged-task-branch", "7"),
        ([], "task-12-add-login", "resume-merged-task-branch", "12"),
        ([], "task-123456789", "resume-merged-task-branch", "123456789"),
    ],
)
def test_resume_targets_the_task_workflow(
    basic_project: Any,
    basic_manifests: ManifestSet,
    labels: list[Any],
    ref: str,
    trigger: str,
    task: str,
) -> None:
    body = copy.deepcopy(payload("pull_request/closed.merged.json"))
    body["pull_request"]["labels"] = labels
    body["pull_request"]["head"]["ref"] = ref
    name = _name(basic_manifests, trigger, "pull_request", body)
    assert name == task_workflow_name(basic_project.service, task)
