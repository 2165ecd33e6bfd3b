"""`plan`, `simulate`, `version` and `--help` never import Hera or the kubernetes client.

Those libraries take most of a render's start-up; commands that do not render must start fast,
so the CLI imports a command's heavy dependencies only inside the command that needs them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
HEAVY = ("hera.", "kubernetes", "kubernetes_validate", "jsonschema")

_SCRIPT = """\
import contextlib, io, sys
from hera_pipelines.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
heavy = sorted(m for m in sys.modules if m.startswith({heavy!r}))
print(code, len(heavy), heavy[:5])
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["version"],
        ["plan", str(ROOT / "tests" / "backlog" / "data" / "tasks.legacy.json")],
        [
            "simulate",
            "--event",
            "ping",
            str(DATA / "webhooks" / "ping" / "ping.json"),
            "--manifests",
            str(ROOT / "examples" / "basic" / "manifests"),
        ],
    ],
    ids=["help", "version", "plan", "simulate"],
)
def test_command_does_not_import_heavy_libraries(argv: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT.format(heavy=HEAVY), *argv],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    code, count, names = done.stdout.split(" ", 2)
    assert code in {"0", "1"}, done.stdout
    assert count == "0", f"{argv[0]} imported {names}"


def test_render_does_import_them() -> None:
    """The check above would pass vacuously if the probe were broken: render must trip it."""
    config = ROOT / "examples" / "basic" / "pipelines.yaml"
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            _SCRIPT.format(heavy=HEAVY),
            "render",
            "--config",
            str(config),
            "--check",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert done.stdout.split(" ", 2)[1] != "0"


# What render needs only for other commands or not at all: the kubernetes client (RBAC objects
# are plain dicts), jsonschema (kubernetes_validate is located for its schema files, not
# imported), and Hera's copy of the Argo Workflows API inside its events models.
_RENDER_SCRIPT = """\
import contextlib, io, sys
from hera_pipelines.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    code = main(sys.argv[1:])
unused = ("kubernetes", "kubernetes_validate", "jsonschema", "hera.events.models.io.argoproj")
print(code, "hera.events.models.github.com" in sys.modules,
      sorted(m for m in sys.modules if m.startswith(unused))[:5])
"""


def test_render_loads_only_the_models_it_uses() -> None:
    config = ROOT / "examples" / "basic" / "pipelines.yaml"
    argv = ["render", "--config", str(config), "--check"]
    done = subprocess.run(
        [sys.executable, "-c", _RENDER_SCRIPT, *argv],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    assert done.stdout.strip() == "0 True []", done.stdout + done.stderr


def test_the_events_models_package_still_works_whole() -> None:
    """Loading it without its `__init__` must not break anyone who imports it normally."""
    script = (
        "import hera_pipelines.events.models as ours\n"
        "from hera.events.models import InfoResponse, Sensor\n"
        "import hera.events.models as package\n"
        "assert Sensor is ours.v1alpha1.Sensor and package.Sensor is Sensor\n"
        "assert InfoResponse.__module__.endswith('workflow.v1alpha1')\n"
        "print('ok')"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "ok", done.stderr


def test_the_cli_table_repeats_each_command_help() -> None:
    """`cli.COMMANDS` carries each command's one-line help so --help imports no command."""
    from hera_pipelines import cli

    for name in cli.COMMANDS:
        assert cli.COMMANDS[name][1] == cli._load(name).HELP, name
