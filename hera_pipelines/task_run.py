"""The interface of one task's workflow: which template it runs and the arguments it gets.

The play (`templates/play.py`) starts it, the task-pipeline template (`templates/task_pipeline.py`)
declares it, and both read the parameter names and values from here, so the two never drift.
"""

from __future__ import annotations

from hera_pipelines import naming
from hera_pipelines.backlog.model import Task
from hera_pipelines.project import Project

__all__ = ["PARAMETERS", "TEMPLATE", "branch_name", "task_arguments"]

TEMPLATE = "task-pipeline"
# Workflow parameters of the task-pipeline template, in order.
PARAMETERS = (
    "repository",
    "task-id",
    "task-title",
    "task-details",
    "task-test-strategy",
    "task-label",
    "branch",
    "base-branch",
    "worktree",
)


def branch_name(task_id: int | str) -> str:
    """The task's head branch: `task-<id>-impl` (the merge route matches `task-<id>-`)."""
    return f"{naming.task_branch_prefix(task_id)}impl"


def task_arguments(project: Project, task: Task) -> dict[str, str]:
    """The parameters of one task's workflow, every one derived from the backlog task."""
    ref = task.ref
    return {
        "repository": project.repository,
        "task-id": ref,
        "task-title": task.title,
        "task-details": task.details or task.description,
        "task-test-strategy": task.test_strategy,
        "task-label": naming.task_label(ref),
        "branch": branch_name(ref),
        "base-branch": project.argocd.target_revision,
        "worktree": naming.task_worktree(ref),
    }
