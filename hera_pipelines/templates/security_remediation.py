"""security-remediation: the security agent fixes one alert (code scanning, Dependabot).

authorize (repository scope; GitHub raised the alert, so there is no actor to check; the alert is
claimed once on GitHub, by the git ref `refs/agents/claims/security-remediation-<kind>-<number>`)
→ security agent, one flow per alert at a time (a branch mutex named by alert kind and number).
A claimed alert never starts an agent again (a reopened code scanning alert included): delete
the ref to let it run once more.
"""

from __future__ import annotations

from typing import Any

from hera.workflows import DAG
from hera.workflows import models as _m

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
from hera_pipelines.workflows.frame import flow_template
from hera_pipelines.workflows.guard import branch_mutex
from hera_pipelines.workflows.opening import Opening

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
    credentials=(*AGENT_CREDENTIALS, Credential.GIT_TOKEN),
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
        alert = f"{param('alert-kind')}-{param('alert-number')}"
        template.synchronization = _m.Synchronization(
            mutexes=[branch_mutex(project, "security-" + alert)]
        )
        opening = Opening(project, env)
        with DAG(name="main"):
            # no PR or issue to mark: the alert is claimed by a git ref named by its kind and
            # number (both validated: a constant and a number), so a redelivery after the
            # workflow's TTL starts nothing
            opened = opening.open({"ref-claim": f"{NAME}-{alert}"})
            agent_task(
                project,
                Role.SECURITY,
                "fix",
                flow=NAME,
                env=env,
                prompt=_PROMPT,
                agent_key=project.events.routes.security.agent,
                depends=opened.env.name,
            ).when = opened.when
    return [template.to_dict()]


FLOW = Flow(SPEC, manifests)
