"""`filters.data`, so path values compare as Go's filter.go compares them.

``filters.data``: a GJSON path's value compared as bool, number or RE2 string patterns, after an
optional template, with ``filter.go``'s error texts and its and/or semantics.
"""

from __future__ import annotations

from typing import Any

from hera_pipelines.simulate.argo import engines
from hera_pipelines.simulate.argo.engines import EngineError, Unsupported
from hera_pipelines.simulate.argo.event import Event
from hera_pipelines.simulate.argo.filters.outcome import ERR, MULTI_ERR, OR, SEP, GoError, show
from hera_pipelines.simulate.go.gjson import GJSONPath, Result, compile_path
from hera_pipelines.simulate.go.regexp import Regexp, RegexpError, compile_regexp
from hera_pipelines.simulate.go.strconv import StrconvError, parse_bool, parse_float

__all__ = ["DataFilter", "filter_data"]


class DataFilter:
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
        self._compared: dict[object, tuple[bool, str]] = {}
        self.regexps: list[Regexp | Exception] = []
        if self.type == "string":
            for value in self.values:
                try:
                    self.regexps.append(compile_regexp(value))
                except RegexpError as exc:
                    self.regexps.append(GoError(str(exc)))

    def apply_template(self, result: Result) -> Result:
        if self.template_error is not None:
            if isinstance(self.template_error, Unsupported):
                raise self.template_error
            raise GoError(str(self.template_error))
        assert self.template is not None
        try:
            out = self.template.render({"Input": result.string()})
        except EngineError as exc:
            raise GoError(str(exc)) from exc
        if out in ("", "<no value>"):
            raise _TemplateEmpty(self.template_src)
        return Result(out, "")

    def compare(self, result: Result, reasons: list[str]) -> bool:
        """True when one value matches; raises `GoError` for a bad value. Memoised per value:
        the same few values (`opened`, `synchronize`…) recur on every delivery."""
        key = (
            result.string() if self.type == "string" else (self.type, result.float(), result.bool())
        )
        found = self._compared.get(key)
        if found is None:
            found = self._compare(result)
            if len(self._compared) < 1024:
                self._compared[key] = found
        reasons.append(found[1])
        return found[0]

    def _compare(self, result: Result) -> tuple[bool, str]:
        reasons: list[str] = []
        matched = self._compare_into(result, reasons)
        return matched, reasons[0]

    def _compare_into(self, result: Result, reasons: list[str]) -> bool:
        label = f"data {self.path_text}"
        if self.type == "bool":
            actual_bool = result.bool()
            for value in self.values:
                if parse_bool(value) == actual_bool:
                    reasons.append(f"{label}: {str(actual_bool).lower()} == {value}")
                    return True
            reasons.append(f"{label}: {str(actual_bool).lower()} not in {self.values}")
            return False
        if self.type == "number":
            actual = result.float()
            op = self.comparator or "="
            for value in self.values:
                wanted = parse_float(value)
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
            found = pattern.matches(text)
            if found != negate:
                verb = "does not match" if negate else "matches"
                reasons.append(f"{label}: {show(text)} {verb} /{value}/")
                return True
        verb = "matches one of" if negate else "matches none of"
        reasons.append(f"{label}: {show(text)} {verb} {self.values}")
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


def filter_data(
    filters: list[DataFilter], operator: str, event: Event | None, reasons: list[str]
) -> tuple[bool, str | None]:
    if not filters:
        return True, None
    if event is None:
        return False, ERR.format("data", "nil Event")
    if not event.has_data:
        reasons.append("data: event has no data, data filters pass")
        return True, None
    if not event.is_json:
        return False, ERR.format("data", "event data not valid JSON")
    doc = event.document
    is_or = operator == OR
    errors: list[str] = []
    for f in filters:
        result = f.path.get(doc)
        if result is None:
            msg = f"path '{f.path_text}' does not exist"
            if is_or:
                errors.append(msg)
                continue
            return False, ERR.format("data", msg)
        if not f.values:
            if is_or:
                errors.append("no values specified")
                continue
            return False, ERR.format("data", "no values specified")
        if f.template_src:
            try:
                result = f.apply_template(result)
            except GoError as exc:
                if is_or:
                    errors.append(str(exc))
                    continue
                return False, ERR.format("data", exc)
            except _TemplateEmpty:
                if is_or:
                    errors.append(
                        f"template evaluated to empty string or no value: '{f.template_src}'"
                    )
                    continue
                return False, ERR.format(
                    "data", f"template '{f.template_src}' evaluated to empty string or no value"
                )
        if f.type not in ("bool", "number", "string"):
            msg = f"unsupported JSON type '{f.type}'"
            if is_or:
                errors.append(msg)
                continue
            return False, ERR.format("data", msg)
        try:
            matched = f.compare(result, reasons)
        except (GoError, StrconvError) as exc:
            if is_or:
                errors.append(str(exc))
                continue
            return False, ERR.format("data", exc)
        if matched and is_or:
            return True, None
        if not matched and not is_or:
            return False, None
    if is_or:
        if errors:
            return False, MULTI_ERR.format("data", SEP.join(errors))
        return False, None
    return True, None
