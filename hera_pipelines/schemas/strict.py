"""Tightening upstream schemas: listed properties become the only allowed ones."""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["strict_schema"]


def strict_schema(schema: Any) -> Any:
    """A copy of `schema` in which objects with listed properties forbid any other.

    `x-kubernetes-preserve-unknown-fields` keeps an object open, as on the API server.
    """
    schema = copy.deepcopy(schema)
    _tighten(schema)
    return schema


def _tighten(node: Any) -> None:
    if isinstance(node, dict):
        if (
            "properties" in node
            and "additionalProperties" not in node
            and not node.get("x-kubernetes-preserve-unknown-fields")
        ):
            node["additionalProperties"] = False
        for value in node.values():
            _tighten(value)
    elif isinstance(node, list):
        for value in node:
            _tighten(value)
