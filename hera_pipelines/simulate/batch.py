"""`simulate --batch DIR`: one line per payload file, for CI regression tables.

The event type of a payload comes from, in order: a sidecar `NAME.event` file holding it; the
folder the payload sits in when that is below DIR (the `webhooks/<type>/<name>.json` layout);
the file name up to its first dot (`pull_request.opened.json`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.simulate.go.json import NestingError
from hera_pipelines.simulate.simulator import Report, Simulator

__all__ = ["BatchItem", "event_type_of", "find_payloads", "format_line", "run_batch"]


@dataclass(frozen=True)
class BatchItem:
    path: Path
    relative: str
    event_type: str


def event_type_of(path: Path, root: Path) -> str:
    sidecar = path.with_suffix(".event")
    if sidecar.is_file():
        return sidecar.read_text(encoding="utf-8").strip()
    if path.parent != root:
        return path.parent.name
    return path.name.split(".", 1)[0]


def find_payloads(root: Path) -> list[BatchItem]:
    if not root.is_dir():
        raise HeraPipelinesError("payload folder not found", file=str(root))
    return [
        BatchItem(p, p.relative_to(root).as_posix(), event_type_of(p, root))
        for p in sorted(root.rglob("*.json"))
        if p.is_file()
    ]


def _summary(report: Report) -> dict[str, object]:
    fired = []
    for sensor in report.sensors:
        for trig in sensor.triggers:
            if trig.fired:
                resource = trig.resource if isinstance(trig.resource, dict) else {}
                meta = (
                    resource.get("metadata") if isinstance(resource.get("metadata"), dict) else {}
                )
                assert isinstance(meta, dict)
                fired.append(
                    {
                        "sensor": sensor.name,
                        "trigger": trig.name,
                        "operation": trig.operation,
                        "name": meta.get("name") or meta.get("generateName"),
                    }
                )
    errors = [
        f"{s.name}/{t.name}" for s in report.sensors for t in s.triggers if t.status == "error"
    ]
    return {"fired": fired, "unsupported": report.unsupported(), "errors": errors}


def format_line(item: BatchItem, report: Report | None, problem: str | None, fmt: str) -> str:
    summary: dict[str, object] = (
        _summary(report) if report is not None else {"fired": [], "unsupported": [], "errors": []}
    )
    if fmt == "json":
        line = {"file": item.relative, "type": item.event_type, **summary}
        if problem:
            line["problem"] = problem
        return json.dumps(line, ensure_ascii=False)
    fired = summary["fired"]
    assert isinstance(fired, list)
    shown = (
        ", ".join(
            f"{f['sensor']}/{f['trigger']} {f['operation']} {f['name'] or '-'}" for f in fired
        )
        or "-"
    )
    cells = [item.relative, item.event_type, shown]
    for key in ("unsupported", "errors"):
        values = summary[key]
        assert isinstance(values, list)
        if values:
            cells.append(f"{key}: {', '.join(values)}")
    if problem:
        cells.append(f"problem: {problem}")
    return "\t".join(cells)


def run_batch(
    simulator: Simulator, root: Path, fmt: str, time: datetime | None = None
) -> list[str]:
    """Simulate every payload under `root` with a delivery id derived from its bytes."""
    lines = []
    for item in find_payloads(root):
        try:
            report: Report | None = simulator.github(
                item.event_type, item.path.read_bytes(), time=time
            )
            problem = None
        except NestingError as exc:
            report, problem = None, str(exc)
        except (OSError, ValueError) as exc:
            report, problem = None, f"not a JSON object payload: {exc}"
        lines.append(format_line(item, report, problem, fmt))
    return lines
