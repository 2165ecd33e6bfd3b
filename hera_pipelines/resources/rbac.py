"""Least-privilege identities: the sensors', the EventSource's and the workflows' own.

Each ServiceAccount gets a namespaced Role listing exact verbs on exact resources, derived
from what the rendered objects do (no `*`, no ClusterRole): sensors create Workflows (and get
and update them to resume a task), workflows create and watch CodeRuns (unless the platform's
external template creates them in a Workflow of its own).
"""

from __future__ import annotations

from typing import Any

from kubernetes.client import (
    ApiClient,
    RbacV1Subject,
    V1ObjectMeta,
    V1PolicyRule,
    V1Role,
    V1RoleBinding,
    V1RoleRef,
    V1ServiceAccount,
)

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


def _meta(project: Project, name: str) -> V1ObjectMeta:
    return V1ObjectMeta(
        name=name,
        namespace=project.namespace,
        labels=labels.common_labels(project.service, project.repository),
    )


def _identity(project: Project, name: str, rules: Rules, automount: bool) -> list[Any]:
    objects: list[Any] = [
        V1ServiceAccount(
            api_version="v1",
            kind="ServiceAccount",
            metadata=_meta(project, name),
            automount_service_account_token=automount,
        )
    ]
    if not rules:
        return objects
    objects.append(
        V1Role(
            api_version="rbac.authorization.k8s.io/v1",
            kind="Role",
            metadata=_meta(project, name),
            rules=[
                V1PolicyRule(api_groups=[group], resources=[resource], verbs=sorted(verbs))
                for (group, resource), verbs in sorted(rules.items())
            ],
        )
    )
    objects.append(
        V1RoleBinding(
            api_version="rbac.authorization.k8s.io/v1",
            kind="RoleBinding",
            metadata=_meta(project, name),
            role_ref=V1RoleRef(api_group="rbac.authorization.k8s.io", kind="Role", name=name),
            subjects=[RbacV1Subject(kind="ServiceAccount", name=name, namespace=project.namespace)],
        )
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
    client = ApiClient()
    return [_to_dict(client, obj) for obj in objects]


def _to_dict(client: ApiClient, obj: Any) -> dict[str, Any]:
    """The official client's serialisation: camelCase keys, no Nones."""
    out: dict[str, Any] = client.sanitize_for_serialization(obj)  # type: ignore[no-untyped-call]
    return out
