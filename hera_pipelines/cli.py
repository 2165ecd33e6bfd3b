"""Argument parsing and dispatch only: every command lives in `commands/<name>.py`.

Each command module exposes `HELP` (one line), `add_arguments(parser)` and `run(args) -> int`.
Errors of type `HeraPipelinesError` become one stderr line and exit 2 here, in one place.
Only the command being run is imported (its one-line help is repeated in `COMMANDS`, checked
by a test), so `plan`, `simulate`, `version` and `--help` start without loading what `render`
and `lint` need.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from hera_pipelines import __version__
from hera_pipelines.errors import EXIT_USAGE, HeraPipelinesError

__all__ = ["COMMANDS", "EXIT_BROKEN_PIPE", "EXIT_INTERRUPTED", "build_parser", "entrypoint", "main"]

EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for `git log | head`
EXIT_INTERRUPTED = 130  # 128 + SIGINT

# name -> (module under hera_pipelines.commands, its HELP); order is the order in --help.
COMMANDS: dict[str, tuple[str, str]] = {
    "render": (
        "render",
        "write the manifests of a project (or --check them) as deterministic YAML",
    ),
    "lint": (
        "lint",
        "check manifests: strict schemas, Argo semantics, cross-file graph, security, size, YAML",
    ),
    "plan": ("plan", "show how a TaskMaster backlog will run: waves, critical path, blocked tasks"),
    "simulate": (
        "simulate",
        "replay a GitHub webhook (or any Argo Events event) through the Sensors, offline",
    ),
    "schema": ("schema", "print the JSON Schema of pipelines.yaml"),
    "version": (
        "version",
        "print the version of hera-pipelines and of the libraries it renders with",
    ),
}

_DESCRIPTION = """\
Render the manifests an event-driven, multi-agent coding platform needs on Argo Workflows,
Argo Events and Argo CD, as deterministic YAML for a GitOps repository.

exit codes: 0 ok, 1 findings (e.g. --check drift), 2 bad input or usage.
"""


def _load(name: str) -> ModuleType:
    return importlib.import_module(f"hera_pipelines.commands.{COMMANDS[name][0]}")


def _chosen(argv: Sequence[str] | None) -> str | None:
    """The command named on the command line (the first word that is one), if any."""
    words = list(sys.argv[1:] if argv is None else argv)
    return next((w for w in words if w in COMMANDS), None)


def build_parser(only: str | None = None, *, every: bool = True) -> argparse.ArgumentParser:
    """The parser; with `every=False` only command `only` gets its arguments (and is imported)."""
    parser = argparse.ArgumentParser(
        prog="hera-pipelines",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"hera-pipelines {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_line) in COMMANDS.items():
        if not every and name != only:
            sub.add_parser(name, help=help_line)
            continue
        module = _load(name)
        cmd = sub.add_parser(
            name,
            help=help_line,
            description=getattr(module, "DESCRIPTION", module.HELP),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        module.add_arguments(cmd)
        cmd.set_defaults(_module=module)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    command: list[str] = []  # the command's name once known, for messages
    try:
        return _main(argv, command)
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, like git and kubectl.
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except KeyboardInterrupt:
        print(" ".join(["hera-pipelines", *command]) + ": interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED


def _main(argv: Sequence[str] | None, command: list[str]) -> int:
    parser = build_parser(_chosen(argv), every=False)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    command.append(args.command)
    try:
        code: int = args._module.run(args)
        sys.stdout.flush()
    except HeraPipelinesError as exc:
        print(f"hera-pipelines {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return code


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real file descriptor (tests capture stdout)
        pass


def entrypoint() -> None:
    """Console-script target (`hera-pipelines`)."""
    raise SystemExit(main())
