"""The webhook Ingress (`events.ingress`): GitHub reaches the EventSource at `events.url`.

Host and path come from `events.url` and `events.endpoint`; the backend is the Service the
Argo Events controller creates for the EventSource (`<name>-eventsource-svc`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.conventions.names import dns_label
from hera_pipelines.events.source import EVENT_SOURCE

__all__ = ["manifests", "service_name"]


def service_name() -> str:
    """The Service argo-events creates for the GitHub EventSource."""
    return f"{EVENT_SOURCE}-eventsource-svc"


def manifests(project: Project) -> list[dict[str, Any]]:
    config = project.events
    if not config.enabled or config.ingress is None or config.url is None:
        return []
    ingress = config.ingress
    parts = urlsplit(config.url)
    host = parts.hostname or ""
    path = (parts.path.rstrip("/") + config.endpoint) or "/"
    spec: dict[str, Any] = {
        "ingressClassName": ingress.class_name,
        "rules": [
            {
                "host": host,
                "http": {
                    "paths": [
                        {
                            "path": path,
                            "pathType": "Exact",
                            "backend": {
                                "service": {
                                    "name": service_name(),
                                    "port": {"number": config.port},
                                }
                            },
                        }
                    ]
                },
            }
        ],
    }
    if ingress.tls_secret:
        spec["tls"] = [{"hosts": [host], "secretName": ingress.tls_secret}]
    return [
        {
            "apiVersion": "networking.k8s.io/v1",
            "kind": "Ingress",
            "metadata": {
                "name": dns_label(f"{EVENT_SOURCE}-webhook"),
                "namespace": project.namespace,
                "labels": labels.common_labels(project.service, project.repository),
                "annotations": dict(sorted(ingress.annotations.items())) or None,
            },
            "spec": spec,
        }
    ]
