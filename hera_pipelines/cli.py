"""Argument parsing and dispatch only: every command lives in `commands/<name>.py`.

Each command module exposes `HELP` (one line), `add_arguments(parser)` and `run(args) -> int`.
Errors of type `HeraPipelinesError` become one stderr line and exit 2 here, in one place.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from hera_pipelines import __version__
from hera_pipelines.errors import EXIT_USAGE, HeraPipelinesError

__all__ = ["COMMANDS", "build_parser", "entrypoint", "main"]

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
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors and 0 on --help
        return int(exc.code or 0)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        code: int = args._module.run(args)
    except HeraPipelinesError as exc:
        print(f"hera-pipelines {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return code


def entrypoint() -> None:
    """Console-script target (`hera-pipelines`)."""
    raise SystemExit(main())
