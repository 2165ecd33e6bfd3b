"""Go's ``fmt`` printing (``%v``, ``Sprint``, ``Sprintf``), which text/template output goes through.

A ``dataTemplate``/``contextTemplate`` result is text/template output, printed with
``fmt.Fprint``: maps as ``map[k:v ...]`` with sorted keys, slices as ``[a b]``, nil as
``<nil>``, float64 with ``strconv`` 'g' (``1000000`` → ``1e+06``), Go ints as digits.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

from hera_pipelines.simulate.go.strconv import format_float, quote
from hera_pipelines.simulate.go.values import GoInt, go_type_name, is_number

__all__ = ["format_value", "sprint", "sprintf"]


def format_value(value: object) -> str:
    """``fmt.Sprint(value)`` (the ``%v`` verb) for a decoded-JSON value."""
    if isinstance(value, str):
        return value
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, GoInt):
        return str(int(value))
    if isinstance(value, int | float):
        return format_float(float(value))
    if isinstance(value, bytes):
        return "[" + " ".join(str(b) for b in value) + "]"
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda kv: _map_sort_key(kv[0]))
        return "map[" + " ".join(f"{format_value(k)}:{format_value(v)}" for k, v in items) + "]"
    if isinstance(value, Sequence):
        return "[" + " ".join(format_value(v) for v in value) + "]"
    return str(value)


def _map_sort_key(key: object) -> tuple[int, str, float]:
    if is_number(key):
        return (0, "", float(key))  # type: ignore[arg-type]
    return (1, format_value(key), 0.0)


def sprint(*args: object) -> str:
    """``fmt.Sprint``: a space between operands when neither side is a string."""
    out: list[str] = []
    for index, arg in enumerate(args):
        if index > 0 and not isinstance(arg, str) and not isinstance(args[index - 1], str):
            out.append(" ")
        out.append(format_value(arg))
    return "".join(out)


_VERB: Final = re.compile(r"%([-+# 0]*)(\d+|\*)?(?:\.(\d*))?([a-zA-Z%])")


def sprintf(fmt: str, *args: object) -> str:
    """``fmt.Sprintf`` for the verbs templates use (v s q t d x X o b f e E g G c, widths)."""
    out: list[str] = []
    pos = 0
    arg_index = 0
    for m in _VERB.finditer(fmt):
        out.append(fmt[pos : m.start()])
        pos = m.end()
        flags, width, precision, verb = m.groups()
        if verb == "%":
            out.append("%")
            continue
        if arg_index >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        arg = args[arg_index]
        arg_index += 1
        text = _format_verb(verb, arg, flags, precision)
        if width and width != "*" and len(text) < int(width):
            pad = int(width) - len(text)
            if "-" in flags:
                text += " " * pad
            elif "0" in flags and verb in "dfegx":
                sign = text[:1] if text[:1] in "+-" else ""
                text = sign + "0" * pad + text[len(sign) :]
            else:
                text = " " * pad + text
        out.append(text)
    out.append(fmt[pos:])
    if arg_index < len(args):
        extra = ", ".join(f"{go_type_name(a)}={format_value(a)}" for a in args[arg_index:])
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


def _format_verb(verb: str, arg: object, flags: str, precision: str | None) -> str:
    bad = f"%!{verb}({go_type_name(arg)}={format_value(arg)})"
    if verb == "v":
        return format_value(arg)
    if verb == "s":
        return format_value(arg) if isinstance(arg, str | list | Mapping) or arg is None else bad
    if verb == "q":
        return quote(arg) if isinstance(arg, str) else bad
    if verb == "t":
        return ("true" if arg else "false") if isinstance(arg, bool) else bad
    if verb in "dxXob":
        if not isinstance(arg, GoInt):
            return bad
        return ("+" if "+" in flags and arg >= 0 else "") + format(int(arg), verb)
    if verb in "feEgG":
        if isinstance(arg, bool) or not isinstance(arg, int | float) or isinstance(arg, GoInt):
            return bad
        if verb in "gG" and precision is None:
            return format_value(float(arg))
        prec = int(precision) if precision else (6 if precision is None else 0)
        text = format(float(arg), f".{prec}{verb}")
        if verb in "eE":
            text = re.sub(r"([eE][+-])(\d)$", r"\g<1>0\2", text)
        return ("+" if "+" in flags and float(arg) >= 0 else "") + text
    if verb == "c":
        return chr(arg) if isinstance(arg, GoInt) else bad
    return bad
