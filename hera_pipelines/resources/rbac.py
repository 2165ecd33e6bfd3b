"""Least-privilege identities: the sensors', the EventSource's and the workflows' own.

Each ServiceAccount gets a namespaced Role listing exact verbs on exact resources, derived
from what the rendered objects do (no `*`, no ClusterRole): sensors create Workflows (and get
and update them to resume a task), workflows create and watch CodeRuns.
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

__all__ = [
    "EVENTSOURCE_SERVICE_ACCOUNT",
    "SENSOR_SERVICE_ACCOUNT",
    "manifests",
    "sensor_rules",
    "workflow_rules",
]

SENSOR_SERVICE_ACCOUNT = "hera-pipelines-sensor"
EVENTSOURCE_SERVICE_ACCOUNT = "hera-pipelines-eventsource"
_ARGO = "argoproj.io"
_AGENTS = "agents.platform"

Rules = dict[tuple[str, str], set[str]]


def _events_on(project: Project) -> bool:
    return project.events.enabled


def sensor_rules(project: Project) -> Rules:
    """(apiGroup, resource) → verbs the sensors' `argo` CLI needs."""
    if not _events_on(project):
        return {}
    # `argo submit` validates templateRefs (get) and creates; argo-events then lists the
    # workflows it submitted by label. `argo resume <name>` gets and updates.
    rules: Rules = {
        (_ARGO, "workflows"): {"create", "get", "list"},
        (_ARGO, "workflowtemplates"): {"get"},
    }
    if project.events.routes.merge.enabled:
        rules[(_ARGO, "workflows")] |= {"update"}
    return rules


def workflow_rules(project: Project) -> Rules:
    """(apiGroup, resource) → verbs every rendered workflow's pods and templates need."""
    rules: Rules = {
        (_AGENTS, "coderuns"): {"create", "get", "list", "watch"},
        (_ARGO, "workflowtaskresults"): {"create", "patch"},
    }
    if _events_on(project) and project.events.routes.ci.enabled:
        # ci-remediation counts earlier attempts on the same pull request.
        rules[(_ARGO, "workflows")] = {"list"}
    if project.backlog_path.is_file():
        # the play starts one child Workflow per task and waits for it.
        rules.setdefault((_ARGO, "workflows"), set()).update({"create", "get", "list", "watch"})
        rules[(_ARGO, "workflowtemplates")] = {"get"}
    return rules


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


def manifests(project: Project) -> list[dict[str, Any]]:
    objects = _identity(
        project, project.platform.workflow_service_account, workflow_rules(project), True
    )
    if _events_on(project):
        objects += _identity(project, SENSOR_SERVICE_ACCOUNT, sensor_rules(project), True)
        # The EventSource reads its secrets from mounted volumes: no API access at all.
        objects += _identity(project, EVENTSOURCE_SERVICE_ACCOUNT, {}, False)
    client = ApiClient()
    return [_to_dict(client, obj) for obj in objects]


def _to_dict(client: ApiClient, obj: Any) -> dict[str, Any]:
    """The official client's serialisation: camelCase keys, no Nones."""
    out: dict[str, Any] = client.sanitize_for_serialization(obj)  # type: ignore[no-untyped-call]
    return out
