"""lint/rules/schema.py: strict schemas, lenient Argo Events context, unknown kinds, manifests."""

from __future__ import annotations

import pytest

from tests.lint._table import Case, check
from tests.lint.conftest import edited, lint_files

CASES = [
    Case("HP101", "workflowtemplate/pr-flow.yaml", "  entrypoint: main\n",
         "  entrypoint: main\n  entryPoint: main\n", "unknown field 'entryPoint'"),
    Case("HP102", "sensor/github-pull-request.yaml", "      filters:\n",
         "      filters:\n        context:\n          type: push\n", "missing required field"),
    Case("HP103", "thing.yaml", "", "apiVersion: example.com/v1\nkind: Thing\n",
         "no schema known"),
    Case("HP104", "workflowtemplate/coderun-template.yaml", "            runType: implementation\n",
         "            runType: implementation\n            notAField: 1\n", "unknown field 'notAField'"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule(case: Case) -> None:
    check(case)


def test_line_is_the_offending_field() -> None:
    files = edited(
        "workflowtemplate/pr-flow.yaml", "  entrypoint: main\n", "  entrypoint: main\n  typo: 1\n"
    )
    [finding] = lint_files(files, "HP101")
    expected = files["workflowtemplate/pr-flow.yaml"].splitlines().index("  typo: 1") + 1
    assert (finding.line, finding.field) == (expected, "spec.typo")


def test_lenient_context_does_not_hide_real_errors() -> None:
    files = edited(
        "sensor/github-pull-request.yaml",
        "      filters:\n",
        "      filters:\n        context:\n          type: push\n        typo: 1\n",
    )
    assert [f.field for f in lint_files(files, "HP101")] == ["spec.dependencies[0].filters.typo"]


def test_embedded_manifest_line_points_inside_the_manifest() -> None:
    file = "workflowtemplate/coderun-template.yaml"
    files = edited(file, "            runType: implementation\n", "            runType: 12\n")
    [finding] = lint_files(files, "HP104")
    assert finding.line == files[file].splitlines().index("            runType: 12") + 1
