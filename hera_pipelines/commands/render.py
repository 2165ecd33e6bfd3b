"""`render`: write every manifest of a project, or with `--check` say whether they drifted."""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path

from hera_pipelines.config.project import load_project
from hera_pipelines.errors import EXIT_FINDINGS, EXIT_OK
from hera_pipelines.render.folder import diff_folder, write_folder
from hera_pipelines.render.limits import check_sizes
from hera_pipelines.render.ownership import INDEX, check_output_folder

__all__ = ["DESCRIPTION", "HELP", "add_arguments", "run"]

HELP = "write the manifests of a project (or --check them) as deterministic YAML"
DESCRIPTION = f"""\
Render every manifest of the project described by pipelines.yaml into one folder, one object
per file (<kind>/<name>.yaml) plus kustomization.yaml. Every object is validated strictly
against the upstream schema of its kind before anything is written; a failed render writes
nothing.

The folder is ours only where we wrote: {INDEX} in it lists the files render wrote, and
only those are replaced or removed when no longer rendered. Any other file (your own YAML,
a README, symlinks) is kept. Render refuses a folder that is a repository root, holds the
config file, or sits inside .git.

exit codes: 0 written (or --check: up to date), 1 --check found drift, 2 bad input.
"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=Path("pipelines.yaml"),
        metavar="FILE",
        help="project config (default: ./pipelines.yaml)",
    )
    parser.add_argument(
        "--out",
        metavar="DIR",
        help="output folder (default: the config's `output`, `manifests/` beside the config); "
        "the Argo CD Application points at it",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and print a unified diff if DIR differs from the render",
    )


def _summary(count: int, out: Path, created: int, changed: int, removed: int) -> str:
    return f"wrote {count} files to {out} ({created} created, {changed} changed, {removed} removed)"


def run(args: argparse.Namespace) -> int:
    # A render imports Hera's ~1,000 pydantic classes and builds one object tree that lives
    # until the files are written: Python's cyclic collector would walk all of it again and
    # again for nothing (10-15% of a render; the peak memory of a 20,000-task render is the
    # same without it, 254 MB). So it is paused for the command, as `lint` does.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _render(args)
    finally:
        if was_enabled:
            gc.enable()


def _render(args: argparse.Namespace) -> int:
    # Hera's models and the schemas take ~0.5 s to import: only `render` pays for them, so
    # `plan`, `simulate` and `--help` stay quick.
    from hera_pipelines.render import prerequisites
    from hera_pipelines.render.pipeline import render_project

    if args.out is not None:
        check_output_folder(args.out, args.config)
    project = load_project(args.config, output=None if args.out is None else Path(args.out))
    out = project.output_dir
    check_output_folder(out, args.config)
    manifests = render_project(project)  # validated: raises RenderError, writes nothing
    check_sizes(manifests)
    files = manifests.files()
    if args.check:
        drift = diff_folder(out, files)
        if drift:
            sys.stdout.write(drift.unified_diff())
            index = "" if drift.missing or drift.changed or drift.stale else f"; {INDEX} differs"
            print(
                f"{out}: out of date ({len(drift.missing)} missing, {len(drift.changed)} "
                f"changed, {len(drift.stale)} stale{index}); run: hera-pipelines render "
                f"--config {args.config}" + (f" --out {args.out}" if args.out else ""),
                file=sys.stderr,
            )
            return EXIT_FINDINGS
        print(f"{out}: up to date ({len(files)} files)", file=sys.stderr)
        return EXIT_OK
    report = write_folder(out, files)
    for rel in report.kept:
        print(
            f"hera-pipelines render: {out / rel}: kept: not written by hera-pipelines "
            f"(not in {INDEX})",
            file=sys.stderr,
        )
    print(_summary(len(files), out, len(report.created), len(report.changed), len(report.removed)))
    for kind, count in sorted(manifests.kinds().items()):
        print(f"  {count:4d}  {kind}")
    sys.stdout.write(prerequisites.report(project, manifests))
    return EXIT_OK
