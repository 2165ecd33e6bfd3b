"""Shared helpers of the backlog tests: write a backlog, run `plan` through the real CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.cli import main

from .helpers import Runner, Writer


@pytest.fixture
def write(tmp_path: Path) -> Writer:
    """Write a JSON document (or raw text) as a backlog file and return its path."""

    def _write(document: Any, name: str = "tasks.json") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = document if isinstance(document, str) else json.dumps(document)
        path.write_text(text, encoding="utf-8")
        return path

    return _write


@pytest.fixture
def plan(capsys: pytest.CaptureFixture[str]) -> Runner:
    """Run `hera-pipelines plan ARGS...` in process; return (exit code, stdout, stderr)."""

    def _run(*args: str | Path) -> tuple[int, str, str]:
        code = main(["plan", *map(str, args)])
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return _run


@pytest.fixture
def plan_json(plan: Runner) -> Callable[..., dict[str, Any]]:
    """Run `plan --format json ARGS...`, check it succeeded, and parse its output."""

    def _run(*args: str | Path) -> dict[str, Any]:
        code, out, err = plan(*args, "--format", "json")
        assert (code, err) == (0, "")
        document: dict[str, Any] = json.loads(out)
        return document

    return _run
