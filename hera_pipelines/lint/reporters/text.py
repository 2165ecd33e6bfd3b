"""Compiler-style lines: `file:line: Kind/name: field.path: message [rule-id]`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from hera_pipelines.lint.finding import Finding, Severity
from hera_pipelines.lint.rule import Rule

__all__ = ["TextReporter", "format_finding"]


def format_finding(finding: Finding) -> str:
    """One line; non-errors say their severity before the message, as compilers do."""
    parts = [f"{finding.file}:{finding.line}"]
    if finding.kind or finding.name:
        parts.append(f"{finding.kind}/{finding.name}")
    if finding.field:
        parts.append(finding.field)
    message = finding.message
    if finding.severity is not Severity.ERROR:
        message = f"{finding.severity}: {message}"
    parts.append(f"{message} [{finding.rule}]")
    return ": ".join(parts)


class TextReporter:
    """Writes each finding as it comes."""

    def __init__(self, stream: TextIO, rules: Sequence[Rule]) -> None:
        self._stream = stream

    def write(self, finding: Finding) -> None:
        self._stream.write(format_finding(finding) + "\n")

    def flush(self) -> None:
        self._stream.flush()
