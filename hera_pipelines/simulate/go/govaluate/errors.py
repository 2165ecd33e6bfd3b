"""The errors govaluate returns (parse and evaluation), and the one for trigger conditions."""

from __future__ import annotations

__all__ = ["ConditionError", "ExpressionError"]


class ExpressionError(Exception):
    """govaluate rejected the expression (parse) or failed evaluating it (runtime)."""


class ConditionError(ExpressionError):
    """A trigger's ``conditions`` that argo-events cannot turn into a dependency expression."""
