"""``filters.exprs``: govaluate expressions over named GJSON fields of the event data."""

from __future__ import annotations

from typing import Any

from hera_pipelines.simulate.argo import engines
from hera_pipelines.simulate.argo.engines import EngineError, Unsupported
from hera_pipelines.simulate.argo.event import Event
from hera_pipelines.simulate.argo.filters.outcome import ERR, MULTI_ERR, OR, SEP
from hera_pipelines.simulate.go.gjson import compile_path

__all__ = ["ExprFilter", "filter_expr"]


class ExprFilter:
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


def filter_expr(
    filters: list[ExprFilter] | None, operator: str, event: Event | None, reasons: list[str]
) -> tuple[bool, str | None]:
    if filters is None:
        return True, None
    if event is None:
        return False, ERR.format("expr", "nil event")
    if not event.has_data:
        reasons.append("exprs: event has no data, expr filters pass")
        return True, None
    if not event.is_json:
        return False, ERR.format("expr", "event data not valid JSON")
    doc = event.document
    is_or = operator == OR
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
            return False, ERR.format("expr", missing)
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
            return False, ERR.format("expr", exc)
        shown = ", ".join(f"{k}={v!r}" for k, v in params.items())
        reasons.append(f"expr `{f.src}` with {shown}: {value!r}")
        if value is True:
            if is_or:
                return True, None
        elif not is_or:
            return False, None
    if is_or:
        if errors:
            return False, MULTI_ERR.format("expr", SEP.join(errors))
        return False, None
    return True, None
