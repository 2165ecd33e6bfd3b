"""`lint`: schema and semantic rules over rendered manifests, reported as text, JSON or SARIF."""

from __future__ import annotations

__all__: list[str] = []
