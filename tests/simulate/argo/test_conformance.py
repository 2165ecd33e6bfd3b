"""Conformance: argo-events' own filter and parameter unit tests, run against our semantics.

The cases live in `tests/data/conformance/` (copied from shared/conformance) (transcribed from argo-events at the commit their
`upstream` block names). The pass counts are asserted so a regression fails; run with `-s` to
see them printed.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.simulate.argo.event import Event, EventContext
from hera_pipelines.simulate.argo.filters.dependency import DependencyFilter
from hera_pipelines.simulate.argo.params import (
    apply_params,
    construct_payload,
    resolve_param_value,
)

CONFORMANCE = Path(__file__).resolve().parents[2] / "data" / "conformance"

EXPECTED_FILTER_PASSES = 94
EXPECTED_PARAM_PASSES = 23
EXPECTED_CONDITION_PASSES = 3


def _load(name: str) -> list[dict[str, Any]]:
    path = CONFORMANCE / name
    if not path.is_file():
        pytest.skip(f"{path} not present")
    cases: list[dict[str, Any]] = json.loads(path.read_text())["cases"]
    return cases


def make_event(spec: dict[str, Any] | None) -> Event | None:
    """An `Event` from a case's `event` object (context, data, dataRaw)."""
    if spec is None:
        return None
    ctx = spec.get("context")
    context = None
    if ctx is not None:
        fields = {k: v for k, v in ctx.items() if k != "time"}
        if "time" in ctx:
            fields["time"] = datetime.fromisoformat(ctx["time"].replace("Z", "+00:00"))
        fields.setdefault("specversion", "")
        fields.setdefault("datacontenttype", "")
        context = EventContext(**fields)
    if "dataRaw" in spec:
        return Event.from_text(context, spec["dataRaw"])
    if "data" in spec:
        return Event.from_text(context, json.dumps(spec["data"]))
    return Event.from_text(context, None)


def run_filter_case(case: dict[str, Any]) -> bool:
    event = make_event(case["event"])
    spec = case["filter"]
    if isinstance(spec, list):  # upstream's empty EventDependencyFilter{}
        spec = {}
    scope = case["scope"]
    expect = case["expect"]
    if scope in ("filterEvent", "Filter"):
        dep = DependencyFilter(spec)
        operator = case.get("filtersLogicalOperator") or ""
        outcome = dep.filter_event(event, operator)
        if scope == "Filter":
            outcome = dep.evaluate(event, operator)
    else:
        kind = {
            "filterData": "data",
            "filterExpr": "exprs",
            "filterContext": "context",
            "filterTime": "time",
            "filterScript": "script",
        }[scope]
        only = {k: v for k, v in spec.items() if k == kind or k.startswith(kind[:4])}
        if kind == "context" and spec.get("context") == []:
            only = {"context": {}}
        dep = DependencyFilter(only)
        outcome = dep.filter_event(event, "")
    if expect == "error":
        if outcome.error is None:
            return False
        if "expectResultWithError" in case and outcome.passed != case["expectResultWithError"]:
            return False
        message = case.get("expectErrorMessage")
        return message is None or outcome.error == message
    # With 'or', Go returns the boolean alongside the joined errors; upstream asserts the boolean.
    tolerated = case.get("filtersLogicalOperator") == "or"
    return outcome.passed is expect and (outcome.error is None or tolerated)


def _events(case: dict[str, Any]) -> dict[str, Event]:
    if "events" in case:
        return {name: e for name, spec in case["events"].items() if (e := make_event(spec))}
    event = make_event(case["event"])
    assert event is not None
    return {"fake-dependency": event}


def run_param_case(case: dict[str, Any]) -> bool:
    scope = case["scope"]
    if scope == "renderEventDataAsJSON":
        event = make_event(case["event"])
        assert event is not None
        return bool(event.data_as_json() == case["expect"])
    events = _events(case)
    if scope.startswith("getValueByKey") or scope == "ResolveParamValue":
        resolved = resolve_param_value(case["parameter"]["src"], events)
        if resolved.error is not None:
            return False
        return bool(resolved.value == case["expect"])
    if scope == "ApplyParams":
        obj = json.loads(case["object"])
        applied = apply_params(obj, case["parameters"], events)
        return bool(applied == case["expectParsed"])
    if scope == "ApplyResourceParameters":
        obj = json.loads(case["object"])
        applied = apply_params(obj, [case["parameter"]], events)
        return all(_dig(applied, path) == value for path, value in case["expectPath"].items())
    if scope == "ConstructPayload":
        payload = construct_payload(case["parameters"], events)
        return bool(payload == case["expect"])
    return False


def _dig(obj: Any, path: str) -> Any:
    for key in path.split("."):
        obj = obj[key]
    return obj


def _count(cases: list[dict[str, Any]], runner: Any) -> tuple[int, list[str]]:
    failed = []
    for case in cases:
        try:
            ok = runner(case)
        except Exception as exc:  # a crash is a failure, reported with the case name
            ok = False
            failed.append(f"{case['name']}: {type(exc).__name__}: {exc}")
            continue
        if not ok:
            failed.append(case["name"])
    return len(cases) - len(failed), failed


def test_filters_conformance() -> None:
    cases = _load("filters.json")
    passed, failed = _count(cases, run_filter_case)
    print(f"\nfilters.json: {passed}/{len(cases)} pass; failing: {failed}")
    assert passed >= EXPECTED_FILTER_PASSES, failed


def test_params_conformance() -> None:
    cases = _load("params.json")
    passed, failed = _count(cases, run_param_case)
    print(f"\nparams.json: {passed}/{len(cases)} pass; failing: {failed}")
    assert passed >= EXPECTED_PARAM_PASSES, failed


def run_condition_case(case: dict[str, Any]) -> bool:
    from hera_pipelines.simulate.argo.engines import EngineError, compile_condition

    try:
        condition = compile_condition(case["conditions"], case["dependencies"])
    except EngineError:
        return bool(case["expect"]["error"])
    if case["expect"]["error"]:
        return False
    wanted = case["expect"].get("expression", "&&".join(case["dependencies"]))
    return bool(condition.expression == wanted)


def test_conditions_conformance() -> None:
    cases = _load("conditions.json")
    passed, failed = _count(cases, run_condition_case)
    print(f"\nconditions.json: {passed}/{len(cases)} pass; failing: {failed}")
    assert passed >= EXPECTED_CONDITION_PASSES, failed
