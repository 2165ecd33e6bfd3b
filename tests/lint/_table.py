"""Table-driven rule tests: an edit of the taskmaster example that triggers a rule, and not."""

from __future__ import annotations

from dataclasses import dataclass, field

from hera_pipelines.lint.settings import LintSettings
from tests.lint.conftest import FILES, edited, lint_files


@dataclass(frozen=True)
class Case:
    """`rule` fires on the example with `file`'s `old` replaced by `new`, and not without."""

    rule: str
    file: str
    old: str
    new: str
    message: str = ""  # a substring of the first finding's message
    settings: LintSettings = field(default_factory=LintSettings)
    clean: dict[str, str] | None = None  # the set that must not trigger (default: the example)


def check(case: Case) -> None:
    bad = lint_files(edited(case.file, case.old, case.new), case.rule, case.settings)
    assert bad, f"{case.rule} did not fire"
    assert {f.rule for f in bad} == {case.rule}
    # an edit may break more than one thing the rule checks: the expected finding is among them
    found = [f for f in bad if case.message in f.message]
    assert found, bad
    assert found[0].line >= 1
    good = lint_files(case.clean if case.clean is not None else FILES, case.rule, case.settings)
    assert not [f for f in good if f.severity != "note"], good
