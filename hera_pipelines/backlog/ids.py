"""Task ids compared, sorted and named the same way everywhere, whatever type the backlog used."""

from __future__ import annotations

__all__ = ["IdKey", "id_sort_key", "normalise_id"]

IdKey = tuple[tuple[int, int, str], ...]


def normalise_id(value: int | str) -> str:
    """The canonical string form of a task or subtask reference: `7`, `"7"` and `"07"` are `"7"`.

    Each dot-separated part that is all digits loses its leading zeros, so `"21.04"` is `"21.4"`;
    any other text is kept as written apart from surrounding whitespace.
    """
    if isinstance(value, int):
        return str(value)
    parts = value.strip().split(".")
    return ".".join(str(int(p)) if p.isdigit() else p for p in parts)


def id_sort_key(ref: str) -> IdKey:
    """Sort key of a normalised reference: numeric parts numerically, before any text part."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in ref.split("."))
