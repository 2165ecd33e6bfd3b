"""Names that a later event must be able to compute without a lookup (DESIGN: Correlated).

A task's workflow name is a pure function of (service, task id): the play creates it, and the
merge route resumes it, each computing the same name independently.
"""

from __future__ import annotations

from hera_pipelines.backlog.ids import name_fragment, normalise_id
from hera_pipelines.names import dns_label

__all__ = ["task_branch_prefix", "task_label", "task_workflow_name", "task_worktree"]


def task_workflow_name(service: str, task_id: int | str) -> str:
    """`<service>-task-<id>`, DNS-1123 and ≤ 63 characters (long inputs end in a hash)."""
    return dns_label(f"{service}-task-{name_fragment(normalise_id(task_id))}")


def task_label(task_id: int | str) -> str:
    """The PR label that ties a pull request to its task: `task-<id>`."""
    return f"task-{name_fragment(normalise_id(task_id))}"


def task_branch_prefix(task_id: int | str) -> str:
    """Task branches are named `task-<id>-<anything>`; the merge route matches this prefix."""
    return f"{task_label(task_id)}-"


def task_worktree(task_id: int | str) -> str:
    """The task's own git worktree on the workspace volume, relative to its mount."""
    return f"worktrees/{task_label(task_id)}"
