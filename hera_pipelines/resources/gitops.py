"""The Argo CD Application that syncs the rendered folder from git."""

from __future__ import annotations

from typing import Any

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.conventions.names import dns_label

__all__ = ["application"]


def application(project: Project) -> dict[str, Any]:
    """Syncs the output folder from git: automated, pruning what was removed, self-healing."""
    return {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {
            "name": dns_label(f"{project.service}-pipelines"),
            "namespace": project.argocd.namespace,
            "labels": labels.common_labels(project.service, project.repository),
            "finalizers": ["resources-finalizer.argocd.argoproj.io"],
        },
        "spec": {
            "project": project.argocd.project,
            "source": {
                "repoURL": project.argocd.repo_url,
                "targetRevision": project.argocd.target_revision,
                "path": project.argocd.path,
            },
            "destination": {
                "server": "https://kubernetes.default.svc",
                "namespace": project.namespace,
            },
            "syncPolicy": {
                "automated": {"prune": True, "selfHeal": True},
                "syncOptions": ["CreateNamespace=true"],
            },
        },
    }
