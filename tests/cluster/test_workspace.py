"""Issue 11 item 8: the workspace claim binds on most clusters and no sync deletes it."""

from __future__ import annotations

from hera_pipelines.render.set import ManifestSet
from tests.cluster.conftest import RenderSet

KEEP = {"argocd.argoproj.io/sync-options": "Prune=false,Delete=false"}


def test_default_claim_is_rwo_and_never_pruned(rendered: dict[str, ManifestSet]) -> None:
    (claim,) = rendered["taskmaster"].of_kind("PersistentVolumeClaim")
    assert claim["metadata"]["annotations"] == KEEP
    assert claim["spec"]["accessModes"] == ["ReadWriteOnce"]
    assert claim["spec"]["resources"] == {"requests": {"storage": "20Gi"}}
    assert "storageClassName" not in claim["spec"]  # the cluster's default class


def test_claim_is_configurable(render_set: RenderSet) -> None:
    manifests = render_set(
        "repository: acme/widgets\nworkspace:\n  accessMode: ReadWriteMany\n"
        "  storageClass: nfs\n  size: 100Gi\n",
        backlog={"master": {"tasks": [{"id": 1, "title": "t", "status": "pending"}]}},
    )
    (claim,) = manifests.of_kind("PersistentVolumeClaim")
    assert claim["spec"] == {
        "accessModes": ["ReadWriteMany"],
        "resources": {"requests": {"storage": "100Gi"}},
        "storageClassName": "nfs",
    }
    assert claim["metadata"]["annotations"] == KEEP
