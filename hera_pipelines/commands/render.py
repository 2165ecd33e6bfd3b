"""`render`: write every manifest of a project, or with `--check` say whether they drifted."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hera_pipelines.config.project import load_project
from hera_pipelines.errors import EXIT_FINDINGS, EXIT_OK
from hera_pipelines.render.folder import diff_folder, write_folder

__all__ = ["DESCRIPTION", "HELP", "add_arguments", "run"]

HELP = "write the manifests of a project (or --check them) as deterministic YAML"
DESCRIPTION = """\
Render every manifest of the project described by pipelines.yaml into one folder, one object
per file (<kind>/<name>.yaml) plus kustomization.yaml. Every object is validated strictly
against the upstream schema of its kind before anything is written; a failed render writes
nothing. The folder is owned: YAML files that are no longer rendered are removed.

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
        type=Path,
        metavar="DIR",
        help="output folder (default: the config's `output`, `manifests/` beside the config)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and print a unified diff if DIR differs from the render",
    )


def run(args: argparse.Namespace) -> int:
    # Hera's models and the schemas take ~0.5 s to import: only `render` pays for them, so
    # `plan`, `simulate` and `--help` stay quick.
    from hera_pipelines.render import prerequisites
    from hera_pipelines.render.pipeline import render_project

    project = load_project(args.config)
    manifests = render_project(project)  # validated: raises RenderError, writes nothing
    files = manifests.files()
    out: Path = args.out if args.out is not None else project.output_dir
    if args.check:
        drift = diff_folder(out, files)
        if drift:
            sys.stdout.write(drift.unified_diff())
            print(
                f"{out}: out of date ({len(drift.missing)} missing, {len(drift.changed)} "
                f"changed, {len(drift.stale)} stale); run: hera-pipelines render "
                f"--config {args.config}" + (f" --out {args.out}" if args.out else ""),
                file=sys.stderr,
            )
            return EXIT_FINDINGS
        print(f"{out}: up to date ({len(files)} files)", file=sys.stderr)
        return EXIT_OK
    write_folder(out, files)
    kinds = manifests.kinds()
    print(f"wrote {len(files)} files to {out}")
    for kind, count in sorted(kinds.items()):
        print(f"  {count:4d}  {kind}")
    sys.stdout.write(prerequisites.report(project, manifests))
    return EXIT_OK
