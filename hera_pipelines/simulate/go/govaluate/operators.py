"""govaluate's operators with Go's types, short-circuits and error messages.

govaluate's operators as evaluation closures: float64 arithmetic, Go's int64 bit operations,
``==`` as ``reflect.DeepEqual``, RE2 ``=~``, short-circuits, and the type-check messages.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Final

from hera_pipelines.simulate.go.fmt import format_value
from hera_pipelines.simulate.go.govaluate.errors import ExpressionError
from hera_pipelines.simulate.go.regexp import Regexp, RegexpError, compile_regexp

__all__ = ["ArrayValue", "Eval", "Params", "accessor", "binary", "literal", "lookup", "prefix"]


Params = Mapping[str, object]


Eval = Callable[[Params], object]


_LOGICAL_FMT = "Value '{}' cannot be used with the logical operator '{}', it is not a bool"


_MODIFIER_FMT = "Value '{}' cannot be used with the modifier '{}', it is not a number"


_COMPARATOR_FMT = "Value '{}' cannot be used with the comparator '{}', it is not a number"


_TERNARY_FMT = "Value '{}' cannot be used with the ternary operator '{}', it is not a bool"


_PREFIX_FMT = "Value '{}' cannot be used with the prefix '{}'"


def _is_float(value: object) -> bool:
    return isinstance(value, float | int) and not isinstance(value, bool)


def _type_error(fmt: str, value: object, symbol: str) -> ExpressionError:
    return ExpressionError(fmt.format(format_value(value), symbol))


def lookup(name: str) -> Eval:
    def get(params: Params) -> object:
        try:
            value = params[name]
        except KeyError:
            raise ExpressionError(f"No parameter '{name}' found.") from None
        if isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        return value

    return get


def literal(value: object) -> Eval:
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
    if isinstance(left, Regexp) and isinstance(right, Regexp):
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


def _pattern_of(value: object) -> Regexp:
    if isinstance(value, Regexp):
        return value
    try:
        return compile_regexp(str(value))
    except RegexpError as exc:
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


def binary(symbol: str, left: Eval, right: Eval) -> Eval:
    name = _SYMBOL_NAMES.get(symbol, symbol)
    if symbol == "&&":

        def and_(params: Params) -> object:
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

        def or_(params: Params) -> object:
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

        def ternary_if(params: Params) -> object:
            a = left(params)
            if a is False:
                return None
            b = right(params)
            if not isinstance(a, bool):
                raise _type_error(_TERNARY_FMT, a, name)
            return b

        return ternary_if
    if symbol in (":", "??"):

        def ternary_else(params: Params) -> object:
            a = left(params)
            if a is not None:
                return a
            return right(params)

        return ternary_else
    if symbol == ",":

        def separate(params: Params) -> object:
            a = left(params)
            b = right(params)
            if isinstance(a, list):
                return ArrayValue([*a, b])
            return ArrayValue([a, b])

        return separate

    def both(params: Params) -> tuple[object, object]:
        return left(params), right(params)

    if symbol == "==":
        return lambda params: _deep_equal(*both(params))
    if symbol == "!=":
        return lambda params: not _deep_equal(*both(params))
    if symbol in _ORDER:
        compare = _ORDER[symbol]

        def order(params: Params) -> object:
            a, b = both(params)
            if (_is_float(a) and _is_float(b)) or (isinstance(a, str) and isinstance(b, str)):
                return compare(a, b)
            raise _type_error(_COMPARATOR_FMT, a, name)

        return order
    if symbol in ("=~", "!~"):
        negate = symbol == "!~"

        def regex(params: Params) -> object:
            a, b = both(params)
            if not isinstance(a, str):
                raise _type_error(_COMPARATOR_FMT, a, name)
            if not isinstance(b, str | Regexp):
                raise _type_error(_COMPARATOR_FMT, b, name)
            found = _pattern_of(b).matches(a)
            return found != negate

        return regex
    if symbol == "in":

        def in_(params: Params) -> object:
            a, b = both(params)
            if not isinstance(b, list | tuple):
                raise _type_error(_COMPARATOR_FMT, b, name)
            return any(_interface_equal(a, item) for item in b)

        return in_
    if symbol == "+":

        def add(params: Params) -> object:
            a, b = both(params)
            if not ((_is_float(a) and _is_float(b)) or isinstance(a, str) or isinstance(b, str)):
                raise _type_error(_MODIFIER_FMT, a, name)
            return _add(a, b)

        return add
    arith = _ARITH[symbol]

    def modifier(params: Params) -> object:
        a, b = both(params)
        if not _is_float(a):
            raise _type_error(_MODIFIER_FMT, a, name)
        if not _is_float(b):
            raise _type_error(_MODIFIER_FMT, b, name)
        return arith(float(a), float(b))  # type: ignore[arg-type]

    return modifier


class ArrayValue(list[object]):
    """A ``(a, b)`` list built by the separator; plain lists are parameters, not extended."""


def prefix(symbol: str, operand: Eval) -> Eval:
    if symbol == "!":

        def invert(params: Params) -> object:
            value = operand(params)
            if not isinstance(value, bool):
                raise _type_error(_PREFIX_FMT, value, symbol)
            return not value

        return invert

    def numeric(params: Params) -> object:
        value = operand(params)
        if not _is_float(value):
            raise _type_error(_PREFIX_FMT, value, symbol)
        if symbol == "-":
            return -float(value)  # type: ignore[arg-type]
        return float(~_to_int64(float(value)))  # type: ignore[arg-type]

    return numeric


def accessor(parts: tuple[str, ...]) -> Eval:
    root = lookup(parts[0])

    def access(params: Params) -> object:
        root(params)
        raise ExpressionError(f"Unable to access '{parts[1]}', '{parts[0]}' is not a struct")

    return access
