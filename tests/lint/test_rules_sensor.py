"""lint/rules/sensor.py: Sensor semantics."""

from __future__ import annotations

import pytest

from hera_pipelines.lint.rules.sensor import compile_re2, gjson_problem, parse_condition
from tests.lint._table import Case, check

PR = "sensor/github-pull-request.yaml"
ACTIONS = "              - ^(opened|reopened|synchronize|ready_for_review)$\n"
CASES = [
    Case("HP401", PR, "    eventName: github\n", "    eventName: gitlab\n", "no event 'gitlab'"),
    Case("HP402", PR, "      conditions: pull-request\n",
         "      conditions: pull-request && other\n", "unknown dependency 'other'"),
    Case("HP403", PR, "        - dest: spec.arguments.parameters.0.value\n",
         "        - dest: spec.arguments.parameters.9.value\n", "past the end"),
    Case("HP404", PR, ACTIONS, "              - ^(?!opened)$\n", "RE2"),
    Case("HP405", PR, ACTIONS, "              - opened\n", "anchor it"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule(case: Case) -> None:
    check(case)


@pytest.mark.parametrize(
    ("text", "names", "error"),
    [
        ("a", {"a"}, None),
        ("a && (b || !c-d)", {"a", "b", "c-d"}, None),
        ("a &&", {"a"}, "unexpected end"),
        ("(a || b", {"a", "b"}, "missing ')'"),
    ],
)
def test_parse_condition(text: str, names: set[str], error: str | None) -> None:
    assert parse_condition(text) == (names, error)


def test_helpers() -> None:
    assert compile_re2("^a(b|c)$") is None
    assert compile_re2("(a") is not None
    assert gjson_problem("body.pull_request.labels.#.name") is None
    assert gjson_problem("body..x") == "empty path component"
