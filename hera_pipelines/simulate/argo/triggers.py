"""A Sensor trigger: when it fires, and the exact object it would create, resume or patch.

Mirrors `pkg/sensors/listener.go` and `pkg/sensors/triggers` (v1.9): trigger `parameters` are
applied to the template first, then the resource parameters to the resource; an `argoWorkflow`
submit gets the `events.argoproj.io/{sensor,trigger,action-timestamp}` labels, other operations
address the workflow by `metadata.name`; a `k8s` create gets the same labels and the Sensor's
namespace when the object has none. Trigger types the simulator does not execute are reported
as unsupported, with the conditions still evaluated.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from hera_pipelines.simulate.argo import engines
from hera_pipelines.simulate.argo.engines import EngineError, Unsupported
from hera_pipelines.simulate.argo.event import Event
from hera_pipelines.simulate.argo.params import (
    Parameter,
    ParameterError,
    apply_params,
    compile_parameters,
    construct_payload,
)

__all__ = ["TriggerOutcome", "TriggerSpec"]

_WORKFLOW_OPERATIONS = (
    "submit",
    "submit-from",
    "resubmit",
    "resume",
    "retry",
    "suspend",
    "terminate",
    "stop",
)
_K8S_OPERATIONS = ("create", "update", "patch", "delete")
# Kinds without a namespace: a k8s trigger leaves their namespace empty.
_CLUSTER_KINDS = frozenset(
    {
        "ClusterRole",
        "ClusterRoleBinding",
        "ClusterWorkflowTemplate",
        "CustomResourceDefinition",
        "Namespace",
        "Node",
        "PersistentVolume",
        "PriorityClass",
        "StorageClass",
    }
)
_KINDS = (
    "argoWorkflow",
    "k8s",
    "http",
    "log",
    "awsLambda",
    "azureEventHubs",
    "azureServiceBus",
    "custom",
    "email",
    "kafka",
    "nats",
    "openWhisk",
    "pulsar",
    "slack",
)


@dataclass
class TriggerOutcome:
    """What a trigger does for one event. `fired is None` means it could not be decided."""

    name: str
    fired: bool | None
    status: str  # fired | not-fired | error | unsupported
    operation: str | None = None
    resource: Any = None
    namespace: str | None = None
    reasons: list[str] = field(default_factory=list)
    # shown by `--explain` (text), kept out of the JSON shape
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name,
            "fired": self.fired,
            "status": self.status,
            "operation": self.operation,
            "resource": self.resource,
        }
        if self.namespace:
            out["namespace"] = self.namespace
        out["reasons"] = self.reasons
        return out


def _copy(value: Any) -> Any:
    kind = type(value)
    if kind is dict:
        return {k: _copy(v) for k, v in value.items()}
    if kind is list:
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def _resource_of(kind_spec: Mapping[str, Any]) -> Any:
    """`FetchKubernetesResource` for the sources a simulation can read without a cluster."""
    source = kind_spec.get("source")
    if not isinstance(source, Mapping):
        raise Unsupported("trigger has no source")
    if isinstance(source.get("resource"), dict):
        return source["resource"]
    if isinstance(source.get("inline"), str):
        try:
            loaded = yaml.load(source["inline"], Loader=yaml.CSafeLoader)
        except yaml.YAMLError as exc:
            raise EngineError(f"inline resource is not valid YAML: {exc}") from exc
        return loaded
    kinds = ", ".join(sorted(k for k in source if source.get(k) is not None)) or "none"
    raise Unsupported(f"resource source {kinds} is not read by simulate (only resource, inline)")


class TriggerSpec:
    """One `spec.triggers[]` entry, compiled for a Sensor."""

    def __init__(
        self,
        spec: Mapping[str, Any],
        *,
        sensor_name: str,
        sensor_namespace: str,
        dependency_names: list[str],
    ) -> None:
        template = spec.get("template")
        self.template: dict[str, Any] = dict(template) if isinstance(template, Mapping) else {}
        self.name = str(self.template.get("name") or "")
        self.sensor_name = sensor_name
        self.sensor_namespace = sensor_namespace
        self.condition: engines.CompiledCondition | None = None
        self.condition_error: str | None = None
        try:
            conditions = self.template.get("conditions")
            self.condition = engines.compile_condition(
                str(conditions) if conditions else None, dependency_names
            )
        except EngineError as exc:
            self.condition_error = str(exc)
        self.template_params = compile_parameters(spec.get("parameters"))
        self._decisions: dict[tuple[object, ...], tuple[bool | None, str]] = {}
        self._resource_blob: bytes | None = None
        self.kind = next((k for k in _KINDS if self.template.get(k) is not None), "")
        if not self.kind:
            known = set(self.template) - {"name", "conditions", "conditionsReset"}
            self.kind = sorted(known)[0] if known else ""
        kind_spec = self.template.get(self.kind)
        self.resource_params: list[Parameter] = []
        if isinstance(kind_spec, Mapping):
            self.resource_params = compile_parameters(kind_spec.get("parameters"))

    @property
    def conditions_text(self) -> str:
        return self.condition.expression if self.condition is not None else ""

    def decide(self, matched: Mapping[str, bool], unknown: set[str]) -> bool | None:
        """Whether the trigger fires; None when an undecided dependency could change that."""
        if self.condition is None:
            return False
        if not unknown:
            return self.condition.evaluate(matched)
        answers = set()
        names = sorted(unknown)
        for mask in range(1 << len(names)):
            trial = dict(matched)
            trial.update({n: bool(mask >> i & 1) for i, n in enumerate(names)})
            answers.add(self.condition.evaluate(trial))
            if len(answers) > 1:
                return None
        return answers.pop()

    def _decision(self, matched: Mapping[str, bool], unknown: set[str]) -> tuple[bool | None, str]:
        """`decide` and its reason, memoised: a Sensor's few dependencies give few combinations,
        and most events leave every one unmatched."""
        key = (tuple(matched.items()), frozenset(unknown))
        found = self._decisions.get(key)
        if found is not None:
            return found
        decided = self.decide(matched, unknown)
        expression = self.conditions_text
        holding = ", ".join(sorted(n for n, ok in matched.items() if ok))
        if decided is None:
            undecided = ", ".join(sorted(unknown))
            reason = f"conditions `{expression}` depend on undecided dependencies: {undecided}"
        elif not decided:
            reason = f"conditions `{expression}` not met (events for: {holding or 'none'})"
        else:
            reason = f"conditions `{expression}` met by {holding}"
        found = self._decisions[key] = (decided, reason)
        return found

    def run(
        self,
        matched: Mapping[str, bool],
        unknown: set[str],
        events: Mapping[str, Event],
    ) -> TriggerOutcome:
        outcome = TriggerOutcome(self.name, False, "not-fired")
        if self.condition_error is not None:
            outcome.status = "error"
            outcome.reasons.append(f"trigger never starts: {self.condition_error}")
            return outcome
        decided, reason = self._decisions.get(
            (tuple(matched.items()), frozenset(unknown))
        ) or self._decision(matched, unknown)
        outcome.reasons.append(reason)
        if decided is None:
            outcome.fired, outcome.status = None, "unsupported"
            return outcome
        if not decided:
            return outcome
        try:
            self._execute(outcome, events)
        except Unsupported as exc:
            outcome.fired, outcome.status = None, "unsupported"
            outcome.reasons.append(f"unsupported: {exc}")
        except (ParameterError, EngineError) as exc:
            outcome.fired, outcome.status = False, "error"
            outcome.reasons.append(f"failed: {exc}")
        return outcome

    def _resource(self, kind_spec: Mapping[str, Any]) -> Any:
        """A fresh copy of the resource to create; read (and an inline one parsed) once when no
        trigger parameter can change the template, then copied with pickle (C speed)."""
        if self.template_params:
            return _copy(_resource_of(kind_spec))
        if self._resource_blob is None:
            self._resource_blob = pickle.dumps(_resource_of(kind_spec), pickle.HIGHEST_PROTOCOL)
        return pickle.loads(self._resource_blob)  # noqa: S301 - bytes this object pickled

    def _execute(self, outcome: TriggerOutcome, events: Mapping[str, Event]) -> None:
        notes: list[str] = []
        template = self.template
        resource_params = self.resource_params
        if self.template_params:
            template = apply_params(
                _copy(template), self.template_params, events, notes, outcome.warnings
            )
            kind_spec = template.get(self.kind)
            resource_params = compile_parameters(
                kind_spec.get("parameters") if isinstance(kind_spec, Mapping) else None
            )
        kind_spec = template.get(self.kind)
        if not isinstance(kind_spec, Mapping):
            raise Unsupported(f"trigger type {self.kind or '(none)'} is not simulated")
        when = max((e.context.time for e in events.values() if e.context), default=None)
        stamp = str(int(when.timestamp() * 1000)) if when is not None else "0"
        if self.kind == "argoWorkflow":
            self._argo_workflow(outcome, kind_spec, resource_params, events, stamp, notes)
        elif self.kind == "k8s":
            self._k8s(outcome, kind_spec, resource_params, events, stamp, notes)
        elif self.kind == "http":
            outcome.operation = str(kind_spec.get("method") or "POST")
            payload = construct_payload(compile_parameters(kind_spec.get("payload")), events)
            outcome.resource = {"url": kind_spec.get("url"), "payload": payload}
            _finish(outcome, notes)
        elif self.kind == "log":
            outcome.operation = "log"
            _finish(outcome, notes)
        else:
            raise Unsupported(f"trigger type {self.kind} is not simulated")

    def _stamp_labels(self, meta: dict[str, Any], stamp: str) -> None:
        """The labels argo-events adds to what a trigger creates."""
        labels = meta.get("labels") if isinstance(meta.get("labels"), dict) else {}
        assert isinstance(labels, dict)
        labels.update(
            {
                "events.argoproj.io/sensor": self.sensor_name,
                "events.argoproj.io/trigger": self.name,
                "events.argoproj.io/action-timestamp": stamp,
            }
        )
        meta["labels"] = labels

    def _argo_workflow(
        self,
        outcome: TriggerOutcome,
        spec: Mapping[str, Any],
        params: list[Parameter],
        events: Mapping[str, Event],
        stamp: str,
        notes: list[str],
    ) -> None:
        operation = _operation(outcome, spec, "submit", _WORKFLOW_OPERATIONS)
        obj = _resolved(self._resource(spec), params, events, notes, outcome.warnings)
        meta = obj.setdefault("metadata", {})
        name = str(meta.get("name") or "")
        if not name:
            if operation != "submit":
                raise EngineError(
                    f"failed to execute the workflow {operation} operation, no name is given"
                )
            if not meta.get("generateName"):
                raise EngineError(
                    "failed to trigger the workflow, neither name nor generateName is given"
                )
        if operation == "submit":
            self._stamp_labels(meta, stamp)
        outcome.namespace = str(meta.get("namespace") or self.sensor_namespace) or None
        args = spec.get("args")
        if args:
            notes.append("argo CLI args: " + " ".join(str(a) for a in args))
        outcome.resource = obj
        _finish(outcome, notes)

    def _k8s(
        self,
        outcome: TriggerOutcome,
        spec: Mapping[str, Any],
        params: list[Parameter],
        events: Mapping[str, Event],
        stamp: str,
        notes: list[str],
    ) -> None:
        operation = _operation(outcome, spec, "create", _K8S_OPERATIONS)
        if spec.get("liveObject"):
            raise Unsupported("liveObject reads the cluster")
        obj = _resolved(self._resource(spec), params, events, notes, outcome.warnings)
        meta = obj.setdefault("metadata", {})
        if obj.get("kind") in _CLUSTER_KINDS:
            meta.pop("namespace", None)
        elif not meta.get("namespace") and self.sensor_namespace:
            meta["namespace"] = self.sensor_namespace
        if operation == "create":
            self._stamp_labels(meta, stamp)
        outcome.namespace = str(meta.get("namespace") or "") or None
        outcome.resource = obj
        _finish(outcome, notes)


def _operation(
    outcome: TriggerOutcome, spec: Mapping[str, Any], default: str, known: tuple[str, ...]
) -> str:
    """The trigger's operation (recorded on the outcome); upstream refuses an unknown one."""
    operation = str(spec.get("operation") or default)
    outcome.operation = operation
    if operation not in known:
        raise EngineError(f"unknown operation type {operation}")
    return operation


def _resolved(
    obj: Any,
    params: list[Parameter],
    events: Mapping[str, Event],
    notes: list[str],
    warnings: list[str],
) -> dict[str, Any]:
    """The trigger's resource (a fresh copy) with its parameters applied."""
    if params:
        obj = apply_params(obj, params, events, notes, warnings)
    if not isinstance(obj, dict):
        raise EngineError("failed to interpret the trigger resource")
    return obj


def _finish(outcome: TriggerOutcome, notes: list[str]) -> None:
    outcome.fired, outcome.status = True, "fired"
    outcome.reasons.extend(f"parameter {note}" for note in notes)
