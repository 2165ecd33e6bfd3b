"""Size and lifecycle: object size, ARGO_TEMPLATE size, DAG width, cleanup and deadlines."""

from __future__ import annotations

import json
from collections.abc import Iterator

from hera_pipelines.lint.document import Document
from hera_pipelines.lint.finding import Finding, Severity
from hera_pipelines.lint.rule import Context, rule
from hera_pipelines.lint.rules._walk import as_list, get, templates_of, workflow_spec

__all__ = ["dag_task_cap", "lifecycle", "object_size", "template_size"]

KIB = 1024
OBJECT_ERROR = 256 * KIB
OBJECT_WARNING = 128 * KIB
ARGO_TEMPLATE_LIMIT = 128 * KIB
# an input parameter may carry up to this much (a GitHub issue or PR body is at most 65,536
# characters, base64 makes 4/3 of that)
PARAMETER_BUDGET = 88 * KIB


@rule(
    "HP601",
    "object-size",
    group="size",
    severity=Severity.ERROR,
    summary="Objects stay under 256 KiB (error) and 128 KiB (warning), far below etcd's limit.",
)
def object_size(doc: Document, context: Context) -> Iterator[Finding]:
    size = doc.size
    if size > OBJECT_ERROR:
        yield object_size.at(doc, (), f"{size / KIB:.0f} KiB (limit 256 KiB)")
    elif size > OBJECT_WARNING:
        yield object_size.at(
            doc, (), f"{size / KIB:.0f} KiB (warning at 128 KiB)", Severity.WARNING
        )


@rule(
    "HP602",
    "argo-template-size",
    group="size",
    severity=Severity.ERROR,
    summary="A template plus its inputs fits ARGO_TEMPLATE (the pod env var), under 128 KiB.",
    kinds=("ClusterWorkflowTemplate", "CronWorkflow", "Workflow", "WorkflowTemplate"),
)
def template_size(doc: Document, context: Context) -> Iterator[Finding]:
    for path, template in templates_of(doc.obj):
        if template.get("steps") is not None or template.get("dag") is not None:
            continue  # no pod, no ARGO_TEMPLATE
        size = len(json.dumps(template, separators=(",", ":")))
        if size > ARGO_TEMPLATE_LIMIT:
            yield template_size.at(doc, path, f"template is {size / KIB:.0f} KiB as JSON")
            continue
        if size <= 32 * KIB:
            continue  # small enough whatever its inputs carry
        inputs = as_list(get(template, "inputs", "parameters"))
        used = "{{inputs.parameters." in json.dumps(template)
        unbounded = [p for p in inputs if isinstance(p, dict) and "value" not in p and used]
        if size + PARAMETER_BUDGET * len(unbounded) > ARGO_TEMPLATE_LIMIT:
            yield template_size.at(
                doc,
                path,
                f"{size / KIB:.0f} KiB template with {len(unbounded)} free inputs can exceed "
                "128 KiB once substituted",
                Severity.WARNING,
            )


@rule(
    "HP603",
    "dag-task-cap",
    group="size",
    severity=Severity.ERROR,
    summary="DAG templates hold at most play.maxTasksPerWorkflow (lint.maxDagTasks) tasks.",
    kinds=("ClusterWorkflowTemplate", "CronWorkflow", "Workflow", "WorkflowTemplate"),
)
def dag_task_cap(doc: Document, context: Context) -> Iterator[Finding]:
    cap = context.settings.max_dag_tasks
    for path, template in templates_of(doc.obj):
        tasks = as_list(get(template, "dag", "tasks"))
        if len(tasks) > cap:
            yield dag_task_cap.at(doc, (*path, "dag", "tasks"), f"{len(tasks)} tasks (cap {cap})")


@rule(
    "HP604",
    "workflow-lifecycle",
    group="size",
    severity=Severity.WARNING,
    summary="Workflows set ttlStrategy, podGC and activeDeadlineSeconds so runs end and clean up.",
    kinds=("CronWorkflow", "Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate"),
)
def lifecycle(doc: Document, context: Context) -> Iterator[Finding]:
    base, spec = workflow_spec(doc.obj)
    if spec.get("workflowTemplateRef") is not None:
        return
    missing = [k for k in ("ttlStrategy", "podGC", "activeDeadlineSeconds") if k not in spec]
    if missing:
        yield lifecycle.at(doc, base, f"no {', '.join(missing)}")
