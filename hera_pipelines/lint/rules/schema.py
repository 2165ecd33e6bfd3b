"""Schema rules: every object, and every manifest embedded in one, against its kind's schema."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from typing import Any

from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.lint.document import Document, PathPart, load_embedded
from hera_pipelines.lint.finding import Finding, Severity
from hera_pipelines.lint.rule import Context, rule
from hera_pipelines.lint.rules._walk import as_list, get, templates_of
from hera_pipelines.schemas import Profile, Violation, has_schema, violations

__all__ = [
    "cluster_lenient",
    "embedded_documents",
    "embedded_manifest",
    "strict_schema",
    "substitute",
    "substitute_text",
    "typed_violations",
    "unknown_kind",
]

_UNCHECKED_GROUPS = ("kustomize.config.k8s.io/",)
_WHOLE = re.compile(r"^\s*\{\{.*\}\}\s*$", re.DOTALL)
_ANY = re.compile(r"\{\{.*?\}\}", re.DOTALL)
# typed samples tried, in order, for a placeholder where the schema wants another type
_SAMPLES: tuple[Any, ...] = (7, True, {}, [])


def _lenient(violation: Violation) -> bool:
    """Argo Events' schema requires every `context` filter field; the controller does not."""
    return violation.keyword == "required" and "context" in violation.parts


def _unchecked(doc: Document) -> bool:
    return not isinstance(doc.obj, Mapping) or doc.api_version.startswith(_UNCHECKED_GROUPS)


@rule(
    "HP101",
    "schema",
    group="schema",
    severity=Severity.ERROR,
    summary="Objects validate strictly (unknown fields are errors) against their kind's schema.",
)
def strict_schema(doc: Document, context: Context) -> Iterator[Finding]:
    if not isinstance(doc.obj, Mapping):
        yield strict_schema.at(doc, (), "not a Kubernetes object (expected a mapping)")
        return
    if _unchecked(doc) or not has_schema(doc.obj):
        return
    found = violations(doc.obj)
    if found and _lenient(found[0]):
        found = violations(doc.obj, Profile.CLUSTER)
    for violation in found:
        yield strict_schema.at(doc, violation.parts, violation.message)


@rule(
    "HP102",
    "schema-cluster-lenient",
    group="schema",
    severity=Severity.WARNING,
    summary="Breaks the upstream schema only where the cluster is lenient (Argo Events context).",
    kinds=("Sensor", "EventSource"),
)
def cluster_lenient(doc: Document, context: Context) -> Iterator[Finding]:
    if _unchecked(doc) or not has_schema(doc.obj):
        return
    found = violations(doc.obj)
    if found and _lenient(found[0]):
        yield cluster_lenient.at(
            doc, found[0].parts, f"{found[0].message} (upstream schema only; the cluster accepts)"
        )


@rule(
    "HP103",
    "schema-unknown-kind",
    group="schema",
    severity=Severity.WARNING,
    summary="No schema is known for the object's apiVersion and kind, so nothing was checked.",
)
def unknown_kind(doc: Document, context: Context) -> Iterator[Finding]:
    if _unchecked(doc) or has_schema(doc.obj):
        return
    yield unknown_kind.at(doc, ("kind",), f"no schema known for {doc.api_version} {doc.kind}")


def substitute(value: Any) -> tuple[Any, list[tuple[PathPart, ...]]]:
    """`value` with `{{…}}` replaced by a sample string; and where a whole value was one."""
    holes: list[tuple[PathPart, ...]] = []

    def walk(node: Any, path: tuple[PathPart, ...]) -> Any:
        if isinstance(node, Mapping):
            return {k: walk(v, (*path, k)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, (*path, i)) for i, v in enumerate(node)]
        if isinstance(node, str) and "{{" in node:
            if _WHOLE.match(node):
                holes.append(path)
            return _ANY.sub("sample", node)
        return node

    return walk(value, ()), holes


def _text_sample(match: re.Match[str]) -> str:
    expression = match.group(1).strip()
    if expression.startswith(("=asInt(", "=asFloat(")):
        return "7"
    if expression.startswith("=") and expression.endswith(("== 'true'", '== "true"')):
        return "true"
    if "fromJson(" in expression or "toJson(sprig.dict(" in expression:
        return "{}"
    if "toJson(map(" in expression or "toJson(sprig.list(" in expression:
        return "[]"
    if "toJson(" in expression:
        return '"sample"'
    return "sample"


def substitute_text(text: str) -> str:
    """A manifest's text with each `{{…}}` replaced by a sample of the type it produces."""
    return _PLACEHOLDER_TEXT.sub(_text_sample, text) if "{{" in text else text


_PLACEHOLDER_TEXT = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)


def embedded_documents(doc: Document, text: str) -> list[Document]:
    """The objects of the manifest `text` held in `doc`, placeholders replaced by typed samples.

    Parsed once per containing document and text, however many rules ask (HeraPipelinesError
    when the text is not YAML); the documents are shared: treat them as read-only.
    """
    substituted: dict[str, str] = doc.memo.setdefault("_substituted", {})
    sample = substituted.get(text)
    if sample is None:
        sample = substituted[text] = substitute_text(text)
    return load_embedded(sample, doc.file, doc.memo)


def _set(obj: Any, path: tuple[PathPart, ...], value: Any) -> None:
    for part in path[:-1]:
        obj = obj[part]
    obj[path[-1]] = value


def typed_violations(manifest: Mapping[str, Any]) -> list[Violation]:
    """Violations of `manifest` after typed substitution of its placeholders.

    A placeholder that is a whole value becomes whichever sample type its schema accepts.
    """
    obj, holes = substitute(manifest)
    tried: dict[tuple[PathPart, ...], int] = {}
    for _ in range(4 * len(holes) + 1):
        found = violations(obj)
        if not found or found[0].keyword != "type":
            return found
        hole = next((h for h in holes if found[0].parts[: len(h)] == h), None)
        if hole is None or tried.get(hole, 0) >= len(_SAMPLES):
            return found
        _set(obj, hole, copy.deepcopy(_SAMPLES[tried.get(hole, 0)]))
        tried[hole] = tried.get(hole, 0) + 1
    return violations(obj)


def _manifest_line(doc: Document, parts: tuple[PathPart, ...]) -> int:
    """The first line of a block-scalar manifest's text (the line after `manifest: |`)."""
    return doc.line(parts) + 1


@rule(
    "HP104",
    "embedded-manifest",
    group="schema",
    severity=Severity.ERROR,
    summary="Manifests inside resource templates and Sensor triggers validate against their kind.",
    kinds=("ClusterWorkflowTemplate", "CronWorkflow", "Workflow", "WorkflowTemplate", "Sensor"),
)
def embedded_manifest(doc: Document, context: Context) -> Iterator[Finding]:
    if doc.kind == "Sensor":
        for index, trigger in enumerate(as_list(get(doc.obj, "spec", "triggers"))):
            template = get(trigger, "template")
            for kind in ("argoWorkflow", "k8s"):
                if get(template, kind, "operation") not in (None, "submit", "create"):
                    continue  # resume, suspend, …: only the name matters
                resource = get(template, kind, "source", "resource")
                if isinstance(resource, Mapping) and has_schema(resource):
                    base = ("spec", "triggers", index, "template", kind, "source", "resource")
                    for violation in typed_violations(resource):
                        path = (*base, *violation.parts)
                        yield embedded_manifest.at(doc, path, violation.message)
        return
    for path, template in templates_of(doc.obj):
        text = get(template, "resource", "manifest")
        if not isinstance(text, str):
            continue
        where = (*path, "resource", "manifest")
        try:
            inner = embedded_documents(doc, text)
        except HeraPipelinesError as exc:
            yield embedded_manifest.at(doc, where, f"manifest: {exc.problem}")
            continue
        for part in inner:
            if not isinstance(part.obj, Mapping) or not has_schema(part.obj):
                continue
            # placeholders were replaced by typed samples in the text already
            for violation in violations(part.obj):
                line = _manifest_line(doc, where) + part.line(violation.parts) - 1
                yield embedded_manifest.at(
                    doc,
                    where,
                    f"{part.obj.get('kind')}: {violation}",
                    line=line,
                )
