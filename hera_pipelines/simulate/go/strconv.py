"""Go's strconv, because Go and Python print and parse numbers differently.

Go's ``strconv`` (FormatFloat, Quote, ParseFloat, ParseBool), because Go and Python print and
parse numbers differently (``1e+06`` vs ``1000000.0``, ``"1_0"`` rejected, ``"t"`` a bool).
"""

from __future__ import annotations

import math
import re
from typing import Final

__all__ = [
    "StrconvError",
    "format_float",
    "parse_bool",
    "parse_float",
    "parse_float_lenient",
    "quote",
]


class StrconvError(ValueError):
    """A ``*strconv.NumError``; its text is Go's."""


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


_FLOAT: Final = re.compile(
    r"^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf|infinity|nan)$", re.IGNORECASE
)
_BOOLS: Final = {
    **dict.fromkeys(("1", "t", "T", "TRUE", "true", "True"), True),
    **dict.fromkeys(("0", "f", "F", "FALSE", "false", "False"), False),
}


def parse_float(text: str) -> float:
    """``strconv.ParseFloat(text, 64)`` for decimal input; raises with Go's message."""
    if not _FLOAT.match(text):
        raise StrconvError(f'strconv.ParseFloat: parsing "{text}": invalid syntax')
    return float(text)


def parse_float_lenient(text: str) -> float:
    """``ParseFloat`` with any error read as 0, as gjson's ``Result.Float()`` does."""
    try:
        return parse_float(text)
    except StrconvError:
        return 0.0


def parse_bool(text: str) -> bool:
    """``strconv.ParseBool``: 1 t T TRUE true True / 0 f F FALSE false False."""
    if text not in _BOOLS:
        raise StrconvError(f'strconv.ParseBool: parsing "{text}": invalid syntax')
    return _BOOLS[text]
