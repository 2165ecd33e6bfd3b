"""ExternalSecrets for every credential the platform uses, so manifests hold references only.

One ExternalSecret per distinct GitHub App (the agents' credentials) and one for the webhook
secret (and the API token the EventSource manages the hook with), all read from the SecretStore
named in `secrets:`; every other object names the resulting Secret and key, never a value.
"""

from __future__ import annotations

from typing import Any

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.conventions.names import dns_label

__all__ = [
    "API_TOKEN_KEY",
    "APP_ID_KEY",
    "PRIVATE_KEY_KEY",
    "WEBHOOK_SECRET_KEY",
    "github_app_secret_name",
    "github_apps",
    "manifests",
]

WEBHOOK_SECRET_KEY = "secret"  # noqa: S105 (a key name, not a value)
API_TOKEN_KEY = "token"  # noqa: S105 (a key name, not a value)
APP_ID_KEY = "app-id"
PRIVATE_KEY_KEY = "private-key"


def github_app_secret_name(app: str) -> str:
    """The Secret holding one GitHub App's credentials."""
    return dns_label(f"github-app-{app}")


def github_apps(project: Project) -> list[str]:
    """Every GitHub App an agent (or the EventSource) authenticates as, sorted, once each."""
    apps = {agent.github_app for agent in project.agents.values()}
    if project.events.enabled and project.events.github_app is not None:
        apps.add(project.events.github_app.github_app)
    return sorted(apps)


def _external_secret(
    project: Project, name: str, data: list[tuple[str, str, str]]
) -> dict[str, Any]:
    secrets = project.secrets
    return {
        "apiVersion": "external-secrets.io/v1",
        "kind": "ExternalSecret",
        "metadata": {
            "name": name,
            "namespace": project.namespace,
            "labels": labels.common_labels(project.service, project.repository),
        },
        "spec": {
            "refreshInterval": secrets.refresh_interval,
            "secretStoreRef": {"name": secrets.store, "kind": secrets.store_kind},
            "target": {"name": name, "creationPolicy": "Owner"},
            "data": [
                {"secretKey": key, "remoteRef": {"key": remote, "property": prop}}
                for key, remote, prop in data
            ],
        },
    }


def manifests(project: Project) -> list[dict[str, Any]]:
    prefix = project.secrets.key_prefix
    out = [
        _external_secret(
            project,
            github_app_secret_name(app),
            [
                (APP_ID_KEY, f"{prefix}github-apps/{app}", APP_ID_KEY),
                (PRIVATE_KEY_KEY, f"{prefix}github-apps/{app}", PRIVATE_KEY_KEY),
            ],
        )
        for app in github_apps(project)
    ]
    if project.events.enabled:
        webhook = [(WEBHOOK_SECRET_KEY, f"{prefix}github-webhook", WEBHOOK_SECRET_KEY)]
        if project.events.manages_hook and project.events.github_app is None:
            webhook.append((API_TOKEN_KEY, f"{prefix}github-webhook", API_TOKEN_KEY))
        out.append(_external_secret(project, project.secrets.webhook_secret, webhook))
    return out
