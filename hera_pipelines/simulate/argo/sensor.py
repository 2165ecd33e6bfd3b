"""A Sensor compiled once (dependencies, filters, triggers) and run against one event.

Compiling parses every GJSON path, regex, expression, template and Lua script up front, so
evaluating an event only walks values; this is what keeps a replay of thousands of events fast.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from hera_pipelines.simulate.argo.engines import Unsupported
from hera_pipelines.simulate.argo.event import Event
from hera_pipelines.simulate.argo.filters.dependency import DependencyFilter
from hera_pipelines.simulate.argo.manifests import Manifest
from hera_pipelines.simulate.argo.triggers import TriggerOutcome, TriggerSpec

__all__ = ["CompiledSensor", "DependencyOutcome", "SensorOutcome"]


@dataclass
class DependencyOutcome:
    """`matched is None` means the filters use something the simulator does not evaluate."""

    name: str
    matched: bool | None
    status: str  # matched | not-matched | other-event | unsupported
    reasons: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "matched": self.matched,
            "status": self.status,
            "reasons": self.reasons,
        }


@dataclass
class SensorOutcome:
    name: str
    file: str
    dependencies: list[DependencyOutcome]
    triggers: list[TriggerOutcome]

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "file": self.file,
            "dependencies": [d.to_dict() for d in self.dependencies],
            "triggers": [t.to_dict() for t in self.triggers],
        }


class _Dependency:
    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.name = str(spec.get("name") or "")
        self.event_source = str(spec.get("eventSourceName") or "")
        self.event_name = str(spec.get("eventName") or "")
        self.operator = str(spec.get("filtersLogicalOperator") or "")
        self.waits_for = f"waits for {self.event_source}/{self.event_name}"
        filters = spec.get("filters")
        self.filter = DependencyFilter(filters if isinstance(filters, dict) else None)
        transform = spec.get("transform")
        self.transform = "jq" if isinstance(transform, dict) and transform.get("jq") else ""
        if isinstance(transform, dict) and transform.get("script"):
            self.transform = "script"

    def evaluate(self, event: Event) -> DependencyOutcome:
        ctx = event.context
        if ctx is None or (ctx.source, ctx.subject) != (self.event_source, self.event_name):
            return DependencyOutcome(self.name, False, "other-event", [self.waits_for])
        if self.transform:
            return DependencyOutcome(
                self.name,
                None,
                "unsupported",
                [f"unsupported: a {self.transform} transform runs before the filters"],
            )
        try:
            outcome = self.filter.evaluate(event, self.operator)
        except Unsupported as exc:
            return DependencyOutcome(self.name, None, "unsupported", [f"unsupported: {exc}"])
        reasons = list(outcome.reasons)
        if outcome.error is not None:
            reasons.append(f"error (counts as no match): {outcome.error}")
        status = "matched" if outcome.passed else "not-matched"
        return DependencyOutcome(self.name, outcome.passed, status, reasons)


class CompiledSensor:
    """Everything one Sensor needs to answer "what happens for this event?"."""

    def __init__(self, manifest: Manifest) -> None:
        self.name = manifest.name
        self.file = manifest.file
        spec = manifest.spec
        deps = spec.get("dependencies") if isinstance(spec.get("dependencies"), list) else []
        assert isinstance(deps, list)
        self.dependencies = [_Dependency(d) for d in deps if isinstance(d, Mapping)]
        names = [d.name for d in self.dependencies]
        triggers = spec.get("triggers") if isinstance(spec.get("triggers"), list) else []
        assert isinstance(triggers, list)
        self.triggers = [
            TriggerSpec(
                t,
                sensor_name=manifest.name,
                sensor_namespace=manifest.namespace,
                dependency_names=names,
            )
            for t in triggers
            if isinstance(t, Mapping)
        ]
        self.sources = {(d.event_source, d.event_name) for d in self.dependencies}

    def listens_to(self, source: str, name: str) -> bool:
        return (source, name) in self.sources

    def run(
        self, events: list[Event], undecided: Mapping[tuple[str, str], str] | None = None
    ) -> SensorOutcome:
        """Each dependency sees the routed event for its (eventSource, eventName), if any.

        `undecided` names routes whose EventSource may or may not dispatch the event (an
        EventSource-side filter the simulator does not evaluate), with the reason.
        """
        by_route = (
            {(e.context.source, e.context.subject): e for e in events if e.context}
            if len(events) != 1 or events[0].context is None
            else {(events[0].context.source, events[0].context.subject): events[0]}
        )
        undecided = undecided or {}
        outcomes: list[DependencyOutcome] = []
        matched: dict[str, bool] = {}
        unknown: set[str] = set()
        dep_events: dict[str, Event] = {}
        for dep in self.dependencies:
            route = (dep.event_source, dep.event_name)
            event = by_route.get(route)
            if route in undecided:
                outcome = DependencyOutcome(
                    dep.name, None, "unsupported", [f"unsupported: {undecided[route]}"]
                )
                event = None
            elif event is None:
                outcome = DependencyOutcome(dep.name, False, "other-event", [dep.waits_for])
            else:
                outcome = dep.evaluate(event)
            outcomes.append(outcome)
            if outcome.matched is None:
                unknown.add(dep.name)
            else:
                matched[dep.name] = outcome.matched
            if outcome.matched and event is not None:
                dep_events[dep.name] = event
        triggers = [t.run(matched, unknown, dep_events) for t in self.triggers]
        return SensorOutcome(self.name, self.file, outcomes, triggers)
