"""issue-flow: an issue carried to a pull request that passed the quality gates.

authorize (whoever added the trigger label has write permission; the branch is not protected;
once per issue, claimed by a reaction on GitHub) → implementation agent (opens a PR from
`agent/issue-<n>`) → format/lint agent → QA agent (tests only, enforced by the paths gate). The
pull_request route ignores our own agents' PRs, so the quality chain runs once, here.
"""

from __future__ import annotations

from typing import Any

from hera.workflows import DAG
from hera.workflows import models as _m

from hera_pipelines.config.agents import Role
from hera_pipelines.config.project import Project
from hera_pipelines.workflows.agent_env import AgentEnv, Prefixed
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
from hera_pipelines.workflows.frame import flow_template
from hera_pipelines.workflows.guard import ACTORS, branch_mutex
from hera_pipelines.workflows.opening import Opening
from hera_pipelines.workflows.quality import quality_chain

__all__ = [
    "BRANCH_PREFIX",
    "FLOW",
    "ISSUE_NUMBER",
    "ISSUE_TITLE",
    "ISSUE_URL",
    "NAME",
    "SPEC",
    "manifests",
]

ISSUE_NUMBER = FlowParam("issue-number", Kind.NUMBER, Trust.TRUSTED)
ISSUE_TITLE = FlowParam("issue-title", required=False)
ISSUE_URL = FlowParam("issue-url", required=False)
SPEC = FlowSpec(
    "issue-flow",
    (REPOSITORY, ISSUE_NUMBER, ISSUE_TITLE, ISSUE_URL, ACTORS),
    grants=AGENT_GRANTS,
    credentials=(*AGENT_CREDENTIALS, Credential.GIT_TOKEN),
)
NAME = SPEC.name
BRANCH_PREFIX = "agent/issue-"

_IMPLEMENT_PROMPT = (
    "Implement the GitHub issue in ISSUE_NUMBER (title and URL in ISSUE_TITLE, ISSUE_URL). "
    "Work on the branch in HEAD_REF and open a pull request from it that closes the issue."
)


def manifests(project: Project) -> list[dict[str, Any]]:
    head_ref = Prefixed(BRANCH_PREFIX, ISSUE_NUMBER)
    env = AgentEnv(
        SPEC,
        {
            "REPOSITORY": REPOSITORY,
            "ISSUE_NUMBER": ISSUE_NUMBER,
            "ISSUE_TITLE": ISSUE_TITLE,
            "ISSUE_URL": ISSUE_URL,
            "HEAD_REF": head_ref,
        },
    )
    with flow_template(
        project,
        SPEC,
        description="implementation agent, then format/lint and QA (tests only) on an issue.",
        defaults={REPOSITORY: project.repository},
    ) as template:
        branch = BRANCH_PREFIX + param("issue-number")
        template.synchronization = _m.Synchronization(
            mutexes=[branch_mutex(project, "issue-" + param("issue-number"))]
        )
        opening = Opening(project, env)
        with DAG(name="main"):
            opened = opening.open(
                {
                    "actors": param("actors"),
                    "branch": branch,
                    "issue-claim": param("issue-number"),
                }
            )
            authorized = opened.when
            implement = agent_task(
                project,
                Role.IMPLEMENTATION,
                "implement",
                flow=NAME,
                env=env,
                prompt=_IMPLEMENT_PROMPT,
                depends=opened.env.name,
            )
            implement.when = authorized
            quality_chain(
                project,
                NAME,
                head_ref=head_ref,
                env=env,
                depends=implement.name,
                when=authorized,
            )
    return [template.to_dict()]


FLOW = Flow(SPEC, manifests)
