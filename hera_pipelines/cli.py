"""Argument parsing and dispatch only: every command lives in `commands/<name>.py`.

Each command module exposes `HELP` (one line), `add_arguments(parser)` and `run(args) -> int`.
Errors of type `HeraPipelinesError` become one stderr line and exit 2 here, in one place.
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

# name -> module under hera_pipelines.commands; order is the order shown in --help.
COMMANDS: dict[str, str] = {
    "render": "render",
    "lint": "lint",
    "plan": "plan",
    "simulate": "simulate",
    "schema": "schema",
    "version": "version",
}

_DESCRIPTION = """\
Render the manifests an event-driven, multi-agent coding platform needs on Argo Workflows,
Argo Events and Argo CD, as deterministic YAML for a GitOps repository.

exit codes: 0 ok, 1 findings (e.g. --check drift), 2 bad input or usage.
"""


def _load(name: str) -> ModuleType:
    return importlib.import_module(f"hera_pipelines.commands.{COMMANDS[name]}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hera-pipelines",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"hera-pipelines {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        module = _load(name)
        cmd = sub.add_parser(
            name,
            help=module.HELP,
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
    parser = build_parser()
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
