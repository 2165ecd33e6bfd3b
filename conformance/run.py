#!/usr/bin/env python3
"""Conformance driver: Argo's own Go code (conformance/oracle) against the Python side.

Stdlib only; the Python side is reached through its CLI (`python -m hera_pipelines ...`).

  run.py --oracle BIN            run every check, compare with conformance/vectors, exit 1 on
                                 any new disagreement or any drift from the recorded vectors
  run.py --oracle BIN --record   the same, then (re)write conformance/vectors/*.json

Checks:
- validate: every example's rendered Workflow kinds through `argo lint --offline`'s validation;
- sensor: every payload in tests/data/webhooks (plus hostile and marker variants of those with
  free text) through every example's Sensors, oracle vs `simulate --raw --format json`:
  dependency matches, trigger firing, each parameter's value at its dest, the whole resource;
- substitute: every Workflow that fires, through the controller's argument processing and its
  resolution of DAG tasks' output references (each task's outputs stand in: `fake_outputs`); for
  the hostile variants, whether each payload value lands verbatim ("inert") or is evaluated;
- vectors: the upstream test vectors in tests/data/conformance run through the oracle.
"""

from __future__ import annotations

import argparse
import base64
import copy
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VECTORS = HERE / "vectors"
WEBHOOKS = ROOT / "tests" / "data" / "webhooks"
UPSTREAM_VECTORS = ROOT / "tests" / "data" / "conformance"
EVENT_TIME = "2024-07-15T12:00:00Z"

# Free-text fields a GitHub user controls, and what the hostile variants put there.
FREE_TEXT = [
    ("pull_request", "title"),
    ("pull_request", "body"),
    ("pull_request", "head", "ref"),
    ("issue", "title"),
    ("issue", "body"),
    ("comment", "body"),
    ("review", "body"),
]
HOSTILE = {
    "expr": "{{=sprig.repeat(3,'A')}}",
    "var": "{{workflow.name}}",
    "quote": 'say "hi"\nthen',
}
MARKER = "hpconformancemarker"


# --------------------------------------------------------------------------- events


def go_marshal(value: Any) -> str:
    """encoding/json.Marshal of a decoded map: sorted keys, compact, HTML-safe escapes."""
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(ch, esc)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _set_free_text(body: dict[str, Any], value: str) -> list[str]:
    touched = []
    for path in FREE_TEXT:
        node: Any = body
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict) and path[-1] in node:
            node[path[-1]] = value
            touched.append(".".join(path))
    return touched


def github_event(event_type: str, body: dict[str, Any], case_id: str) -> dict[str, Any]:
    """The event argo-events' GitHub EventSource dispatches: {headers, body} with the
    X-GitHub-Event / X-GitHub-Delivery headers copied into the body, re-marshalled by Go."""
    delivery = str(uuid.UUID(bytes=hashlib.sha256(case_id.encode()).digest()[:16], version=4))
    headers = {
        "Content-Type": ["application/json"],
        "User-Agent": ["GitHub-Hookshot/hera-pipelines-conformance"],
        "X-Github-Delivery": [delivery],
        "X-Github-Event": [event_type],
    }
    body = dict(body)
    body["X-GitHub-Event"] = event_type
    body["X-GitHub-Delivery"] = delivery
    return {
        "context": {
            "id": uuid.UUID(delivery).hex,
            "source": "github",
            "specversion": "1.0",
            "type": "github",
            "datacontenttype": "application/json",
            "subject": "github",
            "time": EVENT_TIME,
        },
        "data": {"headers": headers, "body": body},
    }


def _moved(node: Any, old: str, new: str) -> None:
    """Every `full_name` equal to `old` becomes `new` (the repository, same-repository heads)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "full_name" and value == old:
                node[key] = new
            else:
                _moved(value, old, new)
    elif isinstance(node, list):
        for item in node:
            _moved(item, old, new)


def readdressed(event: dict[str, Any], repository: str) -> dict[str, Any]:
    """The event as if delivered from `repository`: every Sensor pins the configured
    repository, and the shared payloads come from others (Codertocat/Hello-World, ...)."""
    event = copy.deepcopy(event)
    body = event["data"]["body"]
    old = (body.get("repository") or {}).get("full_name")
    if isinstance(old, str):
        _moved(body, old, repository)
    return event


def example_repository(manifests: Path) -> str:
    """`repository:` of the example's pipelines.yaml (every example sets it)."""
    for line in (manifests.parent / "pipelines.yaml").read_text().splitlines():
        if line.startswith("repository:"):
            return line.split(":", 1)[1].strip().strip("'\"")
    raise SystemExit(f"{manifests.parent}: no repository: line")


def event_text(event: dict[str, Any], source: str, name: str) -> str:
    ctx = dict(event["context"], source=source, subject=name)
    return '{"context":' + json.dumps(ctx) + ',"data":' + go_marshal(event["data"]) + "}"


def build_events() -> dict[str, dict[str, Any]]:
    """case id -> {type, variant, base, fields, event}; ids are `type/file[~variant]`."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(WEBHOOKS.glob("*/*.json")):
        event_type = path.parent.name
        base = f"{event_type}/{path.stem}"
        body = json.loads(path.read_text())
        variants: dict[str, str | None] = {"": None}
        if _set_free_text(copy.deepcopy(body), MARKER):
            variants["marker"] = MARKER
            variants.update(HOSTILE)
        for variant, value in variants.items():
            b = copy.deepcopy(body)
            fields = _set_free_text(b, value) if value is not None else []
            cid = base + (f"~{variant}" if variant else "")
            out[cid] = {
                "type": event_type,
                "base": base,
                "variant": variant,
                "fields": fields,
                "event": github_event(event_type, b, base),
            }
    return out


# --------------------------------------------------------------------------- runners


# One Python process answers every CLI call (`hera_pipelines.cli.main`, the stable entry point):
# a fresh interpreter per call would spend most of the run importing.
WORKER = """
import contextlib, io, json, sys
from hera_pipelines.cli import main
for line in sys.stdin:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(json.loads(line))
    print(json.dumps({"code": code, "out": out.getvalue(), "err": err.getvalue()}), flush=True)
"""


class Runner:
    def __init__(self, oracle: str, python: str, work: Path) -> None:
        self.oracle = oracle
        self.work = work
        self.seconds = {"oracle": 0.0, "python": 0.0}
        self.worker = subprocess.Popen(
            [python, "-c", WORKER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )

    def close(self) -> None:
        assert self.worker.stdin is not None
        self.worker.stdin.close()
        self.worker.wait()

    def _run(self, side: str, cmd: list[str]) -> Any:
        start = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
        self.seconds[side] += time.monotonic() - start
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()}")
        return json.loads(proc.stdout)

    def oracle_json(self, *args: str) -> Any:
        return self._run("oracle", [self.oracle, *args])

    def python_json(self, *args: str) -> Any:
        assert self.worker.stdin is not None
        assert self.worker.stdout is not None
        start = time.monotonic()
        self.worker.stdin.write(json.dumps(list(args)) + "\n")
        self.worker.stdin.flush()
        reply = json.loads(self.worker.stdout.readline())
        self.seconds["python"] += time.monotonic() - start
        if reply["code"] != 0:
            raise RuntimeError(
                f"hera_pipelines {' '.join(args)} exited {reply['code']}: {reply['err']}"
            )
        return json.loads(reply["out"])

    def write(self, name: str, text: str) -> Path:
        path = self.work / name
        path.write_text(text)
        return path


def sensors_only(manifests: Path, dest: Path) -> Path:
    """A copy of the Argo Events manifests only (simulate needs nothing else)."""
    dest.mkdir(parents=True, exist_ok=True)
    for sub in ("sensor", "eventsource"):
        if (manifests / sub).is_dir():
            shutil.copytree(manifests / sub, dest / sub, dirs_exist_ok=True)
    return dest


STANDIN = ROOT / "examples" / "basic" / "manifests" / "workflowtemplate" / "coderun-template.yaml"


def external_standins(manifests: Path, dest: Path) -> list[str]:
    """Stand-ins for WorkflowTemplates the example expects the platform to install.

    With `platform.coderunTemplate: external` an example references a `coderun-template` it does
    not render (the platform Helm chart's own). The rendered one of examples/basic has the
    platform template's parameter names, so it stands in, moved to the example's namespace.
    Returns the extra folders to hand the oracle (empty when nothing is missing).
    """
    texts = [p.read_text() for p in sorted(manifests.rglob("*.yaml"))]
    renders_it = any(
        re.search(r"(?m)^kind: WorkflowTemplate\n(?:.*\n)*?  name: coderun-template$", t)
        for t in texts
    )
    uses_it = any(re.search(r"(?m)^\s+name: coderun-template$", t) for t in texts)
    if renders_it or not uses_it:
        return []
    wft_texts = [p.read_text() for p in sorted(manifests.glob("workflowtemplate/*.yaml"))]
    found = (re.search(r"(?m)^  namespace: (\S+)$", t) for t in wft_texts)
    namespace = next((m.group(1) for m in found if m), "default")
    dest.mkdir(parents=True, exist_ok=True)
    text = re.sub(
        r"(?m)^  namespace: \S+$", f"  namespace: {namespace}", STANDIN.read_text(), count=1
    )
    (dest / "coderun-template.yaml").write_text(text)
    return [str(dest)]


def github_route(runner: Runner, manifests: Path) -> tuple[str, str]:
    payload = WEBHOOKS / "ping" / "ping.json"
    report = runner.python_json(
        "simulate", "--event", "ping", str(payload), "--manifests", str(manifests),
        "--format", "json", "--time", EVENT_TIME,
    )  # fmt: skip
    route = report["routes"][0]
    return route["eventSource"], route["eventName"]


# --------------------------------------------------------------------------- comparisons


def split_dest(dest: str) -> list[str]:
    """sjson path segments: '.' separates, '\\.' is a literal dot."""
    parts, cur, i = [], "", 0
    while i < len(dest):
        if dest[i] == "\\" and i + 1 < len(dest):
            cur += dest[i + 1]
            i += 2
            continue
        if dest[i] == ".":
            parts.append(cur)
            cur = ""
        else:
            cur += dest[i]
        i += 1
    parts.append(cur)
    return parts


def at_path(obj: Any, dest: str) -> Any:
    for part in split_dest(dest):
        if isinstance(obj, list) and part.isdigit() and int(part) < len(obj):
            obj = obj[int(part)]
        elif isinstance(obj, dict) and part in obj:
            obj = obj[part]
        else:
            return "<absent>"
    return obj


STAMP = re.compile(r"^events\.argoproj\.io/")


def normalise_resource(resource: Any) -> Any:
    """Drop what argo-events stamps at submit time (the sensor/trigger/time labels)."""
    if not isinstance(resource, dict):
        return resource
    res = copy.deepcopy(resource)
    labels = res.get("metadata", {}).get("labels")
    if isinstance(labels, dict):
        for key in [k for k in labels if STAMP.match(k)]:
            del labels[key]
    return res


def sensor_checks(
    example: str, cid: str, oracle: dict[str, Any], python: dict[str, Any]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(decision checks, parameter checks): each {id, upstream, python}."""
    decisions: list[dict[str, Any]] = []
    params: list[dict[str, Any]] = []
    py_sensors = {s["name"]: s for s in python["sensors"]}
    for s in oracle["sensors"]:
        ps = py_sensors.get(s["name"], {"dependencies": [], "triggers": []})
        py_deps = {d["name"]: d for d in ps["dependencies"]}
        for d in s["dependencies"]:
            pd = py_deps.get(d["name"], {})
            decisions.append(
                {
                    "id": f"sensor {example} {cid} {s['name']}/dep:{d['name']}",
                    "upstream": d["matched"],
                    "python": pd.get("matched", "<absent>"),
                    "why": pd.get("reasons", []) + d.get("reasons", []),
                }
            )
        py_trig = {t["name"]: t for t in ps["triggers"]}
        for t in s["triggers"]:
            pt = py_trig.get(t["name"], {})
            decisions.append(
                {
                    "id": f"sensor {example} {cid} {s['name']}/trigger:{t['name']}",
                    "upstream": t["fired"],
                    "python": pt.get("fired", "<absent>"),
                    "why": pt.get("reasons", []) + t.get("reasons", []),
                }
            )
            if not t["fired"]:
                continue
            py_res = normalise_resource(pt.get("resource"))
            for p in t["parameters"]:
                params.append(
                    {
                        "id": f"param {example} {cid} {s['name']}/{t['name']} {p['dest']}",
                        "upstream": at_path(t["resource"], p["dest"]),
                        "python": at_path(py_res, p["dest"]),
                    }
                )
            params.append(
                {
                    "id": f"param {example} {cid} {s['name']}/{t['name']} <whole resource>",
                    "upstream": t["resource"],
                    "python": py_res,
                }
            )
    return decisions, params


def leaves(obj: Any, prefix: str = "") -> dict[str, str]:
    """Every string leaf by path; strings that are JSON objects are opened too."""
    out: dict[str, str] = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.update(leaves(v, f"{prefix}.{k}"))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.update(leaves(v, f"{prefix}[{i}]"))
    elif isinstance(obj, str):
        inner = None
        if obj.startswith("{"):
            try:
                inner = json.loads(obj)
            except ValueError:
                inner = None
        if isinstance(inner, dict):  # a JSON document in a string: compare what it holds
            out.update(leaves(inner, prefix + "<json>"))
        else:
            out[prefix] = obj
            # payload text crosses Argo base64-encoded and is decoded only at the leaf (the
            # kubelet reading a Secret's data, a shell): look at what the agent reads too
            for index, token in enumerate(_B64_TOKEN.findall(obj)):
                try:
                    decoded = base64.b64decode(token, validate=True).decode("utf-8")
                except ValueError:
                    continue
                out[f"{prefix}<b64:{index}>"] = decoded
    return out


_B64_TOKEN = re.compile(r"(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{8,}={0,2}(?![A-Za-z0-9+/=])")


def substitution_view(result: dict[str, Any]) -> dict[str, Any]:
    """What the inert check looks at: arguments, each step's manifest, env and resolved inputs."""
    steps = {}
    for s in result.get("steps", []):
        resolved = s.get("resolved") or {}
        steps[s["path"] or "/"] = {
            "inputs": {
                p["name"]: p.get("value") for p in resolved.get("inputs", {}).get("parameters", [])
            },
            "manifest": s.get("manifest"),
            "env": {f"{e['container']}/{e['name']}": e["value"] for e in s.get("env") or []},
        }
    return {
        "arguments": {p["name"]: p.get("value") for p in result.get("arguments") or []},
        "steps": steps,
    }


def inert_verdict(marker_result: dict[str, Any], hostile_result: dict[str, Any], value: str) -> str:
    """'inert' when every place the marker landed holds the hostile value verbatim instead."""
    if hostile_result.get("error"):
        return "error: " + str(hostile_result["error"]).splitlines()[0][:200]
    m = leaves(substitution_view(marker_result))
    h = leaves(substitution_view(hostile_result))
    landed = [path for path, text in m.items() if MARKER in text]
    if not landed:
        return "not-reached" if m == h else "differs without the value reaching it"
    for path in landed:
        want = m[path].replace(MARKER, value)
        if h.get(path) != want:
            return f"evaluated: {path} = {json.dumps(h.get(path))[:160]}"
    return "inert"


# --------------------------------------------------------------------------- task outputs

_OUTPUT_REF = re.compile(
    r"\{\{tasks\.([A-Za-z0-9-]+)\.outputs\.(?:(result)|parameters\.([A-Za-z0-9_-]+))\}\}"
)
#: What a task that carries text reports, for a plain event (the variants carry their value).
PLAIN_OUTPUT = "a plain comment"
#: What an output that is neither a verdict nor carried text reports (a commit SHA).
SHA_OUTPUT = "0123456789abcdef0123456789abcdef01234567"


def output_references(dirs: list[Path]) -> dict[str, set[str]]:
    """Task name -> the outputs DAG tasks read of it (`result`, or a parameter's name)."""
    refs: dict[str, set[str]] = {}
    for folder in dirs:
        for path in sorted(folder.rglob("*.yaml")):
            for m in _OUTPUT_REF.finditer(path.read_text()):
                refs.setdefault(m.group(1), set()).add(m.group(2) or m.group(3))
    return refs


def fake_outputs(refs: dict[str, set[str]], text: str) -> dict[str, Any]:
    """What each task reported, for the path where agents start: every `result` (a guard's
    verdict) is `run`; an output parameter named `*-b64` carries text from GitHub as base64 (the
    event's own free text: a hostile comment is what GitHub would then return too); any other
    output, a SHA."""
    carried = base64.b64encode(text.encode()).decode("ascii")
    out: dict[str, Any] = {}
    for task, names in sorted(refs.items()):
        entry: dict[str, Any] = {}
        for name in sorted(names):
            if name == "result":
                entry["result"] = "run"
            else:
                value = carried if name.endswith("-b64") else SHA_OUTPUT
                entry.setdefault("parameters", {})[name] = value
        out[task] = entry
    return out


# --------------------------------------------------------------------------- main


def short(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return text if len(text) <= 120 else text[:117] + "..."


class Known:
    """conformance/known-disagreements.json: check ids (regexes) allowed to fail, with reasons."""

    def __init__(self) -> None:
        path = HERE / "known-disagreements.json"
        entries = json.loads(path.read_text())["known"] if path.is_file() else []
        self.entries = [(re.compile(e["match"]), e["reason"]) for e in entries]

    def __contains__(self, cid: object) -> bool:
        return self.reason(str(cid)) is not None

    def __getitem__(self, cid: str) -> str:
        return self.reason(cid) or ""

    def reason(self, cid: str) -> str | None:
        return next((r for rx, r in self.entries if rx.match(cid)), None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--oracle", required=True)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--record", action="store_true", help="rewrite conformance/vectors")
    parser.add_argument("--example", action="append", help="only these examples")
    args = parser.parse_args(argv)
    started = time.monotonic()
    known = Known()
    failures: list[str] = []
    counts = {k: [0, 0] for k in ("valid", "decisions", "params", "inert")}

    def check(kind: str, cid: str, ok: bool, detail: str) -> None:
        counts[kind][1] += 1
        if ok:
            counts[kind][0] += 1
            print(f"ok     {cid} {detail}")
        elif cid in known:
            print(f"xfail  {cid} {detail} (known: {known[cid]})")
        else:
            print(f"FAIL   {cid} {detail}")
            failures.append(cid)

    with tempfile.TemporaryDirectory(prefix="hp-conformance-") as tmp:
        runner = Runner(args.oracle, args.python, Path(tmp))
        versions = runner.oracle_json("versions")
        examples = sorted(p for p in (ROOT / "examples").glob("*/manifests") if p.is_dir())
        if args.example:
            examples = [p for p in examples if p.parent.name in args.example]
        events = build_events()
        validate_vec: list[dict[str, Any]] = []
        sensor_vec: dict[str, Any] = {}
        subst_vec: dict[str, Any] = {}
        for manifests in examples:
            example = manifests.parent.name
            rel = manifests.relative_to(ROOT)
            # 1. every rendered Workflow kind, as `argo lint --offline` sees it
            extra = external_standins(manifests, Path(tmp) / f"{example}-external")
            if extra:
                print(
                    f"note   {example}: coderun-template is external (platform.coderunTemplate);"
                    f" the one rendered for examples/basic stands in for it"
                )
            for r in runner.oracle_json("validate", str(rel), *extra)["results"]:
                if not r["file"].startswith(str(rel)):
                    continue  # a stand-in
                cid = f"validate {example} {r['kind']}/{r['name']}"
                validate_vec.append({"example": example, **{k: r[k] for k in r if k != "file"}})
                check("valid", cid, r["valid"], "valid" if r["valid"] else f"INVALID: {r['error']}")
            # 2. every event through the Sensors, both sides
            sdir = sensors_only(manifests, Path(tmp) / example)
            source, name = github_route(runner, sdir)
            per_event: dict[str, Any] = {}
            fired: dict[str, dict[str, Any]] = {}
            repository = example_repository(manifests)
            refs = output_references([ROOT / rel, *(Path(e) for e in extra)])
            for cid, case in events.items():
                event = readdressed(case["event"], repository)
                path = runner.write("event.json", event_text(event, source, name))
                upstream = runner.oracle_json("sensor", str(sdir), str(path))
                python = runner.python_json(
                    "simulate", "--raw", str(path), "--manifests", str(sdir), "--format", "json"
                )
                decisions, params = sensor_checks(example, cid, upstream, python)
                for c in decisions:
                    ok = c["upstream"] == c["python"]
                    detail = f"upstream={short(c['upstream'])} python={short(c['python'])}"
                    if not ok:
                        detail += f" why={short(c['why'])}"
                    check("decisions", c["id"], ok, detail)
                for c in params:
                    ok = c["upstream"] == c["python"]
                    detail = (
                        "equal"
                        if ok
                        else f"upstream={short(c['upstream'])} python={short(c['python'])}"
                    )
                    check("params", c["id"], ok, detail)
                per_event[cid] = [
                    {
                        "sensor": s["name"],
                        "dependencies": {d["name"]: d["matched"] for d in s["dependencies"]},
                        "triggers": {
                            t["name"]: {"fired": t["fired"], "resource": t["resource"]}
                            for t in s["triggers"]
                        },
                    }
                    for s in upstream["sensors"]
                ]
                # 3. the Workflows the Python side would create, through the controller's code
                py_trig = {
                    (s["name"], t["name"]): t for s in python["sensors"] for t in s["triggers"]
                }
                for s in upstream["sensors"]:
                    for t in s["triggers"]:
                        pt = py_trig.get((s["name"], t["name"]))
                        res = (pt or {}).get("resource")
                        if not (pt and pt.get("fired") and isinstance(res, dict)):
                            continue
                        if res.get("kind") != "Workflow":
                            continue
                        key = f"{s['name']}/{t['name']}"
                        wf_path = runner.write("workflow.json", json.dumps(res))
                        variant = case["variant"]
                        text = {**HOSTILE, "marker": MARKER}.get(variant, PLAIN_OUTPUT)
                        outputs = runner.write(
                            "outputs.json", json.dumps(fake_outputs(refs, text), sort_keys=True)
                        )
                        sub = runner.oracle_json(
                            "substitute", str(wf_path), str(rel), *extra, "--outputs", str(outputs)
                        )
                        fired.setdefault(key, {})[cid] = {"workflow": res, "result": sub}
                        vid = f"substitute-valid {example} {cid} {key}"
                        check(
                            "valid",
                            vid,
                            bool(sub["valid"]) and not sub["error"],
                            short(sub["error"]) if sub["error"] else "valid",
                        )
            sensor_vec[example] = {"source": source, "name": name, "events": per_event}
            # 4. hostile variants: inert or evaluated, against the marker run
            ex_subst: dict[str, Any] = {}
            for key, by_case in sorted(fired.items()):
                for cid, entry in sorted(by_case.items()):
                    case = events[cid]
                    summary = substitution_view(entry["result"])
                    ex_subst[f"{cid} {key}"] = {
                        "workflow": entry["workflow"],
                        "valid": entry["result"]["valid"],
                        "error": entry["result"]["error"],
                        "view": summary,
                    }
                    if case["variant"] not in HOSTILE:
                        continue
                    marker = by_case.get(f"{case['base']}~marker")
                    if marker is None:
                        continue
                    verdict = inert_verdict(
                        marker["result"], entry["result"], HOSTILE[case["variant"]]
                    )
                    ex_subst[f"{cid} {key}"]["verdict"] = verdict
                    if verdict == "not-reached":
                        print(
                            f"n/a    inert {example} {cid} {key}"
                            " the payload text reaches no template"
                        )
                        continue
                    check("inert", f"inert {example} {cid} {key}", verdict == "inert", verdict)
            subst_vec[example] = ex_subst
        # 5. the upstream test vectors through the oracle itself
        vec_results = {}
        for name in ("workflow-validate", "params", "filters"):
            res = runner.oracle_json(
                "vectors", str((UPSTREAM_VECTORS / f"{name}.json").relative_to(ROOT))
            )
            vec_results[name] = res
            for c in res["cases"]:
                vid = f"vector {name} {c['name']}"
                if c.get("skipped"):
                    print(f"skip   {vid} {c.get('detail', '')}")
                elif c["agrees"]:
                    print(f"ok     {vid}")
                elif vid in known:
                    print(f"xfail  {vid} {c.get('detail', '')} (known: {known[vid]})")
                else:
                    print(f"FAIL   {vid} {c.get('detail', '')}")
                    failures.append(vid)
            agree = sum(1 for c in res["cases"] if c["agrees"])
            ran = sum(1 for c in res["cases"] if not c.get("skipped"))
            print(f"vectors {name}: {agree}/{ran} agree with upstream's recorded verdicts")

        fresh = {
            "validate.json": {"versions": versions, "results": validate_vec},
            "sensor.json": {"versions": versions, "time": EVENT_TIME, "examples": sensor_vec},
            "substitute.json": {"versions": versions, "examples": subst_vec},
            "upstream-vectors.json": {"versions": versions, "results": vec_results},
        }
        events_doc = {
            "time": EVENT_TIME,
            "hostile": HOSTILE,
            "marker": MARKER,
            "events": events,
        }
        fresh["events.json"] = events_doc
        drift = []
        for fname, doc in fresh.items():
            path = VECTORS / fname
            if args.record:
                VECTORS.mkdir(exist_ok=True)
                indent = None if fname == "events.json" else 1  # the payloads: kept compact
                path.write_text(
                    json.dumps(doc, indent=indent, sort_keys=True, ensure_ascii=False) + "\n"
                )
            elif args.example is None:
                old = json.loads(path.read_text()) if path.is_file() else None
                if old != json.loads(json.dumps(doc)):
                    drift.append(fname)
        for fname in drift:
            print(
                f"FAIL   vectors drift: a fresh run differs from conformance/vectors/{fname}"
                " (re-record with `make conformance-record` and review the diff)"
            )
        runner.close()
        oracle_s, python_s = runner.seconds["oracle"], runner.seconds["python"]
        total_s = time.monotonic() - started
        print(f"timing: oracle {oracle_s:.1f}s, python {python_s:.1f}s, total {total_s:.1f}s")
    v, d, p, i = (counts[k] for k in ("valid", "decisions", "params", "inert"))
    print(
        f"conformance: workflows {v[0]}/{v[1]} valid upstream; "
        f"sensor decisions {d[0]}/{d[1]} agree; "
        f"parameters {p[0]}/{p[1]} agree; substitutions {i[0]}/{i[1]} inert"
    )
    return 1 if failures or drift else 0


if __name__ == "__main__":
    sys.exit(main())
