"""ci-remediation: the triage agent on one failed CI run of a pull request, bounded per PR.

authorize (the PR's head is this repository's, not protected and still the failed run's SHA;
once per (PR, head SHA); at most `events.routes.ci.maxAttempts` runs per PR, counted on GitHub by
the PR's `agent-ci-attempts-N` label, so the count outlives the workflows' TTL) → triage agent,
scoped to the failing jobs of the run, one flow per PR at a time (the PR mutex).
"""

from __future__ import annotations

from typing import Any

from hera.workflows import DAG

from hera_pipelines.config.agents import Role
from hera_pipelines.config.project import Project
from hera_pipelines.workflows.agent_env import AgentEnv
from hera_pipelines.workflows.agent_step import AGENT_CREDENTIALS, AGENT_GRANTS, agent_task
from hera_pipelines.workflows.contract import (
    REPOSITORY,
    Credential,
    Flow,
    FlowParam,
    FlowSpec,
    Kind,
    Trust,
)
from hera_pipelines.workflows.expressions import param
from hera_pipelines.workflows.guard import ACTORS
from hera_pipelines.workflows.opening import Opening, pr_flow_template

__all__ = [
    "ATTEMPTS_LABEL",
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
    (REPOSITORY, PR_NUMBER, RUN_ID, RUN_KIND, JOB_NAME, HEAD_REF, HEAD_SHA, LOGS_URL, ACTORS),
    grants=AGENT_GRANTS,
    credentials=(*AGENT_CREDENTIALS, Credential.GIT_TOKEN),
)
NAME = SPEC.name
ATTEMPTS_LABEL = "agent-ci-attempts-"

_PROMPT = (
    "CI failed on the pull request in PR_NUMBER (branch HEAD_REF, commit HEAD_SHA). Triage "
    "only the failing jobs of RUN_KIND RUN_ID (JOB_NAME, logs at LOGS_URL; list the run's failed "
    "jobs through the GitHub API): find the cause, fix it on HEAD_REF and push. Do not change "
    "anything unrelated to those failures."
)


def manifests(project: Project) -> list[dict[str, Any]]:
    ci = project.events.routes.ci
    env = AgentEnv(SPEC, {p.name.upper().replace("-", "_"): p for p in SPEC.parameters})
    with pr_flow_template(
        project,
        SPEC,
        description="Triage agent on the failing jobs of one CI run of a PR (bounded attempts).",
        pr_number=PR_NUMBER,
    ) as template:
        opening = Opening(project, env)
        with DAG(name="main"):
            opened = opening.open(
                {
                    "actors": param("actors"),
                    "pr-number": param("pr-number"),
                    "head-sha": param("head-sha"),
                    "claim": NAME,
                    "attempts-label": ATTEMPTS_LABEL,
                    "max-attempts": str(ci.max_attempts),
                }
            )
            agent_task(
                project,
                Role.TRIAGE,
                "triage",
                flow=NAME,
                env=env,
                prompt=_PROMPT,
                depends=opened.env.name,
                agent_key=ci.agent,
            ).when = opened.when
    return [template.to_dict()]


FLOW = Flow(SPEC, manifests)
