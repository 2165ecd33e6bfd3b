"""The sprig v3 functions the simulator implements, each as sprig behaves.

The sprig v3 functions the simulator implements, each as sprig (Go) behaves: conversions,
strings over UTF-8 bytes, int64 maths, lists, dicts, JSON and RE2 regexes.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence

from hera_pipelines.simulate.go import json as gojson
from hera_pipelines.simulate.go.fmt import format_value
from hera_pipelines.simulate.go.regexp import Regexp, RegexpError, compile_regexp
from hera_pipelines.simulate.go.template.errors import TemplateError
from hera_pipelines.simulate.go.template.values import MISSING, go_type, truth
from hera_pipelines.simulate.go.values import GoInt

__all__ = [
    "b64dec",
    "coalesce",
    "default",
    "dict_of",
    "empty",
    "find_all",
    "first",
    "fmt_v",
    "from_json",
    "go_div",
    "go_mod",
    "initial",
    "int_args",
    "last",
    "nospace",
    "product",
    "regex",
    "regex_match",
    "regex_split",
    "repeat",
    "rest",
    "split_list",
    "strslice",
    "strval",
    "substr",
    "title",
    "to_float64",
    "to_int64",
    "to_json",
    "trunc",
]


def fmt_v(value: object) -> str:
    return "<nil>" if value is None or value is MISSING else format_value(value)


def strval(value: object) -> str:
    return value if isinstance(value, str) else fmt_v(value)


def to_int64(value: object) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return int(value) if value == value and abs(value) != float("inf") else 0
    if isinstance(value, str):
        text = value
        if "." in text and text.rstrip("0").endswith("."):
            text = text.rstrip("0").rstrip(".")
        try:
            body = text.lstrip("+-")
            if len(body) > 1 and body.startswith("0") and body[1].isdigit():
                return int(text[: len(text) - len(body)] + "0o" + body[1:], 0)
            return int(text, 0)
        except ValueError:
            return 0
    return 0


def to_float64(value: object) -> float:
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return 0.0
    return 0.0


def empty(value: object) -> bool:
    return not truth(value) if not isinstance(value, bool) else not value


def default(default: object, *given: object) -> object:
    if not given or empty(given[0]):
        return default
    return given[0]


def coalesce(*values: object) -> object:
    for value in values:
        if not empty(value):
            return value
    return None


def go_div(a: int, b: int) -> GoInt:
    if b == 0:
        raise TemplateError("runtime error: integer divide by zero")
    quotient = abs(a) // abs(b)
    return GoInt(quotient if (a >= 0) == (b >= 0) else -quotient)


def go_mod(a: int, b: int) -> GoInt:
    return GoInt(a - b * go_div(a, b))


def title(text: str) -> str:
    out: list[str] = []
    prev = " "
    for ch in text:
        out.append(ch.upper() if not (prev.isalnum() or prev == "_") else ch)
        prev = ch
    return "".join(out)


def trunc(count: int, text: str) -> str:
    data = text.encode()
    if count < 0 and len(data) + count > 0:
        return data[len(data) + count :].decode(errors="replace")
    if count >= 0 and len(data) > count:
        return data[:count].decode(errors="replace")
    return text


def substr(start: int, end: int, text: str) -> str:
    data = text.encode()
    if start < 0:
        return data[:end].decode(errors="replace")
    if end < 0 or end > len(data):
        return data[start:].decode(errors="replace")
    return data[start:end].decode(errors="replace")


def b64dec(text: str) -> str:
    alphabet = re.compile(r"[A-Za-z0-9+/=\r\n]")
    for index, ch in enumerate(text):
        if not alphabet.match(ch):
            return f"illegal base64 data at input byte {index}"
    stripped = text.replace("\r", "").replace("\n", "")
    if len(stripped) % 4:
        return f"illegal base64 data at input byte {len(stripped) - len(stripped) % 4}"
    try:
        return base64.b64decode(stripped, validate=True).decode(errors="replace")
    except (binascii.Error, ValueError):
        return f"illegal base64 data at input byte {max(stripped.find('='), 0)}"


def to_json(value: object, *, escape_html: bool = True, indent: str | None = None) -> str:
    try:
        return gojson.marshal(
            gojson.template_value(value),
            escape_html=escape_html,
            indent=indent,
            ints_are_floats=False,
        )
    except ValueError:
        return ""


def from_json(text: str) -> object:
    try:
        return gojson.decode(text)
    except ValueError:
        return None


def _sequence(value: object, what: str) -> list[object] | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return list(value)
    raise TemplateError(f"Cannot find {what} on type {go_type(value)}")


def first(value: object) -> object:
    items = _sequence(value, "first")
    return items[0] if items else None


def last(value: object) -> object:
    items = _sequence(value, "last")
    return items[-1] if items else None


def rest(value: object) -> object:
    items = _sequence(value, "rest")
    return items[1:] if items else None


def initial(value: object) -> object:
    items = _sequence(value, "initial")
    return items[:-1] if items else None


def strslice(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [strval(v) for v in value if v is not None]
    if value is None:
        return []
    return [strval(value)]


def split_list(sep: str, text: str) -> list[object]:
    if sep == "":
        return list(text)
    return list(text.split(sep))


def dict_of(*pairs: object) -> dict[str, object]:
    out: dict[str, object] = {}
    for index in range(0, len(pairs), 2):
        key = strval(pairs[index])
        out[key] = pairs[index + 1] if index + 1 < len(pairs) else ""
    return out


def regex(pattern: str) -> Regexp:
    return compile_regexp(pattern)


def regex_match(pattern: str, text: str) -> bool:
    """``regexMatch``: a bad pattern is no match (sprig drops the error)."""
    try:
        return regex(pattern).matches(text)
    except RegexpError:
        return False


def find_all(pattern: str, text: str, n: int) -> list[object]:
    return list(regex(pattern).find_all(text, n))


def regex_split(pattern: str, text: str, n: int) -> list[object]:
    return list(regex(pattern).split(text, n))


def nospace(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def repeat(count: int, text: str) -> str:
    if count < 0:
        raise TemplateError("strings: negative Repeat count")
    return text * count


def int_args(*values: object) -> list[int]:
    return [to_int64(v) for v in values]


def product(values: Sequence[int]) -> int:
    result = 1
    for value in values:
        result *= value
    return result
