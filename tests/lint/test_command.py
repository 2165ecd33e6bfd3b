"""`hera-pipelines lint` end to end through `main([...])`: exit codes, stdout, stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hera_pipelines.cli import main
from hera_pipelines.lint.registry import RULES
from tests.lint.conftest import EXAMPLE, ROOT


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: demo
spec:
  activeDeadlineSeconds: 60
  podGC:
    strategy: OnPodSuccess
  ttlStrategy:
    secondsAfterCompletion: 60
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine:3.20
      args: ["{{inputs.parameters.missing}}"]
"""


def test_examples_are_clean(capsys: pytest.CaptureFixture[str]) -> None:
    config = ROOT / "examples" / "taskmaster" / "pipelines.yaml"
    assert main(["lint", "--config", str(config), "--select", "ALL"]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.endswith(": 0 errors, 0 warnings, 0 notes\n")


@pytest.mark.parametrize("example", ["basic", "rust-service"])
def test_other_examples_have_no_warnings(example: str, capsys: pytest.CaptureFixture[str]) -> None:
    # rust-service runs agents through the platform's external template (its own Workflow
    # creates the CodeRuns): its workflow Role grants nothing on CodeRuns (rbac-least-privilege)
    config = ROOT / "examples" / example / "pipelines.yaml"
    assert main(["lint", "--config", str(config), "--select", "ALL"]) == 0
    out, err = capsys.readouterr()
    assert "warning" not in out, out
    assert ": 0 errors, 0 warnings, " in err


def test_error_findings_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "wf.yaml", WORKFLOW)
    assert main(["lint", str(path), "--select", "workflow"]) == 1
    out, err = capsys.readouterr()
    assert out == (
        f"{path.as_posix()}:16: WorkflowTemplate/demo: spec.templates[0].container.args[0]: "
        "templates.main: "
        "failed to resolve {{inputs.parameters.missing}} [HP204]\n"
    )
    assert err == "1 objects in 1 files: 1 errors, 0 warnings, 0 notes\n"


def test_inline_ignore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = WORKFLOW.replace("  name: demo\n", "  name: demo  # hera-pipelines: ignore[HP204]\n")
    path = _write(tmp_path, "wf.yaml", text)
    assert main(["lint", str(path), "--select", "workflow"]) == 0
    assert capsys.readouterr().out == ""


def test_select_and_ignore_from_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(tmp_path, "out/wf.yaml", WORKFLOW)
    config = _write(tmp_path, "pipelines.yaml", "output: out\nlint:\n  ignore: [HP204]\n")
    assert main(["lint", "--config", str(config), "--select", "workflow"]) == 0
    config.write_text("output: out\nlint:\n  select: [schema]\n", encoding="utf-8")
    assert main(["lint", "--config", str(config)]) == 0
    config.write_text("output: out\nlint:\n  select: [HP2]\n", encoding="utf-8")
    assert main(["lint", "--config", str(config)]) == 1
    capsys.readouterr()


def test_json_and_sarif(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "wf.yaml", WORKFLOW)
    assert main(["lint", str(path), "--select", "HP204", "--format", "json"]) == 1
    [finding] = json.loads(capsys.readouterr().out)
    assert finding["rule"] == "HP204"
    assert finding["line"] == 16
    assert main(["lint", str(path), "--select", "HP204", "--format", "sarif"]) == 1
    log = json.loads(capsys.readouterr().out)
    assert log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 16
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: [1, 2\nb: 3\n", ":2: not YAML: "),
        ("key: value\n  bad: indent\n", ":2: not YAML: "),
    ],
)
def test_bad_yaml_exits_2_with_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = _write(tmp_path, "bad.yaml", text)
    assert main(["lint", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"hera-pipelines lint: {path.as_posix()}{message}"), err


def test_missing_path_and_unknown_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", str(tmp_path / "nope")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    assert main(["lint", str(EXAMPLE), "--select", "nonsense"]) == 2
    assert "unknown rule or group 'nonsense'" in capsys.readouterr().err


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--list-rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == list(RULES)
    assert lines[0].split()[1:4] == ["schema", "schema", "error"]


def test_registry_is_sorted_and_ids_match() -> None:
    assert list(RULES) == sorted(RULES)
    assert all(rule.id == key for key, rule in RULES.items())
    assert len({rule.name for rule in RULES.values()}) == len(RULES)
