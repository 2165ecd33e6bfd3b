"""One seam between the Sensor semantics and the expression/template engines they call.

`govaluate` (exprs filters, trigger conditions) and `gotemplate` (data filter templates,
`dataTemplate`/`contextTemplate`) are separate modules; everything here compiles through these
functions so their errors map to one vocabulary: `EngineError` (what Go would return as an
error, so the filter counts as false) and `Unsupported` (a construct this simulator cannot
evaluate faithfully, reported as such and never as match/no-match).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import ModuleType
from typing import Any, Protocol

from hera_pipelines.simulate import gotemplate, govaluate

__all__ = [
    "CompiledCondition",
    "CompiledExpression",
    "CompiledTemplate",
    "EngineError",
    "Unsupported",
    "compile_condition",
    "compile_expression",
    "compile_template",
]


class EngineError(Exception):
    """The engine reports an error, as Go's would (parse or evaluation)."""


class Unsupported(Exception):
    """A construct the simulator does not evaluate; never treated as match or no-match."""


class CompiledExpression(Protocol):
    @property
    def variables(self) -> Any: ...

    def evaluate(self, params: Mapping[str, Any]) -> Any: ...


class CompiledTemplate(Protocol):
    def render(self, data: Any) -> str: ...


class CompiledCondition(Protocol):
    @property
    def expression(self) -> str: ...

    @property
    def dependencies(self) -> tuple[str, ...]: ...

    def evaluate(self, matched: Mapping[str, bool]) -> bool: ...


def _is_unsupported(exc: BaseException) -> bool:
    return "Unsupported" in type(exc).__name__


class _Wrapped:
    """Calls through to an engine object, mapping its errors."""

    def __init__(self, inner: Any, error_types: tuple[type[BaseException], ...]) -> None:
        self._inner = inner
        self._errors = error_types

    @property
    def variables(self) -> Any:
        return getattr(self._inner, "variables", ())

    def evaluate(self, params: Mapping[str, Any]) -> Any:
        try:
            return self._inner.evaluate(params)
        except self._errors as exc:
            raise (Unsupported if _is_unsupported(exc) else EngineError)(str(exc)) from exc

    def render(self, data: Any) -> str:
        try:
            return str(self._inner.render(data))
        except self._errors as exc:
            raise (Unsupported if _is_unsupported(exc) else EngineError)(str(exc)) from exc


def _engine_errors(module: ModuleType) -> tuple[type[BaseException], ...]:
    found = [
        obj
        for name in dir(module)
        if name.endswith("Error") and isinstance(obj := getattr(module, name), type)
    ]
    return tuple(t for t in found if issubclass(t, Exception)) or (Exception,)


def compile_expression(src: str) -> CompiledExpression:
    """A govaluate expression (an `exprs` filter)."""
    errors = _engine_errors(govaluate)
    try:
        inner = govaluate.compile_expression(src)
    except errors as exc:
        raise (Unsupported if _is_unsupported(exc) else EngineError)(str(exc)) from exc
    return _Wrapped(inner, errors)


def compile_condition(src: str | None, dependencies: list[str]) -> CompiledCondition:
    """A trigger's `conditions` over dependency names (None: all of them, joined with &&)."""
    try:
        return govaluate.compile_condition(src, dependencies)
    except govaluate.ExpressionError as exc:
        raise EngineError(str(exc)) from exc


def compile_template(src: str) -> CompiledTemplate:
    """A Go text/template with the sprig functions."""
    errors = _engine_errors(gotemplate)
    try:
        inner = gotemplate.compile_template(src)
    except errors as exc:
        raise (Unsupported if _is_unsupported(exc) else EngineError)(str(exc)) from exc
    return _Wrapped(inner, errors)
