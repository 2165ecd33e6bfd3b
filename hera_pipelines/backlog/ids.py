"""Task ids compared, sorted and named the same way everywhere, whatever type the backlog used."""

from __future__ import annotations

import hashlib
import re

__all__ = ["IdKey", "id_sort_key", "name_fragment", "normalise_id"]

IdKey = tuple[tuple[int, int, str], ...]

_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_MAX_FRAGMENT = 40


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


def name_fragment(ref: str) -> str:
    """A DNS-1123 label fragment for a task id, at most 49 characters, distinct per id.

    Ids that already are short lowercase labels (`7`, `api-2`) are kept; any other id is
    lowercased, stripped to `[a-z0-9-]` and suffixed with 8 hex characters of its SHA-256, so two
    ids that sanitise alike (`A_b`, `a-b`) never share a name.
    """
    if len(ref) <= _MAX_FRAGMENT and _DNS_LABEL.match(ref):
        return ref
    cleaned = re.sub(r"[^a-z0-9]+", "-", ref.lower()).strip("-")[:_MAX_FRAGMENT].strip("-")
    digest = hashlib.sha256(ref.encode()).hexdigest()[:8]
    return f"{cleaned}-{digest}" if cleaned else f"id-{digest}"
