"""A dependency's `filters`, compiled once and evaluated per event with Argo Events' semantics.

Mirrors `pkg/sensors/dependencies/filter.go` (v1.9): the order kinds run in (exprs, data,
context, time, script), the logical operators, which problems are errors and the exact error
text. An error makes the dependency not match (Argo Events drops the event with one log line);
here it also becomes a reason. Constructs the simulator cannot evaluate faithfully raise
`Unsupported`, which the caller reports instead of a decision.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from lupa import lua51

from hera_pipelines.simulate import engines
from hera_pipelines.simulate.engines import EngineError, Unsupported
from hera_pipelines.simulate.event import Event
from hera_pipelines.simulate.gjsonpath import GJSONPath, Result, compile_path
from hera_pipelines.simulate.gofmt import GoRegexpError, compile_regexp

__all__ = ["DependencyFilter", "FilterOutcome", "parse_go_bool", "parse_go_float"]

_OR = "or"
_ERR = "{} filter error ({})"
_MULTI_ERR = "{} filter errors [{}]"
_SEP = " / "
_CLOCK = re.compile(r"^(\d{1,2}):(\d\d):(\d\d)(?:[.,](\d+))?$")
_FLOAT = re.compile(
    r"^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)$", re.IGNORECASE
)
_BOOLS = {
    **dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
    **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False"), False),
}


class _GoError(Exception):
    """An error Go's filter code returns; its text is Go's."""


def parse_go_float(text: str) -> float:
    """`strconv.ParseFloat(text, 64)` for decimal input; raises `_GoError` with Go's message."""
    if not _FLOAT.match(text):
        raise _GoError(f'strconv.ParseFloat: parsing "{text}": invalid syntax')
    return float(text)


def parse_go_bool(text: str) -> bool:
    if text not in _BOOLS:
        raise _GoError(f'strconv.ParseBool: parsing "{text}": invalid syntax')
    return _BOOLS[text]


def _show(value: str, limit: int = 60) -> str:
    text = value if len(value) <= limit else value[: limit - 1] + "…"
    return '"' + text.replace('"', '\\"') + '"'


@dataclass
class FilterOutcome:
    """The decision for one event: Go's (bool, error), plus the why."""

    passed: bool
    error: str | None = None
    reasons: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- data


class _DataFilter:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.path_text = str(spec.get("path") or "")
        self.path: GJSONPath = compile_path(self.path_text)
        self.type = str(spec.get("type") or "")
        raw_values = spec.get("value") or []
        self.values = [str(v) for v in raw_values] if isinstance(raw_values, list) else []
        self.comparator = str(spec.get("comparator") or "")
        self.template_src = str(spec.get("template") or "")
        self.template: engines.CompiledTemplate | None = None
        self.template_error: Exception | None = None
        if self.template_src:
            try:
                self.template = engines.compile_template(self.template_src)
            except (EngineError, Unsupported) as exc:
                self.template_error = exc
        self.regexps: list[re.Pattern[str] | Exception] = []
        if self.type == "string":
            for value in self.values:
                try:
                    self.regexps.append(compile_regexp(value))
                except GoRegexpError as exc:
                    if "\\p" in value or "\\P" in value:
                        self.regexps.append(Unsupported(f"regexp {value!r}: {exc}"))
                    else:
                        self.regexps.append(_GoError(str(exc)))

    def apply_template(self, result: Result) -> Result:
        if self.template_error is not None:
            if isinstance(self.template_error, Unsupported):
                raise self.template_error
            raise _GoError(str(self.template_error))
        assert self.template is not None
        try:
            out = self.template.render({"Input": result.string()})
        except EngineError as exc:
            raise _GoError(str(exc)) from exc
        if out in ("", "<no value>"):
            raise _TemplateEmpty(self.template_src)
        return Result(out, "")

    def compare(self, result: Result, reasons: list[str]) -> bool:
        """True when one value matches; raises `_GoError` for a bad value."""
        label = f"data {self.path_text}"
        if self.type == "bool":
            actual_bool = result.bool()
            for value in self.values:
                if parse_go_bool(value) == actual_bool:
                    reasons.append(f"{label}: {str(actual_bool).lower()} == {value}")
                    return True
            reasons.append(f"{label}: {str(actual_bool).lower()} not in {self.values}")
            return False
        if self.type == "number":
            actual = result.float()
            op = self.comparator or "="
            for value in self.values:
                wanted = parse_go_float(value)
                if _compare_numbers(actual, wanted, op):
                    reasons.append(f"{label}: {actual:g} {op} {value}")
                    return True
            reasons.append(f"{label}: {actual:g} is not {op} any of {self.values}")
            return False
        # string
        text = result.string()
        negate = self.comparator == "!="
        for value, pattern in zip(self.values, self.regexps, strict=True):
            if isinstance(pattern, Exception):
                raise pattern
            if self.comparator not in ("", "=", "!="):
                continue
            found = pattern.search(text) is not None
            if found != negate:
                verb = "does not match" if negate else "matches"
                reasons.append(f"{label}: {_show(text)} {verb} /{value}/")
                return True
        verb = "matches one of" if negate else "matches none of"
        reasons.append(f"{label}: {_show(text)} {verb} {self.values}")
        return False


class _TemplateEmpty(Exception):
    pass


def _compare_numbers(actual: float, wanted: float, op: str) -> bool:
    if op == ">=":
        return actual >= wanted
    if op == ">":
        return actual > wanted
    if op == "<":
        return actual < wanted
    if op == "<=":
        return actual <= wanted
    if op == "!=":
        return actual != wanted
    if op == "=":
        return actual == wanted
    return False


def _filter_data(
    filters: list[_DataFilter], operator: str, event: Event | None, reasons: list[str]
) -> tuple[bool, str | None]:
    if not filters:
        return True, None
    if event is None:
        return False, _ERR.format("data", "nil Event")
    if not event.has_data:
        reasons.append("data: event has no data, data filters pass")
        return True, None
    if not event.is_json:
        return False, _ERR.format("data", "event data not valid JSON")
    doc = event.document
    is_or = operator == _OR
    errors: list[str] = []
    for f in filters:
        result = f.path.get(doc)
        if result is None:
            msg = f"path '{f.path_text}' does not exist"
            if is_or:
                errors.append(msg)
                continue
            return False, _ERR.format("data", msg)
        if not f.values:
            if is_or:
                errors.append("no values specified")
                continue
            return False, _ERR.format("data", "no values specified")
        if f.template_src:
            try:
                result = f.apply_template(result)
            except _GoError as exc:
                if is_or:
                    errors.append(str(exc))
                    continue
                return False, _ERR.format("data", exc)
            except _TemplateEmpty:
                if is_or:
                    errors.append(
                        f"template evaluated to empty string or no value: '{f.template_src}'"
                    )
                    continue
                return False, _ERR.format(
                    "data", f"template '{f.template_src}' evaluated to empty string or no value"
                )
        if f.type not in ("bool", "number", "string"):
            msg = f"unsupported JSON type '{f.type}'"
            if is_or:
                errors.append(msg)
                continue
            return False, _ERR.format("data", msg)
        try:
            matched = f.compare(result, reasons)
        except _GoError as exc:
            if is_or:
                errors.append(str(exc))
                continue
            return False, _ERR.format("data", exc)
        if matched and is_or:
            return True, None
        if not matched and not is_or:
            return False, None
    if is_or:
        if errors:
            return False, _MULTI_ERR.format("data", _SEP.join(errors))
        return False, None
    return True, None


# ---------------------------------------------------------------- exprs


class _ExprFilter:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.src = str(spec.get("expr") or "")
        fields = spec.get("fields") or []
        self.fields = [
            (str(f.get("name") or ""), str(f.get("path") or ""), compile_path(str(f.get("path"))))
            for f in fields
            if isinstance(f, dict)
        ]
        self.compiled: engines.CompiledExpression | None = None
        self.error: Exception | None = None
        try:
            self.compiled = engines.compile_expression(self.src)
        except (EngineError, Unsupported) as exc:
            self.error = exc


def _filter_expr(
    filters: list[_ExprFilter] | None, operator: str, event: Event | None, reasons: list[str]
) -> tuple[bool, str | None]:
    if filters is None:
        return True, None
    if event is None:
        return False, _ERR.format("expr", "nil event")
    if not event.has_data:
        reasons.append("exprs: event has no data, expr filters pass")
        return True, None
    if not event.is_json:
        return False, _ERR.format("expr", "event data not valid JSON")
    doc = event.document
    is_or = operator == _OR
    errors: list[str] = []
    for f in filters:
        params: dict[str, Any] = {}
        missing = None
        for name, path_text, path in f.fields:
            result = path.get(doc)
            if result is None:
                missing = f"path '{path_text}' does not exist"
                break
            params[name] = result.value
        if missing is not None:
            if is_or:
                errors.append(missing)
                continue
            return False, _ERR.format("expr", missing)
        if not params:
            continue
        try:
            if f.error is not None:
                raise f.error
            assert f.compiled is not None
            value = f.compiled.evaluate(params)
        except EngineError as exc:
            if is_or:
                errors.append(str(exc))
                continue
            return False, _ERR.format("expr", exc)
        shown = ", ".join(f"{k}={v!r}" for k, v in params.items())
        reasons.append(f"expr `{f.src}` with {shown}: {value!r}")
        if value is True:
            if is_or:
                return True, None
        elif not is_or:
            return False, None
    if is_or:
        if errors:
            return False, _MULTI_ERR.format("expr", _SEP.join(errors))
        return False, None
    return True, None


# ---------------------------------------------------------------- context, time


_CONTEXT_KEYS = ("type", "subject", "source", "datacontenttype")


def _filter_context(
    expected: dict[str, Any] | None, event: Event | None, reasons: list[str]
) -> bool:
    if expected is None:
        return True
    actual = event.context if event is not None else None
    if actual is None:
        reasons.append("context: the event has no context")
        return False
    passed = True
    for key in _CONTEXT_KEYS:
        wanted = str(expected.get(key) or "")
        if wanted:
            got = str(getattr(actual, key))
            ok = wanted == got
            passed = passed and ok
            reasons.append(f"context {key}: {_show(got)} {'==' if ok else '!='} {_show(wanted)}")
    return passed


class _TimeFilter:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.start = str(spec.get("start") or "")
        self.stop = str(spec.get("stop") or "")
        self.timezone = str(spec.get("timezone") or "")

    def _parse(self, clock: str, base: datetime, tz: zoneinfo.ZoneInfo | None) -> datetime:
        match = _CLOCK.match(clock)
        layout = "2006-01-02 15:04:05"
        local = base.astimezone(tz or UTC)
        text = f"{local:%Y-%m-%d} {clock}"
        if match is None:
            raise _GoError(f'parsing time "{text}" as "{layout}": cannot parse "{clock}"')
        hour, minute, second = (int(match.group(i)) for i in (1, 2, 3))
        if hour > 23 or minute > 59 or second > 59:
            raise _GoError(f'parsing time "{text}": hour, minute or second out of range')
        frac = match.group(4) or ""
        micros = int((frac + "000000")[:6]) if frac else 0
        naive = datetime(local.year, local.month, local.day, hour, minute, second, micros)
        return naive.replace(tzinfo=tz or UTC)

    def evaluate(self, event: Event | None, reasons: list[str]) -> tuple[bool, str | None]:
        when = event.context.time if event is not None and event.context is not None else None
        if when is None:
            when = datetime(1, 1, 1, tzinfo=UTC)
        tz: zoneinfo.ZoneInfo | None = None
        if self.timezone:
            try:
                tz = zoneinfo.ZoneInfo(self.timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                return False, _ERR.format("time", f"unknown time zone {self.timezone}")
        try:
            start = self._parse(self.start, when, tz)
            stop = self._parse(self.stop, when, tz)
        except _GoError as exc:
            return False, _ERR.format("time", exc)
        passed = start <= when < stop if start < stop else when >= start or when < stop
        zone = self.timezone or "UTC"
        window = f"[{self.start}, {self.stop}) {zone}"
        reasons.append(
            f"time {when.astimezone(tz or UTC):%H:%M:%S} {'in' if passed else 'not in'} {window}"
        )
        return passed, None


# ---------------------------------------------------------------- script


class _ScriptFilter:
    """A Lua script run with the event data as global `event` (gopher-lua is Lua 5.1).

    The data becomes nested tables (arrays 1-based); a JSON null is nil, so a null inside an
    array leaves a hole where gopher-lua's conversion would close it up.
    """

    _SANDBOX = (
        "os.execute=nil os.remove=nil os.rename=nil os.exit=nil os.getenv=nil os.tmpname=nil "
        "io=nil dofile=nil loadfile=nil require=nil package=nil"
    )

    def __init__(self, src: str) -> None:
        self.src = src
        self.runtime = lua51.LuaRuntime(
            register_eval=False, register_builtins=False, unpack_returned_tuples=True
        )
        self.runtime.execute(self._SANDBOX)
        self.function: Any = None
        self.error: str | None = None
        try:
            self.function = self.runtime.compile(src)
        except lua51.LuaError as exc:
            self.error = str(exc).splitlines()[0]

    def evaluate(self, event: Event | None, reasons: list[str]) -> tuple[bool, str | None]:
        if event is None:
            return False, "nil event"
        if not event.has_data:
            return True, None
        if not event.is_json:
            return False, "invalid character in event data (not JSON)"
        if not isinstance(event.value, dict):
            return (
                False,
                "json: cannot unmarshal non-object event data into map[string]interface {}",
            )
        if self.error is not None:
            return False, self.error
        self.runtime.globals().event = self.runtime.table_from(event.value, recursive=True)
        try:
            returned = self.function()
        except lua51.LuaError as exc:
            return False, str(exc).splitlines()[0]
        last = returned[-1] if isinstance(returned, tuple) and returned else returned
        passed = last is True
        reasons.append(f"script returned {last!r}")
        return passed, None


# ---------------------------------------------------------------- the whole filter


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
        self.data = [_DataFilter(d) for d in data or [] if isinstance(d, dict)]
        self.has_data = data is not None
        exprs = spec.get("exprs") if isinstance(spec.get("exprs"), list) else None
        self.exprs = (
            [_ExprFilter(e) for e in exprs if isinstance(e, dict)] if exprs is not None else None
        )
        ctx = spec.get("context")
        self.context: dict[str, Any] | None = (
            (ctx if isinstance(ctx, dict) else {}) if _present(spec, "context") else None
        )
        self.time = _TimeFilter(spec["time"]) if isinstance(spec.get("time"), dict) else None
        script = str(spec.get("script") or "")
        self.script = _ScriptFilter(script) if script else None

    def filter_event(self, event: Event | None, operator: str) -> FilterOutcome:
        """Go's `filterEvent`: the boolean and the error, both kept (an 'or' can pass with one)."""
        reasons: list[str] = []
        is_or = operator == _OR
        errors: list[str] = []

        expr_ok, expr_err = _filter_expr(self.exprs, self.expr_operator, event, reasons)
        if expr_err is not None:
            if not is_or:
                return FilterOutcome(False, expr_err, reasons)
            errors.append(expr_err)
        data_ok, data_err = _filter_data(self.data, self.data_operator, event, reasons)
        if data_err is not None:
            if not is_or:
                return FilterOutcome(False, data_err, reasons)
            errors.append(data_err)
        ctx_ok = _filter_context(self.context, event, reasons)
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
            return FilterOutcome(passed, _SEP.join(errors) if errors else None, reasons)
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
