"""The opening every agent flow shares: the guard, then the agents' environment, both gated.

`authorize` is the DAG's only root and always runs; `agent-env` (the Secret the agents read) is
written only when it said `run`; every later step carries the same `when`. A flow module builds
its `Opening` inside its WorkflowTemplate (the templates) and calls `open` inside its DAG (the
tasks), so the five agent flows differ only in their guard's arguments and their agents.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from hera.workflows import Resource, Script, Task, WorkflowTemplate

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.workflows.agent_env import AgentEnv
from hera_pipelines.workflows.contract import REPOSITORY, FlowParam, FlowSpec
from hera_pipelines.workflows.expressions import param
from hera_pipelines.workflows.frame import flow_template
from hera_pipelines.workflows.guard import (
    AUTHORIZE,
    HEAD_CHECK,
    authorize_task,
    authorize_template,
    pr_mutex,
    recheck_task,
    recheck_template,
    when_authorized,
)

__all__ = ["Opened", "Opening", "pr_flow_template"]


def pr_flow_template(
    project: Project, spec: FlowSpec, *, description: str, pr_number: FlowParam
) -> WorkflowTemplate:
    """The frame of a flow that pushes to a pull request's branch: the repository defaults to
    the project's, started workflows carry the PR's label, and one such flow runs per PR at a
    time (the PR mutex)."""
    template = flow_template(
        project,
        spec,
        description=description,
        defaults={REPOSITORY: project.repository},
        labels_from={labels.PR: pr_number},
    )
    template.synchronization = pr_mutex(project)
    return template


@dataclass(frozen=True)
class Opened:
    """The opening's tasks, and the `when` every later step of the flow carries."""

    authorize: Task
    env: Task
    when: str


class Opening:
    """The guard's and the agent-env's templates of one flow. Build it inside the
    WorkflowTemplate's context.

    With `recheck` (a flow whose agents push to a PR branch one after another), the head
    re-check's template too: it runs before the first agent (the PR's head is the event's SHA
    or ahead of it by our bots only; the guard then gets no strict `head-sha`, and claims the
    event on its SHA, `claim-sha`) and, through `quality_chain`, before each later one."""

    def __init__(self, project: Project, env: AgentEnv, *, recheck: bool = False) -> None:
        self.guard: Script = authorize_template(project)
        self.env_template: Resource = env.template()
        self.recheck: Script | None = recheck_template(project) if recheck else None
        self._env = env

    @property
    def when(self) -> str:
        """The `when` of every step after the guard: it said `run` (and so did the head check
        before the first agent, with `recheck`)."""
        guards = [self.guard.name or AUTHORIZE]
        if self.recheck is not None:
            guards.append(HEAD_CHECK)
        return when_authorized(*guards)

    def authorize(self, arguments: Mapping[str, str]) -> Task:
        """The guard's task (the DAG's root) with `arguments`, the repository by default."""
        return authorize_task(self.guard, {"repository": param("repository"), **arguments})

    def write_env(self, depends: str, carried: Mapping[str, str] | None = None) -> Task:
        """The agent-env task, after `depends`, only if the guard said `run`."""
        written = self._env.task(self.env_template, depends=depends, carried=carried)
        written.when = self.when
        return written

    def open(self, arguments: Mapping[str, str]) -> Opened:
        """authorize (with `arguments`, the repository by default) → with `recheck`, the head
        check → agent-env if they said `run`.

        Call inside the DAG's context; `arguments` are the guard's inputs (`GUARD_INPUTS`).
        """
        authorize = self.authorize(arguments)
        last = authorize
        if self.recheck is not None:
            last = recheck_task(self.recheck, after=authorize.name, name=HEAD_CHECK)
        return Opened(authorize, self.write_env(last.name), self.when)
