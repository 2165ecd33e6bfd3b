"""Least-privilege identities: the sensors', the EventSource's and the workflows' own.

Each ServiceAccount gets a namespaced Role listing exact verbs on exact resources, derived
from what the rendered objects do (no `*`, no ClusterRole): sensors create Workflows (and get
and update them to resume a task), workflows create and watch CodeRuns (unless the platform's
external template creates them in a Workflow of its own).
"""

from __future__ import annotations

from typing import Any

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.workflows.agent_step import CODERUN_GRANT, coderun_created_elsewhere

__all__ = [
    "EVENTSOURCE_SERVICE_ACCOUNT",
    "GUARD_SERVICE_ACCOUNT",
    "SENSOR_SERVICE_ACCOUNT",
    "manifests",
]

SENSOR_SERVICE_ACCOUNT = "hera-pipelines-sensor"
#: Script steps that handle payload data (the authorize guard, comment fetch, git steps) run as
#: this one: no rules, no token mounted (only Argo's executor gets the workflows' token).
GUARD_SERVICE_ACCOUNT = "hera-pipelines-guard"
EVENTSOURCE_SERVICE_ACCOUNT = "hera-pipelines-eventsource"
Rules = dict[tuple[str, str], set[str]]


_RBAC = "rbac.authorization.k8s.io"


def _meta(project: Project, name: str) -> dict[str, Any]:
    return {
        "name": name,
        "namespace": project.namespace,
        "labels": labels.common_labels(project.service, project.repository),
    }


def _identity(project: Project, name: str, rules: Rules, automount: bool) -> list[dict[str, Any]]:
    # Plain dicts, as every other resource: the official client's models cost a render about
    # half a second of imports for three kinds whose shape the strict schema check pins anyway.
    objects: list[dict[str, Any]] = [
        {
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": _meta(project, name),
            "automountServiceAccountToken": automount,
        }
    ]
    if not rules:
        return objects
    objects.append(
        {
            "apiVersion": f"{_RBAC}/v1",
            "kind": "Role",
            "metadata": _meta(project, name),
            "rules": [
                {"apiGroups": [group], "resources": [resource], "verbs": sorted(verbs)}
                for (group, resource), verbs in sorted(rules.items())
            ],
        }
    )
    objects.append(
        {
            "apiVersion": f"{_RBAC}/v1",
            "kind": "RoleBinding",
            "metadata": _meta(project, name),
            "roleRef": {"apiGroup": _RBAC, "kind": "Role", "name": name},
            "subjects": [{"kind": "ServiceAccount", "name": name, "namespace": project.namespace}],
        }
    )
    return objects


def manifests(
    project: Project, *, workflow_rules: Rules, sensor_rules: Rules
) -> list[dict[str, Any]]:
    """The identities, with exactly the rules the rendered flows and routes declared.

    `workflow_rules` is the union of the grants of the flows that rendered, `sensor_rules` that
    of the routes that rendered (see `workflows/contract.py`); this module knows neither.
    """
    if coderun_created_elsewhere(project):
        # the platform's own Workflow creates the CodeRun, as its own ServiceAccount
        coderuns = (CODERUN_GRANT.group, CODERUN_GRANT.resource)
        workflow_rules = {k: v for k, v in workflow_rules.items() if k != coderuns}
    objects = _identity(project, project.platform.workflow_service_account, workflow_rules, True)
    # explicit: payload-handling script steps get no Kubernetes API access at all
    objects += _identity(project, GUARD_SERVICE_ACCOUNT, {}, False)
    if project.events.enabled:
        objects += _identity(project, SENSOR_SERVICE_ACCOUNT, sensor_rules, True)
        # The EventSource reads its secrets from mounted volumes: no API access at all.
        objects += _identity(project, EVENTSOURCE_SERVICE_ACCOUNT, {}, False)
    return objects
