"""The one error type the CLI turns into exit code 2, formatted `file: object: field: problem`."""

from __future__ import annotations

__all__ = ["EXIT_FINDINGS", "EXIT_OK", "EXIT_USAGE", "HeraPipelinesError"]

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
