"""govaluate's lexer, so malformed expressions fail as they do in Go.

govaluate's lexer: its token kinds, the kind-to-kind transition table that rejects malformed
expressions, quoting and escapes, ``[escaped]`` names and date-like strings read as Unix seconds.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Final

from hera_pipelines.simulate.go.fmt import format_value
from hera_pipelines.simulate.go.govaluate.dates import try_parse_time
from hera_pipelines.simulate.go.govaluate.errors import ExpressionError

__all__ = [
    "COMPARATOR_SYMBOLS",
    "TERNARY_SYMBOLS",
    "Kind",
    "Token",
    "check_syntax",
    "token_text",
    "tokenize",
]


class Kind(Enum):
    UNKNOWN = "UNKNOWN"
    PREFIX = "PREFIX"
    NUMERIC = "NUMERIC"
    BOOLEAN = "BOOLEAN"
    STRING = "STRING"
    PATTERN = "PATTERN"
    TIME = "TIME"
    VARIABLE = "VARIABLE"
    FUNCTION = "FUNCTION"
    SEPARATOR = "SEPARATOR"
    ACCESSOR = "ACCESSOR"
    COMPARATOR = "COMPARATOR"
    LOGICALOP = "LOGICALOP"
    MODIFIER = "MODIFIER"
    CLAUSE = "CLAUSE"
    CLAUSE_CLOSE = "CLAUSE_CLOSE"
    TERNARY = "TERNARY"


_VALUES = (Kind.NUMERIC, Kind.BOOLEAN, Kind.VARIABLE, Kind.FUNCTION, Kind.ACCESSOR, Kind.STRING)


# kind -> (valid next kinds, may end the expression); govaluate's lexerState table.
_STATES: Final[dict[Kind, tuple[frozenset[Kind], bool]]] = {
    Kind.UNKNOWN: (frozenset({Kind.PREFIX, *_VALUES, Kind.PATTERN, Kind.TIME, Kind.CLAUSE}), False),
    Kind.CLAUSE: (
        frozenset({Kind.PREFIX, *_VALUES, Kind.PATTERN, Kind.TIME, Kind.CLAUSE, Kind.CLAUSE_CLOSE}),
        False,
    ),
    Kind.CLAUSE_CLOSE: (
        frozenset(
            {
                Kind.COMPARATOR,
                Kind.MODIFIER,
                Kind.NUMERIC,
                Kind.BOOLEAN,
                Kind.VARIABLE,
                Kind.STRING,
                Kind.PATTERN,
                Kind.TIME,
                Kind.CLAUSE,
                Kind.CLAUSE_CLOSE,
                Kind.LOGICALOP,
                Kind.TERNARY,
                Kind.SEPARATOR,
            }
        ),
        True,
    ),
    **{
        kind: (
            frozenset(
                {
                    Kind.MODIFIER,
                    Kind.COMPARATOR,
                    Kind.LOGICALOP,
                    Kind.CLAUSE_CLOSE,
                    Kind.TERNARY,
                    Kind.SEPARATOR,
                }
            ),
            True,
        )
        for kind in (Kind.NUMERIC, Kind.BOOLEAN, Kind.STRING, Kind.VARIABLE)
    },
    Kind.TIME: (
        frozenset(
            {Kind.MODIFIER, Kind.COMPARATOR, Kind.LOGICALOP, Kind.CLAUSE_CLOSE, Kind.SEPARATOR}
        ),
        True,
    ),
    Kind.PATTERN: (
        frozenset(
            {Kind.MODIFIER, Kind.COMPARATOR, Kind.LOGICALOP, Kind.CLAUSE_CLOSE, Kind.SEPARATOR}
        ),
        True,
    ),
    Kind.MODIFIER: (frozenset({Kind.PREFIX, *_VALUES, Kind.CLAUSE, Kind.CLAUSE_CLOSE}), False),
    Kind.COMPARATOR: (
        frozenset({Kind.PREFIX, *_VALUES, Kind.TIME, Kind.CLAUSE, Kind.CLAUSE_CLOSE, Kind.PATTERN}),
        False,
    ),
    Kind.LOGICALOP: (
        frozenset({Kind.PREFIX, *_VALUES, Kind.TIME, Kind.CLAUSE, Kind.CLAUSE_CLOSE}),
        False,
    ),
    Kind.PREFIX: (
        frozenset(
            {
                Kind.NUMERIC,
                Kind.BOOLEAN,
                Kind.VARIABLE,
                Kind.FUNCTION,
                Kind.ACCESSOR,
                Kind.CLAUSE,
                Kind.CLAUSE_CLOSE,
            }
        ),
        False,
    ),
    Kind.TERNARY: (
        frozenset({Kind.PREFIX, *_VALUES, Kind.TIME, Kind.CLAUSE, Kind.SEPARATOR}),
        False,
    ),
    Kind.FUNCTION: (frozenset({Kind.CLAUSE}), False),
    Kind.ACCESSOR: (
        frozenset(
            {
                Kind.CLAUSE,
                Kind.MODIFIER,
                Kind.COMPARATOR,
                Kind.LOGICALOP,
                Kind.CLAUSE_CLOSE,
                Kind.TERNARY,
                Kind.SEPARATOR,
            }
        ),
        True,
    ),
    Kind.SEPARATOR: (frozenset({Kind.PREFIX, *_VALUES, Kind.TIME, Kind.CLAUSE}), False),
}


_PREFIX_SYMBOLS: Final = frozenset({"-", "!", "~"})


_MODIFIER_SYMBOLS: Final = frozenset({"+", "-", "*", "/", "%", "**", "&", "|", "^", ">>", "<<"})


_LOGICAL_SYMBOLS: Final = frozenset({"&&", "||"})


COMPARATOR_SYMBOLS: Final = frozenset({"==", "!=", ">", ">=", "<", "<=", "=~", "!~", "in"})


TERNARY_SYMBOLS: Final = frozenset({"?", ":", "??"})


@dataclass(frozen=True, slots=True)
class Token:
    kind: Kind
    value: object


def _is_letter(ch: str) -> bool:
    return unicodedata.category(ch).startswith("L")


def _is_digit(ch: str) -> bool:
    return unicodedata.category(ch) == "Nd"


def _is_numeric(ch: str) -> bool:
    return _is_digit(ch) or ch == "."


def _is_variable_char(ch: str) -> bool:
    return _is_letter(ch) or _is_digit(ch) or ch in "_."


def _is_not_quote(ch: str) -> bool:
    return ch not in "'\""


def _is_not_alphanumeric(ch: str) -> bool:
    return not (_is_digit(ch) or _is_letter(ch) or ch in "()[]'\"")


class _Stream:
    __slots__ = ("pos", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def can_read(self) -> bool:
        return self.pos < len(self.text)

    def read(self) -> str:
        if self.pos >= len(self.text):
            raise ExpressionError("runtime error: index out of range (dangling escape)")
        ch = self.text[self.pos]
        self.pos += 1
        return ch

    def read_until_false(
        self,
        include_whitespace: bool,
        break_whitespace: bool,
        condition: Callable[[str], bool],
    ) -> tuple[str, bool]:
        buffer: list[str] = []
        while self.can_read():
            ch = self.read()
            if ch == "\\":
                buffer.append(self.read())
                continue
            if ch.isspace():
                if break_whitespace and buffer:
                    return "".join(buffer), True
                if not include_whitespace:
                    continue
            if condition(ch):
                buffer.append(ch)
            else:
                self.pos -= 1
                return "".join(buffer), True
        return "".join(buffer), False

    def read_token_until_false(self, condition: Callable[[str], bool]) -> str:
        self.pos -= 1
        return self.read_until_false(False, True, condition)[0]


def _read_token(stream: _Stream, state: Kind) -> Token | None:
    while stream.can_read():
        ch = stream.read()
        if ch.isspace():
            continue
        if _is_numeric(ch):
            if ch == "0" and stream.can_read():
                nxt = stream.read()
                if stream.can_read() and nxt == "x":
                    text, _ = stream.read_until_false(False, True, _is_hex)
                    try:
                        return Token(Kind.NUMERIC, float(int(text, 16)))
                    except ValueError:
                        raise ExpressionError(
                            f"Unable to parse hex value '{text}' to uint64\n"
                        ) from None
                stream.pos -= 1
            text = stream.read_token_until_false(_is_numeric)
            try:
                return Token(Kind.NUMERIC, float(text))
            except ValueError:
                raise ExpressionError(
                    f"Unable to parse numeric value '{text}' to float64\n"
                ) from None
        if ch == ",":
            return Token(Kind.SEPARATOR, ",")
        if ch == "[":
            name, completed = stream.read_until_false(True, False, lambda c: c != "]")
            if not completed:
                raise ExpressionError("Unclosed parameter bracket")
            stream.pos += 1
            return Token(Kind.VARIABLE, name)
        if _is_letter(ch):
            text = stream.read_token_until_false(_is_variable_char)
            if text == "true":
                return Token(Kind.BOOLEAN, True)
            if text == "false":
                return Token(Kind.BOOLEAN, False)
            if text in ("in", "IN"):
                return Token(Kind.COMPARATOR, "in")
            if "." in text:
                if text.endswith("."):
                    raise ExpressionError(f"Hanging accessor on token '{text}'")
                parts = text.split(".")
                for part in parts[1:]:
                    first = part[:1]
                    if first.upper() != first:
                        raise ExpressionError(
                            f"Unable to access unexported field '{part}' in token '{text}'"
                        )
                return Token(Kind.ACCESSOR, tuple(parts))
            return Token(Kind.VARIABLE, text)
        if not _is_not_quote(ch):
            text, completed = stream.read_until_false(True, False, _is_not_quote)
            if not completed:
                raise ExpressionError("Unclosed string literal")
            stream.pos += 1
            seconds = try_parse_time(text)
            if seconds is not None:
                return Token(Kind.TIME, seconds)
            return Token(Kind.STRING, text)
        if ch == "(":
            return Token(Kind.CLAUSE, "(")
        if ch == ")":
            return Token(Kind.CLAUSE_CLOSE, ")")
        text = stream.read_token_until_false(_is_not_alphanumeric)
        if text in _PREFIX_SYMBOLS and Kind.PREFIX in _STATES[state][0]:
            return Token(Kind.PREFIX, text)
        if text in _MODIFIER_SYMBOLS:
            return Token(Kind.MODIFIER, text)
        if text in _LOGICAL_SYMBOLS:
            return Token(Kind.LOGICALOP, text)
        if text in COMPARATOR_SYMBOLS:
            return Token(Kind.COMPARATOR, text)
        if text in TERNARY_SYMBOLS:
            return Token(Kind.TERNARY, text)
        raise ExpressionError(f"Invalid token: '{text}'")
    return None


def _is_hex(ch: str) -> bool:
    return ch in "0123456789abcdefABCDEF"


def tokenize(source: str) -> list[Token]:
    stream = _Stream(source)
    tokens: list[Token] = []
    state = Kind.UNKNOWN
    while stream.can_read():
        token = _read_token(stream, state)
        if token is None:
            break
        state = token.kind
        tokens.append(token)
    depth = sum(
        1 if t.kind is Kind.CLAUSE else -1 if t.kind is Kind.CLAUSE_CLOSE else 0 for t in tokens
    )
    if depth != 0:
        raise ExpressionError("Unbalanced parenthesis")
    check_syntax(tokens)
    return tokens


def check_syntax(tokens: Sequence[Token]) -> None:
    state = Kind.UNKNOWN
    last: Token | None = None
    for token in tokens:
        if token.kind not in _STATES[state][0]:
            if last is not None and last.kind is Kind.VARIABLE and token.kind is Kind.CLAUSE:
                raise ExpressionError(f"Undefined function {last.value}")
            last_value = "<nil>" if last is None else token_text(last)
            raise ExpressionError(
                f"Cannot transition token types from {state.value} [{last_value}] "
                f"to {token.kind.value} [{token_text(token)}]"
            )
        state = token.kind
        last = token
    if not _STATES[state][1]:
        raise ExpressionError("Unexpected end of expression")


def token_text(token: Token) -> str:
    if isinstance(token.value, tuple):
        return "[" + " ".join(str(v) for v in token.value) + "]"
    return format_value(token.value)
