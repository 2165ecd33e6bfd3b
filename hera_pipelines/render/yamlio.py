"""The one YAML writer: fixed key order, no nulls, block style, no line wrapping, LF.

Every byte of rendered output goes through `dump`, so determinism is decided here only. Files
(`dump_file`) pass yamllint's default rules, so a repository whose `.yamllint` extends
`default` (and whose detected gate is `yamllint .`) accepts them: each starts with `---`,
sequences are indented under their key, and a file with lines longer than 80 characters
(scripts, filter expressions, URLs, which are never wrapped) says so in a
`# yamllint disable rule:line-length` comment, the one rule it opts out of.
"""

from __future__ import annotations

import re
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


_STR_TAG = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
# Line breaks to YAML 1.1 (as both emitters read it); what keeps a string out of a literal block.
_BREAK = re.compile("[\n\x85\u2028\u2029]")
_NOT_LITERAL = re.compile("[\r\t\x85\u2028\u2029]")


def _str_style(data: str) -> str | None:
    # Multi-line strings (scripts, manifests, prompts) read best as literal blocks. One that
    # cannot be a literal block (tabs, CRs, trailing spaces, Unicode line breaks) is
    # double-quoted, its breaks escaped: a single-quoted scalar would spread over several
    # lines, which the fast writer's line-based re-indentation could not tell from structure.
    if _BREAK.search(data):
        return '"' if _NOT_LITERAL.search(data) or data != data.rstrip(" ") else "|"
    return None


def _str_presenter(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    return dumper.represent_scalar(_STR_TAG, data, style=_str_style(data))


class _Writer(yaml.SafeDumper):
    """The reference writer: PyYAML's Python emitter, told to indent sequences under their key
    (yamllint's default `indentation` rule). Slow (it analyses every scalar in Python); the fast
    writer below must produce its exact bytes, and falls back to it on anything unusual."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


class _FastWriter(yaml.CSafeDumper):
    """libyaml's C emitter: the same scalar analysis and styles as `_Writer`, an order of
    magnitude faster, but it always writes a mapping's sequence value "indentless" (dashes in
    the key's column). `_indent_sequences` moves those sequences two columns right.

    It also represents and resolves faster than PyYAML's Python layers, which libyaml still
    calls for every node: containers, strings, ints and bools become nodes in one recursive
    function (anything else goes through PyYAML's representers), and the resolver's verdict is
    remembered per scalar text within one document (keys and values repeat a lot). The nodes
    are the ones PyYAML would build for a tree (no object reached twice), which `normalise`
    guarantees: it builds every container afresh.
    """

    def represent(self, data: Any) -> None:
        self._resolved: dict[str, str] = {}
        self.serialize(self._node(data))

    def _node(self, data: Any) -> yaml.Node:
        kind = type(data)
        if kind is str:
            return yaml.ScalarNode(_STR_TAG, data, style=_str_style(data))
        if kind is dict:
            pairs = [(self._node(k), self._node(v)) for k, v in data.items()]
            return yaml.MappingNode(_MAP, pairs, flow_style=False)
        if kind is list:
            return yaml.SequenceNode(_SEQ, [self._node(v) for v in data], flow_style=False)
        if kind is bool:
            return yaml.ScalarNode(_BOOL, "true" if data else "false")
        if kind is int:
            return yaml.ScalarNode(_INT, str(data))
        node: yaml.Node = self.represent_data(data)
        return node

    def resolve(self, kind: type[yaml.Node], value: Any, implicit: Any) -> str:
        # libyaml asks twice per scalar: as a plain scalar (the regexes decide) and as a
        # quoted one (always str, as this dumper has no path resolvers).
        if kind is not yaml.ScalarNode:
            return str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
        if not implicit[0]:
            return _STR_TAG
        tag = self._resolved.get(value)
        if tag is None:
            tag = str(super().resolve(kind, value, implicit))  # type: ignore[no-untyped-call]
            self._resolved[value] = tag
        return tag


_Writer.add_representer(str, _str_presenter)

_OPTIONS: dict[str, Any] = {
    "sort_keys": False,
    "default_flow_style": False,
    "allow_unicode": True,
    "width": 2**31 - 1,
    "indent": 2,
}
# A block scalar's header (`|`, `|-`, `>2+`, ...), alone after `key: ` or `- `.
_BLOCK_HEADER = re.compile(r"[|>][1-9]?[+-]?[1-9]?\Z")
# Line starts that the re-indenter does not model (complex keys, anchors, aliases, tags,
# directives, an item whose node starts on the next line): the reference writer handles those.
_UNMODELLED = ("?", "&", "*", "!", "%")


def _split_key(body: str) -> tuple[bool, str]:
    """(is a `key: value` line, the value text) for one line's content after its dashes."""
    if body[:1] in ("'", '"'):
        quote, i = body[0], 1
        while i < len(body):
            if body[i] == "\\" and quote == '"':
                i += 2
                continue
            if body[i] == quote:
                if quote == "'" and body[i + 1 : i + 2] == "'":
                    i += 2
                    continue
                break
            i += 1
        rest = body[i + 1 :]
        if rest == ":":
            return True, ""
        if rest.startswith(": "):
            return True, rest[2:]
        return False, ""
    if body.endswith(":") and ": " not in body:
        return True, ""
    _, sep, value = body.partition(": ")
    return (True, value) if sep else (False, "")


# How libyaml escapes the characters beyond the BMP, which it does not count as printable while
# PyYAML's Python emitter writes them as they are: with one in its text, the reference writer
# decides (a literal backslash-U in the data only costs the slower path).
_LIBYAML_ONLY_ESCAPES = ("\\U",)


def _indent_sequences(text: str) -> str | None:
    """libyaml's output with every indentless sequence (and all it holds) moved two columns
    right, or None when the text holds something this does not model.

    A mapping's block value starts on the line after its `key:`; when that line is a `- ` item
    in the key's own column, libyaml wrote the sequence indentless, and it ends at the first
    later line left of that column, or in it but not an item. Lines inside a block scalar are
    content, not structure: they are shifted with their header and never interpreted. Plain
    scalars cannot hold `: ` or end in `:`, and multi-line strings are literal blocks or
    double-quoted (`_str_presenter`), so every other line is one node's start.
    """
    if any(escape in text for escape in _LIBYAML_ONLY_ESCAPES) or text.endswith("\n...\n"):
        return None
    lines = text.split("\n")
    out: list[str] = []
    open_: list[tuple[int, int]] = []  # (column of an indentless sequence's dashes, its shift)
    key_column = -1  # column of the previous line's `key:` whose value starts on this line
    i, count = 0, len(lines)
    while i < count:
        line = lines[i]
        i += 1
        stripped = line.lstrip(" ")
        if not stripped:
            out.append(line)
            continue
        column = len(line) - len(stripped)
        item = stripped.startswith("- ")
        while open_ and (column < open_[-1][0] or (column == open_[-1][0] and not item)):
            open_.pop()
        shift = open_[-1][1] if open_ else 0
        if item and column == key_column:
            shift += 2
            open_.append((column, shift))
        out.append(" " * shift + line if shift else line)
        body, start = stripped, column
        while body.startswith("- "):
            body, start = body[2:], start + 2
        if body.startswith(_UNMODELLED) or body == "-":
            return None
        key_column = -1
        block_parent = -1
        if _BLOCK_HEADER.match(body):
            block_parent = start - 2
        else:
            is_key, value = _split_key(body)
            if not is_key:
                continue
            if value.startswith(_UNMODELLED):
                return None
            if not value:
                key_column = start
                continue
            if not _BLOCK_HEADER.match(value):
                continue
            block_parent = start
        # a block scalar's content: every following line indented deeper than its parent (or
        # blank) moves with the header and is never read as structure
        deeper = " " * (block_parent + 1)
        end = i
        while end < count and (not lines[end] or lines[end].startswith(deeper)):
            end += 1
        if shift:
            pad = " " * shift
            out.extend([pad + content if content else content for content in lines[i:end]])
        else:
            out.extend(lines[i:end])
        i = end
    return "\n".join(out)


def dump(value: Any) -> str:
    """One document, normalised here (see `dump_normalised` for an already normalised one)."""
    return dump_normalised(normalise(value))


def dump_normalised(value: Any) -> str:
    """One document that `normalise` already produced: the render pipeline normalises each
    object once, when it enters the set, and writes it with this."""
    text = _indent_sequences(yaml.dump(value, Dumper=_FastWriter, **_OPTIONS))
    if text is None:
        text = yaml.dump(value, Dumper=_Writer, **_OPTIONS)
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
