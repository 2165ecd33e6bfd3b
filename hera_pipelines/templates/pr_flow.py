"""pr-flow: the quality gates every pull request passes, owned by dedicated agents.

authorize (the PR's author and sender have write permission, the head is this repository's,
not protected; once per head SHA, claimed on the event's SHA) → head check (still the event's
SHA, or moved only by our own agents) → format/lint agent → head re-check (the same) → QA agent
(tests only, enforced by the paths gate). Started by the pull_request route with the PR's
number, head branch and head SHA; one flow per PR at a time (the PR mutex).
"""

from __future__ import annotations

from typing import Any

from hera.workflows import DAG

from hera_pipelines.config.project import Project
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
from hera_pipelines.workflows.expressions import param
from hera_pipelines.workflows.guard import ACTORS
from hera_pipelines.workflows.opening import Opening, pr_flow_template
from hera_pipelines.workflows.quality import quality_chain

__all__ = ["FLOW", "HEAD_REF", "HEAD_SHA", "NAME", "PR_NUMBER", "SPEC", "manifests"]

PR_NUMBER = FlowParam("pr-number", Kind.NUMBER, Trust.TRUSTED)
HEAD_REF = FlowParam("head-ref")
HEAD_SHA = FlowParam("head-sha", Kind.SHA, Trust.TRUSTED)
SPEC = FlowSpec(
    "pr-flow",
    (REPOSITORY, PR_NUMBER, HEAD_REF, HEAD_SHA, ACTORS),
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
    with pr_flow_template(
        project,
        SPEC,
        description="authorize, then format/lint agent, then QA agent (tests only) on a PR.",
        pr_number=PR_NUMBER,
    ) as template:
        # two agents push to the PR's branch in turn: the head is checked before each
        opening = Opening(project, env, recheck=True)
        with DAG(name="main"):
            opened = opening.open(
                {
                    "actors": param("actors"),
                    "pr-number": param("pr-number"),
                    # the head check before the first agent allows our bots' pushes on top of
                    # the event's SHA; the claim stays on that SHA
                    "claim-sha": param("head-sha"),
                    "claim": NAME,
                }
            )
            quality_chain(
                project,
                NAME,
                head_ref=HEAD_REF,
                env=env,
                depends=opened.env.name,
                when=opened.when,
                recheck=opening.recheck,
            )
    return [template.to_dict()]


FLOW = Flow(SPEC, manifests)
