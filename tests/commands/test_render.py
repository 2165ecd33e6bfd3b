"""`render`, `--check`, `schema`, `version` and `--help` as a user runs them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from hera_pipelines.cli import main
from hera_pipelines.config.project import load_project
from hera_pipelines.render.ownership import INDEX
from hera_pipelines.render.pipeline import render_project
from tests.conftest import ROOT


def test_render_writes_counts_and_folder(
    make_config: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_config("repository: acme/widgets\n")
    expected = render_project(load_project(config))
    assert main(["render", "--config", str(config)]) == 0
    out = capsys.readouterr().out
    assert f"wrote {len(expected.files())} files to {config.parent / 'manifests'}" in out
    for kind, count in expected.kinds().items():
        assert f"{count:4d}  {kind}\n" in out
    assert "  1  Application" in out
    assert (config.parent / "manifests" / "workflowtemplate" / "pr-flow.yaml").is_file()


def test_out_overrides_the_config_folder(
    make_config: Callable[[str], Path], tmp_path: Path
) -> None:
    config = make_config("repository: acme/widgets\noutput: deploy\n")
    assert main(["render", "--config", str(config)]) == 0
    assert (config.parent / "deploy" / "kustomization.yaml").is_file()
    assert main(["render", "--config", str(config), "--out", str(tmp_path / "x")]) == 0
    assert (tmp_path / "x" / "kustomization.yaml").is_file()


def test_check_reports_missing_changed_and_stale(
    example_copy: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    project = example_copy("basic")
    config = str(project / "pipelines.yaml")
    manifests = project / "manifests"
    assert main(["render", "--config", config, "--check"]) == 0

    (manifests / "workflowtemplate" / "qa-gate.yaml").unlink()
    changed = manifests / "workflowtemplate" / "pr-flow.yaml"
    changed.write_text(changed.read_text().replace("OnPodSuccess", "OnPodCompletion"))
    # A file an earlier render wrote (listed in the index) that is no longer rendered: stale.
    (manifests / "configmap" / "old.yaml").write_text("kind: ConfigMap\n")
    index = json.loads((manifests / INDEX).read_text())
    index["files"] = sorted([*index["files"], "configmap/old.yaml"])
    (manifests / INDEX).write_text(json.dumps(index, indent=2) + "\n")
    capsys.readouterr()
    assert main(["render", "--config", config, "--check"]) == 1
    captured = capsys.readouterr()
    assert "-    strategy: OnPodCompletion\n+    strategy: OnPodSuccess" in captured.out
    assert "--- /dev/null" in captured.out  # missing file
    assert "+++ /dev/null" in captured.out  # stale file
    assert "1 missing, 1 changed, 1 stale" in captured.err
    # --check never writes
    assert not (manifests / "workflowtemplate" / "qa-gate.yaml").exists()

    assert main(["render", "--config", config]) == 0
    assert not (manifests / "configmap" / "old.yaml").exists()  # stale removed
    assert main(["render", "--config", config, "--check"]) == 0


def test_render_keeps_non_yaml_files_in_the_output(make_config: Callable[[str], Path]) -> None:
    config = make_config("repository: acme/widgets\n")
    out = config.parent / "manifests"
    out.mkdir()
    (out / "README.md").write_text("hand-written\n")
    assert main(["render", "--config", str(config)]) == 0
    assert (out / "README.md").read_text() == "hand-written\n"


def test_check_on_missing_folder_is_drift(
    make_config: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_config("repository: acme/widgets\n")
    expected = len(render_project(load_project(config)).files())
    assert main(["render", "--config", str(config), "--check"]) == 1
    assert f"({expected} missing, 0 changed, 0 stale)" in capsys.readouterr().err


def test_schema_is_json_schema_with_descriptions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["title"] == "pipelines.yaml"
    assert document["additionalProperties"] is False
    props = document["properties"]
    assert {"repository", "namespace", "agents", "gates", "platform"} <= set(props)
    missing = [
        f"{owner}.{name}"
        for owner, schema in [("", document), *document["$defs"].items()]
        for name, prop in schema.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert not missing, missing
    assert "coderunTemplate" in document["$defs"]["PlatformConfig"]["properties"]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["version"]) == 0
    assert capsys.readouterr().out.startswith("hera-pipelines 0.1.0\n")


@pytest.mark.parametrize("argv", [["--help"], ["render", "--help"], ["schema", "--help"]])
def test_help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "usage: hera-pipelines" in out
    if argv[0] == "render":
        assert "--check" in out and "--out DIR" in out and "exit codes" in out


def test_no_command_is_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "usage:" in capsys.readouterr().err


def test_module_entry_point_runs(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hera_pipelines", "version"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0 and done.stdout.startswith("hera-pipelines")


def test_two_hash_seeds_give_identical_bytes(tmp_path: Path) -> None:
    outputs = []
    for seed in ("0", "4242"):
        out = tmp_path / f"seed-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        for example in ("basic", "rust-service"):
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "hera_pipelines",
                    "render",
                    "--config",
                    str(ROOT / "examples" / example / "pipelines.yaml"),
                    "--out",
                    str(out / example),
                ],
                check=True,
                env=env,
                capture_output=True,
                cwd=ROOT,
            )
        outputs.append(
            {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        )
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 10


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="kubectl not installed")
def test_kubectl_kustomize_builds_the_folder_unchanged(example: Path) -> None:
    import yaml

    done = subprocess.run(
        ["kubectl", "kustomize", str(example / "manifests")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    built = sorted(
        (d["kind"], d["metadata"]["name"], yaml.safe_dump(d, sort_keys=True))
        for d in yaml.safe_load_all(done.stdout)
    )
    files = sorted(
        (d["kind"], d["metadata"]["name"], yaml.safe_dump(d, sort_keys=True))
        for p in (example / "manifests").rglob("*.yaml")
        if p.name != "kustomization.yaml"
        for d in [yaml.safe_load(p.read_text())]
    )
    assert built == files


@pytest.mark.parametrize("config", ["repository: acme/widgets\n", "repository: [broken\n"])
def test_render_gives_the_cyclic_collector_back(
    make_config: Callable[[str], Path], config: str
) -> None:
    """`render` pauses the collector while it runs (speed), and restores it, error or not:
    a library caller of `main` keeps a normal interpreter."""
    import gc

    assert gc.isenabled()
    main(["render", "--config", str(make_config(config)), "--check"])
    assert gc.isenabled()
    gc.disable()
    try:
        main(["render", "--config", str(make_config(config)), "--check"])
        assert not gc.isenabled()  # nor does it switch on what its caller switched off
    finally:
        gc.enable()
