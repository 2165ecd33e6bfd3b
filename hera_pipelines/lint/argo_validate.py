"""What `argo lint --offline` checks in a workflow spec, re-stated over plain YAML values.

Facts carried over from argo-workflows `workflow/validate/validate.go` (v4.1): template and
step/task names, exactly one template type, references (`template`, `templateRef`,
`workflowTemplateRef`) that resolve, arguments that every caller supplies, DAG dependencies
without cycles, and every `{{inputs.…}}`, `{{outputs.…}}`, `{{steps.…}}`, `{{tasks.…}}`,
`{{workflow.…}}`, `{{pod.…}}`, `{{node.…}}` tag resolvable where it is used. Each `Issue`
carries a category that a lint rule reports.
"""

# ruff: noqa: E501 (upstream's messages are kept whole so they can be searched for)

from __future__ import annotations

import enum
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from hera_pipelines.lint.document import PathPart

__all__ = ["Category", "Issue", "Lookup", "Options", "validate_workflow"]

Lookup = Callable[[str, bool], Mapping[str, Any] | None]
"""(name, cluster scope) -> a WorkflowTemplate / ClusterWorkflowTemplate object, or None."""


class Category(enum.StrEnum):
    REF = "ref"
    TEMPLATE = "template"
    DAG = "dag"
    VARIABLE = "variable"
    NAME = "name"
    ARGUMENTS = "arguments"
    ENUM = "enum"
    SYNC = "sync"
    SPEC = "spec"


@dataclass(frozen=True)
class Issue:
    category: Category
    path: tuple[PathPart, ...]
    message: str


@dataclass(frozen=True)
class Options:
    """validate.Opts: `lint` (argo lint) and `submit`; `external` names resolve to anything."""

    lint: bool = False
    submit: bool = False
    external: frozenset[str] = frozenset()
    defaults: Mapping[str, Any] = field(default_factory=dict)


_FIELD_NAME = re.compile(r"^[a-zA-Z0-9][-a-zA-Z0-9]*$")
_PARAM_NAME = re.compile(r"^[-a-zA-Z0-9_]+$")
_DNS1123_SUBDOMAIN = re.compile(
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
)
_METRIC_NAME = re.compile(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$")
_TAG = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_TYPES = ("container", "containerSet", "steps", "dag", "script", "resource", "data", "suspend")
_TYPES_ALL = (*_TYPES, "http", "plugin")
_ACTIONS = ("get", "create", "apply", "delete", "replace", "patch")
_POD_GC = ("", "OnPodCompletion", "OnPodSuccess", "OnWorkflowCompletion", "OnWorkflowSuccess")
_RESERVED = ("init", "wait", "supervisor")
_PREFIXES = ("inputs.", "outputs.", "pod.", "node.", "tasks.", "steps.", "workflow.")
_NODE_FIELDS = (
    "id", "ip", "status", "exitCode", "startedAt", "finishedAt", "hostNodeName", "outputs.result",
)  # fmt: skip
_GLOBALS = {
    "workflow.name", "workflow.namespace", "workflow.uid", "workflow.mainEntrypoint",
    "workflow.serviceAccountName", "workflow.parameters", "workflow.parameters.json",
    "workflow.annotations", "workflow.annotations.json", "workflow.labels",
    "workflow.labels.json", "workflow.priority", "workflow.duration", "workflow.scheduledTime",
    "workflow.creationTimestamp", "workflow.startedAt",
}  # fmt: skip
_EXIT_ONLY = ("workflow.status", "workflow.failures")
_MAX_NAME = {"Workflow": 63, "WorkflowTemplate": 63, "ClusterWorkflowTemplate": 63}
_CRON_MAX_NAME = 52
_KIND_WORDS = {
    "Workflow": "workflow",
    "WorkflowTemplate": "workflow template",
    "ClusterWorkflowTemplate": "cluster workflow template",
    "CronWorkflow": "cron workflow",
}


def _map(value: Any) -> Mapping[str, Any]:
    if type(value) is dict:  # loaded YAML: skip the (slower) ABC check
        return value
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _tags(value: Any) -> Iterator[str]:
    """Every `{{tag}}` in the strings of `value` (expressions `{{=…}}` are not tags)."""
    if isinstance(value, str):
        if "{{" in value:
            for match in _TAG.finditer(value):
                tag = match.group(1).strip()
                # `{{steps.run-{{inputs.parameters.x}}.status}}`: a name built at run time
                if not tag.startswith("=") and "{{" not in tag:
                    yield tag
    elif type(value) is dict or isinstance(value, Mapping):
        for item in value.values():
            yield from _tags(item)
    elif isinstance(value, list):
        for item in value:
            yield from _tags(item)


def _located_tags(
    value: Any, path: tuple[PathPart, ...]
) -> Iterator[tuple[tuple[PathPart, ...], str, str]]:
    """Every tag in `value` (trimmed, and as written) with the path of the string holding it."""
    if isinstance(value, str):
        if "{{" in value:
            for match in _TAG.finditer(value):
                raw = match.group(1)
                tag = raw.strip()
                if not tag.startswith("=") and "{{" not in tag:
                    yield path, tag, raw
    elif type(value) is dict or isinstance(value, Mapping):
        for key, item in value.items():
            yield from _located_tags(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _located_tags(item, (*path, index))


def _has_value(param: Mapping[str, Any]) -> bool:
    return "value" in param or "default" in param or "valueFrom" in param


def _template_type(template: Mapping[str, Any]) -> list[str]:
    return [t for t in _TYPES_ALL if template.get(t) is not None]


@dataclass
class _Checker:
    obj: Mapping[str, Any]
    kind: str
    lookup: Lookup
    options: Options
    issues: list[Issue] = field(default_factory=list)
    base: tuple[PathPart, ...] = ("spec",)
    spec: Mapping[str, Any] = field(default_factory=dict)
    templates: dict[str, Mapping[str, Any]] = field(default_factory=dict)
    template_paths: dict[str, tuple[PathPart, ...]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)
    any_global_outputs: bool = False
    template_validation: bool = False
    visited: set[tuple[str, str]] = field(default_factory=set)

    def add(self, category: Category, path: tuple[PathPart, ...], message: str) -> None:
        self.issues.append(Issue(category, path, message))

    # --- the whole object -------------------------------------------------------------------
    def run(self) -> list[Issue]:
        if self.kind == "CronWorkflow":
            self.base = ("spec", "workflowSpec")
            self.spec = _map(_map(self.obj.get("spec")).get("workflowSpec"))
        else:
            self.spec = _map(self.obj.get("spec"))
        self.template_validation = self.kind in ("WorkflowTemplate", "ClusterWorkflowTemplate")
        self._name()
        if self.kind == "CronWorkflow":
            self._cron()
        spec = self._merged_spec()
        if spec is None:
            return self.issues
        self.spec = spec
        self._global_params()
        self._spec_fields()
        for index, template in enumerate(_list(spec.get("templates"))):
            if not isinstance(template, Mapping):
                continue
            name = template.get("name")
            path = (*self.base, "templates", index)
            if not name:
                self.add(Category.TEMPLATE, (*path, "name"), f"templates[{index}].name is required")
                continue
            if name in self.templates:
                self.add(
                    Category.TEMPLATE, (*path, "name"), f"template name '{name}' is not unique"
                )
                continue
            self.templates[str(name)] = template
            self.template_paths[str(name)] = path
        self._collect_global_outputs()
        entry = spec.get("entrypoint")
        if not entry and not self.template_validation and not self.obj_has_ref:
            self.add(Category.TEMPLATE, (*self.base, "entrypoint"), "spec.entrypoint is required")
        if entry and "{{" not in str(entry) and str(entry) not in self.templates:
            self.add(
                Category.TEMPLATE,
                (*self.base, "entrypoint"),
                f"spec.entrypoint template '{entry}' undefined",
            )
        for name, template in self.templates.items():
            self._template(name, template, self.template_paths[name])
        if entry and str(entry) in self.templates and not self.template_validation:
            self._entry_arguments(self.templates[str(entry)])
        on_exit = spec.get("onExit")
        if on_exit and str(on_exit) not in self.templates and "{{" not in str(on_exit):
            self.add(
                Category.TEMPLATE, (*self.base, "onExit"), f"onExit template '{on_exit}' undefined"
            )
        return self.issues

    obj_has_ref: bool = False

    def _name(self) -> None:
        metadata = _map(self.obj.get("metadata"))
        name = str(metadata.get("name") or "")
        if not name:
            return
        limit = _CRON_MAX_NAME if self.kind == "CronWorkflow" else _MAX_NAME.get(self.kind, 63)
        if len(name) > limit:
            self.add(
                Category.NAME,
                ("metadata", "name"),
                f"{_KIND_WORDS.get(self.kind, 'workflow')} name {name!r} must not be more than "
                f"{limit} characters long (currently {len(name)})".replace("'", '"'),
            )
        elif not _DNS1123_SUBDOMAIN.match(name) and "{{" not in name:
            self.add(Category.NAME, ("metadata", "name"), f"name {name!r} is not DNS-1123")

    def _cron(self) -> None:
        spec = _map(self.obj.get("spec"))
        zone = spec.get("timezone")
        if zone:
            try:
                import zoneinfo

                zoneinfo.ZoneInfo(str(zone))
            except (KeyError, ValueError, OSError, ImportError):
                self.add(Category.SPEC, ("spec", "timezone"), f'invalid timezone "{zone}"')

    def _merged_spec(self) -> Mapping[str, Any] | None:
        ref = _map(self.spec.get("workflowTemplateRef"))
        if not ref:
            return self.spec
        self.obj_has_ref = True
        path = (*self.base, "workflowTemplateRef")
        if self.spec.get("templates"):
            self.add(
                Category.REF,
                (*self.base, "templates"),
                "spec.templates is invalid field in spec if workflow referred WorkflowTemplate "
                "reference",
            )
        name = str(ref.get("name") or "")
        if name in self.options.external:
            return None
        target = self.lookup(name, bool(ref.get("clusterScope")))
        if target is None:
            self.add(Category.REF, path, f"workflow template {name!r} not found")
            return None
        merged = dict(_map(target.get("spec")))
        for key, value in self.spec.items():
            if key == "workflowTemplateRef":
                continue
            if key == "arguments":
                merged["arguments"] = _merge_arguments(_map(merged.get("arguments")), value)
            else:
                merged[key] = value
        return merged

    def _global_params(self) -> None:
        self.globals = set(_GLOBALS)
        arguments = _map(self.spec.get("arguments"))
        for index, param in enumerate(_list(arguments.get("parameters"))):
            param = _map(param)
            name = str(param.get("name") or "")
            path = (*self.base, "arguments", "parameters", index)
            if not name:
                self.add(
                    Category.ARGUMENTS,
                    (*path, "name"),
                    "spec.arguments.parameters name is required",
                )
                continue
            if not _PARAM_NAME.match(name):
                self.add(
                    Category.NAME,
                    (*path, "name"),
                    f"spec.arguments.parameters.{name} name is invalid",
                )
            self.globals.add(f"workflow.parameters.{name}")
            self._enum(param, path, f"spec.arguments.{name}")
            if (
                not self.options.lint
                and not self.template_validation
                and "value" not in param
                and "valueFrom" not in param
            ):
                self.add(
                    Category.ARGUMENTS,
                    path,
                    f"spec.arguments.{name}.value or spec.arguments.{name}.valueFrom is required",
                )
        for art in _list(arguments.get("artifacts")):
            name = str(_map(art).get("name") or "")
            if name:
                self.globals.add(f"workflow.artifacts.{name}")
        metadata = _map(self.obj.get("metadata"))
        workflow_metadata = _map(self.spec.get("workflowMetadata"))
        defaults = _map(_map(self.options.defaults.get("spec")).get("workflowMetadata"))
        for source in (metadata, workflow_metadata, defaults):
            for key in (*_map(source.get("labels")), *_map(source.get("labelsFrom"))):
                self.globals.add(f"workflow.labels.{key}")
            for key in _map(source.get("annotations")):
                self.globals.add(f"workflow.annotations.{key}")

    def _enum(self, param: Mapping[str, Any], path: tuple[PathPart, ...], where: str) -> None:
        if "enum" not in param:
            return
        values = _list(param.get("enum"))
        if not values:
            if self.options.lint or self.options.submit:
                self.add(
                    Category.ENUM,
                    (*path, "enum"),
                    f"{where}.enum should contain at least one value",
                )
            return
        if "value" in param and str(param["value"]) not in {str(v) for v in values}:
            self.add(
                Category.ENUM,
                (*path, "value"),
                f"{where}.value should be present in {where}.enum list",
            )

    def _spec_fields(self) -> None:
        spec = self.spec
        strategy = _map(spec.get("podGC")).get("strategy")
        if strategy is not None and strategy not in _POD_GC:
            self.add(
                Category.SPEC,
                (*self.base, "podGC", "strategy"),
                f"podGC.strategy unknown strategy '{strategy}'",
            )
        selector = _map(_map(spec.get("podGC")).get("labelSelector"))
        for index, expr in enumerate(_list(selector.get("matchExpressions"))):
            op = _map(expr).get("operator")
            if op not in ("In", "NotIn", "Exists", "DoesNotExist"):
                self.add(
                    Category.SPEC,
                    (*self.base, "podGC", "labelSelector", "matchExpressions", index),
                    f'podGC.labelSelector invalid: "{op}" is not a valid label selector operator',
                )
        for index, plugin in enumerate(_list(spec.get("executorPlugins"))):
            if not _map(_map(plugin).get("metadata")).get("name"):
                self.add(
                    Category.SPEC,
                    (*self.base, "executorPlugins", index),
                    "spec.executorPlugins: executor plugin metadata name is mandatory",
                )
        sync = _map(spec.get("synchronization"))
        for old, new in (("mutex", "mutexes"), ("semaphore", "semaphores")):
            if old in sync:
                self.add(
                    Category.SYNC,
                    (*self.base, "synchronization", old),
                    f"synchronization.{old} was removed in Argo Workflows v4: use `{new}` (a list)",
                )
        resources = _map(spec.get("podResources"))
        for key in (*_map(resources.get("requests")), *_map(resources.get("limits"))):
            if key not in ("cpu", "memory", "hugepages-2Mi", "hugepages-1Gi") and not str(
                key
            ).startswith("hugepages-"):
                self.add(
                    Category.SPEC,
                    (*self.base, "podResources"),
                    f'spec.podResources: "{key}" is not a valid pod-level resource',
                )
                break

    def _collect_global_outputs(self) -> None:
        for template in self.templates.values():
            outputs = _map(template.get("outputs"))
            for kind in ("parameters", "artifacts"):
                for item in _list(outputs.get(kind)):
                    global_name = str(_map(item).get("globalName") or "")
                    if not global_name:
                        continue
                    if "{{" in global_name:
                        self.any_global_outputs = True
                    self.globals.add(f"workflow.outputs.{kind}.{global_name}")
        if self.obj_has_ref:
            # a referenced template may declare global outputs whose names are parameterised
            self.any_global_outputs = True

    # --- one template -----------------------------------------------------------------------
    def _resolve_template(
        self, holder: Mapping[str, Any], path: tuple[PathPart, ...]
    ) -> Mapping[str, Any] | None:
        """The template a step/task calls (by `template`, `templateRef` or `inline`)."""
        if isinstance(holder.get("inline"), Mapping):
            return _map(holder.get("inline"))
        ref = _map(holder.get("templateRef"))
        if ref:
            name, template = str(ref.get("name") or ""), str(ref.get("template") or "")
            if name in self.options.external or "{{" in template:
                return None
            target = self.lookup(name, bool(ref.get("clusterScope")))
            found = None
            if target is not None:
                found = next(
                    (
                        _map(t)
                        for t in _list(_map(target.get("spec")).get("templates"))
                        if _map(t).get("name") == template
                    ),
                    None,
                )
            if found is None:
                self.add(
                    Category.REF,
                    (*path, "templateRef"),
                    f"template reference {name}.{template} not found",
                )
            elif (name, template) not in self.visited:
                # argo validates a referenced template where it is used: in this workflow
                self.visited.add((name, template))
                before = len(self.issues)
                own = self.templates
                self.templates = {
                    str(_map(t).get("name")): _map(t)
                    for t in _list(_map(_map(target).get("spec")).get("templates"))
                }
                try:
                    self._template(template, found, (*path, "templateRef"))
                finally:
                    self.templates = own
                for index in range(before, len(self.issues)):
                    issue = self.issues[index]
                    self.issues[index] = Issue(
                        issue.category, (*path, "templateRef"), f"{name}.{issue.message}"
                    )
            return found
        called = holder.get("template")
        if called is None or "{{" in str(called):
            return None
        target = self.templates.get(str(called))
        if target is None:
            self.add(Category.TEMPLATE, (*path, "template"), f"template '{called}' undefined")
        return target

    def _template(self, name: str, template: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        if len(name) > 128 or not _FIELD_NAME.match(name):
            self.add(Category.NAME, (*path, "name"), f"template name '{name}' is invalid")
        types = _template_type(template)
        if len(types) > 1:
            self.add(Category.SPEC, path, f"templates.{name} multiple template types specified")
        if not types and not template.get("templateRef"):
            self.add(Category.SPEC, path, f"templates.{name} template type unspecified")
        kind = types[0] if types else ""
        self._inputs(name, template, path)
        self._outputs(name, template, path, kind)
        self._template_fields(name, template, path, kind)
        scope = self._scope(template)
        if kind in ("steps", "dag"):
            own = {k: v for k, v in template.items() if k not in ("steps", "dag", "outputs")}
            own["target"] = _map(template.get("dag")).get("target")
            self._resolve(own, path, scope, name)
            final = (self._steps if kind == "steps" else self._dag)(name, template, path, scope)
            self._resolve(template.get("outputs"), (*path, "outputs"), final, name)
        else:
            leaf = {k: v for k, v in template.items() if k not in ("outputs",)}
            self._resolve(leaf, path, scope, name)

    def _inputs(self, name: str, template: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        inputs = _map(template.get("inputs"))
        for kind in ("parameters", "artifacts"):
            seen: set[str] = set()
            for index, item in enumerate(_list(inputs.get(kind))):
                item = _map(item)
                item_name = str(item.get("name") or "")
                where = (*path, "inputs", kind, index)
                if not item_name:
                    self.add(
                        Category.TEMPLATE,
                        (*where, "name"),
                        f"templates.{name}.inputs.{kind} name is required",
                    )
                    continue
                if item_name in seen:
                    self.add(
                        Category.TEMPLATE,
                        (*where, "name"),
                        f"templates.{name}.inputs.{kind}.{item_name} is not unique",
                    )
                seen.add(item_name)
                if not _PARAM_NAME.match(item_name):
                    self.add(
                        Category.NAME,
                        (*where, "name"),
                        f"templates.{name}.inputs.{kind}.{item_name} name is invalid",
                    )
                if kind == "parameters":
                    self._enum(item, where, f"templates.{name}.inputs.parameters.{item_name}")

    def _outputs(
        self, name: str, template: Mapping[str, Any], path: tuple[PathPart, ...], kind: str
    ) -> None:
        outputs = _map(template.get("outputs"))
        for index, item in enumerate(_list(outputs.get("parameters"))):
            item = _map(item)
            item_name = str(item.get("name") or "")
            where = (*path, "outputs", "parameters", index)
            if not _PARAM_NAME.match(item_name):
                self.add(
                    Category.NAME,
                    (*where, "name"),
                    f"templates.{name}.outputs.parameters.{item_name} name is invalid",
                )
                continue
            value_from = _map(item.get("valueFrom"))
            if "valueFrom" not in item and "value" not in item:
                self.add(
                    Category.SPEC,
                    where,
                    f"templates.{name}.outputs.parameters.{item_name} does not have valueFrom or value specified",
                )
                continue
            sources = [
                k
                for k in (
                    "path",
                    "jsonPath",
                    "jqFilter",
                    "event",
                    "parameter",
                    "supplied",
                    "configMapKeyRef",
                    "expression",
                )
                if value_from.get(k) is not None
            ]
            if len(sources) > 1:
                self.add(
                    Category.SPEC,
                    where,
                    f"templates.{name}.outputs.parameters.{item_name} has multiple valueFrom specified",
                )
            if (
                kind in ("steps", "dag")
                and value_from
                and not (value_from.get("parameter") or value_from.get("expression"))
            ):
                label = "Steps" if kind == "steps" else "DAG"
                self.add(
                    Category.SPEC,
                    where,
                    f"templates.{name}.outputs.parameters.{item_name}.valueFrom.parameter or expression must be specified for {label} templates",
                )
        if kind == "containerSet":
            names = {
                str(_map(c).get("name"))
                for c in _list(_map(template.get("containerSet")).get("containers"))
            }
            if "main" not in names and (
                _list(_map(template.get("inputs")).get("artifacts"))
                or _list(outputs.get("parameters"))
                or _list(outputs.get("artifacts"))
            ):
                self.add(
                    Category.SPEC,
                    path,
                    'containerSet.containers must have a container named "main" for input or output',
                )

    def _template_fields(
        self, name: str, template: Mapping[str, Any], path: tuple[PathPart, ...], kind: str
    ) -> None:
        defaults = _map(self.spec.get("templateDefaults"))
        for leaf in ("container", "script"):
            if (
                kind == leaf
                and not _map(template.get(leaf)).get("image")
                and not _map(defaults.get(leaf)).get("image")
            ):
                self.add(
                    Category.SPEC, (*path, leaf), f"templates.{name}.{leaf}.image may not be empty"
                )
        if kind == "resource":
            resource = _map(template.get("resource"))
            if resource.get("action") not in _ACTIONS:
                self.add(
                    Category.SPEC,
                    (*path, "resource", "action"),
                    f"templates.{name}.resource.action must be one of: {', '.join(_ACTIONS)}",
                )
            if (
                not resource.get("manifest")
                and not resource.get("manifestFrom")
                and resource.get("action") != "delete"
            ):
                self.add(
                    Category.SPEC,
                    (*path, "resource"),
                    f"templates.{name}.resource.manifest or manifestFrom must be specified",
                )
        if template.get("parallelism") is not None and kind not in ("steps", "dag"):
            self.add(
                Category.SPEC,
                (*path, "parallelism"),
                f"templates.{name}.parallelism is only valid for steps and dag templates",
            )
        if template.get("podResources") is not None and kind == "http":
            self.add(
                Category.SPEC,
                (*path, "podResources"),
                f"templates.{name}.podResources is not supported for HTTP templates",
            )
        if template.get("resourceClaims") is not None and kind in ("steps", "dag"):
            label = "Steps" if kind == "steps" else "DAG"
            self.add(
                Category.SPEC,
                (*path, "resourceClaims"),
                f"templates.{name}.resourceClaims is not supported for {label} templates, which do not create a pod",
            )
        containers = [
            *_list(template.get("sidecars")),
            *_list(_map(template.get("containerSet")).get("containers")),
        ]
        for container in containers:
            if str(_map(container).get("name")) in _RESERVED:
                self.add(
                    Category.SPEC,
                    path,
                    f"templates.{name} container name '{_map(container).get('name')}' is a reserved Argo container name",
                )
        for container in _list(template.get("initContainers")):
            if not _map(container).get("name"):
                self.add(
                    Category.SPEC,
                    path,
                    f"templates.{name} initContainers must all have container name",
                )
        self._metrics(name, template, path)
        self._volume_collisions(name, template, path, kind)
        sync = _map(template.get("synchronization"))
        for old, new in (("mutex", "mutexes"), ("semaphore", "semaphores")):
            if old in sync:
                self.add(
                    Category.SYNC,
                    (*path, "synchronization", old),
                    f"synchronization.{old} was removed in Argo Workflows v4: use `{new}` (a list)",
                )

    def _metrics(self, name: str, template: Mapping[str, Any], path: tuple[PathPart, ...]) -> None:
        for index, metric in enumerate(_list(_map(template.get("metrics")).get("prometheus"))):
            metric = _map(metric)
            metric_name = str(metric.get("name") or "")
            where = (*path, "metrics", "prometheus", index)
            if not _METRIC_NAME.match(metric_name):
                self.add(
                    Category.SPEC,
                    where,
                    f"templates.{name} metric name '{metric_name}' is invalid. Metric names must contain alphanumeric characters or '_'",
                )
                continue
            if not metric.get("help"):
                self.add(
                    Category.SPEC,
                    where,
                    f"templates.{name} metric '{metric_name}' must contain a help string under 'help: ' field",
                )
            gauge = metric.get("gauge")
            if isinstance(gauge, Mapping):
                if not gauge.get("value"):
                    self.add(
                        Category.SPEC,
                        where,
                        f"templates.{name} metric '{metric_name}' error: missing gauge.value",
                    )
                elif gauge.get("realtime") and "resourcesDuration." in str(gauge.get("value")):
                    self.add(
                        Category.SPEC,
                        where,
                        f"templates.{name} metric '{metric_name}' error: 'resourcesDuration.*' metrics cannot be used in real-time gauges",
                    )

    def _volume_collisions(
        self, name: str, template: Mapping[str, Any], path: tuple[PathPart, ...], kind: str
    ) -> None:
        container = _map(template.get(kind)) if kind in ("container", "script") else {}
        mounts = {str(_map(m).get("mountPath")) for m in _list(container.get("volumeMounts"))}
        for art in _list(_map(template.get("inputs")).get("artifacts")):
            art_path = _map(art).get("path")
            if art_path and str(art_path) in mounts:
                self.add(
                    Category.SPEC,
                    path,
                    f"templates.{name}.inputs.artifacts.{_map(art).get('name')}: path {art_path} already mounted in container.volumeMounts",
                )

    # --- scopes and variables ---------------------------------------------------------------
    def _scope(self, template: Mapping[str, Any]) -> set[str]:
        scope = set(self.globals)
        inputs = _map(template.get("inputs"))
        scope.add("inputs.parameters")
        for param in _list(inputs.get("parameters")):
            scope.add(f"inputs.parameters.{_map(param).get('name')}")
        for art in _list(inputs.get("artifacts")):
            art_name = _map(art).get("name")
            scope.add(f"inputs.artifacts.{art_name}")
            scope.add(f"inputs.artifacts.{art_name}.path")
        outputs = _map(template.get("outputs"))
        for param in _list(outputs.get("parameters")):
            scope.add(f"outputs.parameters.{_map(param).get('name')}.path")
        for art in _list(outputs.get("artifacts")):
            scope.add(f"outputs.artifacts.{_map(art).get('name')}.path")
        scope.update(("pod.name", "node.name", "outputs.result", "inputs"))
        if template.get("retryStrategy") is not None:
            scope.update(
                (
                    "retries",
                    "retries.lastExitCode",
                    "retries.lastStatus",
                    "retries.lastDuration",
                    "retries.lastMessage",
                )
            )
        return scope

    def _resolve(
        self,
        value: Any,
        path: tuple[PathPart, ...],
        scope: set[str],
        template: str,
        *,
        items: bool = False,
        on_exit: bool = False,
    ) -> None:
        for where, tag, raw in _located_tags(value, path):
            if not tag.startswith(_PREFIXES):
                continue
            if tag in scope:
                continue
            if (
                tag.startswith("workflow.creationTimestamp")
                or tag.startswith("workflow.labels.json")
                or tag.startswith("workflow.annotations.json")
            ):
                continue
            if (
                tag.startswith(("workflow.outputs.parameters.", "workflow.outputs.artifacts."))
                and self.any_global_outputs
            ):
                continue
            if tag.startswith(_EXIT_ONLY) and (on_exit or self._in_exit_handler(template)):
                continue
            if self.template_validation and tag.startswith("workflow.parameters."):
                continue
            if tag.startswith("retries") and "retries" in scope:
                continue
            self.add(
                Category.VARIABLE, where, f"templates.{template}: failed to resolve {{{{{raw}}}}}"
            )

    def _in_exit_handler(self, template: str) -> bool:
        handlers = {str(self.spec.get("onExit") or "")}
        for other in self.templates.values():
            for step_group in _list(other.get("steps")):
                for step in _list(step_group):
                    if _map(step).get("onExit"):
                        handlers.add(str(_map(step).get("onExit")))
            for task in _list(_map(other.get("dag")).get("tasks")):
                if _map(task).get("onExit"):
                    handlers.add(str(_map(task).get("onExit")))
            for hook in _map(other.get("hooks")).values():
                handlers.add(str(_map(hook).get("template")))
        for hook in _map(self.spec.get("hooks")).values():
            handlers.add(str(_map(hook).get("template")))
        return template in handlers

    def _call(
        self,
        caller: Mapping[str, Any],
        target: Mapping[str, Any] | None,
        path: tuple[PathPart, ...],
        template: str,
        label: str,
        dag: bool,
    ) -> None:
        arguments = _map(caller.get("arguments"))
        supplied = {str(_map(p).get("name")) for p in _list(arguments.get("parameters"))}
        for index, param in enumerate(_list(arguments.get("parameters"))):
            param = _map(param)
            if not param.get("name"):
                self.add(
                    Category.ARGUMENTS,
                    (*path, "arguments", "parameters", index),
                    f"templates.{template}.{label}.arguments.parameters name is required",
                )
            value_from = _map(param.get("valueFrom"))
            if (
                dag
                and value_from
                and any(
                    k not in ("default", "configMapKeyRef", "supplied", "event", "expression")
                    for k in value_from
                )
            ):
                self.add(
                    Category.ARGUMENTS,
                    (*path, "arguments", "parameters", index),
                    f"templates.{template}.{label}.arguments.parameters.{param.get('name')}.valueFrom only allows: default, configMapKeyRef and supplied",
                )
            elif "value" not in param and "valueFrom" not in param:
                self.add(
                    Category.ARGUMENTS,
                    (*path, "arguments", "parameters", index),
                    f"templates.{template}.{label}.arguments.parameters.{param.get('name')}.value is required",
                )
        for index, art in enumerate(_list(arguments.get("artifacts"))):
            art = _map(art)
            locations = (
                "from",
                "fromExpression",
                "s3",
                "git",
                "http",
                "artifactory",
                "hdfs",
                "raw",
                "oss",
                "gcs",
                "azure",
                "huggingFace",
                "plugin",
            )
            if (
                not any(art.get(k) for k in locations)
                and not art.get("artifactLocation")
                and not art.get("key")
                and not art.get("optional")
            ):
                target_art = next(
                    (
                        _map(a)
                        for a in _list(_map(_map(target).get("inputs")).get("artifacts"))
                        if _map(a).get("name") == art.get("name")
                    ),
                    {},
                )
                if not any(target_art.get(k) for k in locations) and not target_art.get("optional"):
                    self.add(
                        Category.ARGUMENTS,
                        (*path, "arguments", "artifacts", index),
                        f"templates.{template}.{label}.arguments.artifacts.{art.get('name')} from, artifact location, or key is required",
                    )
        if target is None:
            return
        for param in _list(_map(target.get("inputs")).get("parameters")):
            param = _map(param)
            pname = str(param.get("name"))
            if pname not in supplied and not _has_value(param):
                self.add(
                    Category.ARGUMENTS,
                    path,
                    f"templates.{template}.{label} inputs.parameters.{pname} was not supplied",
                )

    def _entry_arguments(self, entry: Mapping[str, Any]) -> None:
        supplied = {
            str(_map(p).get("name"))
            for p in _list(_map(self.spec.get("arguments")).get("parameters"))
        }
        for param in _list(_map(entry.get("inputs")).get("parameters")):
            param = _map(param)
            pname = str(param.get("name"))
            if pname not in supplied and not _has_value(param):
                self.add(
                    Category.ARGUMENTS,
                    (*self.base, "entrypoint"),
                    f"spec.arguments.{pname} was not supplied (inputs.parameters.{pname} of the entrypoint)",
                )

    def _node_vars(
        self, prefix: str, name: str, target: Mapping[str, Any] | None, expanded: bool
    ) -> set[str]:
        out = {f"{prefix}.{name}.{f}" for f in _NODE_FIELDS}
        out.add(f"{prefix}.{name}.outputs.parameters")
        out.add(f"{prefix}.{name}.outputs.artifacts")
        outputs = _map(_map(target).get("outputs"))
        if target is None:
            out.add(f"{prefix}.{name}.*")
        for param in _list(outputs.get("parameters")):
            out.add(f"{prefix}.{name}.outputs.parameters.{_map(param).get('name')}")
        for art in _list(outputs.get("artifacts")):
            out.add(f"{prefix}.{name}.outputs.artifacts.{_map(art).get('name')}")
        return out

    def _steps(
        self, name: str, template: Mapping[str, Any], path: tuple[PathPart, ...], scope: set[str]
    ) -> set[str]:
        scope = set(scope)
        seen: set[str] = set()
        for group_index, group in enumerate(_list(template.get("steps"))):
            added: set[str] = set()
            for index, step in enumerate(_list(group)):
                step = _map(step)
                where = (*path, "steps", group_index, index)
                step_name = str(step.get("name") or "")
                if not step_name:
                    self.add(
                        Category.TEMPLATE,
                        where,
                        f"templates.{name}.steps[{group_index}] name is required",
                    )
                    continue
                skeleton = _TAG.sub("x", step_name)
                if len(step_name) > 128 or not _FIELD_NAME.match(skeleton):
                    self.add(
                        Category.NAME,
                        (*where, "name"),
                        f"templates.{name}.steps[{group_index}].name '{step_name}' is invalid",
                    )
                if step_name in seen:
                    self.add(
                        Category.TEMPLATE,
                        (*where, "name"),
                        f"templates.{name}.steps[{group_index}].name '{step_name}' is not unique",
                    )
                seen.add(step_name)
                target = self._resolve_template(step, where)
                self._call(
                    step, target, where, name, f"steps[{group_index}].{step_name}", dag=False
                )
                items = any(
                    step.get(k) is not None for k in ("withItems", "withParam", "withSequence")
                )
                local = set(scope)
                if items:
                    local.add("item")
                    local.update(f"item.{k}" for k in self._item_keys(step.get("withItems")))
                self._resolve_items(step, where, local, name, items)
                added |= self._node_vars("steps", step_name, target, items)
                if step.get("onExit"):
                    self._resolve_template({"template": step.get("onExit")}, where)
                sequence = _map(step.get("withSequence"))
                if "count" in sequence and "end" in sequence:
                    self.add(
                        Category.SPEC,
                        (*where, "withSequence"),
                        f"templates.{name}.steps[{group_index}].{step_name} only one of count or end can be defined in withSequence",
                    )
            scope |= added
        return scope

    def _item_keys(self, items: Any) -> set[str]:
        keys: set[str] = set()
        for item in _list(items):
            if isinstance(item, Mapping):
                keys.update(str(k) for k in item)
        return keys

    def _resolve_items(
        self,
        holder: Mapping[str, Any],
        where: tuple[PathPart, ...],
        scope: set[str],
        template: str,
        items: bool,
    ) -> None:
        wanted = {
            k: v
            for k, v in holder.items()
            if k in ("arguments", "when", "withParam", "withSequence", "name", "depends")
        }
        if items:
            scope = set(scope) | {t for t in _tags(wanted) if t == "item" or t.startswith("item.")}
        self._resolve(wanted, where, scope, template)

    def _dag(
        self, name: str, template: Mapping[str, Any], path: tuple[PathPart, ...], scope: set[str]
    ) -> set[str]:
        dag = _map(template.get("dag"))
        tasks = [
            (_map(t), (*path, "dag", "tasks", i)) for i, t in enumerate(_list(dag.get("tasks")))
        ]
        by_name: dict[str, Mapping[str, Any]] = {}
        deps: dict[str, set[str]] = {}
        uses_depends = any(t.get("depends") is not None for t, _ in tasks)
        uses_dependencies = any(t.get("dependencies") is not None for t, _ in tasks)
        if uses_depends and uses_dependencies:
            self.add(
                Category.DAG,
                (*path, "dag"),
                f"templates.{name} cannot use both 'depends' and 'dependencies' in the same DAG template",
            )
        for task, where in tasks:
            task_name = str(task.get("name") or "")
            if not task_name:
                self.add(Category.TEMPLATE, where, f"templates.{name}.tasks name is required")
                continue
            if task_name in by_name:
                self.add(
                    Category.TEMPLATE,
                    (*where, "name"),
                    f"templates.{name}.tasks.{task_name} is not unique",
                )
            skeleton = _TAG.sub("x", task_name)
            if len(task_name) > 128 or not _FIELD_NAME.match(skeleton):
                self.add(
                    Category.NAME,
                    (*where, "name"),
                    f"templates.{name}.tasks.{task_name} name is invalid",
                )
            if (uses_depends or uses_dependencies) and task_name[:1].isdigit():
                self.add(
                    Category.DAG,
                    (*where, "name"),
                    f"templates.{name}.tasks.{task_name} name cannot begin with a digit when using either 'depends' or 'dependencies'",
                )
            by_name[task_name] = task
            deps[task_name] = _task_deps(task)
        for task, where in tasks:
            task_name = str(task.get("name") or "")
            for dep in sorted(deps.get(task_name, ())):
                if dep not in by_name:
                    self.add(
                        Category.DAG,
                        (*where, "depends" if task.get("depends") is not None else "dependencies"),
                        f"templates.{name}.tasks.{task_name} dependency '{dep}' not defined",
                    )
        cycle = _cycle(deps)
        if cycle:
            self.add(
                Category.DAG,
                (*path, "dag"),
                f"templates.{name} dependency cycle detected: {' -> '.join(cycle)}",
            )
            return scope
        targets: dict[str, Mapping[str, Any] | None] = {}
        for task, where in tasks:
            task_name = str(task.get("name") or "")
            target = self._resolve_template(task, where)
            targets[task_name] = target
            self._call(task, target, where, name, f"tasks.{task_name}", dag=True)
        target_name = dag.get("target")
        if target_name and "{{" not in str(target_name):
            for part in str(target_name).split():
                if part not in by_name:
                    self.add(
                        Category.DAG,
                        (*path, "dag", "target"),
                        f"templates.{name}.target '{part}' is not a task",
                    )
        for task, where in tasks:
            task_name = str(task.get("name") or "")
            if task_name not in deps:
                continue
            wanted = {
                k: v
                for k, v in task.items()
                if k in ("arguments", "when", "withParam", "withSequence")
            }
            uses_tasks = any(t.startswith("tasks.") for t in _tags(wanted))
            # only a task that reads other tasks needs its ancestors' variables in scope
            ancestors = _ancestors(task_name, deps) if uses_tasks else set()
            local = scope if not uses_tasks else set(scope)
            for ancestor in ancestors:
                expanded = any(
                    by_name[ancestor].get(k) is not None
                    for k in ("withItems", "withParam", "withSequence")
                )
                local |= self._node_vars("tasks", ancestor, targets.get(ancestor), expanded)
            items = any(task.get(k) is not None for k in ("withItems", "withParam", "withSequence"))
            for tag in _tags(
                {
                    k: v
                    for k, v in task.items()
                    if k in ("arguments", "when", "withParam", "withSequence")
                }
            ):
                if tag.startswith("tasks."):
                    other = tag.split(".")[1]
                    if (
                        other in by_name
                        and other not in ancestors
                        and other != task_name
                        and ".outputs." in tag
                    ):
                        pname = next(
                            (
                                str(_map(p).get("name"))
                                for p in _list(_map(task.get("arguments")).get("parameters"))
                                if tag in json.dumps(p)
                            ),
                            "?",
                        )
                        self.add(
                            Category.DAG,
                            where,
                            f"templates.{name}.tasks.{task_name} missing dependency '{other}' for parameter '{pname}'",
                        )
                        local.add(tag)
                    if tag.startswith("tasks.") and tag.endswith(".*"):
                        local.add(tag)
            self._resolve_items(task, where, local, name, items)
            sequence = _map(task.get("withSequence"))
            if "count" in sequence and "end" in sequence:
                self.add(
                    Category.SPEC,
                    (*where, "withSequence"),
                    f"templates.{name}.tasks.{task_name} only one of count or end can be defined in withSequence",
                )
        if dag.get("failFast") is not None and not isinstance(dag.get("failFast"), bool):
            self.add(
                Category.DAG,
                (*path, "dag", "failFast"),
                f"templates.{name}.failFast must be a boolean",
            )
        for task, where in tasks:
            depends = task.get("depends")
            if (isinstance(depends, str) and ".AnySucceeded" in depends) or (
                isinstance(depends, str) and ".AllFailed" in depends
            ):
                for match in re.finditer(r"([\w-]+)\.(AnySucceeded|AllFailed)", depends):
                    expanding = by_name.get(match.group(1))
                    if expanding is not None and not any(
                        expanding.get(k) is not None
                        for k in ("withItems", "withParam", "withSequence")
                    ):
                        self.add(
                            Category.DAG,
                            where,
                            f"templates.{name}.tasks.{task.get('name')} dependency '{match.group(1)}' does not contain any items: {match.group(2)} is only valid for expanding tasks",
                        )
        final = set(scope)
        for task_name in by_name:
            final |= self._node_vars("tasks", task_name, targets.get(task_name), False)
        return final


def _merge_arguments(base: Mapping[str, Any], override: Any) -> dict[str, Any]:
    out = dict(base)
    for kind in ("parameters", "artifacts"):
        merged = {str(_map(p).get("name")): p for p in _list(base.get(kind))}
        for item in _list(_map(override).get(kind)):
            merged[str(_map(item).get("name"))] = item
        if merged:
            out[kind] = list(merged.values())
    return out


_DEPENDS_WORD = re.compile(r"[A-Za-z0-9_][-A-Za-z0-9_]*(?:\.[A-Za-z]+)?")


def _task_deps(task: Mapping[str, Any]) -> set[str]:
    out = {str(d) for d in _list(task.get("dependencies"))}
    depends = task.get("depends")
    if isinstance(depends, str):
        for word in _DEPENDS_WORD.findall(depends):
            out.add(word.split(".")[0])
    return out


def _cycle(deps: Mapping[str, set[str]]) -> list[str]:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for dep in sorted(deps.get(node, ())):
            if dep not in deps:
                continue
            if state.get(dep) == 1:
                return [*stack[stack.index(dep) :], dep]
            if state.get(dep) is None:
                found = visit(dep)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(deps):
        if state.get(node) is None:
            found = visit(node)
            if found:
                return found
    return []


def _ancestors(task: str, deps: Mapping[str, set[str]]) -> set[str]:
    out: set[str] = set()
    todo = list(deps.get(task, ()))
    while todo:
        node = todo.pop()
        if node in out or node not in deps:
            continue
        out.add(node)
        todo.extend(deps[node])
    return out


def validate_workflow(
    obj: Mapping[str, Any], lookup: Lookup, options: Options | None = None, kind: str | None = None
) -> list[Issue]:
    """Every issue `argo lint` would raise for `obj` (validated as `kind`, default its own)."""
    kind = kind or str(obj.get("kind", ""))
    return _Checker(obj, kind, lookup, options or Options()).run()
