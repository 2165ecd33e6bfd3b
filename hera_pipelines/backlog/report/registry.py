"""The one table of `plan` output formats: its keys are the `--format` choices.

Each format is a module exposing `write(plan, out)`; modules are imported only when chosen, so
`--format json` never pays for importing rich.
"""

from __future__ import annotations

import importlib
from typing import Protocol, TextIO

from hera_pipelines.backlog.plan import Plan
from hera_pipelines.errors import HeraPipelinesError

__all__ = ["FORMATS", "PlanWriter", "new"]

# name -> module under hera_pipelines.backlog.report, sorted by name
FORMATS: dict[str, str] = {
    "dot": "dot",
    "json": "json",
    "mermaid": "mermaid",
    "table": "table",
}


class PlanWriter(Protocol):
    """Writes one whole plan to a text stream."""

    def __call__(self, plan: Plan, out: TextIO) -> None: ...


def new(name: str) -> PlanWriter:
    """The writer of format `name`; an unknown name lists the valid ones."""
    if name not in FORMATS:
        raise HeraPipelinesError(
            f"unknown format {name!r}; valid formats: {', '.join(FORMATS)}", field="--format"
        )
    module = importlib.import_module(f"hera_pipelines.backlog.report.{FORMATS[name]}")
    writer: PlanWriter = module.write
    return writer
