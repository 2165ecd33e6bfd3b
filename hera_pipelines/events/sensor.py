"""The frame of every Sensor: metadata, labels, the sensors' ServiceAccount, and its arms.

A route's Sensor is its arms (one dependency and the trigger that fires on it, `triggers.Arm`)
in a frame every route shares.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.events.models import v1alpha1 as _e
from hera_pipelines.events.source import ARGO_API
from hera_pipelines.events.triggers import Arm
from hera_pipelines.resources.rbac import SENSOR_SERVICE_ACCOUNT

__all__ = ["sensor"]


def sensor(
    project: Project,
    name: str,
    *,
    description: str,
    arms: Sequence[Arm],
) -> dict[str, Any]:
    """A Sensor of `arms` (dependencies and triggers in their order) as the sensors' account."""
    spec = _e.SensorSpec(
        event_bus_name=project.events.bus_name,
        dependencies=[arm.dependency for arm in arms],
        template=_e.Template(service_account_name=SENSOR_SERVICE_ACCOUNT),
        triggers=[],
    )
    body: dict[str, Any] = spec.model_dump(by_alias=True, exclude_none=True, mode="json")
    body["triggers"] = [arm.trigger for arm in arms]
    return {
        "apiVersion": ARGO_API,
        "kind": "Sensor",
        "metadata": {
            "name": name,
            "namespace": project.namespace,
            "labels": labels.common_labels(project.service, project.repository),
            "annotations": {"pipelines.agents.platform/description": description},
        },
        "spec": body,
    }
