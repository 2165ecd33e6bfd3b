"""A JSON list of findings (file, line, kind, name, field, rule, severity, message)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any, TextIO

from hera_pipelines.lint.finding import Finding
from hera_pipelines.lint.rule import Rule

__all__ = ["JsonReporter"]


class JsonReporter:
    """Collects findings; `flush` writes them as one indented JSON array."""

    def __init__(self, stream: TextIO, rules: Sequence[Rule]) -> None:
        self._stream = stream
        self._items: list[dict[str, Any]] = []

    def write(self, finding: Finding) -> None:
        item = asdict(finding)
        item["severity"] = str(finding.severity)
        self._items.append(item)

    def flush(self) -> None:
        self._stream.write(json.dumps(self._items, indent=2, ensure_ascii=False) + "\n")
        self._stream.flush()
