"""A dependency's whole `filters` block, run in Go's order with its operators.

A dependency's whole ``filters`` block, compiled once and evaluated per event with Argo Events'
semantics (``pkg/sensors/dependencies/filter.go``, v1.9): the order kinds run in (exprs, data,
context, time, script), the logical operators, which problems are errors and their exact text.

An error makes the dependency not match (Argo Events drops the event with one log line); here it
also becomes a reason. Constructs the simulator cannot evaluate faithfully raise `Unsupported`,
which the caller reports instead of a decision.
"""

from __future__ import annotations

from typing import Any

from hera_pipelines.simulate.argo.event import Event
from hera_pipelines.simulate.argo.filters.context import TimeFilter, filter_context
from hera_pipelines.simulate.argo.filters.data import DataFilter, filter_data
from hera_pipelines.simulate.argo.filters.exprs import ExprFilter, filter_expr
from hera_pipelines.simulate.argo.filters.outcome import OR, SEP, FilterOutcome
from hera_pipelines.simulate.argo.filters.script import ScriptFilter

__all__ = ["DependencyFilter"]


def _present(spec: dict[str, Any], key: str) -> bool:
    return key in spec and spec[key] is not None


class DependencyFilter:
    """`EventDependencyFilter` compiled once; `evaluate(event, operator)` per event."""

    def __init__(self, spec: dict[str, Any] | None) -> None:
        self.absent = spec is None
        spec = spec if isinstance(spec, dict) else {}
        self.data_operator = str(spec.get("dataLogicalOperator") or "")
        self.expr_operator = str(spec.get("exprLogicalOperator") or "")
        data = spec.get("data") if isinstance(spec.get("data"), list) else None
        self.data = [DataFilter(d) for d in data or [] if isinstance(d, dict)]
        self.has_data = data is not None
        exprs = spec.get("exprs") if isinstance(spec.get("exprs"), list) else None
        self.exprs = (
            [ExprFilter(e) for e in exprs if isinstance(e, dict)] if exprs is not None else None
        )
        ctx = spec.get("context")
        self.context: dict[str, Any] | None = (
            (ctx if isinstance(ctx, dict) else {}) if _present(spec, "context") else None
        )
        self.time = TimeFilter(spec["time"]) if isinstance(spec.get("time"), dict) else None
        script = str(spec.get("script") or "")
        self.script = ScriptFilter(script) if script else None

    def filter_event(self, event: Event | None, operator: str) -> FilterOutcome:
        """Go's `filterEvent`: the boolean and the error, both kept (an 'or' can pass with one)."""
        reasons: list[str] = []
        is_or = operator == OR
        errors: list[str] = []

        expr_ok, expr_err = (
            (True, None)
            if self.exprs is None
            else filter_expr(self.exprs, self.expr_operator, event, reasons)
        )
        if expr_err is not None:
            if not is_or:
                return FilterOutcome(False, expr_err, reasons)
            errors.append(expr_err)
        data_ok, data_err = (
            filter_data(self.data, self.data_operator, event, reasons)
            if self.data
            else (True, None)
        )
        if data_err is not None:
            if not is_or:
                return FilterOutcome(False, data_err, reasons)
            errors.append(data_err)
        ctx_ok = True if self.context is None else filter_context(self.context, event, reasons)
        time_ok, time_err = (
            (True, None) if self.time is None else self.time.evaluate(event, reasons)
        )
        if time_err is not None:
            if not is_or:
                return FilterOutcome(False, time_err, reasons)
            errors.append(time_err)
        decided_false = not is_or and not (expr_ok and data_ok and ctx_ok and time_ok)
        if self.script is not None and decided_false:
            # Go runs the script anyway, but the answer is already "no match" either way.
            reasons.append("script not run: an earlier filter already failed")
            script_ok, script_err = False, None
        else:
            script_ok, script_err = (
                (True, None) if self.script is None else self.script.evaluate(event, reasons)
            )
        if script_err is not None:
            return FilterOutcome(False, script_err, reasons)
        if is_or:
            passed = (
                (self.exprs is not None and expr_ok)
                or (self.has_data and data_ok)
                or (self.context is not None and ctx_ok)
                or (self.time is not None and time_ok)
                or (self.script is not None and script_ok)
            )
            return FilterOutcome(passed, SEP.join(errors) if errors else None, reasons)
        passed = expr_ok and data_ok and ctx_ok and time_ok and script_ok
        return FilterOutcome(passed, None, reasons)

    def evaluate(self, event: Event | None, operator: str) -> FilterOutcome:
        """Go's `Filter`: any error means the event does not pass."""
        if self.absent:
            return FilterOutcome(True, None, ["no filters"])
        outcome = self.filter_event(event, operator)
        if outcome.error is not None:
            outcome.passed = False
        return outcome
