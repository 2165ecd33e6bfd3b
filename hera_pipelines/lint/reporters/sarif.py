"""SARIF 2.1.0 as GitHub code scanning reads it: rules in tool.driver, results with locations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from hera_pipelines import __version__
from hera_pipelines.lint.finding import Finding
from hera_pipelines.lint.rule import Rule

__all__ = ["SARIF_SCHEMA", "SarifReporter"]

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_INFO = "https://github.com/5dlabs/hera-pipelines#lint"


def _rule(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": f"{rule.summary} (group: {rule.group})"},
        "help": {
            "text": f"{rule.summary}\nSilence one object with `# hera-pipelines: ignore[{rule.id}]`"
            f", or deselect with `--ignore {rule.id}`.",
        },
        "defaultConfiguration": {"level": str(rule.severity)},
        "properties": {"tags": [rule.group]},
    }


class SarifReporter:
    """Collects findings; `flush` writes one SARIF log with one run."""

    def __init__(self, stream: TextIO, rules: Sequence[Rule]) -> None:
        self._stream = stream
        self._rules = sorted(rules, key=lambda r: r.id)
        self._index = {r.id: i for i, r in enumerate(self._rules)}
        self._results: list[dict[str, Any]] = []

    def write(self, finding: Finding) -> None:
        where = f"{finding.kind}/{finding.name}" if finding.kind or finding.name else ""
        text = ": ".join(p for p in (where, finding.field, finding.message) if p)
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "level": str(finding.severity),
            "message": {"text": text},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": finding.file, "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": max(finding.line, 1)},
                    }
                }
            ],
        }
        if finding.rule in self._index:
            result["ruleIndex"] = self._index[finding.rule]
        self._results.append(result)

    def flush(self) -> None:
        log = {
            "$schema": SARIF_SCHEMA,
            "version": "2.1.0",
            "runs": [
                {
                    "tool": {
                        "driver": {
                            "name": "hera-pipelines",
                            "informationUri": _INFO,
                            "version": __version__,
                            "rules": [_rule(r) for r in self._rules],
                        }
                    },
                    "results": self._results,
                }
            ],
        }
        self._stream.write(json.dumps(log, indent=2, ensure_ascii=False) + "\n")
        self._stream.flush()
