"""What the rendered set expects the cluster to have: the `expects:` block `render` prints.

The same facts as the README's "Prerequisites", for this project: the CRDs of every kind in
the set, the controllers that must watch the namespace, the secret store and the Secrets it
references but never renders, and whatever the configuration leaves outside the set (an
external EventBus or coderun template, a webhook nobody manages).
"""

from __future__ import annotations

from hera_pipelines.config.project import Project
from hera_pipelines.render.set import ManifestSet
from hera_pipelines.resources.secrets import (
    API_TOKEN_KEY,
    APP_ID_KEY,
    PRIVATE_KEY_KEY,
    WEBHOOK_SECRET_KEY,
    github_apps,
)

__all__ = ["expectations", "report"]

# kind -> what must be installed for the API server to accept it
_CRDS: dict[str, str] = {
    "Application": "Argo CD (Application CRD; Argo CD itself in namespace {argocd})",
    "EventBus": "Argo Events 1.9 (EventBus, EventSource, Sensor CRDs)",
    "EventSource": "Argo Events 1.9 (EventBus, EventSource, Sensor CRDs)",
    "ExternalSecret": "External Secrets Operator >= 0.16 (external-secrets.io/v1)",
    "Sensor": "Argo Events 1.9 (EventBus, EventSource, Sensor CRDs)",
    "WorkflowTemplate": "Argo Workflows >= 3.6 or 4.x (plural synchronization fields)",
}


def expectations(project: Project, manifests: ManifestSet) -> list[str]:
    """One line per thing the cluster must already have for the set to work on first sync."""
    kinds = manifests.kinds()
    out = sorted({_CRDS[k].format(argocd=project.argocd.namespace) for k in kinds if k in _CRDS})
    ns = project.namespace
    if kinds.get("WorkflowTemplate"):
        out.append(
            "CodeRun CRD (agents.platform/v1) and the platform's controller, watching "
            f"namespace {ns}; a workflow-controller watching {ns}"
        )
    if kinds.get("EventSource"):
        out.append(f"the argo-events controller watching {ns}")
    if not project.create_namespace:
        out.append(f"Namespace {ns} (or Argo CD's CreateNamespace=true, or createNamespace: true)")
    secrets = project.secrets
    if kinds.get("ExternalSecret"):
        keys = [f"{secrets.key_prefix}github-apps/<app> ({APP_ID_KEY}, {PRIVATE_KEY_KEY})"]
        if kinds.get("EventSource"):
            props = [WEBHOOK_SECRET_KEY]
            if project.events.manages_hook and project.events.github_app is None:
                props.append(API_TOKEN_KEY)
            keys.append(f"{secrets.key_prefix}github-webhook ({', '.join(props)})")
        out.append(
            f"{secrets.store_kind} {secrets.store} holding {'; '.join(keys)} "
            f"for apps {', '.join(github_apps(project))}"
        )
    out.append(
        f"Secret {project.platform.git_credentials_secret} in {ns} with key `token` "
        "(git and GitHub API steps)"
    )
    if project.platform.coderun_template == "external":
        out.append(f"WorkflowTemplate {project.platform.external.name} (the platform's chart)")
    events = project.events
    if kinds.get("EventSource"):
        if events.event_bus == "external":
            out.append(f"EventBus default in {ns}")
        if not events.manages_hook:
            out.append(
                f"a GitHub webhook you add by hand: <public URL>{events.endpoint}, content type "
                "JSON, the webhook secret (README: Adding the webhook by hand)"
            )
    if kinds.get("PersistentVolumeClaim"):
        storage = project.workspace.storage_class or "the default StorageClass"
        out.append(f"{storage} offering {project.workspace.access_mode}")
    return out


def report(project: Project, manifests: ManifestSet) -> str:
    """The `expects:` block printed after the render summary."""
    return "expects:\n" + "".join(f"  - {line}\n" for line in expectations(project, manifests))
