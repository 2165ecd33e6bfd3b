"""Go's regexp on RE2 itself, so patterns accept, reject and match as in Go.

Go's ``regexp`` on RE2 itself (google-re2), so data filters, ``=~`` and sprig regex functions
accept, reject and match exactly what Go's RE2 does (``\\z``, ``\\pL``, Unicode ``(?i)``, ``$``
only at the end of text, no lookaround or backreferences).

Go's RE2 and the C++ RE2 share one syntax; the ``Find``/``ReplaceAll``/``Split`` loops are Go's
own (an empty match right after a previous match is skipped, where Python's ``re`` keeps it)
and run over UTF-8 bytes, as Go's do.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

import re2  # type: ignore[import-untyped]
from re2 import _re2  # the pybind11 core: one Match call, no per-call generator

__all__ = ["Regexp", "RegexpError", "compile_regexp"]

_OPTIONS: Final = re2.Options()
_OPTIONS.log_errors = False  # errors are raised, never printed
_UNANCHORED: Final = _re2.RE2.Anchor.UNANCHORED
_NO_SPAN: Final = (-1, -1)
_ANY_BYTE: Final = re.compile(r"(?<!\\)(?:\\\\)*\\C")


class RegexpError(ValueError):
    """A pattern Go's ``regexp.Compile`` rejects; the text is Go's ``error parsing regexp: …``."""


class Regexp:
    """A compiled Go regexp (``regexp.MustCompile`` semantics, UTF-8 text)."""

    __slots__ = ("_groups", "_memo", "_re", "pattern")

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern
        if _ANY_BYTE.search(pattern) is not None:  # C++ RE2 has \C (any byte); Go's has not
            raise RegexpError("error parsing regexp: invalid escape sequence: `\\C`")
        compiled = _re2.RE2(pattern.encode("utf-8", errors="surrogatepass"), _OPTIONS)
        if not compiled.ok():
            raise RegexpError(_go_error(compiled.error().decode("utf-8", errors="replace")))
        self._re = compiled
        self._groups: dict[str, int] = {
            name.decode(): index for name, index in compiled.NamedCapturingGroups()
        }
        self._memo: dict[str, bool] = {}

    def _match(self, data: bytes, start: int) -> list[tuple[int, int]] | None:
        spans: list[tuple[int, int]] = self._re.Match(_UNANCHORED, data, start, len(data))
        return None if spans[0] == _NO_SPAN else spans

    def matches(self, text: str) -> bool:
        """``MatchString``; results memoised per text (the same few values recur per event)."""
        found = self._memo.get(text)
        if found is None:
            found = self._match(_utf8(text), 0) is not None
            if len(self._memo) < 1024:
                self._memo[text] = found
        return found

    def _all(self, data: bytes, n: int) -> list[list[tuple[int, int]]]:
        """Go's ``allMatches``: at most n (n < 0: all), skipping an empty match at the end of
        the previous match, advancing one rune past an empty match."""
        found: list[list[tuple[int, int]]] = []
        pos, prev_end = 0, -1
        while pos <= len(data) and (n < 0 or len(found) < n):
            spans = self._match(data, pos)
            if spans is None:
                break
            start, end = spans[0]
            accept = not (end == start and start == prev_end)
            if end == start:
                pos = start + _rune_width(data, start) if start < len(data) else len(data) + 1
            else:
                pos = end
            if accept:
                found.append(spans)
                prev_end = end
        return found

    def find(self, text: str) -> str:
        """``FindString``: the leftmost match, "" when none."""
        data = _utf8(text)
        spans = self._match(data, 0)
        return "" if spans is None else _text(data, spans[0])

    def find_all(self, text: str, n: int = -1) -> list[str]:
        """``FindAllString(s, n)``."""
        data = _utf8(text)
        return [_text(data, spans[0]) for spans in self._all(data, n)]

    def split(self, text: str, n: int = -1) -> list[str]:
        """``Split(s, n)``: n == 0 → none, n < 0 → all substrings."""
        if n == 0:
            return []
        if self.pattern and not text:
            return [""]
        data = _utf8(text)
        out: list[str] = []
        beg = end = 0
        for spans in self._all(data, n):
            if n > 0 and len(out) == n - 1:
                break
            end = spans[0][0]
            if spans[0][1] != 0:
                out.append(_text(data, (beg, end)))
            beg = spans[0][1]
        if end != len(data):
            out.append(_text(data, (beg, len(data))))
        return out

    def replace_all(self, text: str, template: str, *, literal: bool = False) -> str:
        """``ReplaceAllString`` (``$1``/``${name}`` expanded) or ``ReplaceAllLiteralString``."""
        data = _utf8(text)
        expand = _expander(template, self._groups) if not literal else None
        out: list[bytes] = []
        last = 0
        for spans in self._all(data, -1):
            start, end = spans[0]
            out.append(data[last:start])
            if expand is None:
                out.append(_utf8(template))
            else:
                out.append(expand(data, spans))
            last = end
        out.append(data[last:])
        return b"".join(out).decode("utf-8", errors="replace")


# RE2's C++ error codes, as Go's regexp/syntax words them (syntax.ErrorCode).
_GO_CODES: Final = {
    "missing )": "missing closing )",
    "missing ]": "missing closing ]",
    "bad repetition operator": "invalid nested repetition operator",
    "invalid repetition size": "invalid repeat count",
    "trailing \\": "trailing backslash at end of expression",
    "invalid perl operator": "invalid or unsupported Perl syntax",
    "invalid named capture group": "invalid named capture",
}


def _go_error(error: str) -> str:
    """``error parsing regexp: <code>: `<expr>```, Go's ``syntax.Error`` text."""
    code, _, expr = error.partition(": ")
    if code == "trailing \\":
        code, expr = error, ""
    return f"error parsing regexp: {_GO_CODES.get(code, code)}: `{expr}`"


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", errors="replace")


def _text(data: bytes, span: tuple[int, int]) -> str:
    return data[span[0] : span[1]].decode("utf-8", errors="replace")


def _rune_width(data: bytes, pos: int) -> int:
    lead = data[pos]
    if lead < 0x80:
        return 1
    width = 2 if lead >= 0xC0 else 1
    width = 3 if lead >= 0xE0 else width
    return 4 if lead >= 0xF0 else width


def _expander(
    template: str, groups: dict[str, int]
) -> Callable[[bytes, list[tuple[int, int]]], bytes]:
    """``Regexp.Expand``: ``$1``, ``${1}``, ``$name``, ``${name}``, ``$$``; as in Go, ``$name``
    takes the longest run of letters, digits and ``_``, and an unknown or unmatched group
    expands to nothing."""
    parts: list[bytes | int | str] = []
    rest = template
    while "$" in rest:
        before, _, rest = rest.partition("$")
        parts.append(_utf8(before))
        if rest.startswith("$"):
            parts.append(b"$")
            rest = rest[1:]
            continue
        name, rest, ok = _group_name(rest)
        if not ok:
            parts.append(b"$")
            continue
        parts.append(int(name) if name.isdigit() else name)
    parts.append(_utf8(rest))

    def expand(data: bytes, spans: list[tuple[int, int]]) -> bytes:
        out: list[bytes] = []
        for part in parts:
            if isinstance(part, bytes):
                out.append(part)
                continue
            index = part if isinstance(part, int) else groups.get(part, -1)
            if 0 <= index < len(spans) and spans[index] != _NO_SPAN:
                out.append(data[spans[index][0] : spans[index][1]])
        return b"".join(out)

    return expand


def _group_name(rest: str) -> tuple[str, str, bool]:
    """Go's ``extract``: the name after ``$`` (braced or not) and what follows."""
    if rest.startswith("{"):
        end = rest.find("}")
        name = rest[1:end] if end > 0 else ""
        if not name or not all(_is_name_char(c) for c in name):
            return "", rest, False
        return name, rest[end + 1 :], True
    length = 0
    while length < len(rest) and _is_name_char(rest[length]):
        length += 1
    if length == 0:
        return "", rest, False
    return rest[:length], rest[length:], True


def _is_name_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


_CACHE: dict[str, Regexp] = {}


def compile_regexp(pattern: str) -> Regexp:
    """``regexp.Compile(pattern)``, cached; raises :class:`RegexpError` as Go would."""
    found = _CACHE.get(pattern)
    if found is None:
        found = Regexp(pattern)
        if len(_CACHE) < 4096:
            _CACHE[pattern] = found
    return found
