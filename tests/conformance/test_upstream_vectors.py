"""The Python side against Argo's own answers, recorded by the Go oracle (conformance/).

`make conformance` runs argo-workflows' and argo-events' own code (conformance/oracle) over the
examples and the webhooks, and records its answers in `conformance/vectors/`. These tests hold
the Python side to those answers without Go:

- every example's WorkflowTemplates are recorded valid by argo-workflows' validation;
- for every recorded webhook, and the hostile and marker variants of the free text of those that
  fire a trigger, `simulate --raw --format json` makes the same dependency and trigger decisions as argo-events
  and creates the same resource, parameter for parameter;
- the Workflows simulate creates are the ones the oracle substituted, and each hostile
  variant's recorded verdict is "inert" or a named known disagreement.

Known disagreements live in `conformance/known-disagreements.json` (check id regex -> reason);
they are reported as xfail. When a recorded answer goes stale, re-record with
`make conformance-record` and review the diff.
"""

from __future__ import annotations

import contextlib
import copy
import importlib.util
import io
import json
import re
import shutil
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from hera_pipelines.cli import main


def _load_driver() -> Any:
    """conformance/run.py (the driver that recorded the vectors), for its event readdressing:
    the test must feed simulate exactly the events the oracle answered."""
    path = Path(__file__).resolve().parents[2] / "conformance" / "run.py"
    spec = importlib.util.spec_from_file_location("conformance_driver", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_DRIVER = _load_driver()

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "conformance" / "vectors"
EXAMPLES = ROOT / "examples"
STAMP = re.compile(r"^events\.argoproj\.io/")


@cache
def vector(name: str) -> Any:
    return json.loads((VECTORS / name).read_text())


@cache
def known() -> list[tuple[re.Pattern[str], str]]:
    doc = json.loads((ROOT / "conformance" / "known-disagreements.json").read_text())
    return [(re.compile(k["match"]), k["reason"]) for k in doc["known"]]


def known_reason(check_id: str) -> str | None:
    return next((reason for rx, reason in known() if rx.match(check_id)), None)


def settle(check_id: str, problems: list[str]) -> None:
    """Fail on problems, unless they are the named known disagreement for this check."""
    if not problems:
        return
    reason = known_reason(check_id)
    if reason is not None:
        pytest.xfail(f"{check_id}: {reason}")
    pytest.fail(f"{check_id}: " + "; ".join(problems[:5]), pytrace=False)


def sensor_cases() -> list[tuple[str, str]]:
    """Every plain webhook per example, and the free-text variants of those that fire a trigger
    there (`make conformance` runs the variants of the others too; here they would only add time)."""
    recorded = vector("sensor.json")["examples"]
    events = vector("events.json")["events"]
    cases = []
    for ex in sorted(recorded):
        answers = recorded[ex]["events"]
        firing = {
            events[cid]["base"]
            for cid, sensors in answers.items()
            if any(t["fired"] for s in sensors for t in s["triggers"].values())
        }
        cases += [
            (ex, cid)
            for cid in sorted(answers)
            if not events[cid]["variant"] or events[cid]["base"] in firing
        ]
    return cases


def normalise(resource: Any) -> Any:
    """Drop the labels argo-events stamps at submit time (sensor, trigger, action time)."""
    if not isinstance(resource, dict):
        return resource
    res = copy.deepcopy(resource)
    labels = res.get("metadata", {}).get("labels")
    if isinstance(labels, dict):
        for key in [k for k in labels if STAMP.match(k)]:
            del labels[key]
    return res


@pytest.fixture(scope="session")
def sensor_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Per example, a folder with only its Argo Events manifests (simulate reads nothing else)."""
    out = {}
    for manifests in sorted(EXAMPLES.glob("*/manifests")):
        dest = tmp_path_factory.mktemp(manifests.parent.name)
        for sub in ("sensor", "eventsource"):
            if (manifests / sub).is_dir():
                shutil.copytree(manifests / sub, dest / sub)
        out[manifests.parent.name] = dest
    return out


def simulate_raw(event_file: Path, manifests: Path) -> dict[str, Any]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["simulate", "--raw", str(event_file), "--manifests", str(manifests),
                     "--format", "json"])  # fmt: skip
    assert code == 0
    report: dict[str, Any] = json.loads(out.getvalue())
    return report


def event_text(event: dict[str, Any], source: str, name: str) -> str:
    """The recorded event with the example's route, data bytes as Go marshals a map."""
    text = json.dumps(event["data"], sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(ch, esc)
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    ctx = dict(event["context"], source=source, subject=name)
    return '{"context":' + json.dumps(ctx) + ',"data":' + text + "}"


def test_vectors_name_their_upstream_versions() -> None:
    versions = vector("sensor.json")["versions"]
    assert versions["github.com/argoproj/argo-events"].startswith("v1.9.")
    assert versions["github.com/argoproj/argo-workflows/v3"].startswith("v3.7.")
    for name in ("validate.json", "substitute.json", "upstream-vectors.json"):
        assert vector(name)["versions"] == versions, name


@pytest.mark.parametrize("example", sorted(p.parent.name for p in EXAMPLES.glob("*/manifests")))
def test_example_workflow_templates_recorded_valid_upstream(example: str) -> None:
    rendered = {}
    for path in sorted((EXAMPLES / example / "manifests").rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            kinds = ("Workflow", "WorkflowTemplate", "ClusterWorkflowTemplate", "CronWorkflow")
            if isinstance(doc, dict) and doc.get("kind") in kinds:
                rendered[(doc["kind"], doc["metadata"]["name"])] = doc
    assert rendered, "the example renders no Workflow kind"
    recorded = {
        (r["kind"], r["name"]): r
        for r in vector("validate.json")["results"]
        if r["example"] == example
    }
    assert set(recorded) == set(rendered), "re-record with `make conformance-record`"
    invalid = [f"{k}/{n}: {r['error']}" for (k, n), r in recorded.items() if not r["valid"]]
    settle(f"validate {example}", invalid)


@pytest.mark.parametrize(("example", "cid"), sensor_cases())
def test_simulate_agrees_with_argo_events(
    example: str, cid: str, sensor_dirs: dict[str, Path], tmp_path: Path
) -> None:
    recorded = vector("sensor.json")["examples"][example]
    event = _DRIVER.readdressed(
        vector("events.json")["events"][cid]["event"],
        _DRIVER.example_repository(ROOT / "examples" / example / "manifests"),
    )
    event_file = tmp_path / "event.json"
    event_file.write_text(event_text(event, recorded["source"], recorded["name"]))
    report = simulate_raw(event_file, sensor_dirs[example])
    python = {s["name"]: s for s in report["sensors"]}
    substituted = vector("substitute.json")["examples"][example]
    problems: list[str] = []
    for sensor in recorded["events"][cid]:
        ps = python.get(sensor["sensor"])
        if ps is None:
            problems.append(f"sensor {sensor['sensor']} missing")
            continue
        deps = {d["name"]: d for d in ps["dependencies"]}
        for dep, matched in sensor["dependencies"].items():
            got = deps.get(dep, {}).get("matched")
            if got != matched:
                problems.append(f"{sensor['sensor']}/dep:{dep} upstream={matched} python={got}")
        trigs = {t["name"]: t for t in ps["triggers"]}
        for name, want in sensor["triggers"].items():
            pt = trigs.get(name, {})
            if pt.get("fired") != want["fired"]:
                problems.append(
                    f"{sensor['sensor']}/trigger:{name} upstream fired={want['fired']} "
                    f"python fired={pt.get('fired')}"
                )
            elif want["fired"] and normalise(pt.get("resource")) != want["resource"]:
                problems.append(f"{sensor['sensor']}/trigger:{name}: resource differs")
            sub = substituted.get(f"{cid} {sensor['sensor']}/{name}")
            if sub is not None and pt.get("resource") != sub["workflow"]:
                problems.append(
                    f"{sensor['sensor']}/trigger:{name}: simulate now creates another Workflow "
                    "than the one recorded as substituted"
                )
    settle(f"sensor {example} {cid}", problems)


def substitution_cases() -> list[tuple[str, str]]:
    recorded = vector("substitute.json")["examples"]
    return [(ex, key) for ex in sorted(recorded) for key in sorted(recorded[ex])]


@pytest.mark.parametrize(("example", "key"), substitution_cases())
def test_created_workflow_substitutes_inert_upstream(example: str, key: str) -> None:
    case = vector("substitute.json")["examples"][example][key]
    problems = []
    if not case["valid"] or case["error"]:
        problems.append(f"argo-workflows rejects the Workflow: {case['error']}")
    verdict = case.get("verdict", "inert")
    if verdict not in ("inert", "not-reached"):
        problems.append(verdict)
    settle(f"inert {example} {key}", problems)
