"""The EventBus: Argo Events deploys no EventSource or Sensor in a namespace without one.

A JetStream bus named `events.eventBus.name` (`default`), at a pinned JetStream version the
v1.9 controller's default config lists; `events.eventBus: external` renders none and every
EventSource and Sensor uses the existing bus `default`.
"""

from __future__ import annotations

from typing import Any

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels

__all__ = ["manifests"]


def manifests(project: Project) -> list[dict[str, Any]]:
    """The EventBus, when events are on and the bus is ours to render."""
    config = project.events
    if not config.enabled or config.event_bus == "external":
        return []
    bus = config.event_bus
    return [
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "EventBus",
            "metadata": {
                "name": bus.name,
                "namespace": project.namespace,
                "labels": labels.common_labels(project.service, project.repository),
            },
            "spec": {"jetstream": {"version": bus.version, "replicas": bus.replicas}},
        }
    ]
