"""Argo expressions (`{{=...}}`) and parameter references, built one way everywhere.

Untrusted text is never an operand here: it travels as base64 and is decoded at the leaf
(`workflows/agent_env.py`); expressions read TRUSTED parameters only.
"""

from __future__ import annotations

import json

__all__ = ["expr_str", "param", "wf_param"]


def expr_str(value: str) -> str:
    """A string literal for an Argo (expr-lang) expression."""
    return json.dumps(value, ensure_ascii=False)


def wf_param(name: str) -> str:
    """An expression operand reading a workflow parameter (works for any parameter name)."""
    return f"workflow.parameters[{expr_str(name)}]"


def param(name: str) -> str:
    """A plain `{{workflow.parameters.X}}` reference, for values that are never parsed."""
    return f"{{{{workflow.parameters.{name}}}}}"
