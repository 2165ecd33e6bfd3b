"""The reference the compiled validator is held to: jsonschema + kubernetes-validate.

This was the renderer's validator; `hera_pipelines.schemas` replaced it (compiled once, cached on
disk) and `test_compiled.py` proves both give the same verdicts on every rendered object and on
mutated ones. Strict validation of rendered objects against the real upstream schema of their kind.

Upstream schemas allow unknown fields (a typo in a field name silently does nothing on the
cluster), so every object schema is tightened here: where a schema lists `properties` and says
nothing about others, others become errors, unless Kubernetes marks it
`x-kubernetes-preserve-unknown-fields`.
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import yaml

# the one tightening transform; the reference differs in how it validates, not what it tightens
from hera_pipelines.schemas.strict import strict_schema

__all__ = ["SCHEMA_DIR", "Violation", "strict_schema", "supported_kinds", "validate_object"]

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "hera_pipelines" / "data" / "schemas"
KUBERNETES_VERSION = "1.32"

# kind -> (file, where the object schema is)
_JSON_SCHEMAS: dict[str, tuple[str, str]] = {
    "Workflow": ("argo-workflows.schema.json", "io.argoproj.workflow.v1alpha1.Workflow"),
    "WorkflowTemplate": (
        "argo-workflows.schema.json",
        "io.argoproj.workflow.v1alpha1.WorkflowTemplate",
    ),
    "ClusterWorkflowTemplate": (
        "argo-workflows.schema.json",
        "io.argoproj.workflow.v1alpha1.ClusterWorkflowTemplate",
    ),
    "CronWorkflow": ("argo-workflows.schema.json", "io.argoproj.workflow.v1alpha1.CronWorkflow"),
    "EventSource": ("argo-events.schema.json", "io.argoproj.events.v1alpha1.EventSource"),
    "Sensor": ("argo-events.schema.json", "io.argoproj.events.v1alpha1.Sensor"),
    "EventBus": ("argo-events.schema.json", "io.argoproj.events.v1alpha1.EventBus"),
}
# (apiVersion, kind) -> CRD file
_CRDS: dict[tuple[str, str], str] = {
    ("argoproj.io/v1alpha1", "Application"): "argocd-application-crd.yaml",
    ("argoproj.io/v1alpha1", "AppProject"): "argocd-appproject-crd.yaml",
    ("argoproj.io/v1alpha1", "ApplicationSet"): "argocd-applicationset-crd.yaml",
    ("external-secrets.io/v1", "ExternalSecret"): "external-secrets-externalsecret-crd.yaml",
    ("agents.platform/v1", "CodeRun"): "coderun-crd.yaml",
    ("agents.platform/v1", "DocsRun"): "docsrun-crd.yaml",
}
# The C loader reads the large CRD files ~10x faster; its result is identical.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_CORE_GROUPS = (
    "v1",
    "rbac.authorization.k8s.io/v1",
    "apps/v1",
    "batch/v1",
    "policy/v1",
    "networking.k8s.io/v1",
)


@dataclass(frozen=True)
class Violation:
    """One schema error: where in the object, and what is wrong."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(root)'}: {self.message}"


@functools.cache
def _json_document(file: str) -> dict[str, Any]:
    data: dict[str, Any] = strict_schema(
        json.loads((SCHEMA_DIR / file).read_text(encoding="utf-8"))
    )
    return data


@functools.cache
def _crd_document(file: str) -> dict[str, dict[str, Any]]:
    crd = yaml.load((SCHEMA_DIR / file).read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    group = crd["spec"]["group"]
    documents: dict[str, dict[str, Any]] = {}
    for version in crd["spec"]["versions"]:
        if not version.get("served", True):
            continue
        schema = copy.deepcopy(version["schema"]["openAPIV3Schema"])
        # The API server supplies these for every CRD, whether its schema lists them or not.
        properties = schema.setdefault("properties", {})
        properties.setdefault("apiVersion", {"type": "string"})
        properties.setdefault("kind", {"type": "string"})
        properties.setdefault("metadata", {"type": "object"})
        documents[f"{group}/{version['name']}"] = strict_schema(schema)
    return documents


@functools.cache
def _validator(api_version: str, kind: str) -> jsonschema.protocols.Validator | None:
    if kind in _JSON_SCHEMAS and api_version.startswith("argoproj.io/"):
        file, definition = _JSON_SCHEMAS[kind]
        document = _json_document(file)
        schema = {"$ref": f"#/definitions/{definition}", "definitions": document["definitions"]}
        return jsonschema.Draft7Validator(schema)
    crd = _CRDS.get((api_version, kind))
    if crd is not None:
        versions = _crd_document(crd)
        if api_version in versions:
            return jsonschema.Draft7Validator(versions[api_version])
    return None


def supported_kinds() -> list[str]:
    return sorted({*_JSON_SCHEMAS, *(k for _, k in _CRDS)})


def _path(parts: Any) -> str:
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _iter_violations(obj: Mapping[str, Any]) -> Iterator[Violation]:
    api_version = str(obj.get("apiVersion", ""))
    kind = str(obj.get("kind", ""))
    validator = _validator(api_version, kind)
    if validator is not None:
        for error in sorted(validator.iter_errors(obj), key=lambda e: list(map(str, e.path))):
            yield Violation(_path(error.absolute_path), error.message)
        return
    if api_version in _CORE_GROUPS:
        try:
            kubernetes_validate.validate(dict(obj), KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            yield Violation(_path(exc.path), exc.message)
        except kubernetes_validate.utils.SchemaNotFoundError:
            yield Violation("", f"no schema for {api_version} {kind}")
        return
    yield Violation("", f"no schema known for {api_version} {kind}")


def validate_object(obj: Mapping[str, Any]) -> list[Violation]:
    """Every way `obj` breaks the strict upstream schema of its kind (empty: valid)."""
    return list(_iter_violations(obj))
