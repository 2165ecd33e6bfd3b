"""A fast reader for the plain block YAML that renderers write, which gives up on anything else.

`lint` parses every manifest embedded in a `resource` template (a 1,000-task play holds a
thousand of them), and libyaml spends most of its time there on per-node Python objects.
`parse` reads the subset such manifests are written in (block mappings and sequences, one-line
plain, single- and double-quoted scalars without escapes, `[]`/`{}`, full-line comments) in
one pass over the lines, and returns None for anything outside it: tabs, carriage returns or
other unusual characters, document markers, directives, anchors, aliases, tags, block or
multi-line scalars, flow collections, escapes, inline comments, complex or non-string keys.
The caller then uses libyaml, so every accepted text gives the value PyYAML's safe loader
gives (scalars resolve through PyYAML's own implicit resolvers and constructors; tested
against it).
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

__all__ = ["parse"]

_STR = "tag:yaml.org,2002:str"
# YAML's printable characters minus tab, CR, NEL, the Unicode line and paragraph separators and
# the byte order mark (all of which libyaml treats specially)
_UNUSUAL = re.compile(
    "[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_./-]*):(?: +(.*))?$")
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW = re.compile(r"[\[\]{}]")
_WILDCARD: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    Resolver.yaml_implicit_resolvers.get(None, [])
)
_RESOLVERS: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: (*found, *_WILDCARD)
    for first, found in Resolver.yaml_implicit_resolvers.items()
    if first is not None
}

# (indent, is a sequence item, key or None, what follows the key (or the content), column of
# a sequence item's content)
Line = tuple[int, bool, str | None, str, int]


class _GiveUp(Exception):
    """Outside the subset: libyaml reads this text."""


def parse(text: str, cache: dict[str, Any] | None = None) -> tuple[Any, int, int] | None:
    """(value, line, character index where it starts) of the one document in `text`, or None
    where libyaml must read it. Only a block mapping or sequence at the root is accepted.

    `cache` (raw line -> how it reads) may be shared by the texts of one source: generated
    manifests repeat most of their lines.
    """
    if _UNUSUAL.search(text):
        return None
    known = cache if cache is not None else {}
    lines: list[Line] = []
    start = (0, 0)
    offset = 0
    for number, raw in enumerate(text.split("\n")):
        line = known.get(raw, _UNSEEN)
        if line is _UNSEEN:
            line = known[raw] = _classify(raw)
        if line is not None:
            if line is _MARKER:
                return None
            if not lines:
                start = (number, offset + line[0])
            lines.append(line)
        offset += len(raw) + 1
    if not lines:
        return None
    try:
        value, end = _Reader(lines).block(0, lines[0][0])
    except Exception:  # outside the subset, or PyYAML's own error: libyaml decides
        return None
    return (value, *start) if end == len(lines) else None


_UNSEEN: Any = object()
# a document marker or a directive (compared by identity): libyaml reads the text
_MARKER: Line = (-1, False, None, "---", -1)


def _classify(raw: str) -> Line | None:
    """How one line reads (None: blank or a comment); see `Line`."""
    content = raw.lstrip(" ")
    if not content or content[0] == "#":
        return None
    if raw.startswith(("---", "...", "%")):
        return _MARKER
    indent = len(raw) - len(content)
    content = content.rstrip(" ")
    if content == "-" or content.startswith("- "):
        rest = content[2:]
        inner = rest.lstrip(" ")
        column = indent + 2 + len(rest) - len(inner)
        match = _KEY.match(inner)
        if match is None:
            return (indent, True, None, inner, column)
        return (indent, True, match.group(1), match.group(2) or "", column)
    match = _KEY.match(content)
    if match is None:
        return (indent, False, None, content, indent)
    return (indent, False, match.group(1), match.group(2) or "", indent)


class _Reader:
    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.tags: dict[str, str] = {}
        self.constructor = SafeConstructor()

    def block(self, i: int, indent: int) -> tuple[Any, int]:
        if self.lines[i][1]:
            return self.sequence(i, indent)
        return self.mapping(i, indent)

    def mapping(self, i: int, indent: int, first: Line | None = None) -> tuple[dict[str, Any], int]:
        """The mapping whose keys sit at `indent` from line `i` (`first`: that line, when the
        mapping starts on a sequence item's line)."""
        lines = self.lines
        count = len(lines)
        tags = self.tags
        out: dict[str, Any] = {}
        while i < count:
            if first is None:
                at, item, key, rest, _ = lines[i]
            else:
                at, item, key, rest, _ = first
                first = None
            if at < indent:
                break
            if at > indent or item or key is None:
                raise _GiveUp
            if (tags.get(key) or self.tag(key)) != _STR:
                raise _GiveUp
            i += 1
            if rest:
                if i < count and lines[i][0] > indent:
                    raise _GiveUp  # a continuation line of a multi-line scalar
                out[key] = self.scalar(rest)
            elif i < count and lines[i][0] > indent:
                out[key], i = self.block(i, lines[i][0])
            elif i < count and lines[i][0] == indent and lines[i][1]:
                out[key], i = self.sequence(i, indent)  # a sequence at its key's indentation
            else:
                out[key] = self.scalar("")
        return out, i

    def sequence(self, i: int, indent: int) -> tuple[list[Any], int]:
        lines = self.lines
        count = len(lines)
        out: list[Any] = []
        while i < count:
            at, item, key, rest, column = lines[i]
            if at < indent or (at == indent and not item):
                break
            if at > indent:
                raise _GiveUp
            if key is not None:  # a mapping that starts on the item's line
                value, i = self.mapping(i, column, (column, False, key, rest, column))
            else:
                if not rest or rest[0] == "#" or rest == "-" or rest.startswith("- "):
                    raise _GiveUp
                value = self.scalar(rest)
                i += 1
                if i < count and lines[i][0] > indent:
                    raise _GiveUp  # a continuation line of a multi-line scalar
            out.append(value)
        return out, i

    def scalar(self, raw: str) -> Any:
        if self.tags.get(raw) == _STR:
            return raw  # a plain string seen before (keys and values repeat)
        first = raw[:1]
        if first == "'":
            inner = raw[1:-1]
            if len(raw) < 2 or raw[-1] != "'" or "'" in inner.replace("''", ""):
                raise _GiveUp
            return inner.replace("''", "'")
        if first == '"':
            inner = raw[1:-1]
            if len(raw) < 2 or raw[-1] != '"' or '"' in inner or "\\" in inner:
                raise _GiveUp
            return inner
        if raw == "[]":
            return []
        if raw == "{}":
            return {}
        if first and (
            first in _INDICATORS
            or ": " in raw
            or raw.endswith(":")
            or " #" in raw
            or _FLOW.search(raw)
        ):
            raise _GiveUp
        tag = self.tag(raw)
        if tag == _STR:
            return raw
        return self.constructor.construct_document(yaml.ScalarNode(tag, raw))

    def tag(self, plain: str) -> str:
        """PyYAML's implicit tag of a plain scalar (remembered: keys and values repeat)."""
        tag = self.tags.get(plain)
        if tag is None:
            tag = _STR
            for candidate, pattern in _RESOLVERS.get(plain[:1], _WILDCARD):
                if pattern.match(plain):
                    tag = candidate
                    break
            self.tags[plain] = tag
        return tag
