"""One problem found by one rule in one object: `Finding`, with a closed `Severity`."""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Finding", "Severity"]


class Severity(enum.StrEnum):
    """How bad a finding is; the names are SARIF's `level` values."""

    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"


@dataclass(frozen=True, order=True)
class Finding:
    """Where (file, line, object, field), which rule, how bad, and what is wrong."""

    file: str
    line: int
    kind: str
    name: str
    field: str
    rule: str
    severity: Severity
    message: str
