"""How a simulation is shown: one JSON object for machines, a rich tree for people.

Both formats are keyed by name in `FORMATS`; `--format` choices come from its keys.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable

from hera_pipelines.simulate.simulator import Report

__all__ = ["FORMATS", "render_json", "render_text"]

_MARK = {
    "matched": "[green]✔ matched[/]",
    "not-matched": "[red]✘ not matched[/]",
    "other-event": "[dim]· waits for another event[/]",
    "unsupported": "[yellow]? unsupported[/]",
    "fired": "[green]▶ fires[/]",
    "not-fired": "[dim]· does not fire[/]",
    "error": "[red]✘ error[/]",
}


def render_json(report: Report, explain: bool = False) -> str:
    """The whole report as one JSON object (reasons are always included)."""
    del explain
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


def _resource_line(resource: object) -> str:
    if not isinstance(resource, dict):
        return json.dumps(resource, ensure_ascii=False)
    meta = resource.get("metadata") if isinstance(resource.get("metadata"), dict) else {}
    assert isinstance(meta, dict)
    name = meta.get("name") or (str(meta.get("generateName") or "") + "*")
    return f"{resource.get('kind', '?')}/{name}"


def render_text(report: Report, explain: bool = False, width: int = 100) -> str:
    """A readable tree: sensors, then their dependencies and triggers.

    Without `explain`, only sensors with a dependency this event reached are shown, and
    reasons only for undecided or failed items.
    """
    # rich costs ~0.15 s to import: only the text format pays it
    from rich.console import Console
    from rich.markup import escape
    from rich.tree import Tree

    delivery = f" (delivery {report.delivery})" if report.delivery else ""
    root = Tree(escape(f"event {report.event_type}{delivery}"))
    for route in report.routes:
        if route.accepted is None:
            state = "[yellow]? unsupported[/]"
        else:
            state = "[green]dispatched[/]" if route.accepted else "[dim]not dispatched[/]"
        root.add(f"{escape(route.source)}/{escape(route.name)}: {state} — {escape(route.reason)}")
    for sensor in report.sensors:
        reached = any(d.status != "other-event" for d in sensor.dependencies)
        if not reached and not explain:
            continue
        node = root.add(f"[bold]sensor {escape(sensor.name)}[/]")
        for dep in sensor.dependencies:
            branch = node.add(f"dependency {escape(dep.name)}: {_MARK.get(dep.status, dep.status)}")
            if explain or dep.status in ("unsupported",) or any("error" in r for r in dep.reasons):
                for reason in dep.reasons:
                    branch.add(escape(reason))
        for trig in sensor.triggers:
            label = f"trigger {escape(trig.name)}: {_MARK.get(trig.status, trig.status)}"
            if trig.fired and trig.operation:
                label += f" — {escape(trig.operation)} {escape(_resource_line(trig.resource))}"
            branch = node.add(label)
            if explain or trig.status in ("unsupported", "error"):
                for reason in trig.reasons:
                    branch.add(escape(reason))
            if explain:
                for warning in trig.warnings:
                    branch.add(escape(f"warning: {warning}"))
            if trig.fired and trig.resource is not None:
                branch.add(escape(json.dumps(trig.resource, ensure_ascii=False)))
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, color_system=None, highlight=False)
    console.print(root)
    return buffer.getvalue()


FORMATS: dict[str, Callable[[Report, bool], str]] = {
    "json": render_json,
    "text": render_text,
}
