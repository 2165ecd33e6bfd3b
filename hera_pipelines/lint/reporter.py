"""The `Reporter` protocol and its one factory, keyed by format name (`--format` choices)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TextIO

from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.lint.finding import Finding
from hera_pipelines.lint.reporters import json as json_format
from hera_pipelines.lint.reporters import sarif, text
from hera_pipelines.lint.rule import Rule

__all__ = ["FORMATS", "Reporter", "new_reporter"]


class Reporter(Protocol):
    """Receives findings one by one, then writes whatever it still holds on `flush`."""

    def write(self, finding: Finding) -> None: ...

    def flush(self) -> None: ...


class _Factory(Protocol):
    def __call__(self, stream: TextIO, rules: Sequence[Rule]) -> Reporter: ...


FORMATS: dict[str, _Factory] = {
    "json": json_format.JsonReporter,
    "sarif": sarif.SarifReporter,
    "text": text.TextReporter,
}


def new_reporter(name: str, stream: TextIO, rules: Sequence[Rule]) -> Reporter:
    try:
        factory = FORMATS[name]
    except KeyError:
        raise HeraPipelinesError(
            f"unknown format {name!r} (choose from: {', '.join(FORMATS)})"
        ) from None
    return factory(stream, rules)
