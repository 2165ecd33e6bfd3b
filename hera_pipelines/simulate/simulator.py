"""Replay one event through every Sensor of a manifest set, the way the cluster would route it.

A GitHub delivery reaches each `spec.github` entry of each EventSource that would receive it
(subscribed to the event type, scoped to the payload's repository or organisation); every
Sensor dependency naming that EventSource and event then sees the event, and triggers fire per
their conditions. A raw event (`--raw`) goes to the EventSource/event its context names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hera_pipelines.simulate.event import Event, github_event
from hera_pipelines.simulate.manifests import ManifestSet
from hera_pipelines.simulate.sensor import CompiledSensor, SensorOutcome

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


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _github_accepts(config: Any, event_type: str, body: dict[str, Any]) -> tuple[bool, str]:
    if not isinstance(config, dict):
        return True, "receives every delivery"
    events = [str(e) for e in _as_list(config.get("events"))]
    if events and event_type not in events and "*" not in events:
        return False, f"not subscribed to {event_type} (events: {', '.join(events)})"
    repo = body.get("repository") if isinstance(body.get("repository"), dict) else {}
    assert isinstance(repo, dict)
    full_name = str(repo.get("full_name") or "")
    scopes: list[str] = []
    for item in _as_list(config.get("repositories")):
        if isinstance(item, dict):
            owner = str(item.get("owner") or "")
            scopes += [f"{owner}/{n}" for n in _as_list(item.get("names"))]
    if config.get("owner") and config.get("repository"):  # the deprecated single-repo form
        scopes.append(f"{config['owner']}/{config['repository']}")
    orgs = [str(o) for o in _as_list(config.get("organizations"))]
    if scopes or orgs:
        owner = full_name.split("/", 1)[0] if full_name else ""
        org = body.get("organization")
        org_login = str(org.get("login") or "") if isinstance(org, dict) else ""
        if full_name not in scopes and owner not in orgs and org_login not in orgs:
            where = full_name or "no repository"
            return False, f"hook not installed on {where} (scope: {', '.join(scopes + orgs)})"
    return True, f"subscribed to {event_type}"


class Simulator:
    """The compiled Sensors of a manifest set; reuse it for many events."""

    def __init__(self, manifests: ManifestSet) -> None:
        self.manifests = manifests
        self.sensors = [CompiledSensor(m) for m in manifests.sensors]

    def github_routes(self) -> list[tuple[str, str, Any]]:
        routes = []
        for es in self.manifests.event_sources:
            github = es.spec.get("github")
            if isinstance(github, dict):
                routes += [(es.name, str(name), cfg) for name, cfg in github.items()]
        return routes

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
        """Simulate one GitHub delivery. Raises ValueError if the payload is not a JSON object."""
        candidates = [(route[0], route[1], None)] if route is not None else self.github_routes()
        events: list[Event] = []
        routes: list[Route] = []
        undecided: dict[tuple[str, str], str] = {}
        delivered: str | None = delivery
        for source, name, config in candidates:
            metadata = config.get("metadata") if isinstance(config, dict) else None
            event = github_event(
                event_type,
                payload,
                source=source,
                name=name,
                delivery=delivery,
                headers=headers,
                metadata=metadata if isinstance(metadata, dict) else None,
                time=time,
            )
            body = event.value["body"]
            delivered = body["X-GitHub-Delivery"]
            accepted, reason = (
                (True, "chosen with --source/--name")
                if route is not None
                else _github_accepts(config, event_type, body)
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
