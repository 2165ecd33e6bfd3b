"""Shared fixtures: the repository layout, the examples, and a rendered-project helper."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.config.project import load_project
from hera_pipelines.render.pipeline import render_project
from hera_pipelines.render.set import ManifestSet

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"  # copies of shared/ (see data/README.md)
EXAMPLES = sorted(p.parent for p in (ROOT / "examples").glob("*/pipelines.yaml"))


def moved(node: Any, old: str, new: str) -> None:
    """Every `full_name` equal to `old` becomes `new`: a shared payload as if delivered from the
    example's repository (every Sensor pins it), same-repository PR heads included."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "full_name" and value == old:
                node[key] = new
            else:
                moved(value, old, new)
    elif isinstance(node, list):
        for item in node:
            moved(item, old, new)


def example_ids() -> list[str]:
    return [p.name for p in EXAMPLES]


@pytest.fixture(params=EXAMPLES, ids=example_ids())
def example(request: pytest.FixtureRequest) -> Path:
    path: Path = request.param
    return path


@pytest.fixture(scope="session")
def rendered() -> dict[str, ManifestSet]:
    """Every example rendered once per session (name -> ManifestSet)."""
    return {p.name: render_project(load_project(p / "pipelines.yaml")) for p in EXAMPLES}


@pytest.fixture
def make_config(tmp_path: Path) -> Callable[[str], Path]:
    """Write a pipelines.yaml into a fresh folder outside any git checkout."""

    def write(text: str) -> Path:
        path = tmp_path / "project" / "pipelines.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def example_copy(tmp_path: Path) -> Callable[[str], Path]:
    """A copy of an example folder (with its committed manifests) to modify freely.

    The copy keeps its place (`examples/<name>`) in a fresh git checkout, because the Argo CD
    Application's default path is the output folder relative to the checkout root.
    """

    def copy(name: str) -> Path:
        target = tmp_path / "examples" / name
        shutil.copytree(ROOT / "examples" / name, target)
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
        return target

    return copy
