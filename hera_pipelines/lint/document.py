"""YAML loaded once, with the line of every node: one `Document` per object of a file."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

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
    """One YAML document of a file: its value, its node tree (for lines) and its ignores."""

    file: str
    index: int
    obj: Any
    node: yaml.Node
    size: int
    ignores: frozenset[str] = frozenset()
    memo: dict[str, Any] = field(default_factory=dict)

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
        node = self.node
        line = node.start_mark.line
        for part in parts:
            if isinstance(node, yaml.MappingNode):
                for key, value in node.value:
                    if key.value == part:
                        line = key.start_mark.line
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
        return line + 1


def load_text(text: str, file: str) -> list[Document]:
    """Every non-empty document of `text`; a YAML error is bad input with its line."""
    constructor = SafeConstructor()
    try:
        nodes = [n for n in yaml.compose_all(text, Loader=_Loader) if n is not None]
        objects = [constructor.construct_document(n) for n in nodes]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{file}:{mark.line + 1}" if mark is not None else file
        raise HeraPipelinesError(f"not YAML: {exc.problem or exc.context}", file=where) from exc
    except yaml.YAMLError as exc:
        raise HeraPipelinesError(f"not YAML: {exc}", file=file) from exc
    ignores = _ignores(text, [n.end_mark.line for n in nodes])
    documents = []
    for index, (node, obj) in enumerate(zip(nodes, objects, strict=True)):
        if obj is None:
            continue
        size = node.end_mark.index - node.start_mark.index
        documents.append(Document(file, index, obj, node, size, ignores[index]))
    return documents


@functools.lru_cache(maxsize=8192)
def _embedded(text: str) -> tuple[Any, ...]:
    try:
        return tuple(load_text(text, ""))
    except HeraPipelinesError as exc:
        return (exc,)


def load_embedded(text: str, file: str) -> list[Document]:
    """`load_text` for a manifest held inside another object, parsed once per process.

    The documents are shared between callers: treat them as read-only.
    """
    parsed = _embedded(text)
    if parsed and isinstance(parsed[0], HeraPipelinesError):
        raise HeraPipelinesError(parsed[0].problem, file=file)
    return [Document(file, d.index, d.obj, d.node, d.size, d.ignores, d.memo) for d in parsed]


def _ignores(text: str, ends: list[int]) -> list[frozenset[str]]:
    found: list[set[str]] = [set() for _ in ends]
    if "hera-pipelines:" not in text:
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
