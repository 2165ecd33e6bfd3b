"""A bad pipelines.yaml names the file and the field, exits 2 and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from hera_pipelines.cli import main


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("namespace: x\n", "repository: field required"),
        (
            "repository: acme/widgets\nnamespase: x\n",
            "namespase: unknown field (did you mean 'namespace'?)",
        ),
        (
            "repository: acme/widgets\nagents:\n  rex:\n    modle: x\n",
            "agents.rex.modle: unknown field (did you mean 'model'?)",
        ),
        (
            "repository: acme/widgets\nagents:\n  rex:\n    model: null\n",
            "agents.rex.model: field required",
        ),
        (
            "repository: acme/widgets\nagents:\n  rex:\n    githubApp: ''\n",
            "agents.rex.githubApp: must not be empty",
        ),
        (
            "repository: acme/widgets\nagents:\n  bob:\n    githubApp: bob-app\n",
            "agents.bob.role: field required",
        ),
        ("repository: acme\n", "repository: must be 'owner/name', got 'acme'"),
        (
            "repository: acme/widgets\nworkflow:\n  activeDeadlineSeconds: soon\n",
            "workflow.activeDeadlineSeconds: input should be a valid integer",
        ),
        (
            "repository: acme/widgets\nplatform:\n  coderunTemplate: helm\n",
            "platform.coderunTemplate: input should be 'render' or 'external'",
        ),
        (
            "repository: acme/widgets\nroles:\n  implementation: nobody\n",
            "roles.implementation: no agent 'nobody'",
        ),
        (
            "repository: acme/widgets\nagents:\n  rex:\n    systemPrompt: nope.md\n",
            "agents.rex.systemPrompt: file not found: nope.md",
        ),
        ("- just\n- a list\n", "expected a mapping at the top level"),
        ("repository: [unclosed\n", "line 2"),
    ],
)
def test_bad_config(
    make_config: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
    text: str,
    expected: str,
) -> None:
    config = make_config(text)
    out = config.parent / "manifests"
    assert main(["render", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"hera-pipelines render: {config}: "), err
    assert expected in err, err
    assert err.count("\n") == 1
    assert not out.exists()


def test_bad_config_leaves_existing_output_untouched(
    example_copy: Callable[[str], Path],
) -> None:
    project = example_copy("basic")
    before = {p: p.read_bytes() for p in (project / "manifests").rglob("*") if p.is_file()}
    config = project / "pipelines.yaml"
    config.write_text(config.read_text() + "agents:\n  qa:\n    githubApp: ''\n")
    assert main(["render", "--config", str(config)]) == 2
    after = {p: p.read_bytes() for p in (project / "manifests").rglob("*") if p.is_file()}
    assert before == after


def test_missing_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", "--config", str(tmp_path / "nope.yaml")]) == 2
    assert "nope.yaml: file not found" in capsys.readouterr().err
