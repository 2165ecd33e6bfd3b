"""How text/template sees values: Go's invalid value (a missing key), truth, fields, type names."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from hera_pipelines.simulate.go.fmt import format_value
from hera_pipelines.simulate.go.template.errors import TemplateError
from hera_pipelines.simulate.go.values import GoInt, go_type_name

__all__ = ["MISSING", "basic_kind", "field_of", "go_type", "print_value", "truth"]


class _Missing:
    """Go's invalid ``reflect.Value``: a missing map key; prints ``<no value>``."""

    _instance: _Missing | None = None

    def __repr__(self) -> str:
        return "<no value>"


MISSING: Final = _Missing()


def go_type(value: object) -> str:
    """``%T`` of a template value; a missing key reads as nil."""
    return go_type_name(None if value is MISSING else value)


def truth(value: object) -> bool:
    if value is None or value is MISSING:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str | list | tuple | dict | Mapping):
        return len(value) > 0
    return True


def field_of(receiver: object, name: str) -> object:
    if receiver is MISSING:
        return MISSING
    if receiver is None:
        raise TemplateError(f"nil pointer evaluating interface {{}}.{name}")
    if isinstance(receiver, Mapping):
        return receiver.get(name, MISSING)
    raise TemplateError(f"can't evaluate field {name} in type {go_type(receiver)}")


def print_value(value: object) -> str:
    if value is None or value is MISSING:
        return "<no value>"
    return format_value(value)


def basic_kind(value: object) -> str:
    if value is None or value is MISSING:
        return "nil"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, GoInt):
        return "int"
    if isinstance(value, int | float):
        return "float"
    if isinstance(value, str):
        return "string"
    return "other"
