"""Where each kind's schema lives: the vendored files, and kubernetes-validate's core kinds."""

from __future__ import annotations

import functools
import importlib.util
import json
import re
from pathlib import Path
from typing import Any

import yaml

from hera_pipelines.schemas.strict import strict_schema

__all__ = [
    "CORE_GROUPS",
    "KUBERNETES_VERSION",
    "SCHEMA_DIR",
    "Source",
    "schema_for",
    "source_of",
    "supported_kinds",
]

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "schemas"
KUBERNETES_VERSION = "1.32"
CORE_GROUPS = (
    "v1",
    "rbac.authorization.k8s.io/v1",
    "apps/v1",
    "batch/v1",
    "policy/v1",
    "networking.k8s.io/v1",
)

# kind -> (file, definition) for Argo's JSON schemas (any argoproj.io/ apiVersion)
_JSON_SCHEMAS: dict[str, tuple[str, str]] = {
    "ClusterWorkflowTemplate": (
        "argo-workflows.schema.json",
        "io.argoproj.workflow.v1alpha1.ClusterWorkflowTemplate",
    ),
    "CronWorkflow": ("argo-workflows.schema.json", "io.argoproj.workflow.v1alpha1.CronWorkflow"),
    "EventBus": ("argo-events.schema.json", "io.argoproj.events.v1alpha1.EventBus"),
    "EventSource": ("argo-events.schema.json", "io.argoproj.events.v1alpha1.EventSource"),
    "Sensor": ("argo-events.schema.json", "io.argoproj.events.v1alpha1.Sensor"),
    "Workflow": ("argo-workflows.schema.json", "io.argoproj.workflow.v1alpha1.Workflow"),
    "WorkflowTemplate": (
        "argo-workflows.schema.json",
        "io.argoproj.workflow.v1alpha1.WorkflowTemplate",
    ),
}
# (apiVersion, kind) -> CRD file
_CRDS: dict[tuple[str, str], str] = {
    ("agents.platform/v1", "CodeRun"): "coderun-crd.yaml",
    ("agents.platform/v1", "DocsRun"): "docsrun-crd.yaml",
    ("argoproj.io/v1alpha1", "AppProject"): "argocd-appproject-crd.yaml",
    ("argoproj.io/v1alpha1", "Application"): "argocd-application-crd.yaml",
    ("argoproj.io/v1alpha1", "ApplicationSet"): "argocd-applicationset-crd.yaml",
    ("external-secrets.io/v1", "ExternalSecret"): "external-secrets-externalsecret-crd.yaml",
}
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_REF = re.compile(r"^(?:/api/)?_definitions\.json#/")


class Source(str):
    """The identity of one schema (file and entry), used as a cache key."""

    __slots__ = ()


@functools.cache
def source_of(api_version: str, kind: str) -> Source | None:
    """Which vendored schema validates `kind` at `api_version` (None: no schema known)."""
    if kind in _JSON_SCHEMAS and api_version.startswith("argoproj.io/"):
        file, definition = _JSON_SCHEMAS[kind]
        return Source(f"json:{file}#{definition}")
    crd = _CRDS.get((api_version, kind))
    if crd is not None:
        return Source(f"crd:{crd}#{api_version}") if api_version in _crd(crd) else None
    if api_version in CORE_GROUPS:
        core = _core_file(api_version, kind)
        return Source(f"core:{core.name}") if core.is_file() else None
    return None


def schema_for(source: Source) -> dict[str, Any]:
    """The strict, self-contained schema (all references inside it) named by `source`."""
    scheme, _, rest = source.partition(":")
    file, _, entry = rest.partition("#")
    if scheme == "json":
        document = _json(file)
        return {"$ref": f"#/definitions/{entry}", "definitions": document["definitions"]}
    if scheme == "crd":
        return _crd(file)[entry]
    return _core(file)


def supported_kinds() -> list[str]:
    return sorted({*_JSON_SCHEMAS, *(k for _, k in _CRDS)})


def file_digest_inputs(source: Source) -> list[Path]:
    """The files whose bytes decide the schema named by `source` (for cache keys)."""
    scheme, _, rest = source.partition(":")
    file = rest.partition("#")[0]
    if scheme == "core":
        return [_core_dir() / file, _core_dir() / "_definitions.json"]
    return [SCHEMA_DIR / file]


@functools.cache
def _json(file: str) -> dict[str, Any]:
    document: dict[str, Any] = strict_schema(
        json.loads((SCHEMA_DIR / file).read_text(encoding="utf-8"))
    )
    return document


@functools.cache
def _crd(file: str) -> dict[str, dict[str, Any]]:
    crd = yaml.load((SCHEMA_DIR / file).read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    group = crd["spec"]["group"]
    documents: dict[str, dict[str, Any]] = {}
    for version in crd["spec"]["versions"]:
        if not version.get("served", True):
            continue
        schema = dict(version["schema"]["openAPIV3Schema"])
        # The API server supplies these for every CRD, whether its schema lists them or not.
        properties = dict(schema.get("properties", {}))
        properties.setdefault("apiVersion", {"type": "string"})
        properties.setdefault("kind", {"type": "string"})
        properties.setdefault("metadata", {"type": "object"})
        schema["properties"] = properties
        documents[f"{group}/{version['name']}"] = strict_schema(schema)
    return documents


@functools.cache
def _core_dir() -> Path:
    """kubernetes-validate's strict schemas for the newest version not after KUBERNETES_VERSION."""
    # Located, not imported: importing kubernetes_validate imports jsonschema (a fifth of a
    # second), and only its schema files are used.
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("kubernetes_validate")
    root = Path(next(iter(spec.submodule_search_locations))) / "kubernetes-json-schema"

    def key(path: Path) -> tuple[int, ...]:
        return tuple(int(p) for p in path.name[1:].split("-")[0].split("."))

    wanted = tuple(int(p) for p in KUBERNETES_VERSION.split("."))
    candidates = [p for p in root.glob("v*-local-strict") if key(p)[:2] <= wanted]
    return max(candidates, key=key)


def _core_file(api_version: str, kind: str) -> Path:
    # rbac.authorization.k8s.io/v1 -> rbac-v1; v1 -> v1 (kubernetes-validate's file names)
    group = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", api_version)
    return _core_dir() / f"{kind.lower()}-{group}.json"


@functools.cache
def _core(file: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((_core_dir() / file).read_text(encoding="utf-8"))
    definitions = _core_definitions()
    schema = _relocate(schema)
    schema.pop("$schema", None)
    schema.pop("$id", None)
    # only the definitions this kind reaches: fastjsonschema generates code for every one
    schema["$defs"] = {name: definitions[name] for name in _reachable(schema, definitions)}
    return schema


def _references(node: Any, out: set[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            out.add(ref[len("#/$defs/") :])
        for value in node.values():
            _references(value, out)
    elif isinstance(node, list):
        for value in node:
            _references(value, out)


def _reachable(schema: dict[str, Any], definitions: dict[str, Any]) -> list[str]:
    todo: set[str] = set()
    _references(schema, todo)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in definitions:
            continue
        seen.add(name)
        _references(definitions[name], todo)
    return sorted(seen)


@functools.cache
def _core_definitions() -> dict[str, Any]:
    document = json.loads((_core_dir() / "_definitions.json").read_text(encoding="utf-8"))
    document.pop("$id", None)
    defs: dict[str, Any] = _relocate(document["$defs"])
    return defs


def _relocate(node: Any) -> Any:
    """Point `_definitions.json#/…` references at the same schema's own `#/…`."""
    if isinstance(node, dict):
        return {
            k: _REF.sub("#/", v) if k == "$ref" and isinstance(v, str) else _relocate(v)
            for k, v in node.items()
        }
    if isinstance(node, list):
        return [_relocate(v) for v in node]
    return node
