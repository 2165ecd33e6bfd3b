"""Bad input files are one stderr line and exit 2, never a traceback, and nothing is written:
encodings, nesting depth, duplicate keys, strict integers, sizes, permissions."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from hera_pipelines.cli import main
from hera_pipelines.textfile import check_depth, load_yaml

REPO = "repository: acme/widgets\n"
DEEP = 10_000


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder (outside git) that is the current folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def _tasks(count: int = 1) -> str:
    return json.dumps(
        {"master": {"tasks": [{"id": i, "title": f"t{i}"} for i in range(1, count + 1)]}}
    )


CASES: list[tuple[str, dict[str, bytes | str], str]] = [
    (
        "latin-1 config",
        {"pipelines.yaml": REPO.encode() + b"service: caf\xe9\n"},
        "pipelines.yaml: line 2: not UTF-8 (byte 0xe9); save it as UTF-8",
    ),
    (
        "UTF-16 config",
        {"pipelines.yaml": REPO.encode("utf-16")},
        "pipelines.yaml: encoded as UTF-16; save it as UTF-8",
    ),
    (
        "UTF-16 big-endian config",
        {"pipelines.yaml": b"\xfe\xff" + REPO.encode("utf-16-be")},
        "pipelines.yaml: encoded as UTF-16; save it as UTF-8",
    ),
    (
        "binary config",
        {"pipelines.yaml": REPO + "\x00\x01"},
        "pipelines.yaml: line 2: NUL byte (a binary file?)",
    ),
    (
        "config nested 10,000 deep",
        {"pipelines.yaml": REPO + "agents:\n  x: " + "[" * DEEP + "]" * DEEP + "\n"},
        "pipelines.yaml: line 3: nested deeper than 64 levels",
    ),
    (
        "config nested 100 deep",
        {"pipelines.yaml": REPO + "tools:\n  remote: " + "[" * 100 + "]" * 100 + "\n"},
        "pipelines.yaml: line 3: nested deeper than 64 levels",
    ),
    (
        "duplicate key",
        {"pipelines.yaml": REPO + "namespace: a\nnamespace: b\n"},
        "pipelines.yaml: line 3: duplicate key 'namespace' (first on line 2)",
    ),
    (
        "nested duplicate key",
        {
            "pipelines.yaml": REPO + "workflow:\n  ttlAfterSuccessSeconds: 1\n  x: 2\n"
            "  ttlAfterSuccessSeconds: 3\n"
        },
        "pipelines.yaml: line 5: duplicate key 'ttlAfterSuccessSeconds' (first on line 3)",
    ),
    (
        "bool for an int",
        {"pipelines.yaml": REPO + "workflow:\n  activeDeadlineSeconds: true\n"},
        "pipelines.yaml: workflow.activeDeadlineSeconds: input should be a valid integer",
    ),
    (
        "bool for a port",
        {"pipelines.yaml": REPO + "events:\n  port: true\n"},
        "pipelines.yaml: events.port: input should be a valid integer",
    ),
    (
        "bool for a task count",
        {"pipelines.yaml": REPO + "play:\n  maxTasksPerWorkflow: false\n"},
        "pipelines.yaml: play.maxTasksPerWorkflow: input should be a valid integer",
    ),
    (
        "config is a folder",
        {"pipelines.yaml/x": ""},
        "pipelines.yaml: is a folder, not a file",
    ),
    (
        "prompt not UTF-8",
        {
            "pipelines.yaml": REPO + "agents:\n  rex:\n    systemPrompt: prompts/rex.md\n",
            "prompts/rex.md": b"Hello \xff\n",
        },
        "prompts/rex.md: line 1: not UTF-8 (byte 0xff); save it as UTF-8",
    ),
    (
        "prompt UTF-16",
        {
            "pipelines.yaml": REPO + "agents:\n  rex:\n    systemPrompt: prompts/rex.md\n",
            "prompts/rex.md": "Hello\n".encode("utf-16"),
        },
        "prompts/rex.md: encoded as UTF-16; save it as UTF-8",
    ),
    (
        "prompt of 20 MB",
        {
            "pipelines.yaml": REPO + "agents:\n  rex:\n    systemPrompt: prompts/rex.md\n",
            "prompts/rex.md": "a" * 20_000_000,
        },
        "prompts/rex.md: prompt larger than 1 MiB; is this the right file?",
    ),
    (
        "prompt making an object over 256 KiB",
        {
            "pipelines.yaml": REPO + "agents:\n  rex:\n    systemPrompt: prompts/rex.md\n",
            "prompts/rex.md": "a" * 300_000 + "\n",
        },
        "ConfigMap/agent-profiles: 305051 bytes as JSON, over the 262144 (256 KiB) that "
        "kubectl apply's last-applied-configuration annotation holds "
        "(largest entry: prompt-rex.md, 300014 bytes)",
    ),
    (
        "backlog naming a missing file",
        {"pipelines.yaml": REPO + "backlog: tasks/nope.json\n"},
        "pipelines.yaml: backlog: file not found: tasks/nope.json",
    ),
    (
        "backlog nested 10,000 deep",
        {"pipelines.yaml": REPO + "backlog: tasks.json\n", "tasks.json": "[" * DEEP + "]" * DEEP},
        "tasks.json: nested deeper than 64 levels",
    ),
    (
        "backlog not UTF-8",
        {"pipelines.yaml": REPO + "backlog: tasks.json\n", "tasks.json": b'{"master": "\xff"}'},
        "tasks.json: line 1: not UTF-8 (byte 0xff); save it as UTF-8",
    ),
    (
        "backlog UTF-16",
        {"pipelines.yaml": REPO + "backlog: tasks.json\n", "tasks.json": _tasks().encode("utf-16")},
        "tasks.json: encoded as UTF-16; save it as UTF-8",
    ),
]


@pytest.mark.parametrize(("files", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
@pytest.mark.parametrize("check", [False, True], ids=["render", "check"])
def test_bad_input_is_one_line_and_exit_2(
    here: Path,
    capsys: pytest.CaptureFixture[str],
    files: dict[str, bytes | str],
    expected: str,
    check: bool,
) -> None:
    for name, data in files.items():
        _write(here / name, data)
    argv = ["render", "--config", "pipelines.yaml"] + (["--check"] if check else [])
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.err == f"hera-pipelines render: {expected}\n"
    assert captured.out == ""
    assert not (here / "manifests").exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("[" * DEEP + "]" * DEEP, "tasks.json: nested deeper than 64 levels"),
        ('{"a": ' * 200 + "1" + "}" * 200, "tasks.json: nested deeper than 64 levels"),
        (b"\xff\xfe[\x00]\x00", "tasks.json: encoded as UTF-16; save it as UTF-8"),
        (
            b'{"master": {"tasks": [{"title": "caf\xe9"}]}}',
            "tasks.json: line 1: not UTF-8 (byte 0xe9); save it as UTF-8",
        ),
    ],
    ids=["deep arrays", "deep objects", "utf-16", "latin-1"],
)
def test_plan_bad_backlog_is_one_line(
    here: Path, capsys: pytest.CaptureFixture[str], data: bytes | str, expected: str
) -> None:
    _write(here / "tasks.json", data)
    assert main(["plan", "tasks.json"]) == 2
    assert capsys.readouterr().err == f"hera-pipelines plan: {expected}\n"


def test_a_byte_order_mark_is_accepted(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _write(here / "pipelines.yaml", b"\xef\xbb\xbf" + REPO.encode())
    assert main(["render", "--config", "pipelines.yaml"]) == 0
    assert "wrote 36 files to manifests" in capsys.readouterr().out


def test_an_unreadable_config_is_one_line(
    here: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Root reads any file, so the denial is simulated where the file is opened."""
    _write(here / "pipelines.yaml", REPO)
    real_open = Path.open

    def deny(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "pipelines.yaml":
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", deny)
    assert main(["render", "--config", "pipelines.yaml"]) == 2
    assert capsys.readouterr().err == (
        "hera-pipelines render: pipelines.yaml: cannot read: permission denied\n"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root bypasses file permissions")
def test_an_unreadable_config_is_one_line_for_real(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _write(here / "pipelines.yaml", REPO)
    (here / "pipelines.yaml").chmod(0)
    assert main(["render", "--config", "pipelines.yaml"]) == 2
    assert capsys.readouterr().err == (
        "hera-pipelines render: pipelines.yaml: cannot read: permission denied\n"
    )


def test_the_default_backlog_may_be_missing(here: Path) -> None:
    _write(here / "pipelines.yaml", REPO)
    assert main(["render", "--config", "pipelines.yaml"]) == 0


def test_depth_check_allows_ordinary_nesting() -> None:
    value: object = 1
    for _ in range(63):
        value = [value]
    assert check_depth(value, "x") is value
    assert load_yaml("a:\n  b:\n    - c: 1\n", "x") == {"a": {"b": [{"c": 1}]}}
