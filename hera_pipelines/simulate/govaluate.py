"""Knetic/govaluate, as Argo Events v1.9 uses it for ``exprs`` filters and trigger ``conditions``.

The behaviour follows govaluate's last release line (v3.0.1-0.20171022003610-9aa49832a739,
the version argo-events pins): the lexer and its token-transition table, numbers as float64,
strings in either quote that end at *either* quote character, backslash escapes (``\\x`` is
``x``), ``[escaped name]`` variables, date-like string literals turned into Unix seconds,
constant regexes compiled at parse time, short-circuit ``&&``/``||``/``?``/``:``/``??``, left
associativity, ``==`` as ``reflect.DeepEqual`` and the runtime type checks with their messages.
No functions are registered (argo-events registers none), and accessors (``a.B``) only ever fail
because payload values are maps, not structs.

Trigger conditions go through two steps in argo-events (``pkg/sensors/listener.go``): the text
is rewritten and evaluated with expr-lang into a string (``dep-a && (dep-b || dep-c)`` becomes
``dep-a&&(dep-b||dep-c)``), then every ``-`` is escaped as ``\\-`` so govaluate reads
dependency names whole. With no ``&`` in that string the event bus fires on any single
dependency, without evaluating the expression at all.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from enum import Enum
from typing import Final

from hera_pipelines.simulate.gofmt import GoRegexpError, compile_regexp, format_value

__all__ = [
    "Condition",
    "ConditionError",
    "Expression",
    "ExpressionError",
    "compile_condition",
    "compile_expression",
]


class ExpressionError(Exception):
    """govaluate rejected the expression (parse) or failed evaluating it (runtime)."""


class ConditionError(ExpressionError):
    """A trigger's ``conditions`` that argo-events cannot turn into a dependency expression."""


class _Kind(Enum):
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


_K = _Kind
_VALUES = (_K.NUMERIC, _K.BOOLEAN, _K.VARIABLE, _K.FUNCTION, _K.ACCESSOR, _K.STRING)
# kind -> (valid next kinds, may end the expression); govaluate's lexerState table.
_STATES: Final[dict[_Kind, tuple[frozenset[_Kind], bool]]] = {
    _K.UNKNOWN: (frozenset({_K.PREFIX, *_VALUES, _K.PATTERN, _K.TIME, _K.CLAUSE}), False),
    _K.CLAUSE: (
        frozenset({_K.PREFIX, *_VALUES, _K.PATTERN, _K.TIME, _K.CLAUSE, _K.CLAUSE_CLOSE}),
        False,
    ),
    _K.CLAUSE_CLOSE: (
        frozenset(
            {
                _K.COMPARATOR,
                _K.MODIFIER,
                _K.NUMERIC,
                _K.BOOLEAN,
                _K.VARIABLE,
                _K.STRING,
                _K.PATTERN,
                _K.TIME,
                _K.CLAUSE,
                _K.CLAUSE_CLOSE,
                _K.LOGICALOP,
                _K.TERNARY,
                _K.SEPARATOR,
            }
        ),
        True,
    ),
    **{
        kind: (
            frozenset(
                {
                    _K.MODIFIER,
                    _K.COMPARATOR,
                    _K.LOGICALOP,
                    _K.CLAUSE_CLOSE,
                    _K.TERNARY,
                    _K.SEPARATOR,
                }
            ),
            True,
        )
        for kind in (_K.NUMERIC, _K.BOOLEAN, _K.STRING, _K.VARIABLE)
    },
    _K.TIME: (
        frozenset({_K.MODIFIER, _K.COMPARATOR, _K.LOGICALOP, _K.CLAUSE_CLOSE, _K.SEPARATOR}),
        True,
    ),
    _K.PATTERN: (
        frozenset({_K.MODIFIER, _K.COMPARATOR, _K.LOGICALOP, _K.CLAUSE_CLOSE, _K.SEPARATOR}),
        True,
    ),
    _K.MODIFIER: (frozenset({_K.PREFIX, *_VALUES, _K.CLAUSE, _K.CLAUSE_CLOSE}), False),
    _K.COMPARATOR: (
        frozenset({_K.PREFIX, *_VALUES, _K.TIME, _K.CLAUSE, _K.CLAUSE_CLOSE, _K.PATTERN}),
        False,
    ),
    _K.LOGICALOP: (
        frozenset({_K.PREFIX, *_VALUES, _K.TIME, _K.CLAUSE, _K.CLAUSE_CLOSE}),
        False,
    ),
    _K.PREFIX: (
        frozenset(
            {
                _K.NUMERIC,
                _K.BOOLEAN,
                _K.VARIABLE,
                _K.FUNCTION,
                _K.ACCESSOR,
                _K.CLAUSE,
                _K.CLAUSE_CLOSE,
            }
        ),
        False,
    ),
    _K.TERNARY: (frozenset({_K.PREFIX, *_VALUES, _K.TIME, _K.CLAUSE, _K.SEPARATOR}), False),
    _K.FUNCTION: (frozenset({_K.CLAUSE}), False),
    _K.ACCESSOR: (
        frozenset(
            {
                _K.CLAUSE,
                _K.MODIFIER,
                _K.COMPARATOR,
                _K.LOGICALOP,
                _K.CLAUSE_CLOSE,
                _K.TERNARY,
                _K.SEPARATOR,
            }
        ),
        True,
    ),
    _K.SEPARATOR: (frozenset({_K.PREFIX, *_VALUES, _K.TIME, _K.CLAUSE}), False),
}

_PREFIX_SYMBOLS: Final = frozenset({"-", "!", "~"})
_MODIFIER_SYMBOLS: Final = frozenset({"+", "-", "*", "/", "%", "**", "&", "|", "^", ">>", "<<"})
_LOGICAL_SYMBOLS: Final = frozenset({"&&", "||"})
_COMPARATOR_SYMBOLS: Final = frozenset({"==", "!=", ">", ">=", "<", "<=", "=~", "!~", "in"})
_TERNARY_SYMBOLS: Final = frozenset({"?", ":", "??"})


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
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


_TIME_PATTERNS: Final = (
    # (regex, has seconds fraction group) for govaluate's date formats that users write
    re.compile(
        r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?"
        r"(Z|[+-]\d{2}:?\d{2})?"
    ),
)


def _try_parse_time(text: str) -> float | None:
    """Unix seconds for the date forms govaluate recognises (Local taken as UTC), else None."""
    m = _TIME_PATTERNS[0].fullmatch(text)
    if m is None:
        return None
    year, month, day, hour, minute, second, _frac, zone = m.groups()
    sep = text[10:11]
    # govaluate's layouts: date alone; "date HH:MM[:SS[-07:00]]"; "dateTHH[:MM[:SS[.f]]]Z0700".
    if hour is not None and sep == " " and (minute is None or _frac is not None):
        return None
    if hour is not None and sep == "T" and zone is None:
        return None
    if hour is None and zone is not None:
        return None
    try:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=UTC,
        )
    except ValueError:
        return None
    if zone and zone != "Z":
        digits = zone.replace(":", "")
        offset = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
        moment = moment.replace(tzinfo=timezone(offset if digits[0] == "+" else -offset))
    return float(math.floor(moment.timestamp()))


def _read_token(stream: _Stream, state: _Kind) -> _Token | None:
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
                        return _Token(_K.NUMERIC, float(int(text, 16)))
                    except ValueError:
                        raise ExpressionError(
                            f"Unable to parse hex value '{text}' to uint64\n"
                        ) from None
                stream.pos -= 1
            text = stream.read_token_until_false(_is_numeric)
            try:
                return _Token(_K.NUMERIC, float(text))
            except ValueError:
                raise ExpressionError(
                    f"Unable to parse numeric value '{text}' to float64\n"
                ) from None
        if ch == ",":
            return _Token(_K.SEPARATOR, ",")
        if ch == "[":
            name, completed = stream.read_until_false(True, False, lambda c: c != "]")
            if not completed:
                raise ExpressionError("Unclosed parameter bracket")
            stream.pos += 1
            return _Token(_K.VARIABLE, name)
        if _is_letter(ch):
            text = stream.read_token_until_false(_is_variable_char)
            if text == "true":
                return _Token(_K.BOOLEAN, True)
            if text == "false":
                return _Token(_K.BOOLEAN, False)
            if text in ("in", "IN"):
                return _Token(_K.COMPARATOR, "in")
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
                return _Token(_K.ACCESSOR, tuple(parts))
            return _Token(_K.VARIABLE, text)
        if not _is_not_quote(ch):
            text, completed = stream.read_until_false(True, False, _is_not_quote)
            if not completed:
                raise ExpressionError("Unclosed string literal")
            stream.pos += 1
            seconds = _try_parse_time(text)
            if seconds is not None:
                return _Token(_K.TIME, seconds)
            return _Token(_K.STRING, text)
        if ch == "(":
            return _Token(_K.CLAUSE, "(")
        if ch == ")":
            return _Token(_K.CLAUSE_CLOSE, ")")
        text = stream.read_token_until_false(_is_not_alphanumeric)
        if text in _PREFIX_SYMBOLS and _K.PREFIX in _STATES[state][0]:
            return _Token(_K.PREFIX, text)
        if text in _MODIFIER_SYMBOLS:
            return _Token(_K.MODIFIER, text)
        if text in _LOGICAL_SYMBOLS:
            return _Token(_K.LOGICALOP, text)
        if text in _COMPARATOR_SYMBOLS:
            return _Token(_K.COMPARATOR, text)
        if text in _TERNARY_SYMBOLS:
            return _Token(_K.TERNARY, text)
        raise ExpressionError(f"Invalid token: '{text}'")
    return None


def _is_hex(ch: str) -> bool:
    return ch in "0123456789abcdefABCDEF"


def _tokenize(source: str) -> list[_Token]:
    stream = _Stream(source)
    tokens: list[_Token] = []
    state = _K.UNKNOWN
    while stream.can_read():
        token = _read_token(stream, state)
        if token is None:
            break
        state = token.kind
        tokens.append(token)
    depth = sum(
        1 if t.kind is _K.CLAUSE else -1 if t.kind is _K.CLAUSE_CLOSE else 0 for t in tokens
    )
    if depth != 0:
        raise ExpressionError("Unbalanced parenthesis")
    _check_syntax(tokens)
    return tokens


def _check_syntax(tokens: Sequence[_Token]) -> None:
    state = _K.UNKNOWN
    last: _Token | None = None
    for token in tokens:
        if token.kind not in _STATES[state][0]:
            if last is not None and last.kind is _K.VARIABLE and token.kind is _K.CLAUSE:
                raise ExpressionError(f"Undefined function {last.value}")
            last_value = "<nil>" if last is None else _token_text(last)
            raise ExpressionError(
                f"Cannot transition token types from {state.value} [{last_value}] "
                f"to {token.kind.value} [{_token_text(token)}]"
            )
        state = token.kind
        last = token
    if not _STATES[state][1]:
        raise ExpressionError("Unexpected end of expression")


def _token_text(token: _Token) -> str:
    if isinstance(token.value, tuple):
        return "[" + " ".join(str(v) for v in token.value) + "]"
    return format_value(token.value)


# --- evaluation ------------------------------------------------------------------------------

_Params = Mapping[str, object]
_Eval = Callable[[_Params], object]

_LOGICAL_FMT = "Value '{}' cannot be used with the logical operator '{}', it is not a bool"
_MODIFIER_FMT = "Value '{}' cannot be used with the modifier '{}', it is not a number"
_COMPARATOR_FMT = "Value '{}' cannot be used with the comparator '{}', it is not a number"
_TERNARY_FMT = "Value '{}' cannot be used with the ternary operator '{}', it is not a bool"
_PREFIX_FMT = "Value '{}' cannot be used with the prefix '{}'"


def _is_float(value: object) -> bool:
    return isinstance(value, float | int) and not isinstance(value, bool)


def _type_error(fmt: str, value: object, symbol: str) -> ExpressionError:
    return ExpressionError(fmt.format(format_value(value), symbol))


def _lookup(name: str) -> _Eval:
    def get(params: _Params) -> object:
        try:
            value = params[name]
        except KeyError:
            raise ExpressionError(f"No parameter '{name}' found.") from None
        if isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value

    return get


def _literal(value: object) -> _Eval:
    return lambda _params: value


def _deep_equal(left: object, right: object) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return isinstance(left, bool) and isinstance(right, bool) and left == right
    if _is_float(left) or _is_float(right):
        if not (_is_float(left) and _is_float(right)):
            return False
        return bool(float(left) == float(right))  # type: ignore[arg-type]
    if isinstance(left, str) or isinstance(right, str):
        return isinstance(left, str) and isinstance(right, str) and left == right
    if isinstance(left, Mapping) and isinstance(right, Mapping):
        return left.keys() == right.keys() and all(_deep_equal(left[k], right[k]) for k in left)
    if isinstance(left, list | tuple) and isinstance(right, list | tuple):
        return len(left) == len(right) and all(
            _deep_equal(a, b) for a, b in zip(left, right, strict=True)
        )
    if isinstance(left, re.Pattern) and isinstance(right, re.Pattern):
        return bool(left.pattern == right.pattern)
    return False


def _interface_equal(left: object, right: object) -> bool:
    """Go ``left == right`` on interfaces (the ``in`` operator); slices and maps panic."""
    for value in (left, right):
        if isinstance(value, list | tuple | Mapping):
            raise ExpressionError(f"runtime error: comparing uncomparable type {_go_type(value)}")
    return _deep_equal(left, right)


def _go_type(value: object) -> str:
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    return "[]interface {}"


def _pattern_of(value: object) -> re.Pattern[str]:
    if isinstance(value, re.Pattern):
        return value
    try:
        return compile_regexp(str(value))
    except GoRegexpError as exc:
        raise ExpressionError(f"Unable to compile regexp pattern '{value}': {exc}") from exc


def _to_int64(value: float) -> int:
    if math.isnan(value) or math.isinf(value):
        return -(2**63)
    n = int(value)
    return ((n + 2**63) % 2**64) - 2**63


def _to_uint64(value: float) -> int:
    if math.isnan(value) or math.isinf(value):
        return 2**63
    return int(value) % 2**64


def _divide(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _power(a: float, b: float) -> float:
    try:
        return math.pow(a, b)
    except OverflowError:
        return math.inf
    except ValueError:
        if a == 0 and b < 0:
            return math.inf
        return math.nan


def _modulus(a: float, b: float) -> float:
    if b == 0 or math.isinf(a) or math.isnan(a) or math.isnan(b):
        return math.nan
    return math.fmod(a, b)


def _add(a: object, b: object) -> object:
    if isinstance(a, str) or isinstance(b, str):
        return format_value(a) + format_value(b)
    return float(a) + float(b)  # type: ignore[arg-type]


_ARITH: Final[dict[str, Callable[[float, float], object]]] = {
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _divide,
    "%": _modulus,
    "**": _power,
    "&": lambda a, b: float(_to_int64(a) & _to_int64(b)),
    "|": lambda a, b: float(_to_int64(a) | _to_int64(b)),
    "^": lambda a, b: float(_to_int64(a) ^ _to_int64(b)),
    "<<": lambda a, b: float((_to_uint64(a) << _to_uint64(b)) % 2**64 if b < 64 else 0),
    ">>": lambda a, b: float(_to_uint64(a) >> _to_uint64(b) if b < 64 else 0),
}

_ORDER: Final[dict[str, Callable[[object, object], bool]]] = {
    ">": lambda a, b: a > b,  # type: ignore[operator]
    ">=": lambda a, b: a >= b,  # type: ignore[operator]
    "<": lambda a, b: a < b,  # type: ignore[operator]
    "<=": lambda a, b: a <= b,  # type: ignore[operator]
}

_SYMBOL_NAMES: Final = {"==": "=", "in": "in"}


def _binary(symbol: str, left: _Eval, right: _Eval) -> _Eval:
    name = _SYMBOL_NAMES.get(symbol, symbol)
    if symbol == "&&":

        def and_(params: _Params) -> object:
            a = left(params)
            if a is False:
                return False
            b = right(params)
            if not isinstance(a, bool):
                raise _type_error(_LOGICAL_FMT, a, name)
            if not isinstance(b, bool):
                raise _type_error(_LOGICAL_FMT, b, name)
            return a and b

        return and_
    if symbol == "||":

        def or_(params: _Params) -> object:
            a = left(params)
            if a is True:
                return True
            b = right(params)
            if not isinstance(a, bool):
                raise _type_error(_LOGICAL_FMT, a, name)
            if not isinstance(b, bool):
                raise _type_error(_LOGICAL_FMT, b, name)
            return a or b

        return or_
    if symbol == "?":

        def ternary_if(params: _Params) -> object:
            a = left(params)
            if a is False:
                return None
            b = right(params)
            if not isinstance(a, bool):
                raise _type_error(_TERNARY_FMT, a, name)
            return b

        return ternary_if
    if symbol in (":", "??"):

        def ternary_else(params: _Params) -> object:
            a = left(params)
            if a is not None:
                return a
            return right(params)

        return ternary_else
    if symbol == ",":

        def separate(params: _Params) -> object:
            a = left(params)
            b = right(params)
            if isinstance(a, list):
                return _Array([*a, b])
            return _Array([a, b])

        return separate

    def both(params: _Params) -> tuple[object, object]:
        return left(params), right(params)

    if symbol == "==":
        return lambda params: _deep_equal(*both(params))
    if symbol == "!=":
        return lambda params: not _deep_equal(*both(params))
    if symbol in _ORDER:
        compare = _ORDER[symbol]

        def order(params: _Params) -> object:
            a, b = both(params)
            if (_is_float(a) and _is_float(b)) or (isinstance(a, str) and isinstance(b, str)):
                return compare(a, b)
            raise _type_error(_COMPARATOR_FMT, a, name)

        return order
    if symbol in ("=~", "!~"):
        negate = symbol == "!~"

        def regex(params: _Params) -> object:
            a, b = both(params)
            if not isinstance(a, str):
                raise _type_error(_COMPARATOR_FMT, a, name)
            if not isinstance(b, str | re.Pattern):
                raise _type_error(_COMPARATOR_FMT, b, name)
            found = _pattern_of(b).search(a) is not None
            return found != negate

        return regex
    if symbol == "in":

        def in_(params: _Params) -> object:
            a, b = both(params)
            if not isinstance(b, list | tuple):
                raise _type_error(_COMPARATOR_FMT, b, name)
            return any(_interface_equal(a, item) for item in b)

        return in_
    if symbol == "+":

        def add(params: _Params) -> object:
            a, b = both(params)
            if not ((_is_float(a) and _is_float(b)) or isinstance(a, str) or isinstance(b, str)):
                raise _type_error(_MODIFIER_FMT, a, name)
            return _add(a, b)

        return add
    arith = _ARITH[symbol]

    def modifier(params: _Params) -> object:
        a, b = both(params)
        if not _is_float(a):
            raise _type_error(_MODIFIER_FMT, a, name)
        if not _is_float(b):
            raise _type_error(_MODIFIER_FMT, b, name)
        return arith(float(a), float(b))  # type: ignore[arg-type]

    return modifier


class _Array(list[object]):
    """A ``(a, b)`` list built by the separator; plain lists are parameters, not extended."""


def _prefix(symbol: str, operand: _Eval) -> _Eval:
    if symbol == "!":

        def invert(params: _Params) -> object:
            value = operand(params)
            if not isinstance(value, bool):
                raise _type_error(_PREFIX_FMT, value, symbol)
            return not value

        return invert

    def numeric(params: _Params) -> object:
        value = operand(params)
        if not _is_float(value):
            raise _type_error(_PREFIX_FMT, value, symbol)
        if symbol == "-":
            return -float(value)  # type: ignore[arg-type]
        return float(~_to_int64(float(value)))  # type: ignore[arg-type]

    return numeric


def _accessor(parts: tuple[str, ...]) -> _Eval:
    root = _lookup(parts[0])

    def access(params: _Params) -> object:
        root(params)
        raise ExpressionError(f"Unable to access '{parts[1]}', '{parts[0]}' is not a struct")

    return access


# precedence levels, lowest first, as govaluate's planner chains them
_LEVELS: Final[tuple[tuple[_Kind, frozenset[str]], ...]] = (
    (_K.SEPARATOR, frozenset({","})),
    (_K.TERNARY, _TERNARY_SYMBOLS),
    (_K.LOGICALOP, frozenset({"||"})),
    (_K.LOGICALOP, frozenset({"&&"})),
    (_K.COMPARATOR, _COMPARATOR_SYMBOLS),
    (_K.MODIFIER, frozenset({"&", "|", "^"})),
    (_K.MODIFIER, frozenset({"<<", ">>"})),
    (_K.MODIFIER, frozenset({"+", "-"})),
    (_K.MODIFIER, frozenset({"*", "/", "%"})),
    (_K.MODIFIER, frozenset({"**"})),
)


class _Parser:
    def __init__(self, tokens: Sequence[_Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def level(self, index: int) -> _Eval:
        if index == len(_LEVELS):
            return self.primary()
        kind, symbols = _LEVELS[index]
        left = self.level(index + 1)
        while True:
            token = self.peek()
            if token is None or token.kind is not kind or token.value not in symbols:
                return left
            self.pos += 1
            right = self.level(index + 1)
            left = _binary(str(token.value), left, right)

    def primary(self) -> _Eval:
        token = self.peek()
        if token is None:
            raise ExpressionError("Unexpected end of expression")
        self.pos += 1
        if token.kind is _K.CLAUSE:
            inner = self.level(0) if self.peek_kind() is not _K.CLAUSE_CLOSE else _literal(None)
            if self.peek_kind() is not _K.CLAUSE_CLOSE:
                raise ExpressionError("Unbalanced parenthesis")
            self.pos += 1
            return inner
        if token.kind is _K.PREFIX:
            return _prefix(str(token.value), self.primary())
        if token.kind is _K.VARIABLE:
            return _lookup(str(token.value))
        if token.kind is _K.ACCESSOR:
            if self.peek_kind() is _K.CLAUSE:
                self.primary()
            parts = token.value
            assert isinstance(parts, tuple)
            return _accessor(parts)
        if token.kind in (_K.NUMERIC, _K.PATTERN, _K.STRING, _K.BOOLEAN, _K.TIME):
            return _literal(token.value)
        raise ExpressionError(
            f"Unable to plan token kind: '{token.kind.value}', value: '{_token_text(token)}'"
        )

    def peek_kind(self) -> _Kind | None:
        token = self.peek()
        return None if token is None else token.kind


def _optimize(tokens: list[_Token]) -> None:
    for index, token in enumerate(tokens[:-1]):
        if token.kind is _K.COMPARATOR and token.value in ("=~", "!~"):
            nxt = tokens[index + 1]
            if nxt.kind is _K.STRING:
                try:
                    pattern = compile_regexp(str(nxt.value))
                except GoRegexpError as exc:
                    raise ExpressionError(str(exc)) from exc
                tokens[index + 1] = _Token(_K.PATTERN, pattern)


@dataclass(frozen=True)
class Expression:
    """A parsed govaluate expression: parse once, evaluate per event."""

    source: str
    variables: frozenset[str]
    variable_order: tuple[str, ...]
    _evaluate: _Eval | None = field(repr=False, compare=False)

    def evaluate(self, params: Mapping[str, object] | None = None) -> object:
        """``Evaluate(params)``: float64 numbers, or None for an empty expression.

        Raises :class:`ExpressionError` with govaluate's message on a runtime failure.
        """
        if self._evaluate is None:
            return None
        try:
            result = self._evaluate(params if params is not None else {})
        except RecursionError as exc:
            raise ExpressionError("expression nests too deeply") from exc
        if isinstance(result, _Array):
            return list(result)
        if isinstance(result, re.Pattern):
            return result.pattern
        return result


def compile_expression(src: str) -> Expression:
    """``govaluate.NewEvaluableExpression(src)``; parse errors raise :class:`ExpressionError`."""
    tokens = _tokenize(src)
    _optimize(tokens)
    names = tuple(str(t.value) for t in tokens if t.kind is _K.VARIABLE)
    evaluator: _Eval | None = None
    if tokens:
        parser = _Parser(tokens)
        try:
            evaluator = parser.level(0)
        except RecursionError as exc:
            raise ExpressionError("expression nests too deeply") from exc
    return Expression(src, frozenset(names), tuple(dict.fromkeys(names)), evaluator)


# --- trigger conditions ----------------------------------------------------------------------

_EXPR_TOKEN: Final = re.compile(r'\s*(?:([A-Za-z_][A-Za-z0-9_]*)|"([^"\\]*)"|(\+))')


def _translate_conditions(conditions: str, dependency_names: Sequence[str]) -> str:
    """argo-events' ``translate``: rewrite to an expr-lang string concatenation, then run it."""
    text = conditions.replace("&&", ' + "&&" + ').replace("||", ' + "||" + ')
    text = text.replace("-", "_").replace("(", '"("+').replace(")", '+")"')
    env = {name.replace("-", "_"): name for name in dependency_names}
    pieces: list[str] = []
    expect_operand = True
    pos = 0
    while pos < len(text.rstrip()):
        m = _EXPR_TOKEN.match(text, pos)
        if m is None:
            raise ConditionError(
                f"conditions {conditions!r}: only dependency names, '&&', '||' and parentheses "
                "are allowed"
            )
        pos = m.end()
        ident, string, plus = m.groups()
        if plus is not None:
            if expect_operand:
                raise ConditionError(f"conditions {conditions!r}: unexpected operator")
            expect_operand = True
            continue
        if not expect_operand:
            raise ConditionError(f"conditions {conditions!r}: missing operator")
        expect_operand = False
        if ident is not None:
            if ident not in env:
                raise ConditionError(f"conditions {conditions!r}: unknown name {ident}")
            pieces.append(env[ident])
        else:
            pieces.append(string)
    if expect_operand:
        raise ConditionError(f"conditions {conditions!r}: unexpected end of expression")
    result = "".join(pieces)
    return result.replace('"("', "(").replace('")"', ")")


@dataclass(frozen=True)
class Condition:
    """When a trigger fires, given which of its dependencies currently hold an event."""

    source: str | None
    expression: str
    dependencies: tuple[str, ...]
    requires_and_logic: bool
    _expression: Expression = field(repr=False, compare=False)

    def evaluate(self, matched: Mapping[str, bool]) -> bool:
        """True when the trigger fires once the dependencies in ``matched`` hold events.

        Without ``&`` in the expression the event bus fires on any one dependency and never
        evaluates the expression. A runtime error fires nothing (argo-events logs it).
        """
        if not self.requires_and_logic:
            return any(matched.get(name, False) for name in self.dependencies)
        params = {name: bool(matched.get(name, False)) for name in self.dependencies}
        try:
            return self._expression.evaluate(params) is True
        except ExpressionError:
            return False


def compile_condition(conditions: str | None, dependency_names: Sequence[str]) -> Condition:
    """``getDependencyExpression`` plus the govaluate parse argo-events does for a trigger.

    ``conditions`` empty or None means all of the sensor's dependencies, joined with ``&&``.
    Raises :class:`ConditionError` when argo-events would refuse to start the trigger.
    """
    if conditions:
        expression = _translate_conditions(conditions, dependency_names)
    else:
        expression = "&&".join(dependency_names)
    try:
        parsed = compile_expression(expression.replace("-", "\\-"))
    except ExpressionError as exc:
        raise ConditionError(f"failed to get new evaluable expression: {exc}") from exc
    known = set(dependency_names)
    for name in parsed.variable_order:
        if name not in known:
            raise ConditionError(
                f"Dependency expression and dependency list do not match, {name} is not found"
            )
    return Condition(
        source=conditions or None,
        expression=expression,
        dependencies=parsed.variable_order,
        requires_and_logic="&" in expression,
        _expression=parsed,
    )
