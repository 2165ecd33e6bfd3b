"""The output passes the `yamllint .` gate render detects from a `.yamllint` extending default."""

from __future__ import annotations

import shutil
from pathlib import Path

from yamllint import linter
from yamllint.config import YamlLintConfig

from hera_pipelines.cli import main
from hera_pipelines.config.project import load_project

DEFAULT = YamlLintConfig("extends: default\n")


def _problems(folder: Path) -> list[str]:
    found = []
    for path in sorted(folder.rglob("*.y*ml")):
        for problem in linter.run(path.read_text(encoding="utf-8"), DEFAULT, str(path)):
            found.append(f"{path.relative_to(folder)}:{problem.line}: {problem}")
    return found


def test_rendered_output_passes_yamllint_default(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / ".yamllint").write_text("extends: default\n")
    config = project / "pipelines.yaml"
    config.write_text("---\nrepository: acme/widgets\n")
    assert ("yamllint", "yamllint .") in [(g.name, g.command) for g in load_project(config).gates]
    assert main(["render", "--config", str(config)]) == 0
    assert _problems(project / "manifests") == []


def test_committed_examples_pass_yamllint_default(example: Path, tmp_path: Path) -> None:
    copy = tmp_path / "manifests"
    shutil.copytree(example / "manifests", copy)
    assert _problems(copy) == []
