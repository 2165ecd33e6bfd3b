"""Issue 11 item 7: a PR merged (or closed) before the task suspends never hangs the task.

The `pr-state` step runs before `merged` (the suspend): merged → the suspend is skipped and the
task succeeds; open → the task suspends until the merge route resumes it; closed unmerged → the
task fails with a clear message and the PR is labelled. The script runs here against a fake
`curl` that answers like GitHub's REST API.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.render.set import ManifestSet
from hera_pipelines.templates.task_pipeline import CLOSED_LABEL, PR_STATE_SCRIPT

pytestmark = pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")

_FAKE_CURL = """#!/bin/sh
echo "$*" >> "$CALLS"
case "$*" in
  *"-X POST"*) echo '{}' ;;
  *) cat "$ANSWER" ;;
esac
"""


def _pull(state: str, merged_at: str | None) -> dict[str, Any]:
    return {
        "number": 42,
        "state": state,
        "title": 'says "state": "open" and "merged_at": "x"',
        "user": {"login": "rex[bot]", "id": 7},
        "merged_at": merged_at,
        "milestone": {"state": "open", "number": 3},
    }


def _run(
    tmp_path: Path, pulls: list[dict[str, Any]], verdict: str = "run"
) -> tuple[int, str, str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    curl = bin_dir / "curl"
    curl.write_text(_FAKE_CURL)
    curl.chmod(0o755)
    answer = tmp_path / "answer.json"
    answer.write_text(json.dumps(pulls, indent=2))  # GitHub pretty-prints its answers
    calls = tmp_path / "calls"
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "ANSWER": str(answer),
        "CALLS": str(calls),
        "REPOSITORY": "acme/taskboard",
        "BRANCH": "task-14-impl",
        "GITHUB_API": "https://api.github.com",
        "CLOSED_LABEL": CLOSED_LABEL,
        "GIT_TOKEN": "t",
        "VERDICT": verdict,  # the guard's result (authz)
    }
    done = subprocess.run(
        ["sh", "-c", PR_STATE_SCRIPT], env=env, capture_output=True, text=True, check=False
    )
    made = calls.read_text() if calls.exists() else ""
    return done.returncode, done.stdout.strip(), done.stderr, made


def test_merged_pr_skips_the_wait(tmp_path: Path) -> None:
    code, out, err, calls = _run(tmp_path, [_pull("closed", "2026-12-01T10:00:00Z")])
    assert (code, out) == (0, "merged"), err
    assert "head=acme:task-14-impl" in calls and "state=all" in calls


def test_open_pr_waits(tmp_path: Path) -> None:
    code, out, err, _ = _run(tmp_path, [_pull("open", None)])
    assert (code, out) == (0, "open"), err


def test_closed_unmerged_pr_fails_clearly_and_is_labelled(tmp_path: Path) -> None:
    code, out, err, calls = _run(tmp_path, [_pull("closed", None)])
    assert code == 1
    assert out == ""
    assert "pull request #42 was closed without merging" in err
    assert f'"labels":["{CLOSED_LABEL}"]' in calls
    assert "/repos/acme/taskboard/issues/42/labels" in calls


def test_no_pr_fails_clearly(tmp_path: Path) -> None:
    code, _, err, _ = _run(tmp_path, [])
    assert code == 1
    assert "no pull request from task-14-impl" in err


def test_the_suspend_runs_only_for_an_open_pr(rendered: dict[str, ManifestSet]) -> None:
    (pipeline,) = (
        t
        for t in rendered["taskmaster"].of_kind("WorkflowTemplate")
        if t["metadata"]["name"] == "task-pipeline"
    )
    templates = {t["name"]: t for t in pipeline["spec"]["templates"]}
    nodes = {t["name"]: t for t in templates["main"]["dag"]["tasks"]}
    assert templates[nodes["merged"]["template"]]["suspend"] == {}
    assert nodes["merged"]["depends"] == "pr-state"
    assert nodes["merged"]["when"] == "{{tasks.pr-state.outputs.result}} == open"
    script = templates[nodes["pr-state"]["template"]]["script"]
    assert script["source"] == PR_STATE_SCRIPT  # constant: values only through env vars
    env = {e["name"]: e for e in script["env"]}
    assert env["GIT_TOKEN"]["valueFrom"]["secretKeyRef"]["key"] == "token"
    assert env["BRANCH"]["value"] == "{{workflow.parameters.branch}}"
    assert env["GITHUB_API"]["value"] == "https://api.github.com"


def test_an_unauthorized_run_waits_for_nothing_and_asks_nothing(tmp_path: Path) -> None:
    """The guard said `skip`: pr-state (which always runs) prints `skip`, calls no API."""
    code, out, err, calls = _run(tmp_path, [_pull("open", None)], verdict="skip")
    assert (code, out, calls) == (0, "skip", ""), err
