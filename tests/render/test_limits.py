"""Objects over the ConfigMap or last-applied-configuration limits are errors naming them."""

from __future__ import annotations

from typing import Any

import pytest

from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.render.limits import MAX_APPLIED_BYTES, check_sizes


def _configmap(**data: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "big"}, "data": data}


def test_a_configmap_over_1_mib_is_an_error() -> None:
    obj = _configmap(a="x" * 600_000, b="y" * 600_001)
    with pytest.raises(HeraPipelinesError) as caught:
        check_sizes([("configmap/big.yaml", obj)])
    assert str(caught.value) == (
        "ConfigMap/big: data is 1200003 bytes, a ConfigMap holds at most 1048576 (1 MiB) "
        "(largest entry: b, 600002 bytes)"
    )


def test_any_object_over_256_kib_is_an_error() -> None:
    obj = {
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "WorkflowTemplate",
        "metadata": {"name": "huge"},
        "spec": {
            "templates": [{"name": f"t{i}", "script": {"source": "x" * 100}} for i in range(3000)]
        },
    }
    with pytest.raises(HeraPipelinesError) as caught:
        check_sizes([("workflowtemplate/huge.yaml", obj)])
    assert str(caught.value).startswith("WorkflowTemplate/huge: ")
    assert str(caught.value).endswith(
        f" bytes as JSON, over the {MAX_APPLIED_BYTES} (256 KiB) that kubectl apply's "
        "last-applied-configuration annotation holds"
    )


def test_objects_under_the_limits_and_the_kustomization_pass() -> None:
    check_sizes(
        [
            ("configmap/small.yaml", _configmap(a="x" * 1000)),
            ("kustomization.yaml", {"kind": "Kustomization", "resources": ["x" * 300_000]}),
        ]
    )
