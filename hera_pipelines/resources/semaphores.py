"""The semaphore ConfigMap that bounds agent runs per class and GitHub API steps.

Argo Workflows reads a semaphore's size from a ConfigMap key; templates name the key in
`synchronization.semaphores`. Sizes come from `concurrency:` in pipelines.yaml.
"""

from __future__ import annotations

from typing import Any

from hera.workflows import models as _m

from hera_pipelines.config.agents import Role
from hera_pipelines.config.events import DEFAULT_CONCURRENCY
from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels

__all__ = [
    "AGENT_CLASS_PARAMETER",
    "CONFIGMAP",
    "GITHUB_API_KEY",
    "agent_key",
    "github_api_semaphore",
    "manifests",
    "sizes",
]

CONFIGMAP = "hera-pipelines-semaphores"
GITHUB_API_KEY = "github-api"
# coderun-template input naming the agent class whose semaphore a run takes.
AGENT_CLASS_PARAMETER = "agent-class"


def agent_key(role: Role | str) -> str:
    """The ConfigMap key of one agent class."""
    return f"agent-{Role(role).value}"


def sizes(project: Project) -> dict[str, int]:
    """Every semaphore key and its size."""
    concurrency = project.concurrency
    out = {
        agent_key(role): concurrency.agents.get(role, DEFAULT_CONCURRENCY[role]) for role in Role
    }
    out[GITHUB_API_KEY] = concurrency.github_api
    return dict(sorted(out.items()))


def _ref(key: str) -> _m.Synchronization:
    return _m.Synchronization(
        semaphores=[
            _m.SemaphoreRef(config_map_key_ref=_m.ConfigMapKeySelector(name=CONFIGMAP, key=key))
        ]
    )


def github_api_semaphore() -> _m.Synchronization:
    """For a step that calls the GitHub API itself."""
    return _ref(GITHUB_API_KEY)


def manifests(project: Project) -> list[dict[str, Any]]:
    return [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {
                "name": CONFIGMAP,
                "namespace": project.namespace,
                "labels": labels.common_labels(project.service, project.repository),
            },
            "data": {key: str(size) for key, size in sizes(project).items()},
        }
    ]
