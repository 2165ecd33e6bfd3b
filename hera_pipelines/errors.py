"""The one error type the CLI turns into exit code 2, formatted `file: object: field: problem`.

`from_validation` is the one place a pydantic `ValidationError` becomes that error, with one
path format everywhere (`agents.rex.model`, `tasks[3].title`).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError

__all__ = [
    "EXIT_FINDINGS",
    "EXIT_OK",
    "EXIT_USAGE",
    "HeraPipelinesError",
    "field_path",
    "from_validation",
]

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2


class HeraPipelinesError(Exception):
    """Bad input: a config, backlog, payload or folder the user must fix.

    Carries its location as separate parts so every command prints it the same way and tests
    can assert on the parts rather than on wording.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        obj: str | None = None,
        field: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.obj = obj
        self.field = field
        super().__init__(str(self))

    def __str__(self) -> str:
        parts = [p for p in (self.file, self.obj, self.field) if p]
        return ": ".join([*parts, self.problem])


def field_path(loc: Sequence[int | str], prefix: str = "") -> str:
    """A location as users read it: keys joined by `.`, list indexes as `[i]`."""
    path = prefix
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _problem(error: Mapping[str, Any], known: Sequence[str], patterns: Mapping[str, str]) -> str:
    kind = error["type"]
    if kind == "missing":
        return "field required"
    if kind == "extra_forbidden":
        name = str(error["loc"][-1])
        close = difflib.get_close_matches(name, known, n=1)
        return "unknown field" + (f" (did you mean '{close[0]}'?)" if close else "")
    if kind == "string_pattern_mismatch":
        pattern = str(error.get("ctx", {}).get("pattern", ""))
        shape = patterns.get(pattern, f"a match of {pattern}")
        return f"must be {shape}, got {error['input']!r}"
    message = str(error["msg"]).removeprefix("Value error, ")
    return message[:1].lower() + message[1:]


def from_validation(
    exc: ValidationError,
    *,
    file: str | None = None,
    prefix: str = "",
    known_fields: Sequence[str] = (),
    patterns: Mapping[str, str] | None = None,
) -> HeraPipelinesError:
    """The first problem of `exc` as a `HeraPipelinesError` naming the file and field.

    `known_fields` feed the "did you mean" of an unknown key; `patterns` name a regex's
    shape for users (`{REPOSITORY_PATTERN: "'owner/name'"}`).
    """
    first = exc.errors()[0]
    where = field_path(tuple(first["loc"]), prefix)
    return HeraPipelinesError(
        _problem(first, known_fields, patterns or {}), file=file, field=where or None
    )
