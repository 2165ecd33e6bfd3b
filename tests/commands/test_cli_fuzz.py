"""Fuzzing the CLI with broken inputs and odd output folders: every run ends in an exit code
(never a traceback), a failure is one stderr line, and no file of the user's is lost."""

from __future__ import annotations

import json
import os
import random
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from hera_pipelines.cli import main
from tests.render.test_output_folder import snapshot

VALID = (
    "repository: acme/widgets\n"
    "namespace: demo\n"
    "workflow:\n"
    "  activeDeadlineSeconds: 3600\n"
    "agents:\n"
    "  rex:\n"
    "    systemPrompt: prompts/rex.md\n"
    "backlog: tasks.json\n"
)
TASKS = json.dumps({"master": {"tasks": [{"id": 1, "title": "one"}, {"id": 2, "title": "two"}]}})


def _mutations(seed: int) -> list[tuple[str, bytes]]:
    """Named (file, bytes) changes: bad encodings, nesting, duplicates, random byte damage."""
    rnd = random.Random(seed)
    raw = VALID.encode()
    out: list[tuple[str, bytes]] = [
        ("pipelines.yaml", VALID.encode("utf-16")),
        ("pipelines.yaml", VALID.encode("utf-32")),
        ("pipelines.yaml", VALID.encode("cp1252").replace(b"demo", b"d\xe9mo")),
        ("pipelines.yaml", raw + b"namespace: again\n"),
        ("pipelines.yaml", raw + b"qa:\n  testPaths: " + b"[" * 5000 + b"]" * 5000 + b"\n"),
        ("pipelines.yaml", raw + b"x: &a [*a]\n"),
        ("pipelines.yaml", raw.replace(b"3600", b"true")),
        ("pipelines.yaml", raw.replace(b"3600", b"1e400")),
        ("pipelines.yaml", b"\x00" * 64),
        ("pipelines.yaml", b""),
        ("prompts/rex.md", b"\xff\xfe" + "hi {{ project }}".encode("utf-16-le")),
        ("prompts/rex.md", b"{% include 'other.md' %}"),
        ("prompts/rex.md", b"{{ undefined_name }}"),
        ("tasks.json", b"[" * 50_000 + b"]" * 50_000),
        ("tasks.json", b'{"master": {"tasks": [{"id": 1, "title": "\xc3\x28"}]}}'),
        ("tasks.json", TASKS.encode("utf-16")),
        ("tasks.json", b'{"master": {"tasks": [{"id": 1, "dependencies": [1]}]}}'),
    ]
    for _ in range(12):
        data = bytearray(raw)
        for _ in range(rnd.randint(1, 6)):
            at = rnd.randrange(len(data))
            data[at] = rnd.choice([0x00, 0x09, 0x22, 0x3A, 0x5B, 0x7B, 0x80, 0xC3, 0xFF, 0x0A])
        out.append(("pipelines.yaml", bytes(data)))
    return out


OUTS = [
    "manifests",
    "deploy",
    ".",
    "",
    "..",
    ".git",
    ".git/refs",
    "pipelines.yaml",
    "tasks.json/x",
    "link",
    "deploy/../..",
]


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[], Path]:
    def make() -> Path:
        root = tmp_path / "repo"
        if root.exists():
            subprocess.run(["rm", "-rf", str(root)], check=True)
        (root / "prompts").mkdir(parents=True)
        (root / "pipelines.yaml").write_text(VALID)
        (root / "prompts" / "rex.md").write_text("You are {{ agent.persona }}.\n")
        (root / "prompts" / "other.md").write_bytes(b"\xff\n")
        (root / "tasks.json").write_text(TASKS)
        (root / "values.yaml").write_text("mine: true\n")
        (root / ".github" / "workflows").mkdir(parents=True)
        (root / ".github" / "workflows" / "ci.yml").write_text("on: push\n")
        deploy = root / "deploy"
        deploy.mkdir()
        (deploy / "mine.yaml").write_text("kind: Mine\n")
        (deploy / "mine.yaml").chmod(0o640)
        (deploy / "link.yaml").symlink_to("../values.yaml")
        (deploy / "empty").mkdir()
        (root / "link").symlink_to("deploy")
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        monkeypatch.chdir(root)
        return root

    return make


def _user_files(root: Path) -> dict[str, object]:
    """Everything but what render may own (files listed in an index) and .git internals."""
    owned: set[str] = set()
    for index in root.rglob(".hera-pipelines.json"):
        owned |= {
            f"{index.parent.relative_to(root).as_posix()}/{f}"
            for f in json.loads(index.read_text())["files"]
        }
    return {
        k: v
        for k, v in snapshot(root).items()
        if k not in owned and not k.startswith(".git/") and not k.endswith(".hera-pipelines.json")
    }


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(argv)  # any exception but a handled one fails the test: a traceback
    err = capsys.readouterr().err
    return code, err


@pytest.mark.parametrize("seed", [1])
def test_broken_inputs_never_trace_back_or_lose_files(
    repo: Callable[[], Path], capsys: pytest.CaptureFixture[str], seed: int
) -> None:
    for name, data in _mutations(seed):
        root = repo()
        (root / name).write_bytes(data)
        before = _user_files(root)
        for argv in (
            ["render", "--config", "pipelines.yaml"],
            ["render", "--config", "pipelines.yaml", "--check"],
            ["plan", "tasks.json"],
        ):
            code, err = _run(argv, capsys)
            assert code in (0, 1, 2), (name, data[:60], argv, code)
            assert "Traceback" not in err
            if code == 2:
                assert err.count("\n") == 1 and err.startswith(f"hera-pipelines {argv[0]}: "), err
        after = _user_files(root)
        assert {k: after.get(k) for k in before} == before, (name, data[:60])
        # A failed render wrote nothing at all.
        if not (root / "manifests").exists():
            assert set(after) == set(before)


@pytest.mark.parametrize("out", OUTS)
def test_every_output_folder_shape_keeps_the_users_files(
    repo: Callable[[], Path], capsys: pytest.CaptureFixture[str], out: str
) -> None:
    root = repo()
    before = _user_files(root)
    for argv in ([], [], ["--check"]):
        code, err = _run(["render", "--config", "pipelines.yaml", "--out", out, *argv], capsys)
        assert code in (0, 1, 2), (out, code, err)
        assert "Traceback" not in err
        if code == 2:
            assert err.count("\n") == 1, err
    after = _user_files(root)
    assert {k: after.get(k) for k in before} == before
    assert os.path.islink(root / "deploy" / "link.yaml") and (root / "deploy" / "empty").is_dir()
