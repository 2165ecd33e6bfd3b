"""Every rendered WorkflowTemplate carries the lifetime limits, identity and labels (issue 3)."""

from __future__ import annotations

from hera_pipelines.conventions.labels import FLOW, MANAGED_BY, PART_OF, REPOSITORY
from hera_pipelines.render.set import ManifestSet


def test_every_workflow_template_has_limits_account_and_labels(
    rendered: dict[str, ManifestSet],
) -> None:
    seen = 0
    for name, manifests in rendered.items():
        for template in manifests.of_kind("WorkflowTemplate"):
            where = f"{name}: {template['metadata']['name']}"
            spec = template["spec"]
            assert spec["ttlStrategy"]["secondsAfterSuccess"] > 0, where
            assert spec["ttlStrategy"]["secondsAfterFailure"] > 0, where
            assert spec["podGC"]["strategy"], where
            assert spec["activeDeadlineSeconds"] > 0, where
            assert spec["serviceAccountName"], where
            for labels in (template["metadata"]["labels"], spec["workflowMetadata"]["labels"]):
                assert {MANAGED_BY, PART_OF, REPOSITORY, FLOW} <= set(labels), where
            seen += 1
    assert seen >= 10


def test_flows_waiting_for_review_get_the_review_deadline(
    rendered: dict[str, ManifestSet],
) -> None:
    by_name = {t["metadata"]["name"]: t for t in rendered["taskmaster"].of_kind("WorkflowTemplate")}
    assert by_name["task-pipeline"]["spec"]["activeDeadlineSeconds"] == 2592000
    assert by_name["play"]["spec"]["activeDeadlineSeconds"] == 2592000
    assert by_name["pr-flow"]["spec"]["activeDeadlineSeconds"] == 21600
