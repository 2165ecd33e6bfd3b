"""ManifestSet: every rendered object as a plain dict, keyed by its file path.

Builders add objects in any order; the set owns naming (`<kind>/<name>.yaml`), rejects two
objects that would land in one file, and yields files sorted by path so output never depends
on discovery order or hash seeds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.ownership import MARKER
from hera_pipelines.yamlio import dump_file, normalise

__all__ = ["KUSTOMIZATION", "ManifestSet", "object_path"]

KUSTOMIZATION = "kustomization.yaml"


def object_path(obj: Mapping[str, Any]) -> str:
    """Where one object is written: `<kind lowercased>/<name>.yaml`."""
    kind = str(obj.get("kind", "")).lower()
    name = str(obj.get("metadata", {}).get("name", ""))
    if not kind or not name:
        raise HeraPipelinesError("rendered object has no kind or metadata.name", obj=repr(obj)[:80])
    return f"{kind}/{name}.yaml"


@dataclass
class ManifestSet:
    """Objects by file path, plus files that are not Kubernetes objects (kustomization)."""

    objects: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, obj: Mapping[str, Any], path: str | None = None) -> None:
        target = path or object_path(obj)
        if target in self.objects:
            raise HeraPipelinesError(
                "two rendered objects share one file", obj=target.removesuffix(".yaml")
            )
        self.objects[target] = normalise(dict(obj))

    def extend(self, objs: Iterable[Mapping[str, Any]]) -> None:
        for obj in objs:
            self.add(obj)

    def __iter__(self) -> Iterator[tuple[str, dict[str, Any]]]:
        return iter(sorted(self.objects.items()))

    def __len__(self) -> int:
        return len(self.objects)

    def kinds(self) -> Counter[str]:
        return Counter(
            str(obj["kind"]) for path, obj in self.objects.items() if path != KUSTOMIZATION
        )

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [obj for _, obj in self if obj.get("kind") == kind]

    def files(self) -> dict[str, bytes]:
        """The exact bytes of every file, sorted by path."""
        return {path: dump_file(obj, MARKER).encode("utf-8") for path, obj in self}
