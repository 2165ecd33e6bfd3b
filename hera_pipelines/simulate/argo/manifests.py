"""Every EventSource and Sensor in a folder of YAML, whatever its layout or author.

Argo Events' CRDs do not validate `spec`, so neither does this loader: a Sensor the API server
would store (a partial `context` filter, unknown fields) is loaded as is, and only what the
simulation reads is interpreted later. A file is parsed (with libyaml's C loader) only when a
line of it could declare one of those kinds (or a `List`): the other manifests of a rendered
folder (WorkflowTemplates, RBAC, Argo CD) are never parsed at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import yaml

from hera_pipelines.errors import HeraPipelinesError

__all__ = ["Manifest", "ManifestSet", "load_manifests", "load_manifests_from_text"]

_SUFFIXES = (".yaml", ".yml", ".json")
_GROUP = "argoproj.io/"
# `kind: Sensor` at a line start (block YAML, List items) or after `{`/`,` (flow YAML, JSON)
_WANTED: Final = re.compile(
    r"""(?:^|[{,])[ \t-]*["']?kind["']?[ \t]*:[ \t]*["']?(?:EventSource|Sensor|List)\b""",
    re.MULTILINE,
)


@dataclass(frozen=True)
class Manifest:
    """One EventSource or Sensor object and the file it came from."""

    kind: str
    name: str
    namespace: str
    spec: dict[str, Any]
    file: str
    obj: dict[str, Any] = field(repr=False, compare=False)


@dataclass
class ManifestSet:
    event_sources: list[Manifest] = field(default_factory=list)
    sensors: list[Manifest] = field(default_factory=list)

    def event_source(self, name: str) -> Manifest | None:
        return next((m for m in self.event_sources if m.name == name), None)


def _objects(doc: Any) -> list[dict[str, Any]]:
    if not isinstance(doc, dict):
        return []
    if doc.get("kind") == "List" and isinstance(doc.get("items"), list):
        return [item for item in doc["items"] if isinstance(item, dict)]
    return [doc]


def _add(result: ManifestSet, obj: dict[str, Any], file: str) -> None:
    kind = obj.get("kind")
    api = str(obj.get("apiVersion", ""))
    if kind not in ("EventSource", "Sensor") or not api.startswith(_GROUP):
        return
    meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    assert isinstance(meta, dict)
    spec = obj.get("spec") if isinstance(obj.get("spec"), dict) else {}
    assert isinstance(spec, dict)
    name = str(meta.get("name") or meta.get("generateName") or "")
    manifest = Manifest(str(kind), name, str(meta.get("namespace") or ""), spec, file, obj)
    (result.event_sources if kind == "EventSource" else result.sensors).append(manifest)


def load_manifests_from_text(text: str, file: str, into: ManifestSet | None = None) -> ManifestSet:
    """The EventSources and Sensors of one file's text (added to `into` when given)."""
    result = into if into is not None else ManifestSet()
    if _WANTED.search(text) is None:
        return result
    try:
        docs = list(yaml.load_all(text, Loader=yaml.CSafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{file}:{mark.line + 1}" if mark is not None else file
        problem = getattr(exc, "problem", None) or exc
        raise HeraPipelinesError(f"not valid YAML: {problem}", file=where) from exc
    for doc in docs:
        for obj in _objects(doc):
            _add(result, obj, file)
    return result


def load_manifests(folder: Path) -> ManifestSet:
    """Load every `*.yaml`/`*.yml`/`*.json` under `folder` (recursively, in path order)."""
    if not folder.is_dir():
        raise HeraPipelinesError("manifests folder not found", file=str(folder))
    result = ManifestSet()
    for path in sorted(p for p in folder.rglob("*") if p.suffix in _SUFFIXES and p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise HeraPipelinesError(f"cannot read: {exc}", file=str(path)) from exc
        load_manifests_from_text(text, str(path), result)
    result.event_sources.sort(key=lambda m: (m.name, m.file))
    result.sensors.sort(key=lambda m: (m.name, m.file))
    return result
