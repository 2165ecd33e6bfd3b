"""`lint`: check rendered manifests against strict schemas and Argo's own semantics."""

from __future__ import annotations

import argparse
import contextlib
import gc
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from hera_pipelines.errors import EXIT_FINDINGS, EXIT_OK
from hera_pipelines.lint.finding import Severity
from hera_pipelines.lint.reporter import FORMATS

__all__ = ["DESCRIPTION", "HELP", "LintOptions", "add_arguments", "lint", "run"]

HELP = "check manifests: strict schemas, Argo semantics, cross-file graph, security, size, YAML"
DESCRIPTION = """\
Check rendered manifests (default: the `output` folder of ./pipelines.yaml, `manifests/` beside
it) with every rule (see --list-rules). RULES are rule ids (HP204), names (workflow-variable),
id prefixes (HP2) or groups (schema, workflow, graph, sensor, security, size, yaml), comma
separated; pipelines.yaml may hold the same under `lint: {select: [...], ignore: [...]}`. A
comment `# hera-pipelines: ignore[HP204]` inside an object silences that rule for it.

exit codes: 0 no error findings, 1 error findings, 2 bad input (unreadable path, not YAML).
"""


@dataclass(frozen=True)
class LintOptions:
    """What `lint` was asked to do (typed, built from argparse by `run`)."""

    paths: tuple[Path, ...]
    format: str = "text"
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    list_rules: bool = False
    config: Path = Path("pipelines.yaml")


def _names(values: Sequence[str] | None) -> tuple[str, ...]:
    return tuple(p.strip() for v in values or () for p in v.split(",") if p.strip())


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders")
    parser.add_argument("--format", choices=list(FORMATS), default="text", help="output format")
    parser.add_argument("--select", action="append", metavar="RULES", help="only these rules")
    parser.add_argument("--ignore", action="append", metavar="RULES", help="not these rules")
    parser.add_argument("--list-rules", action="store_true", help="print every rule and exit")
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("pipelines.yaml"),
        metavar="FILE",
        help="project config for `output` and `lint:` (default: ./pipelines.yaml)",
    )


def run(args: argparse.Namespace) -> int:
    return lint(
        LintOptions(
            paths=tuple(args.paths),
            format=args.format,
            select=_names(args.select),
            ignore=_names(args.ignore),
            list_rules=args.list_rules,
            config=args.config,
        )
    )


def _list_rules(out: TextIO) -> int:
    from hera_pipelines.lint.registry import RULES

    for rule in RULES.values():
        out.write(f"{rule.id}  {rule.name:<28} {rule.group:<8} {rule.severity:<7} {rule.summary}\n")
    return EXIT_OK


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while documents are loaded and checked.

    Everything loaded (and every embedded manifest parsed) lives until the end of the run, so
    each collection would walk all of it again for nothing: more than half the load's time and
    a tenth of the rules' on a large set. What the run creates is freed by reference counting.
    Afterwards it is frozen (`gc.freeze`: out of the collector's view, still freed when
    unreferenced) so that re-enabling the collector, and the collection at interpreter exit,
    do not walk it once more.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def lint(options: LintOptions, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Lint `options.paths`; findings to `out` in the chosen format, a summary to `err`."""
    from hera_pipelines.lint.document import load_paths
    from hera_pipelines.lint.engine import lint_documents
    from hera_pipelines.lint.registry import select_rules
    from hera_pipelines.lint.reporter import new_reporter
    from hera_pipelines.lint.settings import read_settings

    out = out or sys.stdout
    err = err or sys.stderr
    if options.list_rules:
        return _list_rules(out)
    settings = read_settings(options.config)
    rules = select_rules(options.select or settings.select, (*settings.ignore, *options.ignore))
    paths = options.paths or (settings.output,)
    with _collector_paused():
        documents, texts = load_paths(paths)
        findings = lint_documents(documents, rules, settings, texts)
    reporter = new_reporter(options.format, out, rules)
    for finding in findings:
        reporter.write(finding)
    reporter.flush()
    counts = {s: sum(f.severity is s for f in findings) for s in Severity}
    errors = counts[Severity.ERROR]
    print(
        f"{len(documents)} objects in {len(texts)} files: {errors} errors, "
        f"{counts[Severity.WARNING]} warnings, {counts[Severity.NOTE]} notes",
        file=err,
    )
    return EXIT_FINDINGS if errors else EXIT_OK
