"""Builders shared by the backlog tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

# copies of the two real backlogs of shared/taskmaster (see data/SOURCE.md)
SHARED = Path(__file__).resolve().parent / "data"

Writer = Callable[..., Path]
Runner = Callable[..., tuple[int, str, str]]


def task(
    ident: int | str, *deps: int | str, status: str = "pending", **extra: Any
) -> dict[str, Any]:
    """A minimal TaskMaster task."""
    return {
        "id": ident,
        "title": f"Task {ident}",
        "status": status,
        "dependencies": list(deps),
        **extra,
    }
