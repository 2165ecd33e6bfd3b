"""One seam between the Sensor semantics and the expression/template engines they call.

`go.govaluate` (exprs filters, trigger conditions) and `go.template` (data filter templates,
`dataTemplate`/`contextTemplate`) are separate packages; everything here compiles through these
functions so their errors map to one vocabulary: `EngineError` (what Go would return as an
error, so the filter counts as false) and `Unsupported` (a construct this simulator cannot
evaluate faithfully, reported as such and never as match/no-match).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from hera_pipelines.simulate.go.govaluate.conditions import compile_condition as _condition
from hera_pipelines.simulate.go.govaluate.errors import ExpressionError
from hera_pipelines.simulate.go.govaluate.parser import compile_expression as _expression
from hera_pipelines.simulate.go.template.errors import TemplateError, UnsupportedTemplateError
from hera_pipelines.simulate.go.template.template import compile_template as _template

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


def _mapped(exc: Exception) -> Exception:
    if isinstance(exc, UnsupportedTemplateError):
        return Unsupported(str(exc))
    return EngineError(str(exc))


class _Wrapped:
    """Calls through to an engine object, mapping its errors."""

    def __init__(self, inner: Any, error_types: tuple[type[Exception], ...]) -> None:
        self._inner = inner
        self._errors = error_types

    @property
    def variables(self) -> Any:
        return getattr(self._inner, "variables", ())

    def evaluate(self, params: Mapping[str, Any]) -> Any:
        try:
            return self._inner.evaluate(params)
        except self._errors as exc:
            raise _mapped(exc) from exc

    def render(self, data: Any) -> str:
        try:
            return str(self._inner.render(data))
        except self._errors as exc:
            raise _mapped(exc) from exc


def compile_expression(src: str) -> CompiledExpression:
    """A govaluate expression (an `exprs` filter)."""
    try:
        inner = _expression(src)
    except ExpressionError as exc:
        raise _mapped(exc) from exc
    return _Wrapped(inner, (ExpressionError,))


def compile_condition(src: str | None, dependencies: list[str]) -> CompiledCondition:
    """A trigger's `conditions` over dependency names (None: all of them, joined with &&)."""
    try:
        return _condition(src, dependencies)
    except ExpressionError as exc:
        raise EngineError(str(exc)) from exc


def compile_template(src: str) -> CompiledTemplate:
    """A Go text/template with the sprig functions."""
    try:
        inner = _template(src)
    except TemplateError as exc:
        raise _mapped(exc) from exc
    return _Wrapped(inner, (TemplateError,))
