"""govaluate engine: upstream argo-events verdicts (filters.json, conditions.json), unit cases."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.simulate.go.govaluate.conditions import compile_condition
from hera_pipelines.simulate.go.govaluate.errors import ConditionError, ExpressionError
from hera_pipelines.simulate.go.govaluate.parser import compile_expression

CONFORMANCE = Path(__file__).resolve().parents[2] / "data" / "conformance"


def _load(name: str) -> dict[str, Any]:
    path = CONFORMANCE / name
    if not path.exists():
        pytest.skip(f"{path} not present")
    data: dict[str, Any] = json.loads(path.read_text())
    return data


def _filter_cases() -> list[Any]:
    path = CONFORMANCE / "filters.json"
    if not path.exists():
        return []
    cases = json.loads(path.read_text())["cases"]
    return [
        pytest.param(case, id=case["name"])
        for case in cases
        if (case.get("filter") or {}).get("exprs")
    ]


def _condition_cases() -> list[Any]:
    path = CONFORMANCE / "conditions.json"
    if not path.exists():
        return []
    return [pytest.param(c, id=c["name"]) for c in json.loads(path.read_text())["cases"]]


_MISSING = object()


def _dotted(data: object, path: str) -> object:
    """Enough of GJSON for the plain dotted paths the upstream expr cases use."""
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return _MISSING
        data = data[part]
    return data


def _expr_verdict(exprs: list[dict[str, Any]], operator: str, data: object) -> object:
    """The upstream filterExpr loop, with the engine deciding each expression."""
    errors: list[str] = []
    for item in exprs:
        params = {}
        missing = False
        for f in item["fields"]:
            value = _dotted(data, f["path"])
            if value is _MISSING:
                if operator != "or":
                    return "error"
                errors.append(f["path"])
                missing = True
                break
            params[f["name"]] = value
        if missing:
            continue
        try:
            result = compile_expression(item["expr"]).evaluate(params)
        except ExpressionError:
            if operator != "or":
                return "error"
            errors.append(item["expr"])
            continue
        if operator == "or" and result is True:
            return True
        if operator != "or" and result is not True:
            return False
    if operator == "or":
        return "error" if errors else False
    return True


@pytest.mark.parametrize("case", _filter_cases())
def test_upstream_expr_filters(case: dict[str, Any]) -> None:
    flt = case["filter"]
    exprs = flt["exprs"]
    event = case.get("event") or {}
    # Every upstream expression parses, except those whose case asserts a parse error.
    parse_errors = []
    for item in exprs:
        try:
            compile_expression(item["expr"])
        except ExpressionError:
            parse_errors.append(item["expr"])
    if parse_errors:
        assert case["expect"] == "error" or case.get("expectResultWithError") is False
        return
    if "data" not in event:
        pytest.skip("no decoded data: the verdict comes from the filter wiring, not the engine")
    verdict = _expr_verdict(exprs, flt.get("exprLogicalOperator") or "", event["data"])
    if case["scope"] == "filterExpr":
        assert verdict == case["expect"]
    elif case["expect"] is True and (case.get("filtersLogicalOperator") or "and") != "or":
        # every filter kind must pass under 'and', so the expr part passed upstream
        assert verdict is True


def test_conformance_counts() -> None:
    cases = _load("filters.json")["cases"]
    exprs = [e for c in cases for e in ((c.get("filter") or {}).get("exprs") or [])]
    assert len(exprs) >= 30
    for item in exprs:
        if item["expr"] in ('e == false"', 'k !== "x"'):
            with pytest.raises(ExpressionError):
                compile_expression(item["expr"])
        else:
            compile_expression(item["expr"])


@pytest.mark.parametrize("case", _condition_cases())
def test_upstream_dependency_expressions(case: dict[str, Any]) -> None:
    expect = case["expect"]
    if expect["error"]:
        with pytest.raises(ConditionError):
            compile_condition(case["conditions"], case["dependencies"])
        return
    condition = compile_condition(case["conditions"], case["dependencies"])
    if "expression" in expect:
        assert condition.expression == expect["expression"]
    assert condition.dependencies == tuple(case["dependencies"])


@pytest.mark.parametrize(
    ("src", "params", "expected"),
    [
        ('a == "b"', {"a": "b"}, True),
        ("a == 2", {"a": 2}, True),
        ("a == '2'", {"a": 2}, False),
        ("a == b", {"a": [1, {"x": 2}], "b": [1.0, {"x": 2}]}, True),
        ("1 + 2 * 3", {}, 7.0),
        ("10 - 4 - 3", {}, 3.0),
        ("2 ** 3 ** 2", {}, 64.0),
        ("7 % 4", {}, 3.0),
        ("-7 % 4", {}, -3.0),
        ("1 / 0", {}, float("inf")),
        ('"n=" + 1.5', {}, "n=1.5"),
        ('"n=" + 1000000', {}, "n=1e+06"),
        ("a + b", {"a": "x", "b": None}, "x<nil>"),
        ("x in (1, 2, 3)", {"x": 2}, True),
        ("x IN ('a', 'b')", {"x": "c"}, False),
        ("x in l", {"x": "b", "l": ["a", "b"]}, True),
        ('a > "b"', {"a": "c"}, True),
        ("true ? 1 : 2", {}, 1.0),
        ("false ? 1 : 2", {}, 2.0),
        ("v ?? 3", {"v": None}, 3.0),
        ("v ?? 3", {"v": "set"}, "set"),
        ("-a", {"a": 3}, -3.0),
        ("!a && true", {"a": False}, True),
        ("~0", {}, -1.0),
        ("0x1F & 7 | 8 ^ 1", {}, 14.0),
        ("1 << 4 >> 2", {}, 4.0),
        ("[a-b] == 1", {"a-b": 1}, True),
        ("dep\\-a && b", {"dep-a": True, "b": True}, True),
        ('a =~ "^st"', {"a": "start"}, True),
        ('a !~ "t$"', {"a": "start\n"}, True),
        ("a =~ b", {"a": "abc", "b": "b+"}, True),
        ("'2014-01-02' > '2014-01-01'", {}, True),
        ("'2014-01-02' == 1388620800", {}, True),
        ("false && missing", {}, False),
        ("true || missing", {}, True),
        ("'it\\'s'", {}, "it's"),
    ],
)
def test_evaluates_like_govaluate(src: str, params: dict[str, object], expected: object) -> None:
    assert compile_expression(src).evaluate(params) == expected


@pytest.mark.parametrize(
    ("src", "params", "message"),
    [
        (
            "a < 1",
            {"a": "c"},
            "Value 'c' cannot be used with the comparator '<', it is not a number",
        ),
        ("a && true", {"a": "x"}, "Value 'x' cannot be used with the logical operator '&&'"),
        ("a - 1", {"a": "x"}, "Value 'x' cannot be used with the modifier '-', it is not a number"),
        ("a + true", {"a": 1}, "cannot be used with the modifier '+'"),
        ("!a", {"a": 1}, "Value '1' cannot be used with the prefix '!'"),
        ("missing == 1", {}, "No parameter 'missing' found."),
        ("x in (1)", {"x": 1}, "cannot be used with the comparator 'in'"),
        ("a.B", {"a": {"B": 1}}, "'a' is not a struct"),
        ("1 ? 2 : 3", {}, "cannot be used with the ternary operator '?'"),
    ],
)
def test_runtime_errors(src: str, params: dict[str, object], message: str) -> None:
    expression = compile_expression(src)
    with pytest.raises(ExpressionError, match=re.escape(message)):
        expression.evaluate(params)


@pytest.mark.parametrize(
    ("src", "message"),
    [
        ('k !== "x"', "Invalid token: '!=='"),
        ('e == false"', "Unclosed string literal"),
        ("1 = 1", "Invalid token: '='"),
        ("true &&& false", "Invalid token"),
        ("a b", "Cannot transition token types from VARIABLE [a] to VARIABLE [b]"),
        ("foo(1)", "Undefined function foo"),
        ("a.b", "Unable to access unexported field 'b' in token 'a.b'"),
        ("a.", "Hanging accessor"),
        ("(a", "Unbalanced parenthesis"),
        ("10 > 5 +", "Unexpected end of expression"),
        ("[a", "Unclosed parameter bracket"),
        ("1.2.3", "Unable to parse numeric value"),
        ('a =~ "("', "error parsing regexp"),
        ('a =~ "(?=x)"', "invalid or unsupported Perl syntax"),
        ("", "Unexpected end of expression"),
    ],
)
def test_parse_errors(src: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=re.escape(message)):
        compile_expression(src)


def test_variables_are_reported_once_in_order() -> None:
    expression = compile_expression("b == 1 && a == 2 || b == 3")
    assert expression.variables == frozenset({"a", "b"})
    assert expression.variable_order == ("b", "a")


def test_conditions_rewrite_like_argo_events() -> None:
    deps = ["dep-a", "dep-b", "dep-c"]
    condition = compile_condition("dep-a && (dep-b || dep-c)", deps)
    assert condition.expression == "dep-a&&(dep-b||dep-c)"
    assert condition.requires_and_logic
    assert condition.evaluate({"dep-a": True, "dep-c": True})
    assert not condition.evaluate({"dep-a": True})
    assert not condition.evaluate({"dep-b": True, "dep-c": True})


def test_conditions_default_to_all_dependencies() -> None:
    condition = compile_condition(None, ["dep1", "dep1a", "dep2"])
    assert condition.expression == "dep1&&dep1a&&dep2"
    assert not condition.evaluate({"dep1": True, "dep2": True})
    assert condition.evaluate({"dep1": True, "dep1a": True, "dep2": True})


def test_or_only_conditions_fire_on_any_dependency() -> None:
    condition = compile_condition("a || b", ["a", "b", "c"])
    assert not condition.requires_and_logic
    assert condition.dependencies == ("a", "b")
    assert condition.evaluate({"b": True})
    assert not condition.evaluate({"c": True})


@pytest.mark.parametrize(
    ("conditions", "deps"),
    [
        ("dep1 && nope", ["dep1"]),
        ("!dep1", ["dep1"]),
        ("dep1 dep2", ["dep1", "dep2"]),
        ("dep1 and dep2", ["dep1", "dep2"]),
        ("dep1 &&", ["dep1"]),
    ],
)
def test_conditions_argo_events_refuses(conditions: str, deps: list[str]) -> None:
    with pytest.raises(ConditionError):
        compile_condition(conditions, deps)


def test_a_compiled_expression_is_reusable() -> None:
    """Compiled once, evaluated many times with the same result (its speed is `make bench`'s
    business, never a timed unit test)."""
    expression = compile_expression('a == "x" && (b > 2 || c =~ "^v")')
    params = {"a": "x", "b": 1, "c": "value"}
    for _ in range(100):
        assert expression.evaluate(params) is True
    assert expression.evaluate({"a": "y", "b": 3, "c": "z"}) is False
