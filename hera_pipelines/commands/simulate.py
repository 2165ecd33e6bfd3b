"""`simulate`: replay a webhook through the rendered Sensors offline, as Argo Events would.

Starts fast: nothing from the renderer (Hera, pydantic, the project model) is imported, and the
manifests folder comes from the `output` key of pipelines.yaml alone.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from hera_pipelines.errors import EXIT_OK, HeraPipelinesError
from hera_pipelines.simulate.argo.event import ContextError, Event, EventContext
from hera_pipelines.simulate.argo.manifests import ManifestSet, load_manifests
from hera_pipelines.simulate.batch import run_batch
from hera_pipelines.simulate.go.gjson import Document
from hera_pipelines.simulate.go.json import JSONError, NestingError, decode
from hera_pipelines.simulate.go.stack import run_deep
from hera_pipelines.simulate.output_folder import output_folder
from hera_pipelines.simulate.report import FORMATS
from hera_pipelines.simulate.simulator import Report, Simulator

__all__ = ["DESCRIPTION", "HELP", "SimulateOptions", "add_arguments", "run"]

HELP = "replay a GitHub webhook (or any Argo Events event) through the Sensors, offline"
DESCRIPTION = """\
Replay a webhook through every Sensor in a folder of Argo Events YAML, with Argo Events v1.9
semantics: which dependencies match (and, with --explain, why), which triggers fire, and the
exact object each would create or resume, parameters applied.

  simulate --event pull_request payload.json            a GitHub delivery
  simulate --raw event.json --source NAME --name EVENT  any complete Argo Events event
  simulate --batch webhooks/                            one line per payload, for CI tables

Constructs the simulator cannot evaluate are reported as "unsupported", never as a decision.
exit codes: 0 it ran (whether or not anything fired), 2 bad input.
"""


@dataclass(frozen=True)
class SimulateOptions:
    """The command's inputs, validated once."""

    event: tuple[str, Path] | None = None
    raw: Path | None = None
    batch: Path | None = None
    manifests: Path | None = None
    config: Path = Path("pipelines.yaml")
    config_given: bool = False
    delivery: str | None = None
    source: str | None = None
    name: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    time: datetime | None = None
    format: str = "text"
    explain: bool = False


def add_arguments(parser: argparse.ArgumentParser) -> None:
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument(
        "--event", nargs=2, metavar=("TYPE", "PAYLOAD.json"), help="a GitHub delivery"
    )
    what.add_argument("--raw", metavar="EVENT.json", help="a complete event {context, data}")
    what.add_argument("--batch", metavar="DIR", help="every *.json payload under DIR")
    parser.add_argument(
        "--manifests", metavar="DIR", help="Argo Events YAML (default: the config's output)"
    )
    parser.add_argument("--config", metavar="FILE", help="pipelines.yaml (default: ./)")
    parser.add_argument("--delivery", metavar="ID", help="X-GitHub-Delivery (default: derived)")
    parser.add_argument("--source", metavar="NAME", help="EventSource the event comes from")
    parser.add_argument("--name", metavar="EVENT", help="event name within that EventSource")
    parser.add_argument(
        "--header", action="append", default=[], metavar="NAME=VALUE", help="extra header"
    )
    parser.add_argument("--time", metavar="RFC3339", help="event time (default: now)")
    parser.add_argument("--format", choices=sorted(FORMATS), default="text")
    parser.add_argument("--explain", action="store_true", help="say why for every decision")


def _options(args: argparse.Namespace) -> SimulateOptions:
    headers: dict[str, str] = {}
    for item in args.header:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise HeraPipelinesError(f"expected NAME=VALUE, got {item!r}", field="--header")
        headers[name] = value
    if (args.source is None) != (args.name is None):
        raise HeraPipelinesError("--source and --name go together", field="--source")
    return SimulateOptions(
        event=(args.event[0], Path(args.event[1])) if args.event else None,
        raw=Path(args.raw) if args.raw else None,
        batch=Path(args.batch) if args.batch else None,
        manifests=Path(args.manifests) if args.manifests else None,
        config=Path(args.config or "pipelines.yaml"),
        config_given=args.config is not None,
        delivery=args.delivery,
        source=args.source,
        name=args.name,
        headers=headers,
        time=_parse_time(args.time) if args.time else None,
        format=args.format,
        explain=args.explain,
    )


def _parse_time(text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError as exc:
        raise HeraPipelinesError(
            f"Input should be a valid datetime: {exc}", field="--time"
        ) from exc
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def manifests_folder(options: SimulateOptions) -> Path:
    """`--manifests`, else the config's output folder (`output`, default `manifests`)."""
    if options.manifests is not None:
        return options.manifests
    config = options.config
    if not config.is_file():
        if options.config_given:
            raise HeraPipelinesError("config file not found", file=str(config))
        raise HeraPipelinesError(
            "no --manifests given and no pipelines.yaml here", field="--manifests"
        )
    return output_folder(config)


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise HeraPipelinesError(f"cannot read {what}: {exc.strerror}", file=str(path)) from exc


def _event_type_of_source(manifests: ManifestSet, source: str, name: str) -> str:
    es = manifests.event_source(source)
    if es is None:
        return ""
    for kind, events in es.spec.items():
        if isinstance(events, dict) and name in events:
            return str(kind)
    return ""


def _raw_event(options: SimulateOptions, manifests: ManifestSet) -> Event:
    assert options.raw is not None
    text = _read(options.raw, "event").decode("utf-8", errors="replace")
    try:
        doc = decode(text)
    except NestingError as exc:
        raise HeraPipelinesError(str(exc), file=str(options.raw)) from exc
    except JSONError as exc:
        raise HeraPipelinesError(f"not JSON: {exc}", file=str(options.raw)) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("context", {}), dict):
        raise HeraPipelinesError("expected {context, data}", file=str(options.raw))
    context: dict[str, Any] = dict(doc.get("context") or {})
    if options.source is not None:
        context["source"], context["subject"] = options.source, options.name
    if options.time is not None:
        context["time"] = options.time
    if not context.get("source") or not context.get("subject"):
        raise HeraPipelinesError(
            "the event names no EventSource: pass --source and --name", file=str(options.raw)
        )
    context.setdefault(
        "type", _event_type_of_source(manifests, context["source"], context["subject"])
    )
    try:
        ctx = EventContext.from_mapping(context)
    except ContextError as exc:
        raise HeraPipelinesError(
            str(exc), file=str(options.raw), field=f"context.{exc.field}"
        ) from exc
    if "data" not in doc or doc["data"] is None:
        return Event.from_text(ctx, None)
    data = doc["data"]
    if isinstance(data, str) and ctx.datacontenttype != "application/json":
        return Event.from_text(ctx, data)
    return Event.from_text(ctx, Document(doc, text).raw_at(("data",), data))


def _github(options: SimulateOptions, simulator: Simulator) -> Report:
    assert options.event is not None
    event_type, payload_path = options.event
    payload = _read(payload_path, "payload")
    route = (options.source, options.name) if options.source and options.name else None
    if route is None and not simulator.github_routes():
        raise HeraPipelinesError(
            "no GitHub EventSource in the manifests: pass --source and --name",
            field="--manifests",
        )
    try:
        return simulator.github(
            event_type,
            payload,
            delivery=options.delivery,
            headers=options.headers,
            time=options.time,
            route=route,
        )
    except NestingError as exc:
        raise HeraPipelinesError(
            f"{exc}: Go's encoding/json rejects it, so the EventSource would drop the delivery",
            file=str(payload_path),
        ) from exc
    except ValueError as exc:
        raise HeraPipelinesError(
            f"not a JSON object payload: {exc}", file=str(payload_path)
        ) from exc


def run(args: argparse.Namespace) -> int:
    options = _options(args)
    # a payload may nest as deep as Go accepts (10000 levels): run where that cannot overflow
    return run_deep(lambda: _run(options))


def _run(options: SimulateOptions) -> int:
    manifests = load_manifests(manifests_folder(options))
    if not manifests.sensors:
        print("hera-pipelines simulate: warning: no Sensor in the manifests", file=sys.stderr)
    simulator = Simulator(manifests)
    if options.batch is not None:
        for line in run_batch(simulator, options.batch, options.format, options.time):
            print(line)
        return EXIT_OK
    if options.raw is not None:
        report = simulator.raw(_raw_event(options, manifests))
    else:
        report = _github(options, simulator)
    sys.stdout.write(FORMATS[options.format](report, options.explain))
    if options.explain:  # one unwrapped line each, whatever the format
        for sensor in report.sensors:
            for trigger in sensor.triggers:
                for warning in trigger.warnings:
                    print(f"hera-pipelines simulate: warning: {warning}", file=sys.stderr)
    return EXIT_OK
