"""YAML loaded once, values only: a field's line is found in the text when a finding needs it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

from hera_pipelines.errors import HeraPipelinesError

__all__ = [
    "Document",
    "PathPart",
    "field_path",
    "load_embedded",
    "load_file",
    "load_paths",
    "load_text",
]

PathPart = str | int
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_IGNORE = re.compile(r"#\s*hera-pipelines:\s*ignore\[([^\]]*)\]")
_SUFFIXES = (".yaml", ".yml")


def field_path(parts: Sequence[PathPart]) -> str:
    """`spec.templates[0].name` from ("spec", "templates", 0, "name")."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(eq=False)
class Document:
    """One YAML document of a file: its value, where it sits in the text, and its ignores.

    Only the value is kept from parsing: line numbers are looked up in `text` when a finding
    needs one (`line`), so a clean object costs no more than libyaml's own load.
    """

    file: str
    index: int
    obj: Any
    text: str
    start_line: int
    end_line: int
    size: int
    ignores: frozenset[str] = frozenset()
    memo: dict[str, Any] = field(default_factory=dict)
    # the composed node tree, built only once a document has needed many line look-ups
    _node: yaml.Node | None = field(default=None, repr=False)
    _lookups: int = field(default=0, repr=False)

    @property
    def kind(self) -> str:
        return str(self.obj.get("kind", "")) if isinstance(self.obj, Mapping) else ""

    @property
    def api_version(self) -> str:
        return str(self.obj.get("apiVersion", "")) if isinstance(self.obj, Mapping) else ""

    @property
    def name(self) -> str:
        if not isinstance(self.obj, Mapping):
            return ""
        metadata = self.obj.get("metadata")
        if not isinstance(metadata, Mapping):
            return ""
        return str(metadata.get("name") or metadata.get("generateName") or "")

    def line(self, parts: Sequence[PathPart] = ()) -> int:
        """1-based line of the deepest node along `parts` (the key's line for mapping keys)."""
        if not parts:
            return self.start_line + 1
        if self._node is None and self._lookups < _SCANS_BEFORE_COMPOSE:
            self._lookups += 1
            found = _scan_line(self.text, self.index, parts)
            if found is not None:
                return found + 1
        if self._node is None:
            self._node = _compose(self.text, self.index)
        return _node_line(self._node, parts) + 1


# A document asked for more lines than this is composed once and its node tree kept.
_SCANS_BEFORE_COMPOSE = 4


class _Unusual(Exception):
    """The event scan met an alias or a merge key: the node tree answers instead."""


def _skip(events: Iterator[yaml.Event], event: yaml.Event) -> None:
    """Consume the rest of the node that starts with `event`."""
    if not isinstance(event, yaml.CollectionStartEvent):
        return
    depth = 1
    for inner in events:
        if isinstance(inner, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(inner, yaml.CollectionEndEvent):
            depth -= 1
            if depth == 0:
                return


def _scan_line(text: str, index: int, parts: Sequence[PathPart]) -> int | None:
    """0-based line of `parts` in document `index`, read from parser events up to it.

    Stops as soon as the path is found, so findings near the top of a large document cost
    little. Gives the same answer as walking the composed node tree (`_node_line`); returns
    None where the two could differ (an alias or a `<<` merge key on the way).
    """
    events: Any = yaml.parse(text, Loader=_Loader)  # a generator: closed when done
    try:
        return _scan(events, index, parts)
    except _Unusual:
        return None
    finally:
        events.close()


def _start(event: yaml.Event | yaml.Node) -> int:
    mark: Any = event.start_mark
    return int(mark.line)


def _scan(events: Iterator[yaml.Event], index: int, parts: Sequence[PathPart]) -> int:
    seen = -1
    for event in events:
        if isinstance(event, yaml.DocumentStartEvent):
            seen += 1
            if seen == index:
                break
    node = next(events)
    if isinstance(node, yaml.AliasEvent):
        raise _Unusual
    line = _start(node)
    for part in parts:
        if isinstance(node, yaml.MappingStartEvent):
            for key in events:
                if isinstance(key, yaml.MappingEndEvent):
                    return line
                if isinstance(key, yaml.AliasEvent) or (
                    isinstance(key, yaml.ScalarEvent) and key.value == "<<"
                ):
                    raise _Unusual
                value = next(events)
                if isinstance(key, yaml.ScalarEvent) and key.value == part:
                    if isinstance(value, yaml.AliasEvent):
                        raise _Unusual
                    line = _start(key)
                    node = value
                    break
                _skip(events, key)
                _skip(events, value)
        elif isinstance(node, yaml.SequenceStartEvent) and isinstance(part, int):
            for _ in range(part):
                item = next(events)
                if isinstance(item, yaml.SequenceEndEvent):
                    return line
                _skip(events, item)
            item = next(events)
            if isinstance(item, yaml.SequenceEndEvent):
                return line
            if isinstance(item, yaml.AliasEvent):
                raise _Unusual
            node = item
            line = _start(node)
        else:
            return line
    return line


def _compose(text: str, index: int) -> yaml.Node:
    """Document `index` as a node tree, constructed once so merge keys are flattened in it."""
    nodes = [n for n in yaml.compose_all(text, Loader=_Loader) if n is not None]
    SafeConstructor().construct_document(nodes[index])
    return nodes[index]


def _node_line(node: yaml.Node, parts: Sequence[PathPart]) -> int:
    line = _start(node)
    for part in parts:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    line = _start(key)
                    node = value
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                break
            node = node.value[part]
            line = node.start_mark.line
        else:
            break
    return line


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SPECIAL_KEYS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
_WILDCARD: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    Resolver.yaml_implicit_resolvers.get(None, [])
)
# first character -> the implicit resolvers PyYAML tries for it, in its order
_IMPLICIT: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    first: (*found, *_WILDCARD)
    for first, found in Resolver.yaml_implicit_resolvers.items()
    if first is not None
}


class _Slow(Exception):
    """A node the direct construction does not handle: PyYAML's own constructor builds it."""


class _FastLoader(_Loader):  # type: ignore[misc]
    """libyaml's parser with PyYAML's safe schema, minus per-node Python overhead.

    The same values as `yaml.CSafeLoader`: plain scalars resolve through the same implicit
    resolvers (remembered per file, as keys and values repeat), and the common tags (str, map,
    seq) are built directly; any other node goes through `SafeConstructor`.
    """

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._resolved: dict[str, str] = {}

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None  # no path resolvers are registered

    def ascend_resolver(self) -> None:
        return None

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if not implicit[0]:
                return _STR
            tag = self._resolved.get(value)
            if tag is None:
                tag = _STR
                for candidate, pattern in _IMPLICIT.get(value[:1], _WILDCARD):
                    if pattern.match(value):
                        tag = candidate
                        break
                self._resolved[value] = tag
            return tag
        return _SEQ if kind is yaml.SequenceNode else _MAP

    def document(self, node: yaml.Node) -> Any:
        """The value of one composed document (what `construct_document` would give)."""
        try:
            return self._build(node, {})
        except _Slow:
            pass
        finally:
            self.constructed_objects: dict[Any, Any] = {}
            self.recursive_objects: dict[Any, Any] = {}
        return self.construct_document(node)

    def _build(self, node: yaml.Node, made: dict[int, Any]) -> Any:
        tag = node.tag
        if tag == _STR and type(node) is yaml.ScalarNode:
            return node.value
        if tag == _MAP and type(node) is yaml.MappingNode:
            if id(node) in made:
                return made[id(node)]
            mapping: dict[Any, Any] = {}
            made[id(node)] = mapping
            for key_node, value_node in node.value:
                if key_node.tag == _STR and type(key_node) is yaml.ScalarNode:
                    key = key_node.value
                elif key_node.tag in _SPECIAL_KEYS:
                    raise _Slow
                else:
                    key = self._build(key_node, made)
                    try:
                        hash(key)
                    except TypeError:
                        raise _Slow from None
                mapping[key] = self._build(value_node, made)
            return mapping
        if tag == _SEQ and type(node) is yaml.SequenceNode:
            if id(node) in made:
                return made[id(node)]
            sequence: list[Any] = []
            made[id(node)] = sequence
            for item in node.value:
                sequence.append(self._build(item, made))
            return sequence
        if isinstance(node, yaml.ScalarNode):
            return self.construct_object(node, deep=True)
        raise _Slow


def load_text(text: str, file: str) -> list[Document]:
    """Every non-empty document of `text`; a YAML error is bad input with its line."""
    loaded: list[tuple[Any, int, int, int]] = []
    loader = _FastLoader(text)
    try:
        while loader.check_node():
            node = loader.get_node()
            if node is None:
                continue
            start, end = node.start_mark, node.end_mark
            loaded.append((loader.document(node), start.line, end.line, end.index - start.index))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{file}:{mark.line + 1}" if mark is not None else file
        raise HeraPipelinesError(f"not YAML: {exc.problem or exc.context}", file=where) from exc
    except yaml.YAMLError as exc:
        raise HeraPipelinesError(f"not YAML: {exc}", file=file) from exc
    finally:
        loader.dispose()
    ignores = _ignores(text, [end for _, _, end, _ in loaded])
    return [
        Document(file, index, obj, text, start, end, size, ignores[index])
        for index, (obj, start, end, size) in enumerate(loaded)
        if obj is not None
    ]


def load_embedded(text: str, file: str, memo: dict[str, Any]) -> list[Document]:
    """`load_text` for a manifest held inside another object, parsed once per `memo`.

    `memo` is the containing document's (so rules share one parse of each manifest text, and
    nothing is shared between files); the documents are shared: treat them as read-only.
    """
    cache: dict[str, list[Document] | HeraPipelinesError] = memo.setdefault("_embedded", {})
    parsed = cache.get(text)
    if parsed is None:
        try:
            parsed = load_text(text, file)
        except HeraPipelinesError as exc:
            parsed = HeraPipelinesError(exc.problem, file=file)
        cache[text] = parsed
    if isinstance(parsed, HeraPipelinesError):
        raise parsed
    return parsed


def _ignores(text: str, ends: list[int]) -> list[frozenset[str]]:
    found: list[set[str]] = [set() for _ in ends]
    if "ignore[" not in text:  # what every match holds; our own header names the tool too
        return [frozenset()] * len(ends)
    for number, line in enumerate(text.splitlines()):
        match = _IGNORE.search(line)
        if match is None:
            continue
        index = next((i for i, end in enumerate(ends) if number <= end), len(ends) - 1)
        if index >= 0:
            found[index].update(p.strip() for p in match.group(1).split(",") if p.strip())
    return [frozenset(s) for s in found]


def load_file(path: Path, display: str) -> list[Document]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise HeraPipelinesError(f"cannot read: {exc}", file=display) from exc
    return load_text(text, display)


def _display(path: Path) -> str:
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def yaml_files(paths: Iterable[Path]) -> list[tuple[Path, str]]:
    """(file, display name) for every YAML file named or under a folder named, sorted."""
    out: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            files = sorted(
                p
                for p in path.rglob("*")
                if p.suffix in _SUFFIXES and p.is_file() and ".git" not in p.parts
            )
            out.extend((p, _display(p)) for p in files)
        elif path.is_file():
            out.append((path, _display(path)))
        else:
            raise HeraPipelinesError("no such file or folder", file=path.as_posix())
    return out


def load_paths(paths: Iterable[Path]) -> tuple[list[Document], dict[str, str]]:
    """Every document under `paths`, and each file's text by display name (for yamllint)."""
    documents: list[Document] = []
    texts: dict[str, str] = {}
    for path, display in yaml_files(paths):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise HeraPipelinesError(f"cannot read: {exc}", file=display) from exc
        texts[display] = text
        documents.extend(load_text(text, display))
    return documents, texts
