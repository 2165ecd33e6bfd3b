"""The taskmaster example's rendered Sensors against every shared payload.

basic and rust-service have an expected-decision table (`test_example_decisions.py`); the other
examples must at least decide every payload (nothing unsupported, no trigger error). The
payloads come from other repositories than the examples', so the EventSource's repository scope
would drop them before any Sensor sees them: they are routed to it explicitly, as
`simulate --source github --name github` does.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hera_pipelines.simulate.argo.manifests import load_manifests
from hera_pipelines.simulate.simulator import Simulator

ROOT = Path(__file__).resolve().parents[2]
WEBHOOKS = ROOT / "tests" / "data" / "webhooks"
TABLED = {"basic", "rust-service"}  # covered by test_example_decisions.py
FOLDERS = [f for f in sorted(ROOT.glob("examples/*/manifests")) if f.parent.name not in TABLED]


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.parent.name for f in FOLDERS])
def test_example_sensors_decide_every_payload(folder: Path) -> None:
    manifests = load_manifests(folder)
    if not manifests.sensors:
        pytest.skip(f"{folder} has no Sensors yet")
    simulator = Simulator(manifests)
    routes = simulator.github_routes()
    assert routes, folder
    for path in sorted(WEBHOOKS.glob("*/*.json")):
        for route in routes:
            report = simulator.github(
                path.parent.name, path.read_bytes(), route=(route.source, route.name)
            )
            assert report.unsupported() == [], path
            errors = [t.name for s in report.sensors for t in s.triggers if t.status == "error"]
            assert errors == [], path
