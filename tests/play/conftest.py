"""Fixtures for the play tests: a project folder with a backlog, rendered by one module."""

from __future__ import annotations

import importlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.config.project import load_project
from hera_pipelines.render.yamlio import normalise

Render = Callable[..., list[dict[str, Any]]]


def tasks_json(tasks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"master": {"tasks": tasks}}


@pytest.fixture
def render_module(tmp_path: Path) -> Render:
    """Write pipelines.yaml + tasks.json, render one `templates/` module, normalised."""

    def render(
        module: str, backlog: dict[str, Any] | None, config: str = "repository: acme/widgets\n"
    ) -> list[dict[str, Any]]:
        folder = tmp_path / "project"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "pipelines.yaml").write_text(config, encoding="utf-8")
        if backlog is not None:
            path = folder / ".taskmaster" / "tasks" / "tasks.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(backlog), encoding="utf-8")
        project = load_project(folder / "pipelines.yaml")
        build = importlib.import_module(f"hera_pipelines.templates.{module}").manifests
        return [normalise(obj) for obj in build(project)]

    return render
