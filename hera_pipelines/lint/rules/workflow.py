"""Workflow semantics as `argo lint --offline` sees them, plus callers' arguments across files."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from hera_pipelines.lint.argo_validate import Category, Issue, Options, validate_workflow
from hera_pipelines.lint.document import Document, PathPart
from hera_pipelines.lint.finding import Finding, Severity
from hera_pipelines.lint.rule import Context, Rule, rule
from hera_pipelines.lint.rules._walk import WORKFLOW_KINDS, as_list, as_map, get, templates_of
from hera_pipelines.lint.rules.schema import embedded_documents

__all__ = [
    "arguments",
    "dag",
    "enum",
    "lookup_in",
    "missing_arguments",
    "name_format",
    "spec",
    "synchronization",
    "template_name",
    "template_ref",
    "variable",
]


def lookup_in(context: Context) -> Callable[[str, bool], Mapping[str, Any] | None]:
    def lookup(name: str, cluster: bool) -> Mapping[str, Any] | None:
        kind = "ClusterWorkflowTemplate" if cluster else "WorkflowTemplate"
        found = context.find(kind, name)
        return found.obj if found is not None and isinstance(found.obj, Mapping) else None

    return lookup


def _embedded(doc: Document) -> list[tuple[tuple[PathPart, ...], Mapping[str, Any]]]:
    """Workflows created by resource templates (path of the manifest, parsed object)."""
    if "embedded" not in doc.memo:
        doc.memo["embedded"] = list(_find_embedded(doc))
    found: list[tuple[tuple[PathPart, ...], Mapping[str, Any]]] = doc.memo["embedded"]
    return found


def _find_embedded(doc: Document) -> Iterator[tuple[tuple[PathPart, ...], Mapping[str, Any]]]:
    for path, template in templates_of(doc.obj):
        text = get(template, "resource", "manifest")
        if not isinstance(text, str) or "Workflow" not in text:
            continue
        try:
            parts = embedded_documents(doc, text)
        except Exception:  # noqa: S112 (embedded-manifest reports unparsable manifests)
            continue
        for part in parts:
            if isinstance(part.obj, Mapping) and part.obj.get("kind") == "Workflow":
                yield (*path, "resource", "manifest"), part.obj


def _issues(doc: Document, context: Context) -> list[Issue]:
    if "workflow" not in doc.memo:
        options = Options(lint=True, external=context.settings.external_templates)
        lookup = lookup_in(context)
        issues = validate_workflow(doc.obj, lookup, options) if isinstance(doc.obj, Mapping) else []
        for where, manifest in _embedded(doc):
            ref = as_map(get(manifest, "spec", "workflowTemplateRef"))
            if ref and not get(manifest, "spec", "templates"):
                # the referenced template is validated as itself; here only the reference counts
                name = str(ref.get("name") or "")
                if (
                    name not in options.external
                    and lookup(name, bool(ref.get("clusterScope"))) is None
                ):
                    issues.append(
                        Issue(
                            Category.REF,
                            where,
                            f"created Workflow: workflow template {name!r} not found",
                        )
                    )
                continue
            for issue in validate_workflow(manifest, lookup, options):
                if issue.category is not Category.VARIABLE:
                    issues.append(
                        Issue(issue.category, where, f"created Workflow: {issue.message}")
                    )
        doc.memo["workflow"] = issues
    found: list[Issue] = doc.memo["workflow"]
    return found


def _by(
    category: Category, this: Callable[[], Rule]
) -> Callable[[Document, Context], Iterator[Finding]]:
    def check(doc: Document, context: Context) -> Iterator[Finding]:
        for issue in _issues(doc, context):
            if issue.category is category:
                yield this().at(doc, issue.path, issue.message)

    return check


def _category_rule(id_: str, name: str, category: Category, summary: str) -> Rule:
    holder: list[Rule] = []
    made = rule(
        id_, name, group="workflow", severity=Severity.ERROR, summary=summary, kinds=WORKFLOW_KINDS
    )(_by(category, lambda: holder[0]))
    holder.append(made)
    return made


template_ref = _category_rule(
    "HP201", "workflow-template-ref", Category.REF,
    "templateRef / workflowTemplateRef name a template in the set (or lint.externalTemplates).",
)  # fmt: skip
template_name = _category_rule(
    "HP202", "workflow-template-name", Category.TEMPLATE,
    "Entrypoint, onExit and every step/task template exist; names are present and unique.",
)  # fmt: skip
dag = _category_rule(
    "HP203", "workflow-dag", Category.DAG,
    "DAG depends/dependencies name existing tasks, have no cycle, and use one style.",
)  # fmt: skip
variable = _category_rule(
    "HP204", "workflow-variable", Category.VARIABLE,
    "Every {{inputs.…}}, {{workflow.…}}, {{steps.…}}, {{tasks.…}} tag resolves where used.",
)  # fmt: skip
name_format = _category_rule(
    "HP205", "workflow-name", Category.NAME,
    "Object names ≤ 63 characters, DNS-1123; template, step, task and parameter names valid.",
)  # fmt: skip
enum = _category_rule(
    "HP207", "workflow-enum", Category.ENUM,
    "Parameter enums are non-empty and hold the parameter's value.",
)  # fmt: skip
synchronization = _category_rule(
    "HP208", "workflow-synchronization", Category.SYNC,
    "Synchronization uses Argo Workflows v4's plural `mutexes` / `semaphores`.",
)  # fmt: skip
spec = _category_rule(
    "HP209", "workflow-spec", Category.SPEC,
    "One template type each, images set, valid outputs, actions, podGC, metrics (argo lint).",
)  # fmt: skip


def missing_arguments(
    workflow: Mapping[str, Any],
    context: Context,
    supplied_later: set[int] = frozenset(),  # type: ignore[assignment]
) -> Iterator[str]:
    """Parameters of the referenced WorkflowTemplate that `workflow` leaves without a value.

    `supplied_later` holds indexes of `spec.arguments.parameters` a Sensor fills in.
    """
    ref = as_map(get(workflow, "spec", "workflowTemplateRef"))
    name = str(ref.get("name") or "")
    if not name or name in context.settings.external_templates:
        return
    target = lookup_in(context)(name, bool(ref.get("clusterScope")))
    if target is None:
        return
    given = as_list(get(workflow, "spec", "arguments", "parameters"))
    valued = {
        str(as_map(p).get("name"))
        for i, p in enumerate(given)
        if "value" in as_map(p) or "valueFrom" in as_map(p) or i in supplied_later
    }
    for param in as_list(get(target, "spec", "arguments", "parameters")):
        param = as_map(param)
        if "value" in param or "valueFrom" in param:
            continue
        if str(param.get("name")) not in valued:
            yield str(param.get("name"))


def _sensor_supplied(parameters: Any) -> set[int]:
    out: set[int] = set()
    for param in as_list(parameters):
        dest = str(as_map(param).get("dest") or "")
        bits = dest.split(".")
        if len(bits) >= 4 and bits[:3] == ["spec", "arguments", "parameters"] and bits[3].isdigit():
            out.add(int(bits[3]))
    return out


@rule(
    "HP206",
    "workflow-arguments",
    group="workflow",
    severity=Severity.ERROR,
    summary="Every caller (steps, tasks, created Workflows, Sensor triggers) supplies required "
    "parameters.",
    kinds=(*WORKFLOW_KINDS, "Sensor"),
)
def arguments(doc: Document, context: Context) -> Iterator[Finding]:
    if doc.kind == "Sensor":
        for index, trigger in enumerate(as_list(get(doc.obj, "spec", "triggers"))):
            workflow = get(trigger, "template", "argoWorkflow")
            if get(workflow, "operation") not in (None, "submit"):
                continue
            resource = get(workflow, "source", "resource")
            if not isinstance(resource, Mapping):
                continue
            supplied = _sensor_supplied(get(workflow, "parameters"))
            for name in missing_arguments(resource, context, supplied):
                yield arguments.at(
                    doc,
                    ("spec", "triggers", index, "template", "argoWorkflow", "source", "resource"),
                    f"required parameter {name!r} of the WorkflowTemplate is never supplied",
                )
        return
    for issue in _issues(doc, context):
        if issue.category is Category.ARGUMENTS:
            yield arguments.at(doc, issue.path, issue.message)
    for where, manifest in _embedded(doc):
        for name in missing_arguments(manifest, context):
            yield arguments.at(
                doc, where, f"created Workflow leaves required parameter {name!r} without a value"
            )
