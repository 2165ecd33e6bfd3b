"""`make bench`: 10,000 GitHub deliveries (the shared payloads, cycled) through the Sensors.

Uses the example projects' rendered Sensors when they exist, else the hand-written fixture
Sensors of the simulate tests. The payloads come from other repositories, so each is first
re-addressed to the example's repository (outside the timing): otherwise the EventSource would
drop every delivery before any Sensor ran, and the figure would measure nothing. Sensors are
compiled once; each event is built from the payload bytes (JSON decode included) and run
through every Sensor, as `simulate` does. One core.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import yaml

from hera_pipelines.simulate.argo.manifests import ManifestSet, load_manifests
from hera_pipelines.simulate.simulator import Simulator

ROOT = Path(__file__).resolve().parent.parent
WEBHOOKS = ROOT / "tests" / "data" / "webhooks"
FIXTURES = ROOT / "tests" / "simulate" / "fixtures" / "manifests"
EVENTS = 10_000


def _manifests() -> tuple[str, ManifestSet]:
    for folder in sorted(ROOT.glob("examples/*/manifests")):
        loaded = load_manifests(folder)
        if loaded.sensors:
            return str(folder.relative_to(ROOT)), loaded
    return str(FIXTURES.relative_to(ROOT)), load_manifests(FIXTURES)


def _readdress(payload: bytes, repository: str | None) -> bytes:
    data = json.loads(payload)
    if repository is None or not isinstance(data.get("repository"), dict):
        return payload
    owner, name = repository.split("/")
    data["repository"].update(full_name=repository, name=name)
    if isinstance(data["repository"].get("owner"), dict):
        data["repository"]["owner"]["login"] = owner
    return json.dumps(data).encode()


def _repository(where: str) -> str | None:
    config = ROOT / where / ".." / "pipelines.yaml"
    if not config.is_file():
        return None
    value = yaml.safe_load(config.read_text()).get("repository")
    return str(value) if value else None


def main() -> None:
    webhooks = WEBHOOKS
    where, manifests = _manifests()
    repository = _repository(where)
    payloads = [
        (p.parent.name, _readdress(p.read_bytes(), repository))
        for p in sorted(webhooks.glob("*/*.json"))
    ]
    simulator = Simulator(manifests)
    fired = 0
    start = time.perf_counter()
    for i in range(EVENTS):
        event_type, payload = payloads[i % len(payloads)]
        fired += len(simulator.github(event_type, payload).fired())
    elapsed = time.perf_counter() - start
    print(
        f"simulate: {EVENTS} events through {len(simulator.sensors)} sensors ({where}) "
        f"in {elapsed:.2f}s = {EVENTS / elapsed:,.0f} events/s (one core); {fired} triggers fired"
    )


if __name__ == "__main__":
    main()
