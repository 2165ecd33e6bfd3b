"""`plan --format json`: the plan's numbers on one line, for scripts and CI."""

from __future__ import annotations

import json
from typing import TextIO

from hera_pipelines.backlog.plan import Plan

__all__ = ["write"]


def write(plan: Plan, out: TextIO) -> None:
    """One JSON object and a newline; keys in the documented order, ids in the backlog's type."""
    out.write(json.dumps(plan.to_dict(), ensure_ascii=False) + "\n")
