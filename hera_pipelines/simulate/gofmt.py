"""Go runtime behaviour the Sensor engines depend on: fmt printing, strconv, JSON and RE2.

Values are decoded JSON as Python sees it, read with Go's types in mind:

* ``None`` is a nil interface, ``bool`` a bool, ``str`` a string;
* ``float`` and plain ``int`` are **float64** (Go decodes every JSON number to float64, so an
  ``int`` that came from ``json.loads`` prints as Go prints the float: ``1000000`` → ``1e+06``);
* :class:`GoInt` is a Go ``int``/``int64`` (results of ``len``, sprig ``int``, ``add`` …);
* ``list``/``tuple`` is a slice, ``dict`` a ``map[string]interface{}``.

Which printer is which in Argo Events (v1.9, ``pkg/sensors/triggers/params.go``):

* a ``dataTemplate``/``contextTemplate`` result is text/template output, which prints values
  with ``fmt.Fprint`` → :func:`format_value` (``%v``);
* a ``dataKey``/``contextKey`` result is **not** fmt: objects and arrays yield the raw JSON
  text of the payload (gjson ``Raw``), ``null`` yields ``null``, strings their text, booleans
  ``true``/``false``, and numbers gjson ``String()``: the literal text when it is an integer
  literal, else :func:`format_float` with ``'f'`` (``1.50`` → ``1.5``, ``1e3`` → ``1000``).
"""

from __future__ import annotations

import base64
import contextlib
import math
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Final

__all__ = [
    "GoInt",
    "GoRegexpError",
    "compile_regexp",
    "expand_replacement",
    "format_float",
    "format_value",
    "is_number",
    "marshal_json",
    "quote",
]


class GoInt(int):
    """A Go integer (``int``/``int64``), as opposed to a float64 decoded from JSON."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"GoInt({int(self)})"


class GoRegexpError(ValueError):
    """A pattern Go's RE2 would reject, or that this translation cannot express faithfully."""


def is_number(value: object) -> bool:
    """True for a Go float64 or int (Python ``int``/``float``, never ``bool``)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def _digits(value: float) -> tuple[str, int]:
    """Shortest round-trip decimal digits of ``abs(value)`` and the decimal point position."""
    text = repr(abs(value))
    mantissa, _, exponent = text.partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = whole + frac
    point = len(whole) + (int(exponent) if exponent else 0)
    stripped = digits.lstrip("0")
    point -= len(digits) - len(stripped)
    stripped = stripped.rstrip("0")
    if not stripped:
        return "0", 1
    return stripped, point


def _exp_form(digits: str, point: int, neg: bool) -> str:
    exp = point - 1
    mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
    sign = "-" if exp < 0 else "+"
    return f"{'-' if neg else ''}{mant}e{sign}{abs(exp):02d}"


def _fixed_form(digits: str, point: int, neg: bool) -> str:
    if point <= 0:
        text = "0." + "0" * (-point) + digits
    elif point >= len(digits):
        text = digits + "0" * (point - len(digits))
    else:
        text = digits[:point] + "." + digits[point:]
    return ("-" if neg else "") + text


def format_float(value: float, fmt: str = "g") -> str:
    """``strconv.FormatFloat(value, fmt, -1, 64)`` for fmt ``'g'``, ``'f'`` or ``'e'``.

    ``'g'`` is what ``%v`` uses: with shortest precision strconv switches to exponent form
    when the decimal exponent is < -4 or >= 6, so ``1e6`` prints ``1e+06`` and ``123456``
    prints ``123456`` (the 1e21 switch point belongs to ``encoding/json`` only).
    """
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    neg = math.copysign(1.0, value) < 0
    digits, point = _digits(value)
    if fmt == "f":
        return _fixed_form(digits, point, neg)
    if fmt == "e":
        return _exp_form(digits, point, neg)
    exp = point - 1
    if exp < -4 or exp >= 6:
        return _exp_form(digits, point, neg)
    return _fixed_form(digits, point, neg)


def format_value(value: object) -> str:
    """``fmt.Sprint(value)`` (the ``%v`` verb) for a decoded-JSON value, see the module doc."""
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


_ESCAPES: Final = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
}


def quote(text: str, quote_char: str = '"') -> str:
    """``strconv.Quote`` (``%q``): Go escapes, printable Unicode kept as is."""
    out = [quote_char]
    for ch in text:
        if ch == quote_char:
            out.append("\\" + ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch == " " or ch.isprintable():
            out.append(ch)
        else:
            code = ord(ch)
            if code < 0x80:
                out.append(f"\\x{code:02x}")
            elif code <= 0xFFFF:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
    out.append(quote_char)
    return "".join(out)


def _json_string(text: str, escape_html: bool) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or (escape_html and ch in "<>&") or code in (0x2028, 0x2029):
            out.append(f"\\u{code:04x}")
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\\ufffd")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _json_float(value: float) -> str:
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"json: unsupported value: {format_float(value)}")
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        text = format_float(value, "e")
        return re.sub(r"e-0(\d)$", r"e-\1", text)
    return format_float(value, "f")


def marshal_json(value: object, *, escape_html: bool = True, indent: str | None = None) -> str:
    """``json.Marshal`` (or ``MarshalIndent(v, "", indent)``): sorted keys, Go float rules.

    Raises ``ValueError`` for NaN/Inf, like Go's ``UnsupportedValueError``.
    """
    return _marshal(value, escape_html, indent, 0)


def _marshal(value: object, escape_html: bool, indent: str | None, depth: int) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return _json_string(value, escape_html)
    if isinstance(value, GoInt):
        return str(int(value))
    if isinstance(value, int | float):
        return _json_float(float(value))
    if isinstance(value, bytes):
        return _json_string(base64.b64encode(value).decode(), escape_html)
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        parts = [
            _json_string(format_value(k), escape_html)
            + (": " if indent is not None else ":")
            + _marshal(v, escape_html, indent, depth + 1)
            for k, v in sorted(value.items(), key=lambda kv: format_value(kv[0]))
        ]
        return _join_container("{", "}", parts, indent, depth)
    if isinstance(value, Sequence):
        if not value:
            return "[]"
        parts = [_marshal(v, escape_html, indent, depth + 1) for v in value]
        return _join_container("[", "]", parts, indent, depth)
    raise ValueError(f"json: unsupported type: {type(value).__name__}")


def _join_container(
    open_: str, close: str, parts: list[str], indent: str | None, depth: int
) -> str:
    if indent is None:
        return open_ + ",".join(parts) + close
    inner = "\n" + indent * (depth + 1)
    return open_ + inner + ("," + inner).join(parts) + "\n" + indent * depth + close


# --- RE2 → Python re -------------------------------------------------------------------------

_POSIX_CLASSES: Final = {
    "alnum": "0-9A-Za-z",
    "alpha": "A-Za-z",
    "ascii": "\\x00-\\x7f",
    "blank": "\\t ",
    "cntrl": "\\x00-\\x1f\\x7f",
    "digit": "0-9",
    "graph": "!-~",
    "lower": "a-z",
    "print": " -~",
    "punct": "!-/:-@\\[-`{-~",
    "space": "\\t\\n\\v\\f\\r ",
    "upper": "A-Z",
    "word": "0-9A-Za-z_",
    "xdigit": "0-9A-Fa-f",
}

_REGEXP_CACHE: dict[str, re.Pattern[str]] = {}


def compile_regexp(pattern: str) -> re.Pattern[str]:
    """Compile a Go RE2 pattern (``regexp.Compile``) into an equivalent Python pattern.

    Handled differences: ``\\d \\w \\s \\b`` are ASCII-only (``re.ASCII``); ``$`` without
    ``(?m)`` matches only at the end of text (Python's also matches before a final newline);
    ``\\z``, ``\\Q…\\E``, ``\\x{…}``, ``[[:class:]]`` and ``(?<name>…)`` are translated.
    RE2 rejects lookaround and backreferences, so they raise :class:`GoRegexpError`; so do
    ``\\p{…}`` classes and the ``U`` flag, which Python ``re`` cannot express.
    """
    cached = _REGEXP_CACHE.get(pattern)
    if cached is not None:
        return cached
    translated = _translate(pattern)
    try:
        compiled = re.compile(translated, re.ASCII)
    except re.error as exc:
        raise GoRegexpError(f"error parsing regexp: {exc}: `{pattern}`") from exc
    if len(_REGEXP_CACHE) < 4096:
        _REGEXP_CACHE[pattern] = compiled
    return compiled


def _translate(pattern: str) -> str:
    multiline = bool(re.search(r"\(\?[a-zA-Z]*m", pattern))
    out: list[str] = []
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            if i + 1 >= n:
                raise GoRegexpError(f"error parsing regexp: trailing backslash: `{pattern}`")
            nxt = pattern[i + 1]
            if nxt == "Q":
                end = pattern.find("\\E", i + 2)
                literal = pattern[i + 2 :] if end < 0 else pattern[i + 2 : end]
                out.append(re.escape(literal))
                i = n if end < 0 else end + 2
                continue
            if nxt == "z" and not in_class:
                out.append(r"\Z")
            elif nxt == "x" and i + 2 < n and pattern[i + 2] == "{":
                end = pattern.find("}", i + 3)
                if end < 0:
                    raise GoRegexpError(f"error parsing regexp: invalid escape: `{pattern}`")
                out.append(f"\\U{int(pattern[i + 3 : end], 16):08x}")
                i = end + 1
                continue
            elif nxt in "pP":
                raise GoRegexpError(f"unsupported Unicode class \\{nxt} in `{pattern}`")
            elif nxt.isdigit() and nxt != "0" and not in_class:
                raise GoRegexpError(f"error parsing regexp: invalid escape sequence: `\\{nxt}`")
            elif nxt == "Z":
                raise GoRegexpError("error parsing regexp: invalid escape sequence: `\\Z`")
            else:
                out.append(ch + nxt)
            i += 2
            continue
        if in_class:
            if ch == "[" and pattern.startswith("[:", i):
                end = pattern.find(":]", i + 2)
                name = pattern[i + 2 : end] if end > 0 else ""
                negated = name.startswith("^")
                body = _POSIX_CLASSES.get(name.lstrip("^"))
                if body is None:
                    raise GoRegexpError("error parsing regexp: invalid character class range")
                if negated:
                    raise GoRegexpError(f"unsupported negated POSIX class in `{pattern}`")
                out.append(body)
                i = end + 2
                continue
            if ch == "[":
                out.append("\\[")
                i += 1
                continue
            if ch == "]":
                in_class = False
            out.append(ch)
            i += 1
            continue
        if ch == "[":
            in_class = True
            out.append(ch)
            i += 1
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":
                out.append("\\]")
                i += 1
            continue
        if ch == "(" and pattern.startswith("(?", i):
            rest = pattern[i + 2 : i + 4]
            if rest[:1] in ("=", "!") or rest in ("<=", "<!"):
                raise GoRegexpError(
                    f"error parsing regexp: invalid or unsupported Perl syntax: `(?{rest[:1]}`"
                )
            if rest[:1] == "<":
                out.append("(?P<")
                i += 3
                continue
            flags = re.match(r"\(\?([a-zA-Z-]*)[:)]", pattern[i:])
            if flags and "U" in flags.group(1):
                raise GoRegexpError(f"unsupported flag U in `{pattern}`")
        if ch == "$" and not multiline:
            out.append(r"\Z")
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def expand_replacement(template: str) -> Callable[[re.Match[str]], str]:
    """A ``re.sub`` callback expanding Go ``Regexp.Expand`` syntax (``$1``, ``${name}``, ``$$``).

    As in Go, ``$name`` takes the longest run of letters, digits and ``_``; an unknown or
    unmatched group expands to the empty string.
    """
    parts: list[str | int] = []  # literal, group, literal, group, …, literal
    literal: list[str] = []
    pos = 0
    for m in re.finditer(r"\$(?:\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))", template):
        literal.append(template[pos : m.start()])
        pos = m.end()
        if m.group(0) == "$$":
            literal.append("$")
            continue
        name = m.group(1) or m.group(2)
        parts.append("".join(literal))
        literal = []
        parts.append(int(name) if name.isdigit() else name)
    literal.append(template[pos:])
    parts.append("".join(literal))

    def expand(match: re.Match[str]) -> str:
        out: list[str] = []
        for index, part in enumerate(parts):
            if index % 2 == 0:
                out.append(str(part))
                continue
            with contextlib.suppress(IndexError, re.error):
                out.append(match.group(part) or "")
        return "".join(out)

    return expand
