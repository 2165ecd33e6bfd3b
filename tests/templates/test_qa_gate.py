"""The QA paths gate, run for real: sh and git against a local repository.

The scripts are taken from the rendered qa-gate WorkflowTemplate, so what is tested is what
the cluster runs (only the pod's /tmp is redirected into the test's own folder).
"""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hera_pipelines.render.set import ManifestSet

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(cwd), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def _scripts(rendered: dict[str, ManifestSet]) -> dict[str, tuple[str, dict[str, str]]]:
    gate = rendered["basic"].objects["workflowtemplate/qa-gate.yaml"]
    out = {}
    for template in gate["spec"]["templates"]:
        env = {e["name"]: e.get("value", "") for e in template["script"]["env"]}
        out[template["name"]] = (template["script"]["source"], env)
    return out


@pytest.fixture
def remote(tmp_path: Path) -> tuple[Path, Path]:
    server = tmp_path / "srv"
    bare = server / "acme" / "widgets.git"
    bare.mkdir(parents=True)
    _git(bare, "init", "-q", "--bare")
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(bare), str(work)], check=True, capture_output=True)
    _git(work, "config", "user.email", "qa@example.com")
    _git(work, "config", "user.name", "qa")
    _git(work, "checkout", "-q", "-b", "feature/x")
    (work / "src").mkdir()
    (work / "src" / "lib.rs").write_text("fn main() {}\n")
    _git(work, "add", ".")
    _git(work, "commit", "-q", "-m", "impl")
    _git(work, "push", "-q", "origin", "feature/x")
    return server, work


def _run(
    script: str, env: dict[str, str], tmp: Path, server: Path, extra: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    tmp.mkdir(exist_ok=True)
    values = {
        **env,
        "GIT_SERVER": f"file://{server}",
        "REPOSITORY": "acme/widgets",
        "HEAD_REF": "feature/x",
        **extra,
    }
    # the step gets the branch as base64 (`head-ref-b64`) and decodes it in its shell
    values["HEAD_REF_B64"] = base64.b64encode(values.pop("HEAD_REF").encode()).decode()
    return subprocess.run(
        ["sh", "-c", script.replace("/tmp/", f"{tmp}/")],
        env={"PATH": os.environ["PATH"], "HOME": str(tmp), **values},
        capture_output=True,
        text=True,
        check=False,
    )


def _commit(work: Path, path: str) -> None:
    target = work / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("// qa\n")
    _git(work, "add", ".")
    _git(work, "commit", "-q", "-m", f"qa: {path}")
    _git(work, "push", "-q", "origin", "feature/x")


@pytest.mark.parametrize(
    ("paths", "passes"),
    [
        (["tests/lib_test.rs"], True),
        (["src/nested/tests/more.rs", "crate/src/thing_test.go"], True),
        (["src/lib.rs"], False),
        (["tests/ok.rs", "Cargo.toml"], False),
        (["src/mytest_x.py"], False),  # `**/test_*.py` must not match a name's tail
    ],
)
def test_paths_gate(
    rendered: dict[str, ManifestSet],
    remote: tuple[Path, Path],
    tmp_path: Path,
    paths: list[str],
    passes: bool,
) -> None:
    server, work = remote
    scripts = _scripts(rendered)
    head_script, head_env = scripts["head-sha"]
    snap = _run(head_script, head_env, tmp_path / "pod1", server, {})
    assert snap.returncode == 0, snap.stderr
    base = (tmp_path / "pod1" / "sha").read_text()
    assert base == _git(work, "rev-parse", "HEAD")

    for path in paths:
        _commit(work, path)
    gate_script, gate_env = scripts["paths-gate"]
    done = _run(gate_script, gate_env, tmp_path / "pod2", server, {"BASE_SHA": base})
    assert (done.returncode == 0) is passes, done.stdout + done.stderr
    if not passes:
        assert "QA changed a non-test path" in done.stderr


def test_head_sha_fails_on_a_missing_branch(
    rendered: dict[str, ManifestSet], remote: tuple[Path, Path], tmp_path: Path
) -> None:
    server, _ = remote
    script, env = _scripts(rendered)["head-sha"]
    done = _run(script, env, tmp_path / "pod", server, {"HEAD_REF": "nope"})
    assert done.returncode == 1
    assert "branch not found: nope" in done.stderr


def test_a_hostile_branch_name_stays_data(
    rendered: dict[str, ManifestSet], remote: tuple[Path, Path], tmp_path: Path
) -> None:
    server, _ = remote
    script, env = _scripts(rendered)["head-sha"]
    marker = tmp_path / "pwned"
    done = _run(script, env, tmp_path / "pod", server, {"HEAD_REF": f"x$(touch {marker})"})
    assert done.returncode == 1
    assert not marker.exists()
