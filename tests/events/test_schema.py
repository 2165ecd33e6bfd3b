"""Every rendered object of every example validates strictly against its upstream schema."""

from __future__ import annotations

from pathlib import Path

import pytest

from hera_pipelines.config.project import load_project
from hera_pipelines.render.pipeline import render_project
from hera_pipelines.render.set import KUSTOMIZATION
from hera_pipelines.schemas import validate_object
from tests.events.conftest import EXAMPLES


@pytest.mark.parametrize("config", EXAMPLES, ids=lambda p: p.parent.name)
def test_every_object_is_valid(config: Path) -> None:
    manifests = render_project(load_project(config))
    kinds = manifests.kinds()
    for kind in ("EventSource", "Sensor", "ExternalSecret", "Role", "RoleBinding"):
        assert kinds[kind] >= 1, kind
    for path, obj in manifests:
        if path == KUSTOMIZATION:
            continue
        assert validate_object(obj) == [], path


def test_rbac_is_least_privilege(basic_manifests) -> None:  # type: ignore[no-untyped-def]
    assert basic_manifests.of_kind("ClusterRole") == []
    assert basic_manifests.of_kind("ClusterRoleBinding") == []
    for role in basic_manifests.of_kind("Role"):
        for rule in role["rules"]:
            for key in ("apiGroups", "resources", "verbs"):
                assert "*" not in rule[key], (role["metadata"]["name"], rule)
    sensor_role = next(
        r for r in basic_manifests.of_kind("Role") if r["metadata"]["name"].endswith("sensor")
    )
    verbs = {v for r in sensor_role["rules"] for v in r["verbs"] if "workflows" in r["resources"]}
    assert verbs == {"create", "get", "list", "update"}
    assert all("delete" not in r["verbs"] for r in sensor_role["rules"])


def test_secrets_are_references_only(basic_manifests) -> None:  # type: ignore[no-untyped-def]
    assert basic_manifests.of_kind("Secret") == []
    (source,) = basic_manifests.of_kind("EventSource")
    github = source["spec"]["github"]["github"]
    assert set(github["webhookSecret"]) == {"name", "key"}
    # without a public events.url nobody manages the hook: no API token (issue 11 item 2)
    assert "apiToken" not in github and "githubApp" not in github
    targets = {e["spec"]["target"]["name"] for e in basic_manifests.of_kind("ExternalSecret")}
    assert github["webhookSecret"]["name"] in targets
    assert github["contentType"] == "json"
    assert github["insecure"] is False
