"""Sensor triggers: submit a flow's Workflow, or resume a waiting one, rate-limited per route.

Every trigger fires on exactly one dependency, so a trigger is built from its dependency and
returned with it as an `Arm`: a route yields arms, and the Sensor frame (`events/sensor.py`)
splits them into `spec.dependencies` and `spec.triggers` in the same order.

Event values reach a workflow only as `spec.arguments.parameters` values, and every started
workflow carries the correlation labels.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from hera_pipelines.config.events import RateLimitConfig, RouteConfig
from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.conventions.names import dns_label
from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.events.models import v1alpha1 as _e
from hera_pipelines.events.source import ARGO_API, body_operand, decimal
from hera_pipelines.workflows.contract import FlowParam, FlowSpec, Kind

__all__ = ["LOGIN_PATTERN", "Arm", "Param", "Shape", "rate_limit", "resume", "submit"]


class Shape(StrEnum):
    """What a trigger parameter's template can yield, whatever the payload holds."""

    #: a static value (`Param.const`); trusted
    CONST = "const"
    #: decimal digits (`Param.number`)
    NUMBER = "number"
    #: 40 lowercase hex digits, or nothing (`Param.sha`)
    SHA = "sha"
    #: `owner/name` of GitHub's characters, or nothing (`Param.repository`)
    REPOSITORY = "repository"
    #: GitHub logins, space-separated, each checked against the login regex (`Param.logins`)
    LOGINS = "logins"
    #: base64 of the payload text (`Param.encoded`): `[A-Za-z0-9+/=]*`
    BASE64 = "base64"
    #: a raw GJSON `data_key`: the payload's text as is (refused for any flow parameter)
    RAW = "raw"


#: The shape a TRUSTED parameter of each kind must have when it comes from the event.
_TRUSTED_SHAPES = {
    Kind.NUMBER: Shape.NUMBER,
    Kind.SHA: Shape.SHA,
    Kind.REPOSITORY: Shape.REPOSITORY,
    Kind.LOGINS: Shape.LOGINS,
}


@dataclass(frozen=True)
class Arm:
    """One dependency of a Sensor and the one trigger that fires on it.

    Built by `submit` or `resume` only, so a trigger's `conditions` always name a dependency of
    the same Sensor (a renamed dependency cannot leave a trigger waiting on nothing).
    """

    dependency: _e.EventDependency
    trigger: dict[str, Any]


#: A GitHub login (a user, or an App's `name[bot]`), as the Sensor checks it.
LOGIN_PATTERN = "^[A-Za-z0-9][A-Za-z0-9-]{0,38}(\\\\[bot\\\\])?$"


def _matching(pattern: str, path: str) -> str:
    """The value at `path` when its text matches the RE2 `pattern`, else nothing.

    `regexFind` yields the empty string on no match, and an empty result makes the trigger
    fall back to the parameter's default (none: the trigger fails), so only a validated value
    reaches the workflow.
    """
    return f'{{{{ regexFind "{pattern}" (toString {body_operand(path)}) }}}}'


def _b64(operand: str) -> str:
    """`operand` (absent or null: nothing, so the trigger takes the default) as base64.

    `with` skips a nil or empty value instead of printing `<nil>`; an empty result makes
    argo-events fall back to the parameter's `value`.
    """
    return f"{{{{ with {operand} }}}}{{{{ b64enc (toString .) }}}}{{{{ end }}}}"


def _joined(parts: list[str]) -> str:
    """Go-template pieces, each yielding a login or nothing, joined by single spaces."""
    items = " ".join(f"({p[3:-3]})" for p in parts)
    return f'{{{{ trim (join " " (list {items})) }}}}'


@dataclass(frozen=True)
class Param:
    """A workflow parameter taken from the event: a GJSON `data_key` or a Go `data_template`.

    Build one with a constructor that says what it yields (`encoded`, `number`, `sha`,
    `repository`, `const`): `submit` refuses a parameter whose shape does not fit the
    flow parameter's kind and trust, so payload text can only reach a workflow as base64.
    """

    data_key: str | None = None
    data_template: str | None = None
    default: str | None = None  # None: required, the trigger fails without the value
    shape: Shape = Shape.RAW

    @classmethod
    def encoded(cls, path: str, *, default: str | None = None) -> Param:
        """Payload text at `path` (a dotted body path) as base64; `default` is plain text."""
        fallback = None if default is None else base64.b64encode(default.encode()).decode()
        return cls(data_template=_b64(body_operand(path)), default=fallback, shape=Shape.BASE64)

    @classmethod
    def encoded_first(cls, obj: str, *keys: str) -> Param:
        """The first non-empty of `keys` of the object at `obj`, as base64 (required)."""
        parts = []
        for i, key in enumerate(keys):
            head = "{{ if" if i == 0 else "{{ else if"
            parts.append(f"{head} (index . {json.dumps(key)}) }}}}")
            parts.append(f"{{{{ b64enc (toString (index . {json.dumps(key)})) }}}}")
        body = "".join(parts) + "{{ end }}"
        return cls(
            data_template=f"{{{{ with {body_operand(obj)} }}}}{body}{{{{ end }}}}",
            shape=Shape.BASE64,
        )

    @classmethod
    def number(cls, path: str) -> Param:
        """A JSON number at `path` as decimal digits (`source.decimal`)."""
        return cls(data_template=f"{{{{ {decimal(path)} }}}}", shape=Shape.NUMBER)

    @classmethod
    def sha(cls, path: str) -> Param:
        """A commit SHA at `path`; anything else yields nothing and the trigger fails."""
        return cls(data_template=_matching("^[0-9a-f]{40}$", path), shape=Shape.SHA)

    @classmethod
    def repository(cls, path: str) -> Param:
        """`owner/name` at `path`; anything else yields nothing and the trigger fails."""
        pattern = "^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$"
        return cls(data_template=_matching(pattern, path), shape=Shape.REPOSITORY)

    @classmethod
    def logins(cls, *paths: str) -> Param:
        """The logins at `paths`, space-separated; a value that is not a login yields nothing
        (so a required parameter fails the trigger when none is left)."""
        parts = [_matching(LOGIN_PATTERN, path) for path in paths]
        body = "".join(parts) if len(parts) == 1 else _joined(parts)
        return cls(data_template=body, shape=Shape.LOGINS)

    @classmethod
    def const(cls, value: str) -> Param:
        """A static value written by hera-pipelines (never read from the event)."""
        return cls(default=value, shape=Shape.CONST)

    @property
    def supplies_value(self) -> bool:
        """Whether the trigger always sets the parameter (from the event, or its default)."""
        return (
            self.data_key is not None
            or self.data_template is not None
            or (self.default is not None)
        )


def _refusal(param: FlowParam, value: Param) -> str | None:
    """Why `value` may not feed `param`, or None when it may."""
    if value.shape is Shape.CONST:
        if param.untrusted:
            return "is UNTRUSTED: a static value for it must be encoded (Param.encoded)"
        return None
    if param.untrusted:
        if value.shape is not Shape.BASE64:
            return (
                "is UNTRUSTED and Argo evaluates {{...}} inside parameter values: take it "
                "with Param.encoded (base64), never as payload text"
            )
        return None
    wanted = _TRUSTED_SHAPES.get(param.kind)
    if wanted is None or value.shape is not wanted:
        return (
            f"is TRUSTED ({param.kind}) but its value comes from the event as {value.shape}: "
            "mark it UNTRUSTED and encode it, or validate it (Param.number/sha/repository/logins)"
        )
    return None


def rate_limit(project: Project, route: RouteConfig) -> _e.RateLimit:
    limit: RateLimitConfig = route.rate_limit or project.events.rate_limit
    return _e.RateLimit(requests_per_unit=limit.requests_per_unit, unit=limit.unit)


def _escape_dest(key: str) -> str:
    return key.replace(".", "\\.")


def submit(
    project: Project,
    route: RouteConfig,
    dependency: _e.EventDependency,
    *,
    flow: FlowSpec,
    workflow_name: str,
    parameters: Mapping[FlowParam, Param],
    labels_from: Mapping[str, str] | None = None,
    name: str | None = None,
) -> Arm:
    """On `dependency`, submit a Workflow of `flow`, named by `workflow_name` (a Go template).

    `parameters` (keyed by the flow's own `FlowParam`s, so a renamed parameter is a type error)
    become `spec.arguments.parameters` values; a required parameter of the flow that no event
    value or default supplies fails the render. `labels_from` maps a correlation label to a
    `part_*` template operand (its value can only be `[a-z0-9-]`). The trigger is called `name`,
    by default as its dependency is.
    """
    name = name or dependency.name or ""
    flow.check_members(parameters, f"trigger {name!r} passes a value")
    for flow_param, value in parameters.items():
        why = _refusal(flow_param, value)
        if why:
            raise HeraPipelinesError(
                f"trigger {name!r}: parameter {flow_param.name!r} of {flow.name!r} {why}",
                obj=f"Sensor trigger {name}",
            )
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
    workflow_labels = labels.common_labels(project.service, project.repository, flow.name)
    params: list[_e.TriggerParameter] = []
    for label, operand in sorted((labels_from or {}).items()):
        workflow_labels[label] = "unknown"
        params.append(
            _e.TriggerParameter(
                src=_e.TriggerParameterSource(
                    dependency_name=dependency.name,
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
                    dependency_name=dependency.name,
                    data_key=param.data_key,
                    data_template=param.data_template,
                    value=param.default,
                ),
                dest=f"spec.arguments.parameters.{index}.value",
            )
        )
    resource = _workflow(project, dns_label(flow.name), workflow_labels)
    resource["spec"] = {
        "workflowTemplateRef": {"name": flow.name},
        "arguments": {
            "parameters": [{"name": key, "value": by_name[key].default} for key in names]
        },
    }
    return _arm(project, route, dependency, name, "submit", workflow_name, params, resource)


def resume(
    project: Project,
    route: RouteConfig,
    dependency: _e.EventDependency,
    *,
    name: str,
    workflow_name: str,
) -> Arm:
    """On `dependency`, `argo resume <name>` the Workflow whose name `workflow_name` yields."""
    resource = _workflow(project, "unresolved")
    return _arm(project, route, dependency, name, "resume", workflow_name, [], resource)


def _workflow(
    project: Project, name: str, workflow_labels: dict[str, str] | None = None
) -> dict[str, Any]:
    """The Workflow a trigger submits or resumes; the event's template replaces its `name`."""
    metadata: dict[str, Any] = {"name": name, "namespace": project.namespace}
    if workflow_labels is not None:
        metadata["labels"] = workflow_labels
    return {"apiVersion": ARGO_API, "kind": "Workflow", "metadata": metadata}


def _arm(
    project: Project,
    route: RouteConfig,
    dependency: _e.EventDependency,
    name: str,
    operation: str,
    workflow_name: str,
    params: list[_e.TriggerParameter],
    resource: dict[str, Any],
) -> Arm:
    """An argoWorkflow trigger on `dependency` alone, rate-limited as the route says.

    Both operations address the Workflow by `metadata.name`, set first from `workflow_name` (a
    Go template of the event); `params` follow it.
    """
    named = _e.TriggerParameter(
        src=_e.TriggerParameterSource(dependency_name=dependency.name, data_template=workflow_name),
        dest="metadata.name",
    )
    trigger = _e.Trigger(
        template=_e.TriggerTemplate(
            name=name,
            conditions=dependency.name,
            argo_workflow=_e.ArgoWorkflowTrigger(operation=operation, parameters=[named, *params]),
        ),
        rate_limit=rate_limit(project, route),
    )
    return Arm(dependency, _with_resource(trigger, resource))


def _with_resource(trigger: _e.Trigger, resource: dict[str, Any]) -> dict[str, Any]:
    """The trigger as a dict with its Workflow as `source.resource`.

    hera types `K8SResource` as encoded text, but the CRD stores the object itself.
    """
    out: dict[str, Any] = trigger.model_dump(by_alias=True, exclude_none=True, mode="json")
    out["template"]["argoWorkflow"]["source"] = {"resource": resource}
    return out
