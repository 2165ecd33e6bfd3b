"""Object sizes the Kubernetes API server and `kubectl apply` accept, checked before writing.

A ConfigMap holds at most 1 MiB of data; client-side apply (`kubectl apply`, Argo CD's default)
stores the whole object in the `kubectl.kubernetes.io/last-applied-configuration` annotation,
and all annotations of an object together must stay under 256 KiB.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from hera_pipelines.errors import HeraPipelinesError

__all__ = ["MAX_APPLIED_BYTES", "MAX_CONFIGMAP_BYTES", "check_sizes"]

MAX_CONFIGMAP_BYTES = 1024 * 1024
MAX_APPLIED_BYTES = 256 * 1024


def _entries(obj: dict[str, Any]) -> dict[str, int]:
    """Bytes of each ConfigMap entry (key and value), by key."""
    return {
        str(name): len(str(name).encode("utf-8")) + len(str(value).encode("utf-8"))
        for key in ("data", "binaryData")
        for name, value in (obj.get(key) or {}).items()
    }


def _largest(obj: dict[str, Any]) -> str:
    entries = _entries(obj)
    if not entries:
        return ""
    name = max(sorted(entries), key=lambda n: entries[n])
    return f" (largest entry: {name}, {entries[name]} bytes)"


def check_sizes(objects: Iterable[tuple[str, dict[str, Any]]]) -> None:
    """Raise naming the first object over a limit; `objects` are (file path, object) pairs."""
    for _, obj in objects:
        if "metadata" not in obj:
            continue  # kustomization.yaml: read by kustomize, never applied
        name = f"{obj.get('kind')}/{obj['metadata'].get('name')}"
        if obj.get("kind") == "ConfigMap":
            size = sum(_entries(obj).values())
            if size > MAX_CONFIGMAP_BYTES:
                raise HeraPipelinesError(
                    f"data is {size} bytes, a ConfigMap holds at most {MAX_CONFIGMAP_BYTES} "
                    f"(1 MiB){_largest(obj)}",
                    obj=name,
                )
        applied = len(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
        if applied > MAX_APPLIED_BYTES:
            raise HeraPipelinesError(
                f"{applied} bytes as JSON, over the {MAX_APPLIED_BYTES} (256 KiB) that "
                "kubectl apply's last-applied-configuration annotation holds"
                + (_largest(obj) if obj.get("kind") == "ConfigMap" else ""),
                obj=name,
            )
