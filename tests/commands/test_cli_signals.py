"""A closed pipe ends the CLI quietly (like git and kubectl); Ctrl-C is one short line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from hera_pipelines.cli import EXIT_BROKEN_PIPE, EXIT_INTERRUPTED, main
from hera_pipelines.commands import render
from tests.conftest import ROOT


class _ClosedPipe(io.StringIO):
    def write(self, text: str) -> int:
        raise BrokenPipeError(32, "Broken pipe")


def test_broken_pipe_is_quiet(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdout", _ClosedPipe())
    assert main(["schema"]) == EXIT_BROKEN_PIPE == 141
    assert capsys.readouterr().err == ""


def test_broken_pipe_from_a_real_pipe_is_quiet(tmp_path: Path) -> None:
    """`hera-pipelines schema | head -c 0`: the reader is gone before the first write."""
    process = subprocess.Popen(
        [sys.executable, "-m", "hera_pipelines", "schema"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait(timeout=60) == 141
    assert err == b""


def test_ctrl_c_is_one_line_and_exit_130(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    make_config: object,
) -> None:
    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(render, "load_project", interrupted)
    assert main(["render", "--config", str(ROOT / "examples/basic/pipelines.yaml")]) == 130
    assert EXIT_INTERRUPTED == 130
    assert capsys.readouterr().err == "hera-pipelines render: interrupted\n"


def test_plan_table_into_a_closed_pipe_is_quiet(tmp_path: Path) -> None:
    """rich's own broken-pipe handling (exit 1) is replaced by the CLI's (exit 141)."""
    tasks = [
        {"id": i, "title": f"task {i}", "dependencies": [i - 1] if i > 1 else []}
        for i in range(1, 2000)
    ]
    (tmp_path / "tasks.json").write_text(json.dumps({"master": {"tasks": tasks}}))
    process = subprocess.Popen(
        [sys.executable, "-m", "hera_pipelines", "plan", "tasks.json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()
    err = process.stderr.read()
    assert process.wait(timeout=120) == 141
    assert err == b""
