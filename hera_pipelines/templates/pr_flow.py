"""pr-flow: the quality gates every pull request passes, owned by dedicated agents.

format/lint agent → QA agent (tests only, enforced by the paths gate). Started by the
pull_request route with the PR's number, head branch and head SHA.
"""

from __future__ import annotations

from typing import Any

from hera.workflows import DAG

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.workflows.agent_env import AgentEnv
from hera_pipelines.workflows.agent_step import AGENT_CREDENTIALS, AGENT_GRANTS
from hera_pipelines.workflows.contract import (
    REPOSITORY,
    Credential,
    Flow,
    FlowParam,
    FlowSpec,
    Kind,
    Trust,
)
from hera_pipelines.workflows.frame import flow_template
from hera_pipelines.workflows.quality import quality_chain

__all__ = ["FLOW", "HEAD_REF", "HEAD_SHA", "NAME", "PR_NUMBER", "SPEC", "manifests"]

PR_NUMBER = FlowParam("pr-number", Kind.NUMBER, Trust.TRUSTED)
HEAD_REF = FlowParam("head-ref")
HEAD_SHA = FlowParam("head-sha", Kind.SHA, Trust.TRUSTED)
SPEC = FlowSpec(
    "pr-flow",
    (REPOSITORY, PR_NUMBER, HEAD_REF, HEAD_SHA),
    grants=AGENT_GRANTS,
    credentials=(*AGENT_CREDENTIALS, Credential.GIT_TOKEN),
)
NAME = SPEC.name


def manifests(project: Project) -> list[dict[str, Any]]:
    env = AgentEnv(
        SPEC,
        {
            "REPOSITORY": REPOSITORY,
            "PR_NUMBER": PR_NUMBER,
            "HEAD_REF": HEAD_REF,
            "HEAD_SHA": HEAD_SHA,
        },
    )
    with flow_template(
        project,
        SPEC,
        description="format/lint agent, then QA agent (tests only) on a pull request.",
        defaults={REPOSITORY: project.repository},
        labels_from={labels.PR: PR_NUMBER},
    ) as template:
        env_step = env.template()
        with DAG(name="main"):
            written = env.task(env_step)
            quality_chain(project, NAME, head_ref=HEAD_REF, env=env, depends=written.name)
    return [template.to_dict()]


FLOW = Flow(SPEC, manifests)
