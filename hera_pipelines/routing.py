"""Building blocks every GitHub route shares: anchored filters, idempotent names, triggers.

A route module in `sensors/` should read as its conditions only. Here it is decided once that
"equals" is an anchored regex (Argo Events matches data-filter strings as unanchored regexes),
that a started workflow's name is a pure, always-valid function of the event's identity, that
event values reach a workflow only as `spec.arguments.parameters` values, and that every
started workflow carries the correlation labels.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hera.events import models as _e

from hera_pipelines import labels
from hera_pipelines.agents import Role
from hera_pipelines.events_config import Association, RateLimitConfig, RouteConfig
from hera_pipelines.names import dns_label
from hera_pipelines.project import Project
from hera_pipelines.rbac import SENSOR_SERVICE_ACCOUNT

__all__ = [
    "DELIVERY",
    "EVENT_NAME",
    "EVENT_SOURCE",
    "Param",
    "Route",
    "action_is",
    "bot_login",
    "data_filter",
    "dependency",
    "enabled_routes",
    "event_is",
    "exact",
    "expr_filter",
    "has_label",
    "lacks_label",
    "name_template",
    "our_bot_logins",
    "part_delivery",
    "part_number",
    "part_text",
    "rate_limit",
    "resume_trigger",
    "sender_is_not",
    "sender_not_bot",
    "sensor",
    "trusted",
    "workflow_trigger",
]

EVENT_SOURCE = "github"
EVENT_NAME = "github"
EVENT_HEADER = "X-GitHub-Event"
DELIVERY = "X-GitHub-Delivery"
_ARGO_API = "argoproj.io/v1alpha1"


@dataclass(frozen=True)
class Route:
    """A route's identity: its key under `events.routes` and the GitHub events it reads."""

    key: str
    events: tuple[str, ...]

    def config(self, project: Project) -> RouteConfig:
        config: RouteConfig = getattr(project.events.routes, self.key)
        return config

    def enabled(self, project: Project) -> bool:
        return project.events.enabled and self.config(project).enabled


def enabled_routes(project: Project) -> list[Route]:
    """Every `ROUTE` a module in `sensors/` declares and the project enables, by key."""
    package = importlib.import_module("hera_pipelines.sensors")
    found: dict[str, Route] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        route = getattr(importlib.import_module(f"{package.__name__}.{info.name}"), "ROUTE", None)
        if isinstance(route, Route) and route.enabled(project):
            found[route.key] = route
    return [found[key] for key in sorted(found)]


# --- filters -------------------------------------------------------------------------------


def exact(*values: str) -> str:
    """An anchored RE2 pattern matching exactly one of `values`."""
    body = "|".join(re.escape(v) for v in values)
    return f"^({body})$" if len(values) > 1 else f"^{body}$"


def data_filter(
    path: str, *values: str, kind: str = "string", comparator: str | None = None
) -> _e.DataFilter:
    return _e.DataFilter(path=path, type=kind, value=list(values), comparator=comparator)


def event_is(*names: str) -> _e.DataFilter:
    """The `X-GitHub-Event` header, which the GitHub EventSource copies into the body."""
    return data_filter(f"body.{EVENT_HEADER}", exact(*names))


def action_is(*names: str) -> _e.DataFilter:
    return data_filter("body.action", exact(*names))


def trusted(path: str, associations: Sequence[Association]) -> _e.DataFilter:
    """`author_association` at `path` is one of `associations`."""
    return data_filter(path, exact(*sorted(a.value for a in associations)))


def _label_pattern(name: str) -> str:
    # `labels.#.name` is a JSON array; its raw text is matched, so one element is matched
    # whole between its quotes, anchored at both ends of the array.
    quoted = re.escape(json.dumps(name, ensure_ascii=False))
    return rf"^\[(.*,)?{quoted}(,.*)?\]$"


def has_label(labels_path: str, name: str) -> _e.DataFilter:
    """The label list at `labels_path` (`....labels`) contains `name` exactly."""
    return data_filter(f"{labels_path}.#.name", _label_pattern(name))


def lacks_label(labels_path: str, pattern: str) -> _e.DataFilter:
    """No label at `labels_path` matches the regex `pattern` (a label's whole text)."""
    return data_filter(f"{labels_path}.#.name", rf'^\[(.*,)?"{pattern}"(,.*)?\]$', comparator="!=")


def bot_login(github_app: str) -> str:
    """The login a GitHub App acts as: its slug and `[bot]`."""
    return dns_label(github_app, 100) + "[bot]"


def our_bot_logins(project: Project, roles: Sequence[Role] | None = None) -> list[str]:
    """Logins of our agents (of `roles`, or all), plus `events.botLogins`."""
    agents = project.agents.values()
    chosen = {bot_login(a.github_app) for a in agents if roles is None or a.role in roles}
    if roles is None:
        chosen |= set(project.events.bot_logins)
    return sorted(chosen)


def sender_is_not(logins: Sequence[str]) -> _e.DataFilter:
    return data_filter("body.sender.login", exact(*logins), comparator="!=")


def sender_not_bot() -> _e.DataFilter:
    return data_filter("body.sender.type", exact("Bot"), comparator="!=")


def expr_filter(expr: str, **fields: str) -> _e.ExprFilter:
    """A govaluate expression over named payload paths (for comparing two fields)."""
    return _e.ExprFilter(
        expr=expr,
        fields=[_e.PayloadField(name=name, path=path) for name, path in sorted(fields.items())],
    )


def dependency(
    name: str,
    data: Sequence[_e.DataFilter],
    exprs: Sequence[_e.ExprFilter] = (),
    script: str | None = None,
) -> _e.EventDependency:
    """One GitHub dependency: every data filter, expression and the Lua script must pass.

    A script is constant text from our code (never payload data); Argo Events runs it with
    the event as the global `event` and keeps the event when it returns true.
    """
    return _e.EventDependency(
        name=name,
        event_source_name=EVENT_SOURCE,
        event_name=EVENT_NAME,
        filters=_e.EventDependencyFilter(data=list(data), exprs=list(exprs) or None, script=script),
    )


# --- names ---------------------------------------------------------------------------------


def _field(path: str) -> str:
    """A Go-template operand reading a dotted body path (`index` copes with any key).

    A numeric segment indexes a list, and Go's `index` needs an int there, not a string.
    """
    keys = " ".join(k if k.isdigit() else json.dumps(k) for k in path.split("."))
    return f"(index .Input {keys})"


def part_number(path: str) -> str:
    """A JSON number as decimal digits (Go would print a large float64 as `1e+09`)."""
    return f"(toString (int64 {_field(path)}))"


def part_text(path: str, length: int = 12) -> str:
    """Any value cut down to `[a-z0-9-]`, at most `length` characters, no edge hyphens."""
    cleaned = f'(regexReplaceAll "[^a-z0-9]+" (lower (toString {_field(path)})) "-")'
    return f'(trimAll "-" (trunc {length} (trimAll "-" {cleaned})))'


def part_delivery() -> str:
    return part_text(f"body.{DELIVERY}", 36)


def name_template(prefix: str, *parts: str) -> str:
    """A Go template that always yields a DNS-1123 label of ≤ 63 characters.

    `prefix` is static and sanitised here (it starts the name with a letter or digit); each
    part is a `part_*` operand that can only produce `[a-z0-9-]`; the join is cut to 63 and
    trailing hyphens dropped.
    """
    static = dns_label(prefix, 30)
    joined = " ".join(['"' + static + '"', *parts])
    sep = '"-"'
    return f'{{{{ regexReplaceAll "-+$" (trunc 63 (join {sep} (list {joined}))) "" }}}}'


# --- triggers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    """A workflow parameter taken from the event: a GJSON `data_key` or a Go `data_template`."""

    data_key: str | None = None
    data_template: str | None = None
    default: str | None = None  # None: required, the trigger fails without the value


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
    flow: str,
    workflow_name: str,
    parameters: Mapping[str, Param],
    labels_from: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Submit a Workflow of WorkflowTemplate `flow`, named by `workflow_name` (a template).

    `parameters` become `spec.arguments.parameters` values; `labels_from` maps a correlation
    label to a `part_*` template operand (its value can only be `[a-z0-9-]`).
    """
    names = sorted(parameters)
    resource: dict[str, Any] = {
        "apiVersion": _ARGO_API,
        "kind": "Workflow",
        "metadata": {
            "name": dns_label(flow),
            "namespace": project.namespace,
            "labels": labels.common_labels(project.service, project.repository, flow),
        },
        "spec": {
            "workflowTemplateRef": {"name": flow},
            "arguments": {
                "parameters": [{"name": key, "value": parameters[key].default} for key in names]
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
        param = parameters[key]
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
        "apiVersion": _ARGO_API,
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


def sensor(
    project: Project,
    name: str,
    *,
    description: str,
    dependencies: Sequence[_e.EventDependency],
    triggers: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    """A Sensor running as the sensors' ServiceAccount."""
    spec = _e.SensorSpec(
        dependencies=list(dependencies),
        template=_e.Template(service_account_name=SENSOR_SERVICE_ACCOUNT),
        triggers=[],
    )
    body: dict[str, Any] = spec.model_dump(by_alias=True, exclude_none=True, mode="json")
    body["triggers"] = list(triggers)
    return {
        "apiVersion": _ARGO_API,
        "kind": "Sensor",
        "metadata": {
            "name": name,
            "namespace": project.namespace,
            "labels": labels.common_labels(project.service, project.repository),
            "annotations": {"pipelines.agents.platform/description": description},
        },
        "spec": body,
    }
