"""The Namespace, when `createNamespace: true`: a first `kubectl apply -k` then succeeds.

Argo CD must never delete it (it holds the workspace claim and every run), so it carries the
same sync options as the workspace claim.
"""

from __future__ import annotations

from typing import Any

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.resources.workspace import KEEP

__all__ = ["manifests"]


def manifests(project: Project) -> list[dict[str, Any]]:
    if not project.create_namespace:
        return []
    return [
        {
            "apiVersion": "v1",
            "kind": "Namespace",
            "metadata": {
                "name": project.namespace,
                "labels": labels.common_labels(project.service, project.repository),
                "annotations": dict(KEEP),
            },
        }
    ]
