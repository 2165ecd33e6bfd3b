"""How decoded JSON is read with Go types: which Python value stands for which Go type.

* ``None`` is a nil interface, ``bool`` a bool, ``str`` a string;
* ``float`` and plain ``int`` are **float64** (Go decodes every JSON number into float64);
* :class:`GoInt` is a Go ``int``/``int64`` (``len``, sprig ``int``, template integer literals);
* ``list``/``tuple`` is a ``[]interface{}``, ``dict`` a ``map[string]interface{}``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["GoInt", "go_type_name", "is_number", "to_go_value"]


class GoInt(int):
    """A Go integer (``int``/``int64``), as opposed to a float64 decoded from JSON."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"GoInt({int(self)})"


def is_number(value: object) -> bool:
    """True for a Go float64 or int (Python ``int``/``float``, never ``bool``)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def go_type_name(value: object) -> str:
    """``fmt.Sprintf("%T", value)`` for a decoded-JSON value (``<nil>`` for nil)."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, GoInt):
        return "int"
    if isinstance(value, int | float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    return "[]interface {}"


def to_go_value(value: Any) -> Any:
    """What gjson's ``Value()`` gives Go code: every JSON number is a float64."""
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dict):
        return {k: to_go_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_go_value(v) for v in value]
    return value
