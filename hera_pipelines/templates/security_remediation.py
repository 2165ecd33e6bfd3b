"""security-remediation: the security agent fixes one alert (code scanning, Dependabot, CVE)."""

from __future__ import annotations

from typing import Any

from hera.workflows import DAG

from hera_pipelines.config.agents import Role
from hera_pipelines.config.project import Project
from hera_pipelines.workflows.agent_step import agent_task
from hera_pipelines.workflows.expressions import wf_param
from hera_pipelines.workflows.frame import flow_template

__all__ = ["NAME", "manifests"]

NAME = "security-remediation"

_PROMPT = (
    "A security alert (ALERT_KIND number ALERT_NUMBER, advisory or rule ADVISORY_ID, severity "
    "SEVERITY, details at ALERT_URL) was raised on REPOSITORY. Fix the vulnerability on a new "
    "branch and open a pull request that explains the fix. Change nothing unrelated."
)
_PARAMETERS = ("repository", "alert-kind", "alert-number", "advisory-id", "severity", "alert-url")


def manifests(project: Project) -> list[dict[str, Any]]:
    with (
        flow_template(
            project,
            NAME,
            description="Security agent on one security alert.",
            parameters={
                "repository": project.repository,
                "alert-kind": None,
                "alert-number": None,
                "advisory-id": "",
                "severity": None,
                "alert-url": "",
            },
        ) as template,
        DAG(name="main"),
    ):
        agent_task(
            project,
            Role.SECURITY,
            "fix",
            flow=NAME,
            env={key.upper().replace("-", "_"): wf_param(key) for key in _PARAMETERS},
            prompt=_PROMPT,
            agent_key=project.events.routes.security.agent,
        )
    return [template.to_dict()]
