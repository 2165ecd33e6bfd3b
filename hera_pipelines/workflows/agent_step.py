"""The agent step: a `templateRef` to coderun-template with the role's agent, model and tools.

Every argument is project configuration (trusted, static) or a workflow name; the flow's own
values reach the agent only through the flow's agent-env Secret (`workflows/agent_env.py`),
whose keys the step lists in `env-keys`.
"""

from __future__ import annotations

from typing import Any

from hera.workflows import Task
from hera.workflows import models as _m

from hera_pipelines.config.agents import Role
from hera_pipelines.config.pipelines import CoderunStyle
from hera_pipelines.config.project import Project
from hera_pipelines.resources.semaphores import AGENT_CLASS_PARAMETER
from hera_pipelines.workflows.agent_env import ENV_GRANTS, ENV_SECRET, AgentEnv
from hera_pipelines.workflows.contract import Credential, FlowParam, FlowSpec, Grant, Kind, Trust
from hera_pipelines.workflows.expressions import param

__all__ = [
    "AGENT_CREDENTIALS",
    "AGENT_GRANTS",
    "CODERUN",
    "CODERUN_ENTRY",
    "CODERUN_GRANT",
    "EXTERNAL_GRANTS",
    "ROUTED_AGENT_PARAMETERS",
    "agent_parameters",
    "agent_task",
    "coderun_created_elsewhere",
    "coderun_template_name",
]

CODERUN_ENTRY = "coderun"
#: What a flow that runs agents needs: to create the CodeRun and watch it to its end.
#: It also writes the agents' environment into a Secret first (`workflows/agent_env.py`).
CODERUN_GRANT = Grant("agents.platform", "coderuns", frozenset({"create", "get", "list", "watch"}))
AGENT_GRANTS = (CODERUN_GRANT, *ENV_GRANTS)
AGENT_CREDENTIALS = (Credential.AGENT_APP,)
#: What the adapter of an external `workflowParameters` template needs besides: to create the
#: platform template's child Workflow (whose `workflowTemplateRef` the API server resolves with
#: a get, a need `lint` found) and watch it to its end.
EXTERNAL_GRANTS = (
    Grant("argoproj.io", "workflows", frozenset({"create", "get", "list", "watch"})),
    Grant("argoproj.io", "workflowtemplates", frozenset({"get"})),
)

_RUN = FlowParam("task-id", Kind.NUMBER, Trust.TRUSTED, required=False, default="0")
#: The inputs of coderun-template's entry template. Names follow the platform's own template, so
#: `platform.coderunTemplate: external` can point every agent step at the platform's copy.
CODERUN = FlowSpec(
    "coderun-template",
    (
        _RUN,
        FlowParam("service-id", trust=Trust.TRUSTED),
        FlowParam("repository-url", trust=Trust.TRUSTED),
        FlowParam("docs-repository-url", trust=Trust.TRUSTED),
        FlowParam("docs-project-directory", trust=Trust.TRUSTED, required=False, default="."),
        FlowParam("docs-branch", trust=Trust.TRUSTED, required=False, default="main"),
        FlowParam("working-directory", trust=Trust.TRUSTED, required=False, default="."),
        FlowParam("github-app", trust=Trust.TRUSTED),
        FlowParam("model", trust=Trust.TRUSTED),
        FlowParam("cli-type", trust=Trust.TRUSTED, required=False, default="claude"),
        FlowParam("local-tools", trust=Trust.TRUSTED, required=False),
        FlowParam("remote-tools", trust=Trust.TRUSTED, required=False),
        FlowParam("continue-session", Kind.FLAG, Trust.TRUSTED, required=False, default="false"),
        FlowParam("overwrite-memory", Kind.FLAG, Trust.TRUSTED, required=False, default="false"),
        FlowParam("context-version", Kind.NUMBER, Trust.TRUSTED, required=False, default="1"),
        FlowParam("prompt-modification", trust=Trust.TRUSTED, required=False),
        # the fixed keys of the CodeRun's `env` (AGENT, FLOW, QUALITY_GATES; AGENT_ROLE is the
        # agent class): project configuration only
        FlowParam("agent", trust=Trust.TRUSTED, required=False),
        FlowParam("flow", trust=Trust.TRUSTED, required=False),
        FlowParam("quality-gates", trust=Trust.TRUSTED, required=False),
        # the agent-env Secret and the comma-separated names of its keys the agent gets through
        # `envFromSecrets` (each `[A-Z][A-Z0-9_]*`, static text of the calling template)
        FlowParam("env-secret", trust=Trust.TRUSTED, required=False),
        FlowParam("env-keys", trust=Trust.TRUSTED, required=False),
        # not in the platform's template: picks the semaphore (resources/semaphores.py)
        FlowParam(
            AGENT_CLASS_PARAMETER, trust=Trust.TRUSTED, required=False, default="implementation"
        ),
    ),
    grants=AGENT_GRANTS,
    credentials=AGENT_CREDENTIALS,
)


def coderun_created_elsewhere(project: Project) -> bool:
    """Whether the CodeRun is created outside the flows' own workflows (`CODERUN_GRANT` unused).

    With `platform.coderunTemplate: external` in `workflowParameters` style, the adapter submits
    a child Workflow of the platform's template; that Workflow creates and watches the CodeRun
    as the ServiceAccount its template (or the namespace's default) names, because the
    submitted manifest names none: never as the flows' workflow ServiceAccount. With `inputs`
    style the platform's template runs inside the calling workflow, as that account.
    """
    platform = project.platform
    return (
        platform.coderun_template == "external"
        and platform.external.style == CoderunStyle.WORKFLOW_PARAMETERS
    )


def coderun_template_name(project: Project) -> str:
    """The WorkflowTemplate every agent step calls: ours (`render`), or with `external` the
    adapter `<external name>-adapter` we render in front of the platform's template."""
    platform = project.platform
    if platform.coderun_template == "external":
        return f"{platform.external.name}-adapter"
    return platform.coderun_template_name


def _csv(values: tuple[str, ...]) -> str:
    return ",".join(values)


# Workflow parameters that carry the agent of a routed run (see `agent_task(routed=True)`).
ROUTED_AGENT_PARAMETERS = ("agent", "github-app", "model", "local-tools", "remote-tools")


def agent_parameters(project: Project, agent_key: str) -> dict[str, str]:
    """Values of `ROUTED_AGENT_PARAMETERS` for one agent of the project."""
    agent = project.agents[agent_key]
    return {
        "agent": agent.key,
        "github-app": agent.github_app,
        "model": agent.model,
        "local-tools": _csv(agent.local_tools),
        "remote-tools": _csv(agent.remote_tools),
    }


def agent_task(
    project: Project,
    role: Role,
    name: str,
    *,
    flow: str,
    env: AgentEnv,
    keys: tuple[str, ...] | None = None,
    prompt: str = "",
    task_id: str = "0",
    continue_session: bool = False,
    depends: str | None = None,
    agent_key: str | None = None,
    routed: bool = False,
) -> Task:
    """One agent run: a `templateRef` to coderun-template for the agent serving `role`.

    Every argument is project configuration (trusted, static); the agent's environment is the
    keys of the flow's agent-env Secret (`env`; `keys` narrows them). `agent_key` picks another
    agent than the role's (a route's `agent:`); the run still takes the semaphore of `role`. A
    `routed` run takes the agent's identity from the workflow parameters of
    `ROUTED_AGENT_PARAMETERS` (the play sets them per task); the role's agent is only their
    default.
    """
    agent = project.agents[agent_key] if agent_key else project.agent_for(role)
    identity = {
        "github-app": agent.github_app,
        "model": agent.model,
        "local-tools": _csv(agent.local_tools),
        "remote-tools": _csv(agent.remote_tools),
    }
    agent_name = agent.key
    if routed:
        identity = {key: param(key) for key in identity}
        agent_name = param("agent")
    arguments: dict[str, Any] = {
        "task-id": task_id,
        "service-id": project.service,
        "repository-url": project.repository_url,
        "docs-repository-url": project.docs_repository_url,
        "docs-project-directory": project.docs_project_directory,
        "docs-branch": project.docs_branch,
        "working-directory": project.working_directory,
        **identity,
        "cli-type": project.platform.cli,
        "continue-session": "true" if continue_session else "false",
        "overwrite-memory": "false",
        "prompt-modification": prompt,
        AGENT_CLASS_PARAMETER: role.value,
        "agent": agent_name,
        "flow": flow,
        "quality-gates": "\n".join(g.command for g in project.gates),
        "env-secret": ENV_SECRET,
        "env-keys": ",".join(env.keys if keys is None else keys),
    }
    unknown = set(keys or ()) - set(env.keys)
    if unknown:  # pragma: no cover - a bug in the calling flow
        raise ValueError(f"agent step {name!r} names keys {sorted(unknown)} not in its env")
    missing = CODERUN.missing_required(CODERUN.parameter(key) for key in arguments)
    if missing:  # pragma: no cover - a bug in this function, caught by any render
        raise ValueError(f"agent step {name!r} lacks coderun-template inputs {missing}")
    return Task(
        name=name,
        template_ref=_m.TemplateRef(name=coderun_template_name(project), template=CODERUN_ENTRY),
        arguments=arguments,
        depends=depends,
    )
