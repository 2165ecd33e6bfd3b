"""One module per `lint --format`: text, json, sarif."""

from __future__ import annotations

__all__: list[str] = []
