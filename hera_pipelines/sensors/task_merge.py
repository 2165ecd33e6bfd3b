"""Merge route: a merged `task-<id>` PR resumes exactly that task's waiting workflow.

The task is found by a `task-<id>` label or, without one, a `task-<id>-...` head branch; two
dependencies keep the cases exclusive so one merge resumes once. The target is named by
`conventions.task_names.task_workflow_name`, computed here in the Sensor's Go template.

Resume is argo-events' `argoWorkflow` trigger with operation `resume` (`argo resume <name>`,
v1.9): it addresses a Workflow by `metadata.name`, which a trigger parameter sets. A `k8s`
patch trigger could only flip `spec.suspend`, which does not resume a suspend *node*.
"""

from __future__ import annotations

from typing import Any

from hera_pipelines.config.project import Project
from hera_pipelines.conventions.task_names import MAX_ROUTED_TASK_DIGITS, task_workflow_prefix
from hera_pipelines.events.filters import action_is, data_filter, dependency, event_is, lacks_label
from hera_pipelines.events.route import RESUME_GRANTS, Route, RouteBuilder
from hera_pipelines.events.sensor import sensor
from hera_pipelines.events.triggers import resume_trigger

__all__ = ["BUILDER", "ROUTE", "TASK_BRANCH", "TASK_LABEL", "manifests", "resume_name_templates"]

ROUTE = Route("merge", ("pull_request",), RESUME_GRANTS)
_ID = f"[0-9]{{1,{MAX_ROUTED_TASK_DIGITS}}}"
TASK_LABEL = f"task-{_ID}"
TASK_BRANCH = f"^task-{_ID}(-.*)?$"
_PR = "body.pull_request"


def resume_name_templates(service: str) -> dict[str, str]:
    """dependency -> Go template yielding `task_workflow_name(service, id)` for numeric ids."""
    prefix = task_workflow_prefix(service)
    by_label = (
        '{{- $id := "" -}}'
        "{{- range .Input.body.pull_request.labels -}}"
        f'{{{{- if and (not $id) (regexMatch "^{TASK_LABEL}$" (toString .name)) -}}}}'
        '{{- $id = trimPrefix "task-" (toString .name) -}}'
        "{{- end -}}{{- end -}}"
        f"{prefix}{{{{ atoi $id }}}}"
    )
    by_branch = (
        f'{{{{- $id := regexFind "^task-{_ID}" (toString .Input.body.pull_request.head.ref) -}}}}'
        f'{prefix}{{{{ atoi (trimPrefix "task-" $id) }}}}'
    )
    return {"merged-task-label": by_label, "merged-task-branch": by_branch}


def manifests(project: Project) -> list[dict[str, Any]]:
    if not ROUTE.enabled(project):
        return []
    route = project.events.routes.merge
    merged = [
        event_is("pull_request"),
        action_is("closed"),
        data_filter(f"{_PR}.merged", "true", kind="bool"),
    ]
    label = data_filter(f"{_PR}.labels.#.name", rf'^\[(.*,)?"{TASK_LABEL}"(,.*)?\]$')
    dependencies = [
        dependency("merged-task-label", [*merged, label]),
        dependency(
            "merged-task-branch",
            [
                *merged,
                lacks_label(f"{_PR}.labels", TASK_LABEL),
                data_filter(f"{_PR}.head.ref", TASK_BRANCH),
            ],
        ),
    ]
    templates = resume_name_templates(project.service)
    triggers = [
        resume_trigger(
            project,
            route,
            name=f"resume-{dep.name}",
            dependency_name=dep.name or "",
            workflow_name=templates[dep.name or ""],
        )
        for dep in dependencies
    ]
    return [
        sensor(
            project,
            "github-task-merge",
            description="Resumes the waiting task workflow when its pull request merges.",
            dependencies=dependencies,
            triggers=triggers,
        )
    ]


BUILDER = RouteBuilder(ROUTE, manifests)
