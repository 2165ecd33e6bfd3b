"""Merge route: a merged same-repository PR from `task-<id>-...` resumes that task's workflow.

The task is found by the PR's head branch only, which is the branch the task's workflow pushed
(`task-<id>` or `task-<id>-...`): a `task-<id>` label proves nothing (anyone who can label a PR
could resume any task) and a fork's branch of that name is not the task's, so the PR's head
repository must be the repository. The target is named by `task_workflow_name`, computed here in
the Sensor's Go template.

Resume is argo-events' `argoWorkflow` trigger with operation `resume` (`argo resume <name>`,
v1.9): it addresses a Workflow by `metadata.name`, which a trigger parameter sets. A `k8s`
patch trigger could only flip `spec.suspend`, which does not resume a suspend *node*.
"""

from __future__ import annotations

from hera_pipelines.config.project import Project
from hera_pipelines.conventions.task_names import MAX_ROUTED_TASK_DIGITS, task_workflow_prefix
from hera_pipelines.events.filters import (
    data_filter,
    dependency,
    repository_pinned,
    same_repository,
)
from hera_pipelines.events.route import RESUME_GRANTS, Route, RouteBuilder
from hera_pipelines.events.triggers import Arm, resume

__all__ = ["BUILDER", "ROUTE", "TASK_BRANCH", "TASK_LABEL", "resume_name_templates"]

ROUTE = Route("merge", ("pull_request",), RESUME_GRANTS)
_ID = f"[0-9]{{1,{MAX_ROUTED_TASK_DIGITS}}}"
TASK_LABEL = f"task-{_ID}"
TASK_BRANCH = f"^task-{_ID}(-.*)?$"
_PR = "body.pull_request"


def resume_name_templates(service: str) -> dict[str, str]:
    """dependency -> Go template yielding `task_workflow_name(service, id)` for numeric ids."""
    prefix = task_workflow_prefix(service)
    by_branch = (
        f'{{{{- $id := regexFind "^task-{_ID}" (toString .Input.body.pull_request.head.ref) -}}}}'
        f'{prefix}{{{{ atoi (trimPrefix "task-" $id) }}}}'
    )
    return {"merged-task-branch": by_branch}


def _arms(project: Project) -> list[Arm]:
    route = project.events.routes.merge
    merged = dependency(
        "merged-task-branch",
        "pull_request",
        ("closed",),
        [
            data_filter(f"{_PR}.merged", "true", kind="bool"),
            repository_pinned(project),
            data_filter(f"{_PR}.head.ref", TASK_BRANCH),
        ],
        [same_repository(f"{_PR}.head.repo.full_name")],
    )
    name = merged.name or ""
    template = resume_name_templates(project.service)[name]
    return [resume(project, route, merged, name=f"resume-{name}", workflow_name=template)]


BUILDER = RouteBuilder(
    ROUTE,
    "github-task-merge",
    "Resumes the waiting task workflow when its pull request merges.",
    _arms,
)
