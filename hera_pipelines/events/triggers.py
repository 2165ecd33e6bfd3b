"""Sensor triggers: submit a flow's Workflow, or resume a waiting one, rate-limited per route.

Event values reach a workflow only as `spec.arguments.parameters` values, and every started
workflow carries the correlation labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hera.events import models as _e

from hera_pipelines.config.events import RateLimitConfig, RouteConfig
from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.conventions.names import dns_label
from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.events.source import ARGO_API
from hera_pipelines.workflows.contract import FlowParam, FlowSpec

__all__ = ["Param", "rate_limit", "resume_trigger", "workflow_trigger"]


@dataclass(frozen=True)
class Param:
    """A workflow parameter taken from the event: a GJSON `data_key` or a Go `data_template`."""

    data_key: str | None = None
    data_template: str | None = None
    default: str | None = None  # None: required, the trigger fails without the value

    @property
    def supplies_value(self) -> bool:
        """Whether the trigger always sets the parameter (from the event, or its default)."""
        return (
            self.data_key is not None
            or self.data_template is not None
            or (self.default is not None)
        )


def rate_limit(project: Project, route: RouteConfig) -> _e.RateLimit:
    limit: RateLimitConfig = route.rate_limit or project.events.rate_limit
    return _e.RateLimit(requests_per_unit=limit.requests_per_unit, unit=limit.unit)


def _escape_dest(key: str) -> str:
    return key.replace(".", "\\.")


def workflow_trigger(
    project: Project,
    route: RouteConfig,
    *,
    name: str,
    dependency_name: str,
    flow: FlowSpec,
    workflow_name: str,
    parameters: Mapping[FlowParam, Param],
    labels_from: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Submit a Workflow of the WorkflowTemplate of `flow`, named by `workflow_name` (a template).

    `parameters` (keyed by the flow's own `FlowParam`s, so a renamed parameter is a type error)
    become `spec.arguments.parameters` values; a required parameter of the flow that no event
    value or default supplies fails the render. `labels_from` maps a correlation label to a
    `part_*` template operand (its value can only be `[a-z0-9-]`).
    """
    flow.check_members(parameters, f"trigger {name!r} passes a value")
    supplied = [p for p, v in parameters.items() if v.supplies_value]
    missing = flow.missing_required(supplied)
    if missing:
        raise HeraPipelinesError(
            f"trigger {name!r} supplies no value for required parameter(s) "
            f"{', '.join(missing)} of {flow.name!r}",
            obj=f"Sensor trigger {name}",
        )
    by_name = {p.name: v for p, v in parameters.items()}
    names = sorted(by_name)
    flow_name = flow.name
    resource: dict[str, Any] = {
        "apiVersion": ARGO_API,
        "kind": "Workflow",
        "metadata": {
            "name": dns_label(flow_name),
            "namespace": project.namespace,
            "labels": labels.common_labels(project.service, project.repository, flow_name),
        },
        "spec": {
            "workflowTemplateRef": {"name": flow_name},
            "arguments": {
                "parameters": [{"name": key, "value": by_name[key].default} for key in names]
            },
        },
    }
    params = [
        _e.TriggerParameter(
            src=_e.TriggerParameterSource(
                dependency_name=dependency_name, data_template=workflow_name
            ),
            dest="metadata.name",
        )
    ]
    for label, operand in sorted((labels_from or {}).items()):
        resource["metadata"]["labels"][label] = "unknown"
        params.append(
            _e.TriggerParameter(
                src=_e.TriggerParameterSource(
                    dependency_name=dependency_name,
                    data_template=f"{{{{ {operand} }}}}",
                    value="unknown",
                ),
                dest=f"metadata.labels.{_escape_dest(label)}",
            )
        )
    for index, key in enumerate(names):
        param = by_name[key]
        if param.data_key is None and param.data_template is None:
            continue
        params.append(
            _e.TriggerParameter(
                src=_e.TriggerParameterSource(
                    dependency_name=dependency_name,
                    data_key=param.data_key,
                    data_template=param.data_template,
                    value=param.default,
                ),
                dest=f"spec.arguments.parameters.{index}.value",
            )
        )
    return _argo_trigger(project, route, name, dependency_name, "submit", params, resource)


def resume_trigger(
    project: Project,
    route: RouteConfig,
    *,
    name: str,
    dependency_name: str,
    workflow_name: str,
) -> dict[str, Any]:
    """`argo resume <name>` on the Workflow whose name `workflow_name` (a template) yields."""
    resource = {
        "apiVersion": ARGO_API,
        "kind": "Workflow",
        "metadata": {"name": "unresolved", "namespace": project.namespace},
    }
    params = [
        _e.TriggerParameter(
            src=_e.TriggerParameterSource(
                dependency_name=dependency_name, data_template=workflow_name
            ),
            dest="metadata.name",
        )
    ]
    return _argo_trigger(project, route, name, dependency_name, "resume", params, resource)


def _argo_trigger(
    project: Project,
    route: RouteConfig,
    name: str,
    dependency_name: str,
    operation: str,
    params: list[_e.TriggerParameter],
    resource: dict[str, Any],
) -> dict[str, Any]:
    """An argoWorkflow trigger on one dependency, rate-limited as the route says."""
    return _with_resource(
        _e.Trigger(
            template=_e.TriggerTemplate(
                name=name,
                conditions=dependency_name,
                argo_workflow=_e.ArgoWorkflowTrigger(operation=operation, parameters=params),
            ),
            rate_limit=rate_limit(project, route),
        ),
        resource,
    )


def _with_resource(trigger: _e.Trigger, resource: dict[str, Any]) -> dict[str, Any]:
    """The trigger as a dict with its Workflow as `source.resource`.

    hera types `K8SResource` as encoded text, but the CRD stores the object itself.
    """
    out: dict[str, Any] = trigger.model_dump(by_alias=True, exclude_none=True, mode="json")
    out["template"]["argoWorkflow"]["source"] = {"resource": resource}
    return out
