"""Go gjson lookups, because Argo Events reads every path of a Sensor through gjson.

Go gjson (``gjson.Get``) path lookups and results (value, raw text, type, ``String()``), because
Argo Events reads every ``dataKey``, data filter path and expr field through it; compiled once.

Simple dotted paths (keys, array indexes, `\\.` escapes) are walked directly over the decoded
value, which is what makes per-event filtering cheap. Anything richer (`#` queries, wildcards,
modifiers, pipes) goes to the `gjson` library. Two gaps of that library are patched here:
multipaths (`[a,b]`, `{a,b}`) are split and resolved one by one, skipping empty and missing
members as Go gjson does, and a missing key is "does not exist" rather than an exception.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hera_pipelines.simulate.go.json import marshal, string_text
from hera_pipelines.simulate.go.strconv import format_float, parse_float_lenient

__all__ = ["Document", "GJSONPath", "Result", "compile_path"]

_COMPLEX_NO_HASH = re.compile(r"[*?@|\[\]{}()!=<>,]")
_WS = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_MISSING = object()
_EXACT = 2**53  # integers a float64 holds exactly


@dataclass
class Document:
    """A JSON document: its decoded value and, when known, its exact text.

    `canonical` means the text is what Go's `json.Marshal` writes for `value` (as for events a
    GitHub EventSource builds), so the raw text of any member is `marshal(member)` and
    `text` need not be kept at all.
    """

    value: Any
    text: str | None = None
    canonical: bool = False
    # path -> result: every Sensor of a simulation asks the same event for the same few paths
    # (`body.X-GitHub-Event`, `body.action`), so each is looked up once per document.
    lookups: dict[str, Result | None] = field(default_factory=dict, repr=False, compare=False)
    # template source -> output: the same parameter templates run for several triggers
    renders: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def raw_at(self, keys: tuple[str, ...], member: Any) -> str:
        if self.canonical or self.text is None:
            return marshal(member)
        span = _raw_span(self.text, keys)
        return span if span is not None else marshal(member)


def _skip_ws(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    assert match is not None
    return match.end()


def _raw_span(text: str, keys: tuple[str, ...]) -> str | None:
    """The exact text of the member at `keys`, scanning without decoding the whole document."""
    try:
        pos = _skip_ws(text, 0)
        for key in keys:
            opener = text[pos]
            if opener == "{":
                pos = _skip_ws(text, pos + 1)
                while text[pos] != "}":
                    name, pos = _DECODER.raw_decode(text, pos)
                    pos = _skip_ws(text, pos)
                    pos = _skip_ws(text, pos + 1)  # the ':'
                    if name == key:
                        break
                    _, pos = _DECODER.raw_decode(text, pos)
                    pos = _skip_ws(text, pos)
                    if text[pos] == ",":
                        pos = _skip_ws(text, pos + 1)
                else:
                    return None
            elif opener == "[" and key.isdigit():
                index = int(key)
                pos = _skip_ws(text, pos + 1)
                for _ in range(index):
                    if text[pos] == "]":
                        return None
                    _, pos = _DECODER.raw_decode(text, pos)
                    pos = _skip_ws(text, pos)
                    if text[pos] == ",":
                        pos = _skip_ws(text, pos + 1)
                if text[pos] == "]":
                    return None
            else:
                return None
        _, end = _DECODER.raw_decode(text, pos)
    except (ValueError, IndexError):
        return None
    return text[pos:end]


@dataclass(frozen=True)
class Result:
    """What `gjson.Get` returns, reduced to what Argo Events reads from it."""

    value: Any
    raw: str

    @property
    def type(self) -> str:
        """Go gjson's `Type.String()`: String, Number, True, False, Null or JSON."""
        value = self.value
        if isinstance(value, bool):
            return "True" if value else "False"
        if value is None:
            return "Null"
        if isinstance(value, str):
            return "String"
        if isinstance(value, int | float):
            return "Number"
        return "JSON"

    def raw_json(self) -> str:
        """Go gjson's `Result.Raw` (for scalars: their JSON text in canonical form)."""
        return _member_raw(self)

    def string(self) -> str:
        """Go gjson's `Result.String()`."""
        value = self.value
        if type(value) is str:
            return value
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        if isinstance(value, int) and abs(value) < _EXACT:
            return str(value)
        if isinstance(value, int | float):
            # a float64 in Go: beyond 2^53 an integer literal reads back rounded
            return format_float(float(value), "f")
        return self.raw

    def float(self) -> float:
        """Go gjson's `Result.Float()`."""
        value = self.value
        if isinstance(value, bool):
            return 1.0 if value else 0.0
        if isinstance(value, int | float):
            return float(value)
        if isinstance(value, str):
            return parse_float_lenient(value)
        return 0.0

    def bool(self) -> bool:
        """Go gjson's `Result.Bool()`."""
        value = self.value
        if isinstance(value, bool):
            return value
        if isinstance(value, int | float):
            return value != 0
        if isinstance(value, str):
            return value.lower() in {"1", "t", "true"}
        return False


Lookup = Callable[[Document], Result | None]


class GJSONPath:
    """One compiled GJSON path; `get(doc)` returns a `Result`, or None when it does not exist."""

    __slots__ = ("_lookup", "path")

    def __init__(self, path: str) -> None:
        self.path = path
        self._lookup = _compile(path)

    def get(self, doc: Document) -> Result | None:
        cache = doc.lookups
        if self.path in cache:
            return cache[self.path]
        result = cache[self.path] = self._lookup(doc)
        return result


def compile_path(path: str) -> GJSONPath:
    return GJSONPath(path)


_Keys = tuple[str | None, ...]  # None: a `#` component (array count, or the query over elements)


def _split_simple(path: str) -> _Keys | None:
    """Components of a plain dotted path (keys, indexes, `#`), or None when the path needs the
    full syntax."""
    if not path or _COMPLEX_NO_HASH.search(re.sub(r"\\.", "", path)) is not None:
        return None
    parts: list[str | None] = []
    current: list[str] = []
    hashes = 0
    chars = iter(path)
    for ch in chars:
        if ch == "\\":
            current.append(next(chars, ""))
        elif ch == ".":
            parts.append(_component(current, hashes))
            current, hashes = [], 0
        else:
            hashes += ch == "#"
            current.append(ch)
    parts.append(_component(current, hashes))
    if any(part == "\0#" for part in parts):
        return None
    return tuple(parts)


def _component(chars: list[str], hashes: int) -> str | None:
    if hashes == 0:
        return "".join(chars)
    return None if chars == ["#"] else "\0#"  # `#` inside a key: the full syntax


def _walk(value: Any, keys: _Keys) -> Any:
    for key in keys:
        if isinstance(value, dict):
            value = value.get(key, _MISSING)
            if value is _MISSING:
                return _MISSING
        elif isinstance(value, list) and key is not None and key.isdigit():
            index = int(key)
            if index >= len(value):
                return _MISSING
            value = value[index]
        else:
            return _MISSING
    return value


def _query(doc: Document, value: Any, at: tuple[str, ...], keys: _Keys) -> Result | None:
    """gjson's `#`: the length of an array when last, else the rest of the path over each
    element, the elements where it does not exist left out (`labels.#.name`)."""
    for index, key in enumerate(keys):
        if key is not None:
            value = _walk(value, (key,))
            if value is _MISSING:
                return None
            at += (key,)
            continue
        if not isinstance(value, list):
            return None
        rest = keys[index + 1 :]
        if not rest:
            return Result(len(value), "")
        found = [
            res
            for position, item in enumerate(value)
            if (res := _query(doc, item, (*at, str(position)), rest)) is not None
        ]
        raw = "[" + ",".join(_member_raw(res) for res in found) + "]"
        return Result([res.value for res in found], raw)
    if isinstance(value, dict | list):
        return Result(value, doc.raw_at(at, value))
    return Result(value, "")


def _compile(path: str) -> Lookup:
    keys = _split_simple(path)
    if keys is not None:
        if keys == ("",):
            return lambda doc: None
        if None in keys:
            query = keys
            return lambda doc: _query(doc, doc.value, (), query)
        simple: tuple[str, ...] = tuple(k for k in keys if k is not None)

        def simple_lookup(doc: Document) -> Result | None:
            found = _walk(doc.value, simple)
            if found is _MISSING:
                return None
            if isinstance(found, dict | list):
                return Result(found, doc.raw_at(simple, found))
            return Result(found, "")

        return simple_lookup
    multi = _split_multipath(path)
    if multi is not None:
        kind, members = multi
        lookups = [(name, _compile(sub)) for name, sub in members if sub]

        def multi_lookup(doc: Document) -> Result | None:
            found: list[tuple[str, Result]] = []
            for name, lookup in lookups:
                res = lookup(doc)
                if res is not None:
                    found.append((name, res))
            raws = [_member_raw(res) for _, res in found]
            if kind == "[":
                return Result([res.value for _, res in found], "[" + ",".join(raws) + "]")
            obj = {name: res.value for name, res in found}
            body = ",".join(
                json.dumps(name, ensure_ascii=False) + ":" + raw
                for (name, _), raw in zip(found, raws, strict=True)
            )
            return Result(obj, "{" + body + "}")

        return multi_lookup

    import gjson  # the library (and its importlib.metadata) only for paths that need it

    def library_lookup(doc: Document) -> Result | None:
        try:
            found = gjson.get(doc.value, path)
        except gjson.GJSONError:
            return None
        return Result(found, marshal(found, sort_keys=False))

    return library_lookup


def _member_raw(res: Result) -> str:
    if isinstance(res.value, dict | list):
        return res.raw
    if isinstance(res.value, str):
        return string_text(res.value)
    if res.value is None:
        return "null"
    return res.string()


def _split_multipath(path: str) -> tuple[str, list[tuple[str, str]]] | None:
    """`[a,b.c]` or `{a,"n":b}` into its members; None when the path is something else."""
    if not path or path[0] not in "[{":
        return None
    closer = "]" if path[0] == "[" else "}"
    depth = 0
    quoted = False
    members: list[str] = []
    start = 1
    i = 0
    while i < len(path):
        ch = path[i]
        if quoted:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch == "\\":
            i += 1
        elif ch in "[{(":
            depth += 1
        elif ch in "]})":
            depth -= 1
            if depth == 0:
                if ch != closer or i != len(path) - 1:
                    return None
                members.append(path[start:i])
        elif ch == "," and depth == 1:
            members.append(path[start:i])
            start = i + 1
        i += 1
    if depth != 0:
        return None
    named: list[tuple[str, str]] = []
    for member in members:
        name, sub = _member_name(member, path[0] == "{")
        named.append((name, sub))
    return path[0], named


def _member_name(member: str, is_object: bool) -> tuple[str, str]:
    if not is_object:
        return "", member
    if member.startswith('"'):
        try:
            name, end = _DECODER.raw_decode(member)
        except ValueError:
            return "_", member
        if member[end : end + 1] == ":":
            return str(name), member[end + 1 :]
    last = re.split(r"(?<!\\)\.", member)[-1]
    return (last if re.fullmatch(r"[A-Za-z0-9_-]+", last) else "_"), member
