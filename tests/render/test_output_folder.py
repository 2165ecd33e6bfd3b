"""The output folder is ours only where we wrote: refusals, foreign files, the index, failures."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.cli import main
from hera_pipelines.render import folder as writer
from hera_pipelines.render.ownership import INDEX, MARKER

CONFIG = "repository: acme/widgets\n"
HINT = "render into a subfolder such as manifests/"
KEPT = "kept: not written by hera-pipelines (not in .hera-pipelines.json)"


def snapshot(root: Path) -> dict[str, Any]:
    """Every entry under `root` (but .git internals' contents): kind, mode, bytes or target."""
    found: dict[str, Any] = {}
    for folder, dirs, names in os.walk(root, followlinks=False):
        for name in [*dirs, *names]:
            path = Path(folder) / name
            rel = path.relative_to(root).as_posix()
            info = path.lstat()
            if stat.S_ISLNK(info.st_mode):
                found[rel] = ("link", os.readlink(path))
            elif stat.S_ISDIR(info.st_mode):
                found[rel] = ("dir", stat.S_IMODE(info.st_mode))
            else:
                found[rel] = ("file", stat.S_IMODE(info.st_mode), path.read_bytes())
    return found


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh git checkout holding pipelines.yaml and a CI workflow; the current folder."""
    root = tmp_path / "repo"
    (root / ".github" / "workflows").mkdir(parents=True)
    (root / ".github" / "workflows" / "ci.yml").write_text("on: push\n")
    (root / "pipelines.yaml").write_text(CONFIG)
    (root / "notes.txt").write_text("mine\n")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    monkeypatch.chdir(root)
    return root


def render(*argv: str) -> list[str]:
    return ["render", "--config", "pipelines.yaml", *argv]


@pytest.mark.parametrize(
    ("argv", "config", "expected"),
    [
        (["--out", "."], CONFIG, f".: is the root of a git repository; {HINT}"),
        (["--out", ""], CONFIG, f"--out: output folder is empty; {HINT}"),
        ([], CONFIG + "output: .\n", f".: is the root of a git repository; {HINT}"),
        (["--out", ".git"], CONFIG, ".git: is inside a .git folder"),
        (["--out", ".git/objects"], CONFIG, ".git/objects: is inside a .git folder"),
        (["--out", "pipelines.yaml"], CONFIG, "pipelines.yaml: is a file, not a folder"),
        (["--out", "notes.txt/sub"], CONFIG, "notes.txt/sub: notes.txt is a file, not a folder"),
        (["--out", ".."], CONFIG, f"..: holds the config file pipelines.yaml; {HINT}"),
        (["--out", "..", "--check"], CONFIG, f"..: holds the config file pipelines.yaml; {HINT}"),
        (["--out", ".", "--check"], CONFIG, f".: is the root of a git repository; {HINT}"),
    ],
)
def test_unsafe_output_folders_are_refused_and_nothing_is_touched(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    config: str,
    expected: str,
) -> None:
    (project / "pipelines.yaml").write_text(config)
    before = snapshot(project.parent)
    assert main(render(*argv)) == 2
    assert capsys.readouterr().err == f"hera-pipelines render: {expected}\n"
    assert snapshot(project.parent) == before


def test_the_config_folder_outside_git_is_refused(
    make_config: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    config = make_config(CONFIG + "output: .\n")
    (config.parent / "values.yaml").write_text("mine: true\n")
    monkeypatch.chdir(config.parent)
    before = snapshot(config.parent)
    assert main(render()) == 2
    assert capsys.readouterr().err == (
        f"hera-pipelines render: .: holds the config file pipelines.yaml; {HINT}\n"
    )
    assert snapshot(config.parent) == before


def _foreign(out: Path) -> None:
    """The user's own things in an output folder."""
    out.mkdir()
    (out / "mine.yaml").write_text("kind: Mine\n")
    (out / "mine.yaml").chmod(0o600)
    (out / "link.yaml").symlink_to("../pipelines.yaml")
    (out / "empty").mkdir()
    (out / "README.md").write_text("hand-written\n")
    (out / "overlays").mkdir()
    (out / "overlays" / "prod.yml").write_text("patches: []\n")
    (out / "run.sh").write_text("#!/bin/sh\n")
    (out / "run.sh").chmod(0o755)


def test_foreign_yaml_symlinks_permissions_and_empty_folders_are_kept(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project / "deploy"
    _foreign(out)
    before = snapshot(out)
    assert main(render("--out", "deploy")) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == (
        "wrote 36 files to deploy (36 created, 0 changed, 0 removed)"
    )
    assert captured.err.splitlines() == [
        f"hera-pipelines render: deploy/link.yaml: {KEPT}",
        f"hera-pipelines render: deploy/mine.yaml: {KEPT}",
        f"hera-pipelines render: deploy/overlays/prod.yml: {KEPT}",
    ]
    after = snapshot(out)
    assert {k: v for k, v in after.items() if k in before} == before
    index = json.loads((out / INDEX).read_text())
    assert "mine.yaml" not in index["files"] and len(index["files"]) == 36
    assert (out / "workflowtemplate" / "pr-flow.yaml").read_text().startswith(MARKER + "\n")

    assert main(render("--out", "deploy")) == 0
    assert capsys.readouterr().out.splitlines()[0] == (
        "wrote 36 files to deploy (0 created, 0 changed, 0 removed)"
    )
    assert main(render("--out", "deploy", "--check")) == 0
    assert capsys.readouterr().err == "deploy: up to date (36 files)\n"
    assert {k: v for k, v in snapshot(out).items() if k in before} == before


def test_a_user_file_where_render_would_write_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project / "deploy"
    out.mkdir()
    (out / "kustomization.yaml").write_text("resources: [mine.yaml]\n")
    before = snapshot(project)
    assert main(render("--out", "deploy")) == 2
    assert capsys.readouterr().err == (
        "hera-pipelines render: deploy/kustomization.yaml: exists and was not written by "
        "hera-pipelines; move it away or delete it, then render again\n"
    )
    assert snapshot(project) == before


def test_a_symlinked_kind_folder_is_refused(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "pr-flow.yaml").write_text("precious\n")
    out = project / "deploy"
    out.mkdir()
    (out / "workflowtemplate").symlink_to(elsewhere)
    before = snapshot(tmp_path)
    assert main(render("--out", "deploy")) == 2
    assert capsys.readouterr().err == (
        "hera-pipelines render: deploy/workflowtemplate: is a symlink; render writes only "
        "into real folders\n"
    )
    assert snapshot(tmp_path) == before


def test_a_symlinked_output_folder_is_written_through_and_kept(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = project / "real"
    _foreign(real)
    (project / "deploy").symlink_to("real")
    before = snapshot(real)
    assert main(render("--out", "deploy")) == 0
    assert (project / "deploy").is_symlink()
    assert (real / "kustomization.yaml").is_file()
    assert {k: v for k, v in snapshot(real).items() if k in before} == before


def test_only_indexed_files_are_removed(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(render()) == 0
    out = project / "manifests"
    (out / "configmap" / "old.yaml").write_text(MARKER + "\n---\nkind: ConfigMap\n")
    (out / "gone").mkdir()
    (out / "gone" / "x.yaml").write_text(MARKER + "\n")
    index = json.loads((out / INDEX).read_text())
    index["files"] = sorted([*index["files"], "configmap/old.yaml", "gone/x.yaml"])
    (out / INDEX).write_text(json.dumps(index))
    (out / "configmap" / "mine.yaml").write_text("kind: ConfigMap\n")
    capsys.readouterr()

    assert main(render("--check")) == 1
    assert capsys.readouterr().err == (
        "manifests: out of date (0 missing, 0 changed, 2 stale); run: hera-pipelines render "
        "--config pipelines.yaml\n"
    )
    assert main(render()) == 0
    captured = capsys.readouterr()
    assert captured.out.splitlines()[0] == (
        "wrote 36 files to manifests (0 created, 0 changed, 2 removed)"
    )
    assert captured.err == f"hera-pipelines render: manifests/configmap/mine.yaml: {KEPT}\n"
    assert not (out / "configmap" / "old.yaml").exists()
    assert not (out / "gone").exists()  # emptied by the removal: ours
    assert (out / "configmap" / "mine.yaml").read_text() == "kind: ConfigMap\n"
    assert main(render("--check")) == 0


def test_a_forged_index_cannot_reach_outside_the_folder(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project / "manifests"
    out.mkdir()
    (out / INDEX).write_text(json.dumps({"files": ["../.github/workflows/ci.yml"]}))
    before = snapshot(project)
    assert main(render()) == 2
    assert capsys.readouterr().err == (
        f"hera-pipelines render: manifests/{INDEX}: not a generated file path: "
        "'../.github/workflows/ci.yml'\n"
    )
    assert snapshot(project) == before


def test_a_folder_without_index_is_adopted_only_when_every_yaml_file_is_ours(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(render()) == 0
    out = project / "manifests"
    (out / INDEX).unlink()
    (out / "configmap" / "old.yaml").write_text(MARKER + "\n---\nkind: ConfigMap\n")
    (out / "notes.yaml").write_text("mine: true\n")
    capsys.readouterr()
    # One file is not ours: nothing is adopted, so nothing is removed.
    assert main(render()) == 0
    captured = capsys.readouterr()
    assert "(0 created, 0 changed, 0 removed)" in captured.out
    assert captured.err.splitlines() == [
        f"hera-pipelines render: manifests/configmap/old.yaml: {KEPT}",
        f"hera-pipelines render: manifests/notes.yaml: {KEPT}",
    ]
    assert (out / "configmap" / "old.yaml").exists()
    # Every YAML file ours: adopted, the stale one removed.
    (out / INDEX).unlink()
    (out / "notes.yaml").unlink()
    assert main(render()) == 0
    assert "(0 created, 0 changed, 1 removed)" in capsys.readouterr().out
    assert not (out / "configmap" / "old.yaml").exists()


def test_out_points_the_argocd_application_at_the_folder(project: Path) -> None:
    assert main(render("--out", "deploy/prod")) == 0
    application = project / "deploy" / "prod" / "application" / "widgets-pipelines.yaml"
    assert "\n    path: deploy/prod\n" in application.read_text()
    assert main(render("--out", "deploy/prod", "--check")) == 0


class _Fail:
    """Make the n-th staged file fail with `error`."""

    def __init__(self, n: int, error: BaseException) -> None:
        self.n = n
        self.error = error
        self.calls = 0
        self.mkstemp = tempfile.mkstemp

    def __call__(self, *args: Any, **kwargs: Any) -> tuple[int, str]:
        self.calls += 1
        if self.calls == self.n:
            raise self.error
        return self.mkstemp(*args, **kwargs)


@pytest.mark.parametrize(
    ("error", "code", "expected"),
    [
        (
            PermissionError(13, "Permission denied"),
            2,
            "hera-pipelines render: manifests/configmap: cannot write: permission denied\n",
        ),
        (
            OSError(28, "No space left on device"),
            2,
            "hera-pipelines render: manifests/configmap: cannot write: No space left on device\n",
        ),
        (KeyboardInterrupt(), 130, "hera-pipelines render: interrupted\n"),
    ],
)
def test_a_failed_write_changes_nothing_and_leaves_no_temporary_files(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    error: BaseException,
    code: int,
    expected: str,
) -> None:
    (project / "pipelines.yaml").write_text(CONFIG + "namespace: before\n")
    assert main(render()) == 0
    (project / "pipelines.yaml").write_text(CONFIG + "namespace: after\n")
    (project / "manifests" / "mine.yaml").write_text("kind: Mine\n")
    capsys.readouterr()
    before = snapshot(project)
    monkeypatch.setattr(writer.tempfile, "mkstemp", _Fail(3, error))
    assert main(render()) == code
    assert capsys.readouterr().err == expected
    assert snapshot(project) == before


def test_a_failed_first_write_leaves_no_folder(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(project)
    monkeypatch.setattr(writer.tempfile, "mkstemp", _Fail(5, PermissionError(13, "denied")))
    assert main(render("--out", "deploy/prod")) == 2
    assert capsys.readouterr().err == (
        "hera-pipelines render: deploy/prod/eventbus: cannot write: permission denied\n"
    )
    assert snapshot(project) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root bypasses file permissions")
def test_a_read_only_output_folder_is_one_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = project / "deploy"
    out.mkdir()
    out.chmod(0o555)
    try:
        assert main(render("--out", "deploy")) == 2
        assert capsys.readouterr().err == (
            "hera-pipelines render: deploy: cannot write: permission denied\n"
        )
    finally:
        out.chmod(0o755)


def test_an_unreadable_output_folder_is_one_error(
    project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root lists any folder, so the denial is simulated where the folder is listed."""
    from hera_pipelines.render import ownership

    (project / "deploy").mkdir()
    real_walk = os.walk

    def deny(top: Any, *args: Any, onerror: Any = None, **kwargs: Any) -> Any:
        if Path(top).name == "deploy":
            onerror(PermissionError(13, "Permission denied", str(top)))
        return real_walk(top, *args, onerror=onerror, **kwargs)

    monkeypatch.setattr(ownership.os, "walk", deny)
    before = snapshot(project)
    assert main(render("--out", "deploy")) == 2
    assert capsys.readouterr().err == (
        "hera-pipelines render: deploy: cannot read: permission denied\n"
    )
    assert main(render("--out", "deploy", "--check")) == 2
    assert capsys.readouterr().err == (
        "hera-pipelines render: deploy: cannot read: permission denied\n"
    )
    assert snapshot(project) == before


def test_an_index_that_is_not_a_file_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "deploy" / INDEX).mkdir(parents=True)
    before = snapshot(project)
    assert main(render("--out", "deploy")) == 2
    assert capsys.readouterr().err == (
        f"hera-pipelines render: deploy/{INDEX}: not a regular file, and render keeps its "
        "index there; move it away\n"
    )
    assert snapshot(project) == before


class _FailReplace:
    """Make the first `os.replace` that moves `name` fail with `error` (the undo works)."""

    def __init__(self, name: str, error: BaseException) -> None:
        self.name = name
        self.error: BaseException | None = error
        self.replace = os.replace

    def __call__(self, source: Any, target: Any) -> None:
        if self.name in (Path(source).name, Path(target).name) and self.error is not None:
            error, self.error = self.error, None
            raise error
        self.replace(source, target)


@pytest.mark.parametrize(
    ("name", "error", "code", "expected"),
    [
        (
            "hera-pipelines-semaphores.yaml",
            OSError(5, "Input/output error"),
            2,
            "hera-pipelines render: manifests/configmap: cannot write: Input/output error\n",
        ),
        ("old.yaml", KeyboardInterrupt(), 130, "hera-pipelines render: interrupted\n"),
    ],
    ids=["replacing", "removing"],
)
def test_a_failed_swap_puts_every_file_back(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    error: BaseException,
    code: int,
    expected: str,
) -> None:
    (project / "pipelines.yaml").write_text(CONFIG + "namespace: before\n")
    assert main(render()) == 0
    out = project / "manifests"
    (out / "configmap" / "old.yaml").write_text(MARKER + "\n")
    index = json.loads((out / INDEX).read_text())
    index["files"] = sorted([*index["files"], "configmap/old.yaml"])
    (out / INDEX).write_text(json.dumps(index))
    (project / "pipelines.yaml").write_text(CONFIG + "namespace: after\n")
    capsys.readouterr()
    before = snapshot(project)
    monkeypatch.setattr(writer.os, "replace", _FailReplace(name, error))
    assert main(render()) == code
    assert capsys.readouterr().err == expected
    assert snapshot(project) == before
