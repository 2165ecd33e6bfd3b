"""issue-flow: an issue carried to a pull request that passed the quality gates.

implementation agent (opens a PR from `agent/issue-<n>`) → format/lint agent → QA agent
(tests only, enforced by the paths gate).
"""

from __future__ import annotations

from typing import Any

from hera.workflows import DAG

from hera_pipelines.config.agents import Role
from hera_pipelines.config.project import Project
from hera_pipelines.workflows.agent_step import agent_task
from hera_pipelines.workflows.expressions import expr_str, wf_param
from hera_pipelines.workflows.frame import flow_template
from hera_pipelines.workflows.quality import quality_chain

__all__ = ["BRANCH_PREFIX", "NAME", "manifests"]

NAME = "issue-flow"
BRANCH_PREFIX = "agent/issue-"

_IMPLEMENT_PROMPT = (
    "Implement the GitHub issue in ISSUE_NUMBER (title and URL in ISSUE_TITLE, ISSUE_URL). "
    "Work on the branch in HEAD_REF and open a pull request from it that closes the issue."
)


def manifests(project: Project) -> list[dict[str, Any]]:
    head_ref = f"{expr_str(BRANCH_PREFIX)} + {wf_param('issue-number')}"
    env = {
        "REPOSITORY": wf_param("repository"),
        "ISSUE_NUMBER": wf_param("issue-number"),
        "ISSUE_TITLE": wf_param("issue-title"),
        "ISSUE_URL": wf_param("issue-url"),
        "HEAD_REF": head_ref,
    }
    with (
        flow_template(
            project,
            NAME,
            description="implementation agent, then format/lint and QA (tests only) on an issue.",
            parameters={
                "repository": project.repository,
                "issue-number": None,
                "issue-title": "",
                "issue-url": "",
            },
        ) as template,
        DAG(name="main"),
    ):
        implement = agent_task(
            project,
            Role.IMPLEMENTATION,
            "implement",
            flow=NAME,
            env=env,
            prompt=_IMPLEMENT_PROMPT,
        )
        quality_chain(
            project,
            NAME,
            head_ref_arg=BRANCH_PREFIX + "{{workflow.parameters.issue-number}}",
            env=env,
            depends=implement.name,
        )
    return [template.to_dict()]
