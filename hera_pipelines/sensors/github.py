"""The GitHub EventSource: one webhook for the configured repositories, only the routed events.

The webhook secret is always required (GitHub signs every delivery with it and the EventSource
drops an unsigned or wrongly signed one; without it anyone who finds the URL could start
agents). The hook is managed with `events.githubApp` or the token in the webhook Secret, never
with an agent's credentials. Its webhook secret and API credentials are Secret references
(the ExternalSecrets in `hera_pipelines.secrets` create them); nothing secret is rendered.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.events.models import core_v1, intstr
from hera_pipelines.events.models import v1alpha1 as _e
from hera_pipelines.events.route import Route
from hera_pipelines.events.source import EVENT_NAME, EVENT_SOURCE
from hera_pipelines.resources.ingress import service_name
from hera_pipelines.resources.rbac import EVENTSOURCE_SERVICE_ACCOUNT
from hera_pipelines.resources.secrets import (
    API_TOKEN_KEY,
    PRIVATE_KEY_KEY,
    WEBHOOK_SECRET_KEY,
    github_app_secret_name,
)

__all__ = ["events", "manifests"]


def events(project: Project, routes: Sequence[Route]) -> list[str]:
    """Exactly the GitHub events some rendered route reads."""
    return sorted({name for route in routes for name in route.events_for(project)})


def _repositories(project: Project) -> list[_e.OwnedRepositories]:
    by_owner: dict[str, set[str]] = {}
    for full in project.repositories:
        owner, name = full.split("/", 1)
        by_owner.setdefault(owner, set()).add(name)
    return [
        _e.OwnedRepositories(owner=owner, names=sorted(names))
        for owner, names in sorted(by_owner.items())
    ]


def manifests(project: Project, routes: Sequence[Route]) -> list[dict[str, Any]]:
    """The EventSource for the `routes` that rendered (none: no EventSource)."""
    config = project.events
    names = events(project, routes)
    if not names:
        return []
    service_url = f"http://{service_name()}.{project.namespace}.svc:{config.port}"
    app = config.github_app
    server = project.platform.git_server
    enterprise = None if server == "https://github.com" else server
    source = _e.GithubEventSource(
        events=names,
        repositories=None if config.organizations else _repositories(project),
        organizations=sorted(config.organizations) or None,
        webhook=_e.WebhookContext(
            endpoint=config.endpoint,
            method="POST",
            port=str(config.port),
            url=config.url or service_url,
        ),
        webhook_secret=core_v1.SecretKeySelector(
            name=project.secrets.webhook_secret, key=WEBHOOK_SECRET_KEY
        ),
        # Hook management only with a public URL: otherwise Argo Events would register the
        # cluster-internal Service URL as the repository hook.
        api_token=core_v1.SecretKeySelector(name=project.secrets.webhook_secret, key=API_TOKEN_KEY)
        if config.manages_hook and not app
        else None,
        github_app=_e.GithubAppCreds(
            app_id=str(app.app_id),
            installation_id=str(app.installation_id),
            private_key=core_v1.SecretKeySelector(
                name=github_app_secret_name(app.github_app), key=PRIVATE_KEY_KEY
            ),
        )
        if app and config.manages_hook
        else None,
        # GitHub Enterprise Server: hooks are managed through its own API
        github_base_url=None if enterprise is None else f"{enterprise}/api/v3/",
        github_upload_url=None if enterprise is None else f"{enterprise}/api/uploads/",
        content_type="json",
        insecure=False,
        active=True,
        delete_hook_on_finish=False,
    )
    spec = _e.EventSourceSpec(
        event_bus_name=config.bus_name,
        github={EVENT_NAME: source},
        service=_e.Service(
            ports=[
                core_v1.ServicePort(port=config.port, target_port=intstr.IntOrString(config.port))
            ]
        ),
        template=_e.Template(service_account_name=EVENTSOURCE_SERVICE_ACCOUNT),
    )
    return [
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "EventSource",
            "metadata": {
                "name": EVENT_SOURCE,
                "namespace": project.namespace,
                "labels": labels.common_labels(project.service, project.repository),
            },
            "spec": spec.model_dump(by_alias=True, exclude_none=True, mode="json"),
        }
    ]
