"""security-remediation: the security agent fixes one alert (code scanning, Dependabot, CVE)."""

from __future__ import annotations

from typing import Any

from hera.workflows import DAG

from hera_pipelines.config.agents import Role
from hera_pipelines.config.project import Project
from hera_pipelines.workflows.agent_env import AgentEnv
from hera_pipelines.workflows.agent_step import AGENT_CREDENTIALS, AGENT_GRANTS, agent_task
from hera_pipelines.workflows.contract import REPOSITORY, Flow, FlowParam, FlowSpec, Kind, Trust
from hera_pipelines.workflows.frame import flow_template

__all__ = [
    "ADVISORY_ID",
    "ALERT_KIND",
    "ALERT_NUMBER",
    "ALERT_URL",
    "FLOW",
    "NAME",
    "SEVERITY",
    "SPEC",
    "manifests",
]

ALERT_KIND = FlowParam("alert-kind", trust=Trust.TRUSTED)
ALERT_NUMBER = FlowParam("alert-number", Kind.NUMBER, Trust.TRUSTED)
ADVISORY_ID = FlowParam("advisory-id", required=False)
SEVERITY = FlowParam("severity")
ALERT_URL = FlowParam("alert-url", required=False)
SPEC = FlowSpec(
    "security-remediation",
    (REPOSITORY, ALERT_KIND, ALERT_NUMBER, ADVISORY_ID, SEVERITY, ALERT_URL),
    grants=AGENT_GRANTS,
    credentials=AGENT_CREDENTIALS,
)
NAME = SPEC.name

_PROMPT = (
    "A security alert (ALERT_KIND number ALERT_NUMBER, advisory or rule ADVISORY_ID, severity "
    "SEVERITY, details at ALERT_URL) was raised on REPOSITORY. Fix the vulnerability on a new "
    "branch and open a pull request that explains the fix. Change nothing unrelated."
)


def manifests(project: Project) -> list[dict[str, Any]]:
    env = AgentEnv(SPEC, {p.name.upper().replace("-", "_"): p for p in SPEC.parameters})
    with flow_template(
        project,
        SPEC,
        description="Security agent on one security alert.",
        defaults={REPOSITORY: project.repository},
    ) as template:
        env_step = env.template()
        with DAG(name="main"):
            written = env.task(env_step)
            agent_task(
                project,
                Role.SECURITY,
                "fix",
                flow=NAME,
                env=env,
                prompt=_PROMPT,
                depends=written.name,
                agent_key=project.events.routes.security.agent,
            )
    return [template.to_dict()]


FLOW = Flow(SPEC, manifests)
