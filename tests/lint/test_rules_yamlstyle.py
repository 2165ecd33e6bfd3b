"""lint/rules/yamlstyle.py: yamllint with our documented default config."""

from __future__ import annotations

from tests.lint._table import Case, check


def test_trailing_spaces() -> None:
    check(
        Case(
            "HP701",
            "workflowtemplate/pr-flow.yaml",
            "kind: WorkflowTemplate\n",
            "kind: WorkflowTemplate   \n",
            "trailing spaces",
        )
    )
