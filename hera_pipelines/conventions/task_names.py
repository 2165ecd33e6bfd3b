"""Names of workflows a later event must find without a lookup: one definition, used everywhere.

A task's workflow is named from (service, task id) alone, so the merge route can resume exactly
the waiting task and the play renderer names it identically. The sensor computes the same name
with a Go template (`task_workflow_name_template`), so ids it accepts are numeric only.
"""

from __future__ import annotations

import functools

from hera_pipelines.backlog.ids import normalise_id
from hera_pipelines.conventions.names import distinct_label, dns_label

__all__ = [
    "MAX_ROUTED_TASK_DIGITS",
    "task_branch_prefix",
    "task_label",
    "task_workflow_name",
    "task_workflow_prefix",
    "task_worktree",
]

# Longest numeric task id the merge route accepts (fits Go's int and keeps names short).
MAX_ROUTED_TASK_DIGITS = 9
_MAX_SERVICE = 24


def task_workflow_prefix(service: str) -> str:
    """`<service>-task-`, the service cut to 24 characters so any routed id fits in 63."""
    return f"{dns_label(service, _MAX_SERVICE)}-task-"


# Cached: a render of n tasks asks for each task's names a dozen times (DAG nodes, their
# dependencies, waits, child manifests); they are pure functions of small strings.
@functools.cache
def task_workflow_name(service: str, task_id: int | str) -> str:
    """The Workflow name of task `task_id` of `service`: DNS-1123, ≤ 63 characters, stable.

    For a numeric id (`7`, `"007"`) it is exactly `task_workflow_prefix(service) + "7"`, which
    is what the merge route's Sensor computes from a `task-7` label or a `task-7-...` branch.
    """
    return dns_label(task_workflow_prefix(service) + distinct_label(normalise_id(task_id)))


@functools.cache
def task_label(task_id: int | str) -> str:
    """The PR label that ties a pull request to its task: `task-<id>`."""
    return f"task-{distinct_label(normalise_id(task_id))}"


def task_branch_prefix(task_id: int | str) -> str:
    """Task branches are named `task-<id>-<anything>`; the merge route matches this prefix."""
    return f"{task_label(task_id)}-"


def task_worktree(task_id: int | str) -> str:
    """The task's own git worktree on the workspace volume, relative to its mount."""
    return f"worktrees/{task_label(task_id)}"
