"""The workspace volume: one PersistentVolumeClaim per service, so parallel tasks of a play
each get their own git worktree on shared storage instead of trampling one checkout.

Layout on the volume (paths relative to `MOUNT`): `repo.git` is one bare clone shared by every
task; `worktrees/task-<id>` (`naming.task_worktree`) is the checkout of one task, created when
the task starts and removed when it ends.
"""

from __future__ import annotations

from typing import Any

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.conventions.names import dns_label

__all__ = ["BARE_REPO", "KEEP", "MOUNT", "VOLUME", "claim", "claim_name"]

MOUNT = "/workspace"
BARE_REPO = "repo.git"
# The name pods mount the claim under.
VOLUME = "workspace"
#: Argo CD never prunes this object nor deletes it with the Application: it holds work.
KEEP = {"argocd.argoproj.io/sync-options": "Prune=false,Delete=false"}


def claim_name(project: Project) -> str:
    """`<service>-workspace`: one claim per service, DNS-1123."""
    return dns_label(f"{project.service}-workspace")


def claim(project: Project) -> dict[str, Any]:
    """The PersistentVolumeClaim (size, storage class and access mode from `workspace:`)."""
    config = project.workspace
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {
            "name": claim_name(project),
            "namespace": project.namespace,
            "labels": labels.common_labels(project.service, project.repository),
            "annotations": dict(KEEP),
        },
        "spec": {
            "accessModes": [config.access_mode],
            "resources": {"requests": {"storage": config.size}},
            "storageClassName": config.storage_class,
        },
    }
