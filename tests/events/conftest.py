"""Rendered examples and the shared webhook payloads, for the events tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.config.project import Project, load_project
from hera_pipelines.render.pipeline import render_project
from hera_pipelines.render.set import ManifestSet

ROOT = Path(__file__).resolve().parents[2]
WEBHOOKS = ROOT / "tests" / "data" / "webhooks"
EXAMPLES = sorted(ROOT.glob("examples/*/pipelines.yaml"))


@pytest.fixture(scope="session")
def basic_project() -> Project:
    return load_project(ROOT / "examples" / "basic" / "pipelines.yaml")


@pytest.fixture(scope="session")
def basic_manifests(basic_project: Project) -> ManifestSet:
    return render_project(basic_project)


def payload(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((WEBHOOKS / name).read_text(encoding="utf-8"))
    return data
