"""One filtering outcome and the error texts every filter kind shares.

What filtering one event yields (Go's bool and error, plus the why) and the error texts and
conventions every filter kind shares.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ERR", "MULTI_ERR", "OR", "SEP", "FilterOutcome", "GoError", "show"]


OR = "or"


ERR = "{} filter error ({})"


MULTI_ERR = "{} filter errors [{}]"


SEP = " / "


class GoError(Exception):
    """An error Go's filter code returns; its text is Go's."""


def show(value: str, limit: int = 60) -> str:
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    return '"' + text.replace('"', '\\"') + '"'


@dataclass
class FilterOutcome:
    """The decision for one event: Go's (bool, error), plus the why."""

    passed: bool
    error: str | None = None
    reasons: list[str] = field(default_factory=list)
