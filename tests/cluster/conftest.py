"""Fixtures for the "works on first sync" tests: render a project folder from config text."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.config.project import load_project
from hera_pipelines.render.pipeline import render_project
from hera_pipelines.render.set import ManifestSet

RenderSet = Callable[..., ManifestSet]


@pytest.fixture
def render_set(tmp_path: Path) -> RenderSet:
    """pipelines.yaml (+ an optional tasks.json) in a fresh folder → the validated set."""

    def render(config: str, backlog: dict[str, Any] | None = None) -> ManifestSet:
        folder = tmp_path / "project"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "pipelines.yaml").write_text(config, encoding="utf-8")
        if backlog is not None:
            path = folder / ".taskmaster" / "tasks" / "tasks.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(backlog), encoding="utf-8")
        return render_project(load_project(folder / "pipelines.yaml"))

    return render
