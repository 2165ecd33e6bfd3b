"""govaluate's planner: precedence and associativity, regexes compiled at parse time.

govaluate's planner: tokens into one closure per operator, by precedence level, left
associative; constant ``=~`` patterns compiled at parse time (``NewEvaluableExpression``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from hera_pipelines.simulate.go.govaluate.errors import ExpressionError
from hera_pipelines.simulate.go.govaluate.lexer import (
    COMPARATOR_SYMBOLS,
    TERNARY_SYMBOLS,
    Kind,
    Token,
    token_text,
    tokenize,
)
from hera_pipelines.simulate.go.govaluate.operators import (
    ArrayValue,
    Eval,
    accessor,
    binary,
    literal,
    lookup,
    prefix,
)
from hera_pipelines.simulate.go.regexp import Regexp, RegexpError, compile_regexp

__all__ = ["Expression", "compile_expression"]


# precedence levels, lowest first, as govaluate's planner chains them
_LEVELS: Final[tuple[tuple[Kind, frozenset[str]], ...]] = (
    (Kind.SEPARATOR, frozenset({","})),
    (Kind.TERNARY, TERNARY_SYMBOLS),
    (Kind.LOGICALOP, frozenset({"||"})),
    (Kind.LOGICALOP, frozenset({"&&"})),
    (Kind.COMPARATOR, COMPARATOR_SYMBOLS),
    (Kind.MODIFIER, frozenset({"&", "|", "^"})),
    (Kind.MODIFIER, frozenset({"<<", ">>"})),
    (Kind.MODIFIER, frozenset({"+", "-"})),
    (Kind.MODIFIER, frozenset({"*", "/", "%"})),
    (Kind.MODIFIER, frozenset({"**"})),
)


class Parser:
    def __init__(self, tokens: Sequence[Token]) -> None:
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def level(self, index: int) -> Eval:
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
            left = binary(str(token.value), left, right)

    def primary(self) -> Eval:
        token = self.peek()
        if token is None:
            raise ExpressionError("Unexpected end of expression")
        self.pos += 1
        if token.kind is Kind.CLAUSE:
            inner = self.level(0) if self.peek_kind() is not Kind.CLAUSE_CLOSE else literal(None)
            if self.peek_kind() is not Kind.CLAUSE_CLOSE:
                raise ExpressionError("Unbalanced parenthesis")
            self.pos += 1
            return inner
        if token.kind is Kind.PREFIX:
            return prefix(str(token.value), self.primary())
        if token.kind is Kind.VARIABLE:
            return lookup(str(token.value))
        if token.kind is Kind.ACCESSOR:
            if self.peek_kind() is Kind.CLAUSE:
                self.primary()
            parts = token.value
            assert isinstance(parts, tuple)
            return accessor(parts)
        if token.kind in (Kind.NUMERIC, Kind.PATTERN, Kind.STRING, Kind.BOOLEAN, Kind.TIME):
            return literal(token.value)
        raise ExpressionError(
            f"Unable to plan token kind: '{token.kind.value}', value: '{token_text(token)}'"
        )

    def peek_kind(self) -> Kind | None:
        token = self.peek()
        return None if token is None else token.kind


def _optimize(tokens: list[Token]) -> None:
    for index, token in enumerate(tokens[:-1]):
        if token.kind is Kind.COMPARATOR and token.value in ("=~", "!~"):
            nxt = tokens[index + 1]
            if nxt.kind is Kind.STRING:
                try:
                    pattern = compile_regexp(str(nxt.value))
                except RegexpError as exc:
                    raise ExpressionError(str(exc)) from exc
                tokens[index + 1] = Token(Kind.PATTERN, pattern)


@dataclass(frozen=True)
class Expression:
    """A parsed govaluate expression: parse once, evaluate per event."""

    source: str
    variables: frozenset[str]
    variable_order: tuple[str, ...]
    _evaluate: Eval | None = field(repr=False, compare=False)

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
        if isinstance(result, ArrayValue):
            return list(result)
        if isinstance(result, Regexp):
            return result.pattern
        return result


def compile_expression(src: str) -> Expression:
    """``govaluate.NewEvaluableExpression(src)``; parse errors raise :class:`ExpressionError`."""
    tokens = tokenize(src)
    _optimize(tokens)
    names = tuple(str(t.value) for t in tokens if t.kind is Kind.VARIABLE)
    evaluator: Eval | None = None
    if tokens:
        parser = Parser(tokens)
        try:
            evaluator = parser.level(0)
        except RecursionError as exc:
            raise ExpressionError("expression nests too deeply") from exc
    return Expression(src, frozenset(names), tuple(dict.fromkeys(names)), evaluator)
