"""The output formats of `plan`, one module each, chosen by name through `registry.new`."""

from __future__ import annotations

__all__: list[str] = []
