"""comment-remediation's comments, from GitHub to the agent: fetched by a token-less script step,
carried through Argo as base64, written into the agent-env Secret by a resource step.

The rendered fetch script runs for real (Python, a fake GitHub API); its output then goes the way
Argo takes it (the DAG task's argument → the agent-env template's input → its manifest) and the
Secret's `data` is decoded the way the kubelet does: the agent reads the exact original bytes.
"""

from __future__ import annotations

import base64
import json
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml

from hera_pipelines.render.set import ManifestSet
from hera_pipelines.templates.comment_remediation import ARG_MAX, B64_LIMIT, COMMENTS_OUTPUT
from hera_pipelines.workflows.agent_env import ENV_STEP, carried_input

COMMENT = '{{=sprig.repeat(2000000000,\'A\')}} "}, "env": {"GIT_CONFIG_COUNT": "1"} $(id)\n€'
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


@pytest.fixture
def server() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, body: Any) -> None:
            data = json.dumps(body).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            if "/collaborators/" in self.path:
                self._answer({"permission": "write", "role_name": "write"})
            else:
                one = {"id": 1, "user": {"login": "maintainer"}, "body": COMMENT}
                self._answer([{**one, "created_at": "2026-01-01T00:00:00Z"}])

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()


def _flow(rendered: dict[str, ManifestSet]) -> dict[str, Any]:
    flow: dict[str, Any] = rendered["basic"].objects["workflowtemplate/comment-remediation.yaml"]
    return flow


def _templates(flow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in flow["spec"]["templates"]}


def _tasks(flow: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in _templates(flow)["main"]["dag"]["tasks"]}


def _fetch(fetch: dict[str, Any], tmp: Path, api: str) -> str:
    """Runs the rendered fetch script; returns its output parameter's value (the file Argo's
    executor reads for it)."""
    (output,) = fetch["outputs"]["parameters"]
    path = output["valueFrom"]["path"]
    out = tmp / "out.b64"
    script = fetch["script"]["source"].replace(path, str(out))
    env = {"REPOSITORY": "acme/widgets", "PR_NUMBER": "7", "COMMENT_ID": "", "API": api}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return out.read_text(encoding="ascii")


def _agent_env_pod_template(flow: dict[str, Any], value: str) -> dict[str, Any]:
    """The agent-env template as its pod gets it: the DAG task's argument (the fetch's output)
    copied into the input, and the input substituted into the manifest (Argo's ProcessArgs)."""
    task = _tasks(flow)[ENV_STEP]
    args = {p["name"]: p["value"] for p in task["arguments"]["parameters"]}
    name = carried_input("REVIEW_COMMENTS")
    assert args == {name: f"{{{{tasks.fetch-comments.outputs.parameters.{COMMENTS_OUTPUT}}}}}"}
    template = json.loads(json.dumps(_templates(flow)[ENV_STEP]))
    for parameter in template["inputs"]["parameters"]:
        if parameter["name"] == name:
            parameter["value"] = value
    tag = f"{{{{inputs.parameters.{name}}}}}"
    assert template["resource"]["manifest"].count(tag) == 1
    template["resource"]["manifest"] = template["resource"]["manifest"].replace(tag, value)
    return template


def test_comments_reach_the_agent_exactly_and_inert(
    rendered: dict[str, ManifestSet], tmp_path: Path, server: str
) -> None:
    flow = _flow(rendered)
    carried = _fetch(_templates(flow)["fetch-comments"], tmp_path, server)
    # base64 only: no `{{`, so no later substitution pass of Argo's can find anything in it
    assert _BASE64.fullmatch(carried)
    template = _agent_env_pod_template(flow, carried)
    secret = yaml.safe_load(template["resource"]["manifest"])
    assert secret["kind"] == "Secret" and template["resource"]["action"] == "create"
    # what the kubelet gives the agent: the Secret's `data`, base64-decoded
    comments = json.loads(base64.b64decode(secret["data"]["REVIEW_COMMENTS"], validate=True))
    assert [(c["kind"], c["body"]) for c in comments] == [
        ("issue_comment", COMMENT),
        ("review_comment", COMMENT),
        ("review", COMMENT),
    ]


def test_the_agent_env_pod_stays_under_the_environment_limit(
    rendered: dict[str, ManifestSet],
) -> None:
    """Argo hands the resource step its template in one environment variable (ARGO_TEMPLATE),
    which holds the carried value twice (input and manifest); Linux refuses one over 128 KiB."""
    template = _agent_env_pod_template(_flow(rendered), "A" * B64_LIMIT)
    size = len(("ARGO_TEMPLATE=" + json.dumps(template, separators=(",", ":"))).encode())
    assert size < ARG_MAX - 4096, size


def test_only_a_resource_step_writes_the_secret(rendered: dict[str, ManifestSet]) -> None:
    flow = _flow(rendered)
    templates, tasks = _templates(flow), _tasks(flow)
    # the guard first, then the fetch (no Kubernetes API), then the Secret, then the agent
    assert tasks["fetch-comments"]["depends"] == "authorize"
    assert tasks[ENV_STEP]["depends"] == "fetch-comments"
    assert tasks["remediate"]["depends"] == ENV_STEP
    for name in ("fetch-comments", ENV_STEP, "remediate"):
        assert tasks[name]["when"] == "{{tasks.authorize.outputs.result}} == run", name
    fetch = templates["fetch-comments"]
    assert fetch["serviceAccountName"] == "hera-pipelines-guard"
    assert fetch["automountServiceAccountToken"] is False
    assert "kubernetes" not in fetch["script"]["source"]
    assert "serviceAccountName" not in templates[ENV_STEP]  # the workflows' own
    args = {p["name"]: p["value"] for p in tasks["remediate"]["arguments"]["parameters"]}
    assert "REVIEW_COMMENTS" in args["env-keys"].split(",")
    assert args["env-secret"] == "{{workflow.name}}-agent-env"


def test_argo_carries_a_hostile_comment_to_the_secret_verbatim() -> None:
    """What argo-workflows' own code did (`make conformance`, recorded in conformance/vectors):
    for each hostile comment, the fetch's output went through the controller's resolution of
    the DAG task's argument and ProcessArgs into the agent-env manifest, and the Secret's
    `data` decodes to the comment exactly: nothing evaluated."""
    root = Path(__file__).resolve().parents[2] / "conformance" / "vectors"
    hostile = json.loads((root / "events.json").read_text(encoding="utf-8"))["hostile"]
    recorded = json.loads((root / "substitute.json").read_text(encoding="utf-8"))["examples"]
    seen = set()
    for example, cases in recorded.items():
        for case, entry in cases.items():
            variant = case.split(" ")[0].partition("~")[2]
            steps = entry["view"]["steps"]
            if variant not in hostile or "/fetch-comments" not in steps:
                continue
            assert entry["valid"] and entry["error"] is None, (example, case)
            assert entry["verdict"] == "inert", (example, case)
            data = steps[f"/{ENV_STEP}"]["manifest"]["data"]["REVIEW_COMMENTS"]
            assert _BASE64.fullmatch(data)
            assert base64.b64decode(data).decode() == hostile[variant], (example, case)
            seen.add(variant)
    assert seen == set(hostile)
