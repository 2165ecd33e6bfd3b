"""The one YAML writer: fixed key order, no nulls, block style, no line wrapping, LF.

Every byte of rendered output goes through `dump`, so determinism is decided here only. Files
(`dump_file`) pass yamllint's default rules, so a repository whose `.yamllint` extends
`default` (and whose detected gate is `yamllint .`) accepts them: each starts with `---`,
sequences are indented under their key, and a file with lines longer than 80 characters
(scripts, filter expressions, URLs, which are never wrapped) says so in a
`# yamllint disable rule:line-length` comment, the one rule it opts out of.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

__all__ = ["dump", "dump_all", "dump_file", "dump_normalised", "normalise"]

# yamllint's default line length.
_LINE_LENGTH = 80

# Top-level keys of a Kubernetes object come in this order; the rest sorted after them.
_TOP_ORDER = ("apiVersion", "kind", "metadata", "spec", "data", "stringData", "type")
# Inside any mapping, these keys lead (so a list item shows its identity first).
_LEAD = ("name", "generateName", "namespace")


def _order(keys: list[str], top: bool) -> list[str]:
    lead = _TOP_ORDER if top else _LEAD
    first = [k for k in lead if k in keys]
    return first + sorted(k for k in keys if k not in lead)


def normalise(value: Any, top: bool = True) -> Any:
    """Plain dicts/lists with None dropped and keys in the fixed order (recursively)."""
    if isinstance(value, Mapping):
        keys = [str(k) for k, v in value.items() if v is not None]
        return {k: normalise(value[k], top=False) for k in _order(keys, top)}
    if isinstance(value, list | tuple):
        return [normalise(v, top=False) for v in value if v is not None]
    return value


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # Multi-line strings (scripts, manifests, prompts) read best as literal blocks.
    if "\n" in data and not any(c in data for c in "\r\t") and data == data.rstrip(" "):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


class _Writer(yaml.SafeDumper):
    """The Python emitter, because it lets sequences be indented under their key (yamllint's
    default `indentation` rule); libyaml's C emitter cannot. It is slower, but emitting is a
    small part of a render."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


_Writer.add_representer(str, _str_presenter)


def dump(value: Any) -> str:
    """One document, normalised here (see `dump_normalised` for an already normalised one)."""
    return dump_normalised(normalise(value))


def dump_normalised(value: Any) -> str:
    """One document that `normalise` already produced: the render pipeline normalises each
    object once, when it enters the set, and writes it with this."""
    text = yaml.dump(
        value,
        Dumper=_Writer,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=2**31 - 1,
        indent=2,
    )
    return text if text.endswith("\n") else text + "\n"


def dump_file(value: Any, header: str, *, normalised: bool = False) -> str:
    """One document as a file: the `header` comment line, `---`, then the document."""
    text = dump_normalised(value) if normalised else dump(value)
    lines = [header]
    if any(len(line) > _LINE_LENGTH for line in text.splitlines()):
        lines.append("# yamllint disable rule:line-length")
    return "\n".join([*lines, "---", text])


def dump_all(values: list[Any]) -> str:
    return "---\n".join(dump(v) for v in values)
