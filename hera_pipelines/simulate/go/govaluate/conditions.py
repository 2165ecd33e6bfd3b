"""Trigger `conditions`, rewritten and evaluated the way argo-events does.

A trigger's ``conditions`` as argo-events evaluates them: rewritten through expr-lang into a
string, ``-`` escaped, then govaluate over the dependencies' match results.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from hera_pipelines.simulate.go.govaluate.errors import ConditionError, ExpressionError
from hera_pipelines.simulate.go.govaluate.parser import Expression, compile_expression

__all__ = ["Condition", "compile_condition"]


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
