"""Started workflows' names: a Go template that is a pure, always-valid function of the event.

The same event always yields the same name (idempotency: a redelivery collides instead of
starting a second run), and any payload yields a DNS-1123 label of at most 63 characters.
"""

from __future__ import annotations

from hera_pipelines.conventions.names import dns_label
from hera_pipelines.events.source import DELIVERY, body_operand, decimal

__all__ = ["name_template", "part_delivery", "part_number", "part_text"]


def part_number(path: str) -> str:
    """A JSON number as decimal digits (`source.decimal`)."""
    return f"({decimal(path)})"


def part_text(path: str, length: int = 12) -> str:
    """Any value cut down to `[a-z0-9-]`, at most `length` characters, no edge hyphens."""
    cleaned = f'(regexReplaceAll "[^a-z0-9]+" (lower (toString {body_operand(path)})) "-")'
    return f'(trimAll "-" (trunc {length} (trimAll "-" {cleaned})))'


def part_delivery() -> str:
    return part_text(f"body.{DELIVERY}", 36)


def name_template(prefix: str, *parts: str) -> str:
    """A Go template that always yields a DNS-1123 label of ≤ 63 characters.

    `prefix` is static and sanitised here (it starts the name with a letter or digit); each
    part is a `part_*` operand that can only produce `[a-z0-9-]`; the join is cut to 63 and
    trailing hyphens dropped.
    """
    static = dns_label(prefix, 30)
    joined = " ".join(['"' + static + '"', *parts])
    sep = '"-"'
    return f'{{{{ regexReplaceAll "-+$" (trunc 63 (join {sep} (list {joined}))) "" }}}}'
