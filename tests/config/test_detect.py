"""Detection of the repository from git and of the quality gates from the files present."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from hera_pipelines.config.detect import detect_gates, repository_from_url
from hera_pipelines.config.project import load_project


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://github.com/acme/widgets.git", "acme/widgets"),
        ("https://github.com/acme/widgets", "acme/widgets"),
        ("https://token@github.com/acme/widgets.git", "acme/widgets"),
        ("git@github.com:acme/widgets.git", "acme/widgets"),
        ("ssh://git@github.com/acme/widgets.git", "acme/widgets"),
        ("git@gitlab.com:acme/widgets.git", None),
        ("https://github.com/acme", None),
    ],
)
def test_repository_from_url(url: str, expected: str | None) -> None:
    assert repository_from_url(url) == expected


@pytest.mark.parametrize(
    "url", ["https://github.com/acme/gadgets.git", "git@github.com:acme/gadgets.git"]
)
def test_repository_defaults_to_the_origin_remote(
    make_config: Callable[[str], Path], url: str
) -> None:
    config = make_config("namespace: tools\n")
    subprocess.run(["git", "init", "-q", str(config.parent)], check=True)
    subprocess.run(["git", "-C", str(config.parent), "remote", "add", "origin", url], check=True)
    project = load_project(config)
    assert project.repository == "acme/gadgets"
    assert project.service == "gadgets"
    assert project.argocd.path == "manifests"


def test_defaults_of_a_minimal_config(make_config: Callable[[str], Path]) -> None:
    project = load_project(make_config("repository: acme/widgets\n"))
    assert project.namespace == "agent-platform"
    assert project.service == "widgets"
    assert project.docs_repository == "acme/widgets"
    assert project.docs_branch == "main"
    assert project.working_directory == "."
    assert project.output_dir == project.config_path.parent / "manifests"
    assert project.gates == ()
    assert project.agent_for(project.roles.__iter__().__next__()).github_app
    assert {a.persona for a in project.agents.values()} >= {
        "Morgan",
        "Rex",
        "Clippy",
        "QA",
        "Triage",
        "Security",
        "PR-comment",
        "Issue",
    }


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        (
            ["Cargo.toml"],
            [
                "cargo fmt --all -- --check",
                "cargo clippy --all-targets --all-features -- -D warnings -W clippy::pedantic",
                "cargo test --all --all-features",
            ],
        ),
        (["pyproject.toml"], ["ruff format --check .", "ruff check .", "mypy .", "pytest"]),
        (["package.json"], ["npm run lint", "npm test"]),
        (["Chart.yaml"], ["helm lint .", "yamllint ."]),
        ([".yamllint"], ["yamllint ."]),
        (["README.md"], []),
    ],
)
def test_gates_detected_from_files(tmp_path: Path, files: list[str], expected: list[str]) -> None:
    for name in files:
        (tmp_path / name).write_text("")
    assert [command for _, command in detect_gates(tmp_path)] == expected


def test_detected_gates_reach_the_quality_agent(make_config: Callable[[str], Path]) -> None:
    config = make_config("repository: acme/widgets\n")
    (config.parent / "Cargo.toml").write_text("[package]\n")
    project = load_project(config)
    assert [g.name for g in project.gates] == ["cargo-fmt", "clippy", "cargo-test"]


def test_explicit_gates_replace_detection(make_config: Callable[[str], Path]) -> None:
    config = make_config("repository: acme/widgets\ngates:\n  - {name: t, command: make test}\n")
    (config.parent / "Cargo.toml").write_text("[package]\n")
    assert [g.command for g in load_project(config).gates] == ["make test"]
