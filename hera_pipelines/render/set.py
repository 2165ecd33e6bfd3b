"""ManifestSet: every rendered object as a plain dict, keyed by its file path.

Builders add objects in any order; the set owns naming (`<kind>/<name>.yaml`), rejects two
objects that would land in one file, normalises each object once as it enters, and yields files
sorted by path so output never depends on discovery order or hash seeds. The kustomization is
not an object of the set: `files()` derives it from the paths.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.render.ownership import MARKER
from hera_pipelines.render.yamlio import dump_file, normalise

__all__ = ["KUSTOMIZATION", "ManifestSet", "kustomization", "object_path"]

KUSTOMIZATION = "kustomization.yaml"


def object_path(obj: Mapping[str, Any]) -> str:
    """Where one object is written: `<kind lowercased>/<name>.yaml`."""
    kind = str(obj.get("kind", "")).lower()
    name = str(obj.get("metadata", {}).get("name", ""))
    if not kind or not name:
        raise HeraPipelinesError("rendered object has no kind or metadata.name", obj=repr(obj)[:80])
    return f"{kind}/{name}.yaml"


def kustomization(paths: Iterable[str]) -> dict[str, Any]:
    """Lists every rendered file, so `kubectl kustomize` builds the folder unchanged."""
    return {
        "apiVersion": "kustomize.config.k8s.io/v1beta1",
        "kind": "Kustomization",
        "resources": sorted(paths),
    }


@dataclass
class ManifestSet:
    """Rendered objects by file path (normalised: plain dicts, fixed key order, no nulls)."""

    objects: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, obj: Mapping[str, Any]) -> None:
        target = object_path(obj)
        if target in self.objects or target == KUSTOMIZATION:
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
        return Counter(str(obj["kind"]) for obj in self.objects.values())

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [obj for _, obj in self if obj.get("kind") == kind]

    def files(self) -> dict[str, bytes]:
        """The exact bytes of every file, sorted by path, the kustomization included."""
        out = {path: dump_file(obj, MARKER, normalised=True).encode() for path, obj in self}
        out[KUSTOMIZATION] = dump_file(kustomization(self.objects), MARKER).encode()
        return dict(sorted(out.items()))
