"""Lint rules, one module per topic; each rule is a function registered in `lint.registry`."""

from __future__ import annotations

__all__: list[str] = []
