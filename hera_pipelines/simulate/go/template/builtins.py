"""text/template's predefined functions, with Go's type rules.

text/template's predefined functions (``eq``, ``lt``, ``len``, ``index``, ``slice``, ``html``,
``js``, ``urlquery``, ``print``…) with Go's type rules: ints and float64s never compare.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping

from hera_pipelines.simulate.go.fmt import sprint
from hera_pipelines.simulate.go.template.errors import TemplateError
from hera_pipelines.simulate.go.template.values import MISSING, basic_kind, go_type, print_value
from hera_pipelines.simulate.go.values import GoInt

__all__ = ["eq", "html", "index", "js", "length", "lt", "slice_of", "urlquery"]


def eq(first: object, *others: object) -> bool:
    if not others:
        raise TemplateError("missing argument for comparison")
    k1 = basic_kind(first)
    for other in others:
        k2 = basic_kind(other)
        if k1 != k2:
            if k1 != "nil" and k2 != "nil":
                raise TemplateError("incompatible types for comparison")
            continue
        if k1 == "other":
            raise TemplateError(f"non-comparable type {print_value(first)}: {go_type(first)}")
        if k1 == "nil" or first == other:
            return True
    return False


def lt(a: object, b: object) -> bool:
    ka, kb = basic_kind(a), basic_kind(b)
    if ka in ("nil", "other", "bool") or kb in ("nil", "other", "bool"):
        raise TemplateError("invalid type for comparison")
    if ka != kb:
        raise TemplateError("incompatible types for comparison")
    return a < b  # type: ignore[operator,no-any-return]


def length(value: object) -> GoInt:
    if isinstance(value, str):
        return GoInt(len(value.encode()))
    if isinstance(value, list | tuple | Mapping):
        return GoInt(len(value))
    raise TemplateError(f"len of type {go_type(value)}")


def index(item: object, *indexes: object) -> object:
    for idx in indexes:
        if item is None or item is MISSING:
            raise TemplateError("index of untyped nil")
        if isinstance(item, Mapping):
            if not isinstance(idx, str):
                raise TemplateError(f"value has type {go_type(idx)}; should be string")
            item = item.get(idx)
        elif isinstance(item, list | tuple | str):
            if not isinstance(idx, GoInt):
                raise TemplateError(f"cannot index slice/array with type {go_type(idx)}")
            if not 0 <= idx < len(item):
                raise TemplateError(f"index out of range: {int(idx)}")
            item = GoInt(item.encode()[idx]) if isinstance(item, str) else item[idx]
        else:
            raise TemplateError(f"can't index item of type {go_type(item)}")
    return item


def slice_of(item: object, *indexes: object) -> object:
    if not isinstance(item, str | list | tuple):
        raise TemplateError(f"can't slice item of type {go_type(item)}")
    bounds: list[int] = []
    for idx in indexes:
        if not isinstance(idx, GoInt):
            raise TemplateError(f"cannot index slice/array with type {go_type(idx)}")
        bounds.append(int(idx))
    if len(bounds) > 2:
        raise TemplateError("too many slice indexes")
    start = bounds[0] if bounds else 0
    end = bounds[1] if len(bounds) > 1 else len(item)
    if not 0 <= start <= end <= len(item):
        raise TemplateError(f"index out of range: {end}")
    return item[start:end]


def _eval_args_text(*args: object) -> str:
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return sprint(*args)


def html(*args: object) -> str:
    text = _eval_args_text(*args)
    for old, new in (("&", "&amp;"), ("'", "&#39;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&#34;")):
        text = text.replace(old, new)
    return text.replace("\x00", "\ufffd")


def js(*args: object) -> str:
    out: list[str] = []
    for ch in _eval_args_text(*args):
        if ch in "\\'\"":
            out.append("\\" + ch)
        elif ch in "<>&=" or ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def urlquery(*args: object) -> str:
    return urllib.parse.quote_plus(_eval_args_text(*args), safe="-_.~")
