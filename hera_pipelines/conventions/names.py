"""One sanitiser for every name and label value built from user data (DNS-1123, ≤ 63 chars).

Long names are cut and suffixed with a short stable hash of the whole input, so two long names
that share a prefix never collide, and the same input always yields the same name.
`distinct_label` is the stricter form for identifiers (task ids): any input it had to change
gets the hash, so two ids that sanitise alike (`A_b`, `a-b`) never share a name.
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["MAX_NAME", "distinct_label", "dns_label", "label_value", "short_hash"]

MAX_NAME = 63
_HASH_LEN = 8
_INVALID_DNS = re.compile(r"[^a-z0-9-]+")
_INVALID_LABEL = re.compile(r"[^A-Za-z0-9._-]+")


def short_hash(value: str, length: int = _HASH_LEN) -> str:
    """A stable hex digest prefix: the same on every machine and hash seed."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:length]


def _fit(cleaned: str, original: str, max_len: int, strip: str) -> str:
    """Cut to `max_len`, hashing the *original* so distinct inputs stay distinct."""
    if len(cleaned) <= max_len:
        return cleaned
    suffix = short_hash(original)
    head = cleaned[: max_len - len(suffix) - 1].rstrip(strip)
    return f"{head}-{suffix}" if head else suffix


def _clean(value: str) -> str:
    return re.sub(r"-{2,}", "-", _INVALID_DNS.sub("-", value.lower()).strip("-"))


def dns_label(value: str, max_len: int = MAX_NAME) -> str:
    """A DNS-1123 label (lowercase alphanumerics and '-', alphanumeric at both ends)."""
    cleaned = _clean(value)
    if not cleaned:
        return short_hash(value)
    return _fit(cleaned, value, max_len, "-")


def label_value(value: str) -> str:
    """A valid label value: ≤ 63 of [A-Za-z0-9._-], alphanumeric at both ends (or empty)."""
    cleaned = _INVALID_LABEL.sub("-", value).strip("-._")
    if not cleaned:
        return "" if not value else short_hash(value)
    return _fit(cleaned, value, MAX_NAME, "-._")


_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def distinct_label(value: str, max_len: int = 49) -> str:
    """A DNS-1123 label that is distinct per input: kept as is when it already is a label of
    at most `max_len - 9` characters, else cleaned, cut and always suffixed with the hash."""
    room = max_len - _HASH_LEN - 1
    if len(value) <= room and _LABEL.match(value):
        return value
    suffix = short_hash(value)
    head = _clean(value)[:room].strip("-")
    return f"{head}-{suffix}" if head else f"id-{suffix}"
