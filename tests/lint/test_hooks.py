"""`.pre-commit-hooks.yaml`: each hook's entry run exactly as pre-commit runs it.

pre-commit's `python` language installs this repository into an environment, puts that
environment's `bin` first on PATH and runs `entry` plus the user's `args` in the repository root
(no filenames: `pass_filenames: false`). The test does the same in a temporary git repository
holding a copy of the taskmaster example, with this checkout's installed console script.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.lint.conftest import ROOT

HOOKS: list[dict[str, Any]] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
BIN = Path(sys.executable).parent


def _hook(hook_id: str) -> dict[str, Any]:
    return next(h for h in HOOKS if h["id"] == hook_id)


def _run(hook: dict[str, Any], repo: Path, args: list[str]) -> subprocess.CompletedProcess[str]:
    assert hook.get("pass_filenames") is False
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [*shlex.split(hook["entry"]), *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (BIN / "hera-pipelines").exists():
        pytest.skip("the hera-pipelines console script is not installed in this environment")
    path = tmp_path_factory.mktemp("hooks") / "project"
    shutil.copytree(ROOT / "examples" / "taskmaster", path)
    # at the repository root the Argo CD Application's path differs from the example's: render
    # once so the committed folder is this repository's own
    for command in (
        ["git", "init", "-q"],
        [str(BIN / "hera-pipelines"), "render"],
        ["git", "add", "-A"],
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "x"],
    ):
        subprocess.run(command, cwd=path, check=True, capture_output=True)
    return path


def test_hook_ids_and_fields() -> None:
    assert [h["id"] for h in HOOKS] == ["hera-pipelines-render-check", "hera-pipelines-lint"]
    for hook in HOOKS:
        assert {"id", "name", "entry", "language"} <= set(hook)
        assert hook["language"] == "python"
        assert re.search(hook["files"], "pipelines.yaml")
        assert re.search(hook["files"], "manifests/workflowtemplate/pr-flow.yaml")


def test_render_check_hook(repo: Path) -> None:
    hook = _hook("hera-pipelines-render-check")
    result = _run(hook, repo, [])
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stderr
    manifest = repo / "manifests" / "workflowtemplate" / "pr-flow.yaml"
    original = manifest.read_text("utf-8")
    manifest.write_text(original.replace("entrypoint: main", "entrypoint: other"), "utf-8")
    try:
        drifted = _run(hook, repo, [])
        assert drifted.returncode == 1
        assert "+  entrypoint: main" in drifted.stdout
    finally:
        manifest.write_text(original, "utf-8")


def test_lint_hook(repo: Path) -> None:
    hook = _hook("hera-pipelines-lint")
    args: list[str] = []  # the examples are clean with every default rule
    result = _run(hook, repo, args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    manifest = repo / "manifests" / "workflowtemplate" / "pr-flow.yaml"
    original = manifest.read_text("utf-8")
    manifest.write_text(original.replace("depends: format-lint", "depends: nothing"), "utf-8")
    try:
        failed = _run(hook, repo, args)
        assert failed.returncode == 1
        assert failed.stdout.startswith("manifests/workflowtemplate/pr-flow.yaml:")
        assert "[HP203]" in failed.stdout
    finally:
        manifest.write_text(original, "utf-8")
