"""pr-flow: the quality gates every pull request passes, owned by dedicated agents.

format/lint agent → QA agent (tests only, enforced by the paths gate). Started by the
pull_request route with the PR's number, head branch and head SHA.
"""

from __future__ import annotations

from typing import Any

from hera.workflows import DAG

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.workflows.expressions import wf_param
from hera_pipelines.workflows.frame import flow_template
from hera_pipelines.workflows.quality import quality_chain

__all__ = ["NAME", "manifests"]

NAME = "pr-flow"


def manifests(project: Project) -> list[dict[str, Any]]:
    with (
        flow_template(
            project,
            NAME,
            description="format/lint agent, then QA agent (tests only) on a pull request.",
            parameters={
                "repository": project.repository,
                "pr-number": None,
                "head-ref": None,
                "head-sha": None,
            },
            labels_from={labels.PR: "pr-number"},
        ) as template,
        DAG(name="main"),
    ):
        quality_chain(
            project,
            NAME,
            head_ref_arg="{{workflow.parameters.head-ref}}",
            env={
                "REPOSITORY": wf_param("repository"),
                "PR_NUMBER": wf_param("pr-number"),
                "HEAD_REF": wf_param("head-ref"),
                "HEAD_SHA": wf_param("head-sha"),
            },
        )
    return [template.to_dict()]
