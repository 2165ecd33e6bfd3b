"""The interface of one task's workflow: which template it runs and the arguments it gets.

The play (`templates/play.py`) starts it, the task-pipeline template (`templates/task_pipeline.py`)
declares it, and both read the parameter names and values from here, so the two never drift.
"""

from __future__ import annotations

from hera_pipelines.backlog.model import Task
from hera_pipelines.config.agents import Role
from hera_pipelines.config.project import Project
from hera_pipelines.conventions import task_names
from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.workflows.agent_step import (
    AGENT_CREDENTIALS,
    AGENT_GRANTS,
    ROUTED_AGENT_PARAMETERS,
    agent_parameters,
)
from hera_pipelines.workflows.contract import (
    REPOSITORY,
    Credential,
    FlowParam,
    FlowSpec,
    Kind,
    Trust,
)

__all__ = [
    "BASE_BRANCH",
    "BRANCH",
    "CODERUN_TASK_ID",
    "PARAMETERS",
    "SPEC",
    "TASK_DETAILS",
    "TASK_ID",
    "TASK_LABEL",
    "TASK_TEST_STRATEGY",
    "TASK_TITLE",
    "TEMPLATE",
    "WORKTREE",
    "branch_name",
    "coderun_task_id",
    "default_arguments",
    "default_values",
    "task_agent",
    "task_arguments",
]

TASK_ID = FlowParam("task-id")  # backlog ids are text (`7`, `api-2`, `21.4`)
# CodeRun.spec.taskId is an integer: a numeric id of at most 9 digits, else 0 (the agent still
# gets the real id in TASK_ID); computed at render, so no expression reads the text id.
CODERUN_TASK_ID = FlowParam(
    "coderun-task-id", Kind.NUMBER, Trust.TRUSTED, required=False, default="0"
)
TASK_TITLE = FlowParam("task-title", required=False)
TASK_DETAILS = FlowParam("task-details", required=False)
TASK_TEST_STRATEGY = FlowParam("task-test-strategy", required=False)
TASK_LABEL = FlowParam("task-label", trust=Trust.TRUSTED)  # derived through the sanitiser
BRANCH = FlowParam("branch", trust=Trust.TRUSTED)
BASE_BRANCH = FlowParam("base-branch", trust=Trust.TRUSTED, required=False)
WORKTREE = FlowParam("worktree", trust=Trust.TRUSTED)
#: The contract of the task-pipeline flow (templates/task_pipeline.py), which the play starts.
SPEC = FlowSpec(
    "task-pipeline",
    (
        REPOSITORY,
        TASK_ID,
        CODERUN_TASK_ID,
        TASK_TITLE,
        TASK_DETAILS,
        TASK_TEST_STRATEGY,
        TASK_LABEL,
        BRANCH,
        BASE_BRANCH,
        WORKTREE,
        *(FlowParam(n, trust=Trust.TRUSTED, required=False) for n in ROUTED_AGENT_PARAMETERS),
    ),
    grants=AGENT_GRANTS,
    credentials=(*AGENT_CREDENTIALS, Credential.GIT_TOKEN),
)
TEMPLATE = SPEC.name
# Workflow parameters of the task-pipeline template, in order.
PARAMETERS = tuple(p.name for p in SPEC.parameters)


def branch_name(task_id: int | str) -> str:
    """The task's head branch: `task-<id>-impl` (the merge route matches `task-<id>-`)."""
    return f"{task_names.task_branch_prefix(task_id)}impl"


def default_values(project: Project) -> dict[FlowParam, str]:
    """task-pipeline's project-dependent parameter defaults."""
    agent = agent_parameters(project, project.roles[Role.IMPLEMENTATION])
    return {
        REPOSITORY: project.repository,
        BASE_BRANCH: project.argocd.target_revision,
        **{SPEC.parameter(name): value for name, value in agent.items()},
    }


def default_arguments(project: Project) -> dict[str, str]:
    """task-pipeline's parameter defaults; a play node passes only the values that differ,
    which keeps a 200-task DAG far below the object-size limits."""
    return {k: v for k, v in SPEC.defaults(default_values(project)).items() if v is not None}


def task_agent(project: Project, task: Task) -> str:
    """The agent key that implements `task`: its `agent` (an agent key, or a role whose agent
    is taken), else the implementation role's agent."""
    wanted = task.agent
    if not wanted:
        return project.roles[Role.IMPLEMENTATION]
    if wanted in project.agents:
        return wanted
    if wanted in {role.value for role in Role}:
        return project.roles[Role(wanted)]
    known = ", ".join(sorted({*project.agents, *(role.value for role in Role)}))
    raise HeraPipelinesError(
        f"unknown agent or role {wanted!r} (known: {known})",
        file=str(project.backlog_path),
        obj=f"task {task.ref}",
        field="agent",
    )


def coderun_task_id(ref: str) -> str:
    """The CodeRun's integer task id: a numeric id of at most 9 digits, else `0`."""
    return str(int(ref)) if ref.isascii() and ref.isdigit() and len(ref) < 10 else "0"


def task_arguments(project: Project, task: Task) -> dict[str, str]:
    """The parameters of one task's workflow, every one derived from the backlog task.

    Values are as the workflow carries them: backlog text (id, title, details, test strategy)
    is base64 (`FlowParam.encode`), never text Argo could evaluate.
    """
    ref = task.ref
    plain = {
        **agent_parameters(project, task_agent(project, task)),
        "repository": project.repository,
        "task-id": ref,
        "coderun-task-id": coderun_task_id(ref),
        "task-title": task.title,
        "task-details": task.details or task.description,
        "task-test-strategy": task.test_strategy,
        "task-label": task_names.task_label(ref),
        "branch": branch_name(ref),
        "base-branch": project.argocd.target_revision,
        "worktree": task_names.task_worktree(ref),
    }
    return {name: SPEC.parameter(name).encode(value) for name, value in plain.items()}
