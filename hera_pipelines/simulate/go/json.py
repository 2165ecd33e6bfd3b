"""Go's encoding/json: the one encoder and decoder, so every JSON text matches Go's.

Go's ``encoding/json`` (Marshal, MarshalIndent, Unmarshal into ``interface{}``): the one encoder
every Go-visible JSON text in the simulator comes from, so event text and template output agree.

Encoding follows ``encode.go``: map keys sorted, no spaces, ``<`` ``>`` ``&`` written as
``\\u003c`` ``\\u003e`` ``\\u0026`` (unless HTML escaping is off, as in sprig's ``toRawJson``),
U+2028/U+2029 escaped, invalid UTF-8 (lone surrogates here) as ``\\ufffd``, control characters
other than ``\\n`` ``\\r`` ``\\t`` as ``\\u00XX``, float64 per ``floatEncoder``: strconv 'f' for
1e-6 <= |x| < 1e21, else 'e' with a one-digit negative exponent (``1e-7``, not ``1e-07``), and
``-0`` kept. Decoding follows ``decode.go``/``scanner.go``: numbers are float64 (so a plain
Python ``int`` from a payload is a float64 and an integer beyond 2^53 prints rounded), invalid
UTF-8 and lone surrogate escapes become U+FFFD, ``NaN``/``Infinity``/out-of-range numbers are
errors, and nesting deeper than ``maxNestingDepth`` (10000) is an error.

Encoding is done by the C ``json`` module, and only the parts where Go differs are rewritten,
after a cheap check that they occur at all; decoding by orjson when it accepts the document (it
then agrees with Go), else by ``json`` with Go's rules applied.
"""

from __future__ import annotations

import base64
import codecs
import json
import math
import re
import sys
from collections.abc import Mapping
from itertools import accumulate
from typing import Any, Final

import orjson

from hera_pipelines.simulate.go.strconv import format_float

__all__ = [
    "MAX_NESTING_DEPTH",
    "JSONError",
    "NestingError",
    "as_text",
    "decode",
    "float_text",
    "marshal",
    "nesting_depth",
    "string_text",
    "template_value",
]

# encoding/json scanner.go: `const maxNestingDepth = 10000`; one more `[`/`{` is an error.
MAX_NESTING_DEPTH: Final = 10000


class JSONError(ValueError):
    """What ``json.Unmarshal``/``json.Marshal`` would return as an error."""


class NestingError(JSONError):
    """The document nests deeper than Go's decoder accepts."""

    def __init__(self, depth: int, limit: int) -> None:
        super().__init__(f"nesting deeper than {limit} levels ({depth})")
        self.depth = depth
        self.limit = limit


# --- encoding --------------------------------------------------------------------------------

_STRING: Final = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_TOKENS: Final = re.compile(_STRING + r"|-?\d[\d.eE+-]*")
_MAYBE_FLOAT: Final = re.compile(r"\d[.eE]|\d{16}")
_ESCAPE: Final = re.compile(r"\\(.)")
_SURROGATE: Final = re.compile("[\ud800-\udfff]")
_CONTROL: Final = {"b": "\\u0008", "f": "\\u000c"}


def float_text(value: float) -> str:
    """``floatEncoder`` for float64: 'f' between 1e-6 and 1e21, else 'e' with ``e-7`` cleanup."""
    if math.isnan(value) or math.isinf(value):
        raise JSONError(f"json: unsupported value: {format_float(value)}")
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        text = format_float(value, "e")
        if text[-4:-1] == "e-0":
            text = text[:-2] + text[-1]
        return text
    return format_float(value, "f")


def _fix_number(match: re.Match[str], ints_are_floats: bool) -> str:
    token = match.group()
    if token[0] == '"':
        return token
    if "." in token or "e" in token or "E" in token:
        return float_text(float(token))
    if ints_are_floats and len(token.lstrip("-")) > 15:
        return float_text(float(int(token)))
    return token


def _fix_escape(match: re.Match[str]) -> str:
    return _CONTROL.get(match.group(1), match.group())


def _default(value: object) -> object:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, Mapping):
        return dict(value)
    raise JSONError(f"json: unsupported type: {type(value).__name__}")


def marshal(
    value: Any,
    *,
    escape_html: bool = True,
    indent: str | None = None,
    sort_keys: bool = True,
    ints_are_floats: bool = True,
) -> str:
    """``json.Marshal`` (or ``MarshalIndent(v, "", indent)``) of a decoded value.

    ``ints_are_floats``: a plain ``int`` is a float64 that came from JSON (the default); pass
    False when ints are Go ints (template values, where float64s are Python floats).
    ``sort_keys=False`` keeps the mapping's order (a Go struct's field order).
    Raises :class:`JSONError` for NaN/Inf, as Go's ``UnsupportedValueError``.
    """
    try:
        text = json.dumps(
            value,
            ensure_ascii=False,
            allow_nan=False,
            sort_keys=sort_keys,
            indent=indent,
            separators=(",", ": ") if indent is not None else (",", ":"),
            default=_default,
        )
    except ValueError as exc:
        if isinstance(exc, JSONError):
            raise
        raise JSONError(f"json: unsupported value: {exc}") from exc
    return _go_text(text, escape_html, ints_are_floats)


def string_text(text: str, *, escape_html: bool = True) -> str:
    """The JSON text of one Go string (``json.Marshal(s)``)."""
    return _go_text(json.dumps(text, ensure_ascii=False), escape_html, False)


def _go_text(text: str, escape_html: bool, ints_are_floats: bool) -> str:
    if _MAYBE_FLOAT.search(text) is not None:
        text = _TOKENS.sub(lambda m: _fix_number(m, ints_are_floats), text)
    if "\\b" in text or "\\f" in text:
        text = _ESCAPE.sub(_fix_escape, text)
    if escape_html and ("<" in text or ">" in text or "&" in text):
        text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    if "\u2028" in text or "\u2029" in text:
        text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    if _SURROGATE.search(text) is not None:
        text = _SURROGATE.sub("\\\\ufffd", text)
    return text


# --- decoding --------------------------------------------------------------------------------


def _go_utf8(error: UnicodeError) -> tuple[str, int]:
    # Go's decoder replaces each invalid byte of a string with U+FFFD (utf8.RuneError, width 1).
    assert isinstance(error, UnicodeDecodeError)
    return "\ufffd" * (error.end - error.start), error.end


codecs.register_error("hera_pipelines.go_utf8", _go_utf8)

_STRINGS: Final = re.compile(_STRING)
_BRACKETS: Final = re.compile(r"[\[\]{}]")
_DELTA: Final = {"[": 1, "{": 1, "]": -1, "}": -1}
# a \uD800-\uDBFF escape not followed by a low one, or a \uDC00-\uDFFF escape not right after a
# high one (the lookbehind runs only after a `\u` escape matched: no per-position cost)
_LONE_SURROGATE_ESCAPE: Final = re.compile(
    r"\\u[dD](?:[89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F])"
    r"|[c-fC-F][0-9a-fA-F]{2}(?<!\\u[dD][89abAB][0-9a-fA-F]{2}\\u[dD][c-fC-F][0-9a-fA-F]{2}))"
)


def nesting_depth(text: str) -> int:
    """The deepest ``[``/``{`` nesting of a JSON text (strings skipped), without recursion."""
    brackets = _BRACKETS.findall(_STRINGS.sub("", text))
    return max(accumulate(_DELTA[b] for b in brackets), default=0)


def _reject_constant(name: str) -> float:
    raise JSONError(f"invalid character '{name[0]}' looking for beginning of value")


def _float64(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise JSONError(f"json: cannot unmarshal number {text} into Go value of type float64")
    return value


_GO_DECODER: Final = json.JSONDecoder(parse_float=_float64, parse_constant=_reject_constant)


def _replace_surrogates(value: Any) -> Any:
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {_replace_surrogates(k): _replace_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace_surrogates(v) for v in value]
    return value


def as_text(data: bytes | str) -> str:
    """Payload bytes as Go reads them: UTF-8, each invalid byte a U+FFFD."""
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="hera_pipelines.go_utf8")


def _frames() -> int:
    frame, count = sys._getframe(), 0
    while frame is not None:
        frame, count = frame.f_back, count + 1  # type: ignore[assignment]
    return count


def _loads(text: str, max_depth: int) -> Any:
    """The C decoder, held to ``max_depth`` by the recursion limit it already checks (one unit per
    nested container): succeeding under a limit of (frames in use + max_depth + 1) proves the
    depth is within bounds, so no document is scanned twice unless it nests near or past it."""
    limit = sys.getrecursionlimit()
    used = _frames()
    tight = used + max_depth + 1
    try:
        if tight < limit:
            sys.setrecursionlimit(tight)
            try:
                return _GO_DECODER.decode(text)
            finally:
                sys.setrecursionlimit(limit)
        return _GO_DECODER.decode(text)
    except RecursionError:
        pass
    depth = nesting_depth(text)
    if depth > max_depth:
        raise NestingError(depth, max_depth)
    if used + depth + 100 < limit:  # within bounds, and this stack has room (run_deep)
        return _GO_DECODER.decode(text)
    raise JSONError(f"{depth} levels deep: decode it under go.stack.run_deep")


def decode(data: bytes | str, *, max_depth: int = MAX_NESTING_DEPTH) -> Any:
    """``json.Unmarshal(data, &v)`` with ``v interface{}``; raises :class:`JSONError`.

    Deeper documents than ``max_depth`` raise :class:`NestingError`. A document deeper than
    Python's default recursion allows must be decoded under
    :func:`hera_pipelines.simulate.go.stack.run_deep`.
    """
    try:
        # orjson accepts only what Go decodes the same way (strict UTF-8, no lone surrogates, no
        # NaN/Infinity/overflow, at most 1024 levels) and reads integers past int64 as floats, as
        # float64 does; anything else takes the path below, which applies Go's rules.
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        pass
    text = as_text(data)
    try:
        value = _loads(text, max_depth)
    except JSONError:
        raise
    except ValueError as exc:
        raise JSONError(str(exc)) from exc
    if _LONE_SURROGATE_ESCAPE.search(text) is not None:
        value = _replace_surrogates(value)
    return value


def template_value(value: Any) -> Any:
    """A template value with its plain ints read as float64 (JSON numbers) and GoInts kept."""
    if type(value) is int:
        return float(value)
    if isinstance(value, dict):
        return {k: template_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [template_value(v) for v in value]
    return value
