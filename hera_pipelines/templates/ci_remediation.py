"""ci-remediation: the triage agent, scoped to the one failing job, at most N times per PR.

A constant script counts this PR's ci-remediation workflows (the PR number arrives as an
environment variable); past `events.routes.ci.maxAttempts` the agent does not run, so an agent
whose fix fails CI again cannot loop forever.
"""

from __future__ import annotations

from typing import Any

from hera.workflows import DAG, Env, Parameter, Script, Task

from hera_pipelines.config.agents import Role
from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.workflows.agent_env import AgentEnv
from hera_pipelines.workflows.agent_step import AGENT_CREDENTIALS, AGENT_GRANTS, agent_task
from hera_pipelines.workflows.contract import (
    REPOSITORY,
    Flow,
    FlowParam,
    FlowSpec,
    Grant,
    Kind,
    Trust,
)
from hera_pipelines.workflows.frame import flow_template, step_resources

__all__ = [
    "ATTEMPTS_SCRIPT",
    "FLOW",
    "HEAD_REF",
    "HEAD_SHA",
    "JOB_NAME",
    "LOGS_URL",
    "NAME",
    "PR_NUMBER",
    "RUN_ID",
    "RUN_KIND",
    "SPEC",
    "manifests",
]

PR_NUMBER = FlowParam("pr-number", Kind.NUMBER, Trust.TRUSTED)
RUN_ID = FlowParam("run-id", Kind.NUMBER, Trust.TRUSTED)
RUN_KIND = FlowParam("run-kind", trust=Trust.TRUSTED, required=False)
JOB_NAME = FlowParam("job-name", required=False)
HEAD_REF = FlowParam("head-ref")
HEAD_SHA = FlowParam("head-sha", Kind.SHA, Trust.TRUSTED)
LOGS_URL = FlowParam("logs-url", required=False)
SPEC = FlowSpec(
    "ci-remediation",
    (REPOSITORY, PR_NUMBER, RUN_ID, RUN_KIND, JOB_NAME, HEAD_REF, HEAD_SHA, LOGS_URL),
    # the attempts step counts this PR's earlier ci-remediation workflows
    grants=(*AGENT_GRANTS, Grant("argoproj.io", "workflows", frozenset({"list"}))),
    credentials=AGENT_CREDENTIALS,
)
NAME = SPEC.name

ATTEMPTS_SCRIPT = """\
set -eu
case "$PR_NUMBER" in ''|*[!0-9]*) echo "bad PR number" >&2; exit 1 ;; esac
count=$(kubectl get workflows.argoproj.io -n "$NAMESPACE" -o name \\
  -l "${FLOW_LABEL}=${FLOW},${PR_LABEL}=${PR_NUMBER}" | wc -l)
if [ "$count" -gt "$MAX_ATTEMPTS" ]; then
  echo "attempt $count of at most $MAX_ATTEMPTS for PR $PR_NUMBER: not running" >&2
  echo skip
else
  echo run
fi
"""

_PROMPT = (
    "CI failed on the pull request in PR_NUMBER (branch HEAD_REF, commit HEAD_SHA). Triage "
    "only the failing job JOB_NAME (RUN_KIND RUN_ID, logs at LOGS_URL): find the cause, fix "
    "it on HEAD_REF and push. Do not change anything unrelated to that failure."
)


def manifests(project: Project) -> list[dict[str, Any]]:
    ci = project.events.routes.ci
    env = AgentEnv(SPEC, {p.name.upper().replace("-", "_"): p for p in SPEC.parameters})
    with flow_template(
        project,
        SPEC,
        description="Triage agent on one failing CI job of a pull request (bounded attempts).",
        defaults={REPOSITORY: project.repository},
        labels_from={labels.PR: PR_NUMBER},
    ) as template:
        attempts = Script(
            name="attempts",
            image=project.platform.images.kubectl.reference,
            command=["sh"],
            source=ATTEMPTS_SCRIPT,
            inputs=[Parameter(name="pr-number")],
            env=[
                Env(name="PR_NUMBER", value="{{inputs.parameters.pr-number}}"),
                Env(name="NAMESPACE", value="{{workflow.namespace}}"),
                Env(name="FLOW_LABEL", value=labels.FLOW),
                Env(name="FLOW", value=NAME),
                Env(name="PR_LABEL", value=labels.PR),
                Env(name="MAX_ATTEMPTS", value=str(ci.max_attempts)),
            ],
            resources=step_resources("128Mi"),
        )
        env_step = env.template()
        with DAG(name="main"):
            written = env.task(env_step)
            counted = Task(
                name="attempts",
                template=attempts,
                arguments={"pr-number": "{{workflow.parameters.pr-number}}"},
            )
            triage = agent_task(
                project,
                Role.TRIAGE,
                "triage",
                flow=NAME,
                env=env,
                prompt=_PROMPT,
                depends=f"{counted.name} && {written.name}",
                agent_key=ci.agent,
            )
            triage.when = f"{{{{tasks.{counted.name}.outputs.result}}}} == run"
    return [template.to_dict()]


FLOW = Flow(SPEC, manifests)
