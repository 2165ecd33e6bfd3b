"""The example projects' rendered Sensors against every shared payload.

Skipped until the examples render Sensors; then every payload must be decided (nothing
unsupported, no trigger error), which is the bar the expected-decision table builds on.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hera_pipelines.simulate.manifests import load_manifests
from hera_pipelines.simulate.simulator import Simulator

ROOT = Path(__file__).resolve().parents[2]
WEBHOOKS = ROOT.parent / "shared" / "webhooks"
if not WEBHOOKS.is_dir():
    WEBHOOKS = Path("/work/shared/webhooks")
FOLDERS = sorted(ROOT.glob("examples/*/manifests"))


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.parent.name for f in FOLDERS])
def test_example_sensors_decide_every_payload(folder: Path) -> None:
    manifests = load_manifests(folder)
    if not manifests.sensors:
        pytest.skip(f"{folder} has no Sensors yet")
    simulator = Simulator(manifests)
    for path in sorted(WEBHOOKS.glob("*/*.json")):
        report = simulator.github(path.parent.name, path.read_bytes(), route=None)
        assert report.unsupported() == [], path
        errors = [t.name for s in report.sensors for t in s.triggers if t.status == "error"]
        assert errors == [], path
