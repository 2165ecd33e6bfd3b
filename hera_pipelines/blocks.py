"""Building blocks every flow shares: the WorkflowTemplate frame and the agent step.

A flow module in `templates/` should read as its DAG only; the lifetime limits, labels,
service account and the way an agent is called (a `templateRef` to coderun-template with the
role's GitHub App, model, tools and prompt) are decided here once.

Event data reaches an agent only inside Argo expressions (`{{=...}}`) that JSON-encode it
(`expr_env`), never spliced into a manifest, script or command line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from hera.workflows import Parameter, SecretEnv, Task, WorkflowTemplate
from hera.workflows import models as _m

from hera_pipelines import labels
from hera_pipelines.agents import Role
from hera_pipelines.project import Project
from hera_pipelines.semaphores import AGENT_CLASS_PARAMETER

__all__ = [
    "CODERUN_ENTRY",
    "QA_GATE",
    "QA_GATE_HEAD_SHA",
    "QA_GATE_PATHS",
    "ROUTED_AGENT_PARAMETERS",
    "agent_parameters",
    "agent_task",
    "expr_env",
    "expr_str",
    "flow_template",
    "git_token_env",
    "param",
    "qa_prompt",
    "quality_chain",
    "step_resources",
    "wf_param",
]

CODERUN_ENTRY = "coderun"
# The qa-gate WorkflowTemplate (templates/qa_gate.py) and its two entry templates.
QA_GATE = "qa-gate"
QA_GATE_HEAD_SHA = "head-sha"
QA_GATE_PATHS = "paths-gate"


def expr_str(value: str) -> str:
    """A string literal for an Argo (expr-lang) expression."""
    return json.dumps(value, ensure_ascii=False)


def wf_param(name: str) -> str:
    """An expression operand reading a workflow parameter (works for any parameter name)."""
    return f"workflow.parameters[{expr_str(name)}]"


def param(name: str) -> str:
    """A plain `{{workflow.parameters.X}}` reference, for values that are never parsed."""
    return f"{{{{workflow.parameters.{name}}}}}"


def expr_env(values: Mapping[str, str]) -> str:
    """An expression building a JSON object of environment variables.

    Keys are static; each value is an expression operand (`wf_param(...)`) or a static string
    already made a literal with `expr_str`. sprig.toJson escapes whatever the values hold.
    """
    args = ", ".join(f"{expr_str(k)}, {v}" for k, v in sorted(values.items()))
    return f"{{{{=sprig.toJson(sprig.dict({args}))}}}}"


def flow_template(
    project: Project,
    name: str,
    *,
    description: str,
    parameters: Mapping[str, str | None],
    labels_from: Mapping[str, str] | None = None,
    entrypoint: str | None = "main",
    waits_for_review: bool = False,
) -> WorkflowTemplate:
    """The frame of a flow: limits, garbage collection, service account and labels.

    `parameters` maps each input to its default (None: required). `labels_from` maps a label
    key to the workflow parameter its value comes from, so a started workflow is found by PR
    or task id in the Argo UI. A flow that `waits_for_review` (suspended until a merge) gets
    the review deadline instead of the flow deadline: review takes days, an agent run hours.
    """
    wf = project.workflow
    deadline = wf.review_deadline_seconds if waits_for_review else wf.active_deadline_seconds
    flow_labels = labels.common_labels(project.service, project.repository, name)
    return WorkflowTemplate(
        name=name,
        namespace=project.namespace,
        labels=flow_labels,
        annotations={"workflows.argoproj.io/description": description},
        entrypoint=entrypoint,
        arguments=[
            Parameter(name=key, value=default) if default is not None else Parameter(name=key)
            for key, default in parameters.items()
        ]
        or None,
        service_account_name=project.platform.workflow_service_account,
        active_deadline_seconds=deadline,
        ttl_strategy=_m.TTLStrategy(
            seconds_after_success=wf.ttl_after_success_seconds,
            seconds_after_failure=wf.ttl_after_failure_seconds,
        ),
        pod_gc=_m.PodGC(strategy="OnPodSuccess"),
        workflow_metadata=_m.WorkflowMetadata(
            labels=flow_labels,
            labels_from={
                key: _m.LabelValueFrom(expression=wf_param(source))
                for key, source in (labels_from or {}).items()
            }
            or None,
        ),
    )


def git_token_env(project: Project) -> SecretEnv:
    """`GIT_TOKEN` for the small git/API steps: a reference to the configured Secret only."""
    return SecretEnv(
        name="GIT_TOKEN",
        secret_name=project.platform.git_credentials_secret,
        secret_key="token",  # noqa: S106 - a key name, not a credential
        optional=True,
    )


def step_resources(memory_limit: str = "256Mi") -> _m.ResourceRequirements:
    """Requests and limits of a small shell step (git, curl, kubectl)."""
    return _m.ResourceRequirements(
        requests={"cpu": "50m", "memory": "64Mi"}, limits={"memory": memory_limit}
    )


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
    env: Mapping[str, str],
    prompt: str = "",
    task_id: str = "0",
    continue_session: bool = False,
    depends: str | None = None,
    agent_key: str | None = None,
    routed: bool = False,
) -> Task:
    """One agent run: a `templateRef` to coderun-template for the agent serving `role`.

    Every argument but `env` is project configuration (trusted, static); `env` values are
    expression operands, JSON-encoded by `expr_env`. `agent_key` picks another agent than the
    role's (a route's `agent:`); the run still takes the semaphore of `role`. A `routed` run
    takes the agent's identity from the workflow parameters of `ROUTED_AGENT_PARAMETERS`
    (the play sets them per task); the role's agent is only their default.
    """
    agent = project.agents[agent_key] if agent_key else project.agent_for(role)
    identity = {
        "github-app": agent.github_app,
        "model": agent.model,
        "local-tools": _csv(agent.local_tools),
        "remote-tools": _csv(agent.remote_tools),
    }
    agent_operand = expr_str(agent.key)
    if routed:
        identity = {key: param(key) for key in identity}
        agent_operand = wf_param("agent")
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
        "env": expr_env(
            {
                **env,
                "AGENT": agent_operand,
                "AGENT_ROLE": expr_str(role.value),
                "FLOW": expr_str(flow),
                "QUALITY_GATES": expr_str("\n".join(g.command for g in project.gates)),
            }
        ),
    }
    return Task(
        name=name,
        template_ref=_m.TemplateRef(
            name=project.platform.coderun_template_name, template=CODERUN_ENTRY
        ),
        arguments=arguments,
        depends=depends,
    )


QUALITY_PROMPT = (
    "You are the format/lint gate. Check out the branch in HEAD_REF, make every command in "
    "QUALITY_GATES pass, and push. Change formatting and lint findings only: no behaviour."
)


def qa_prompt(project: Project) -> str:
    """The rule the QA agent is given; the paths gate enforces the same globs."""
    globs = ", ".join(project.qa_test_paths)
    return (
        "You are the QA gate. Add tests for the change on the branch in HEAD_REF and push. "
        f"You may only add or change files matching: {globs}. Never change non-test code: "
        "a gate step fails the flow if you do."
    )


def quality_chain(
    project: Project,
    flow: str,
    *,
    head_ref_arg: str,
    env: Mapping[str, str],
    depends: str | None = None,
) -> Task:
    """format/lint agent → snapshot of the head → QA agent → paths gate; returns the gate.

    Call inside a DAG context. `head_ref_arg` is the head branch as an argument value (a
    `{{...}}` reference, substituted into a parameter, never a script); `env` maps
    environment variable names to expression operands for the agents.
    """
    gate_ref = {"repository": param("repository"), "head-ref": head_ref_arg}
    lint = agent_task(
        project,
        Role.QUALITY,
        "format-lint",
        flow=flow,
        env=env,
        prompt=QUALITY_PROMPT,
        depends=depends,
    )
    snapshot = Task(
        name="pre-qa-head",
        template_ref=_m.TemplateRef(name=QA_GATE, template=QA_GATE_HEAD_SHA),
        arguments=gate_ref,
        depends=lint.name,
    )
    qa = agent_task(
        project,
        Role.TESTING,
        "qa",
        flow=flow,
        env=env,
        prompt=qa_prompt(project),
        depends=snapshot.name,
    )
    return Task(
        name="qa-paths-gate",
        template_ref=_m.TemplateRef(name=QA_GATE, template=QA_GATE_PATHS),
        arguments={
            **gate_ref,
            "base-sha": f"{{{{tasks.{snapshot.name}.outputs.parameters.sha}}}}",
        },
        depends=qa.name,
    )
