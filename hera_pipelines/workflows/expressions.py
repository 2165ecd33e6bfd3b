"""Argo expressions (`{{=...}}`) and parameter references, built one way everywhere.

Event data reaches an agent only inside expressions that JSON-encode it (`expr_env`), never
spliced into a manifest, script or command line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

__all__ = ["expr_env", "expr_str", "param", "wf_param"]


def expr_str(value: str) -> str:
    """A string literal for an Argo (expr-lang) expression."""
    return json.dumps(value, ensure_ascii=False)


def wf_param(name: str) -> str:
    """An expression operand reading a workflow parameter (works for any parameter name)."""
    return f"workflow.parameters[{expr_str(name)}]"


def param(name: str) -> str:
    """A plain `{{workflow.parameters.X}}` reference, for values that are never parsed."""
    return f"{{{{workflow.parameters.{name}}}}}"


def expr_env(values: Mapping[str, str]) -> str:
    """An expression building a JSON object of environment variables.

    Keys are static; each value is an expression operand (`wf_param(...)`) or a static string
    already made a literal with `expr_str`. sprig.toJson escapes whatever the values hold.
    """
    args = ", ".join(f"{expr_str(k)}, {v}" for k, v in sorted(values.items()))
    return f"{{{{=sprig.toJson(sprig.dict({args}))}}}}"
