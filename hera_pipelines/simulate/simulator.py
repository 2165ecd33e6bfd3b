"""Replay one event through every Sensor of a manifest set, the way the cluster would route it.

A GitHub delivery reaches each `spec.github` entry of each EventSource that would receive it
(subscribed to the event type, scoped to the payload's repository or organisation, within its
`maxPayloadSize`); the payload is decoded once, as Go would decode it, for all of them; every
Sensor dependency naming that EventSource and event then sees the event, and triggers fire per
their conditions. A raw event (`--raw`) goes to the EventSource/event its context names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hera_pipelines.simulate.argo.event import Event
from hera_pipelines.simulate.argo.github import (
    GithubRoute,
    decode_payload,
    default_delivery,
    github_event,
    max_payload_size,
)
from hera_pipelines.simulate.argo.manifests import ManifestSet
from hera_pipelines.simulate.argo.sensor import CompiledSensor, SensorOutcome

__all__ = ["Report", "Route", "Simulator"]


@dataclass(frozen=True)
class Route:
    """Whether one EventSource event (`source/name`) dispatches the delivery."""

    source: str
    name: str
    accepted: bool | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "eventSource": self.source,
            "eventName": self.name,
            "accepted": self.accepted,
            "reason": self.reason,
        }


@dataclass
class Report:
    """The answer for one event: routes taken and what every Sensor did."""

    event_type: str
    delivery: str | None
    routes: list[Route] = field(default_factory=list)
    sensors: list[SensorOutcome] = field(default_factory=list)

    def fired(self) -> list[tuple[str, str]]:
        return [(s.name, t.name) for s in self.sensors for t in s.triggers if t.fired]

    def unsupported(self) -> list[str]:
        found = [
            f"{s.name}/{d.name}" for s in self.sensors for d in s.dependencies if d.matched is None
        ]
        found += [f"{s.name}/{t.name}" for s in self.sensors for t in s.triggers if t.fired is None]
        return found

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": {"type": self.event_type, "delivery": self.delivery},
            "routes": [r.to_dict() for r in self.routes],
            "sensors": [s.to_dict() for s in self.sensors],
        }


class Simulator:
    """The compiled Sensors of a manifest set; reuse it for many events."""

    def __init__(self, manifests: ManifestSet) -> None:
        self.manifests = manifests
        self.sensors = [CompiledSensor(m) for m in manifests.sensors]
        self._github_routes: list[GithubRoute] | None = None

    def github_routes(self) -> list[GithubRoute]:
        """Every `spec.github` entry of every EventSource (computed once)."""
        if self._github_routes is None:
            self._github_routes = self._find_github_routes()
        return list(self._github_routes)

    def _find_github_routes(self) -> list[GithubRoute]:
        routes = []
        for es in self.manifests.event_sources:
            github = es.spec.get("github")
            if isinstance(github, dict):
                routes += [GithubRoute(es.name, str(name), cfg) for name, cfg in github.items()]
        return routes

    def _chosen_route(self, source: str, name: str) -> GithubRoute:
        """`--source/--name`: no scoping, but the EventSource's own payload limit when known."""
        es = self.manifests.event_source(source)
        for entries in es.spec.values() if es is not None else ():
            if isinstance(entries, dict) and name in entries:
                return GithubRoute(source, name, limit=max_payload_size(entries[name]))
        return GithubRoute(source, name)

    def github(
        self,
        event_type: str,
        payload: bytes,
        *,
        delivery: str | None = None,
        headers: dict[str, str] | None = None,
        time: datetime | None = None,
        route: tuple[str, str] | None = None,
    ) -> Report:
        """Simulate one GitHub delivery.

        Raises ValueError if the payload is not a JSON object, and its subclass
        `go.json.NestingError` when it nests deeper than Go's decoder accepts.
        """
        candidates = [self._chosen_route(*route)] if route is not None else self.github_routes()
        events: list[Event] = []
        routes: list[Route] = []
        undecided: dict[tuple[str, str], str] = {}
        delivered: str | None = delivery
        body: dict[str, Any] | None = None
        for candidate in candidates:
            source, name, config = candidate.source, candidate.name, candidate.config
            dropped = candidate.drops(payload)
            if dropped is not None:
                routes.append(Route(source, name, False, dropped))
                continue
            if body is None:
                body = decode_payload(payload)
                delivery = delivery or default_delivery(event_type, payload)
            event = github_event(
                event_type,
                payload,
                source=source,
                name=name,
                delivery=delivery,
                headers=headers,
                metadata=candidate.metadata,
                time=time,
                body=body,
            )
            sent = event.value["body"]
            delivered = sent["X-GitHub-Delivery"]
            accepted, reason = (
                (True, "chosen with --source/--name")
                if route is not None
                else candidate.accepts(event_type, sent)
            )
            if accepted and isinstance(config, dict) and isinstance(config.get("filter"), dict):
                expression = config["filter"].get("expression")
                reason = f"EventSource filter `{expression}` is not evaluated"
                undecided[(source, name)] = reason
                routes.append(Route(source, name, None, reason))
                continue
            routes.append(Route(source, name, accepted, reason))
            if accepted:
                events.append(event)
        if not candidates:
            delivered = delivery
        report = Report(event_type, delivered, routes)
        report.sensors = [s.run(events, undecided) for s in self.sensors]
        return report

    def raw(self, event: Event) -> Report:
        """Simulate a complete Argo Events event (its context names source and event)."""
        ctx = event.context
        assert ctx is not None
        route = Route(ctx.source, ctx.subject, True, "named by the event context")
        report = Report(ctx.type, ctx.id or None, [route])
        report.sensors = [s.run([event]) for s in self.sensors]
        return report
