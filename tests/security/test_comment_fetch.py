"""comment-remediation's fetch step, run for real (Python, a fake GitHub and Kubernetes API): the
comments reach the agent-env Secret as base64, byte for byte, and never an Argo parameter.

(After the authz merge the script is Python, keeps only writers' comments and writes a JSON list
of items; it still ends by patching the agent-env Secret.)"""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.render.set import ManifestSet

COMMENT = '{{=sprig.repeat(2000000000,\'A\')}} "}, "env": {"GIT_CONFIG_COUNT": "1"} $(id)\n€'
_SA = "/var/run/secrets/kubernetes.io/serviceaccount"
_KUBE = "https://kubernetes.default.svc"


@pytest.fixture
def server() -> Iterator[tuple[str, list[tuple[str, dict[str, Any]]]]]:
    patches: list[tuple[str, dict[str, Any]]] = []

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

        def do_PATCH(self) -> None:  # noqa: N802 - http.server's name
            size = int(self.headers.get("Content-Length") or 0)
            patches.append((self.path, json.loads(self.rfile.read(size))))
            self._answer({})

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", patches
    finally:
        httpd.shutdown()


def _fetch(rendered: dict[str, ManifestSet]) -> dict[str, Any]:
    flow = rendered["basic"].objects["workflowtemplate/comment-remediation.yaml"]
    templates = {t["name"]: t for t in flow["spec"]["templates"]}
    fetch: dict[str, Any] = templates["fetch-comments"]
    return fetch


def _run(
    fetch: dict[str, Any], tmp: Path, secret: str, api: str
) -> subprocess.CompletedProcess[str]:
    sa, out = tmp / "sa", tmp / "out"
    for folder in (sa, out):
        folder.mkdir()
    (sa / "token").write_text("t", encoding="utf-8")
    (sa / "namespace").write_text("agents", encoding="utf-8")
    script = (
        fetch["script"]["source"]
        .replace("/tmp/", f"{out}/")
        .replace(_SA, str(sa))
        .replace(_KUBE, api)
    )
    env = {
        "REPOSITORY": "acme/widgets",
        "PR_NUMBER": "7",
        "COMMENT_ID": "",
        "ENV_SECRET": secret,
        "API": api,
    }
    return subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )


def test_comments_reach_the_secret_exactly_and_no_parameter(
    rendered: dict[str, ManifestSet],
    tmp_path: Path,
    server: tuple[str, list[tuple[str, dict[str, Any]]]],
) -> None:
    api, patches = server
    fetch = _fetch(rendered)
    assert "outputs" not in fetch  # no output parameter: the comments never ride through Argo
    env = {e["name"]: e.get("value") for e in fetch["script"]["env"]}
    assert env["ENV_SECRET"] == "{{workflow.name}}-agent-env"
    done = _run(fetch, tmp_path, "wf-abc-agent-env", api)
    assert done.returncode == 0, done.stderr
    ((url, patch),) = patches
    assert url == "/api/v1/namespaces/agents/secrets/wf-abc-agent-env"
    assert list(patch) == ["data"] and list(patch["data"]) == ["REVIEW_COMMENTS"]
    comments = json.loads(base64.b64decode(patch["data"]["REVIEW_COMMENTS"], validate=True))
    assert [(c["kind"], c["body"]) for c in comments] == [
        ("issue_comment", COMMENT),
        ("review_comment", COMMENT),
        ("review", COMMENT),
    ]


def test_a_bad_secret_name_is_refused(
    rendered: dict[str, ManifestSet],
    tmp_path: Path,
    server: tuple[str, list[tuple[str, dict[str, Any]]]],
) -> None:
    api, patches = server
    done = _run(_fetch(rendered), tmp_path, "x/../../configmaps/y", api)
    assert done.returncode == 1
    assert "bad secret name" in done.stderr
    assert patches == []


def test_the_agent_reads_the_comments_from_the_secret(rendered: dict[str, ManifestSet]) -> None:
    flow = rendered["basic"].objects["workflowtemplate/comment-remediation.yaml"]
    templates = {t["name"]: t for t in flow["spec"]["templates"]}
    tasks = {t["name"]: t for t in templates["main"]["dag"]["tasks"]}
    args = {p["name"]: p["value"] for p in tasks["remediate"]["arguments"]["parameters"]}
    assert "REVIEW_COMMENTS" in args["env-keys"].split(",")
    assert args["env-secret"] == "{{workflow.name}}-agent-env"
    assert tasks["remediate"]["depends"] == "fetch-comments"
    assert tasks["fetch-comments"]["depends"] == "agent-env"
    # the guard first (authz), the Secret written only when it said `run`
    assert tasks["agent-env"]["depends"] == "authorize"
    for name in ("agent-env", "fetch-comments", "remediate"):
        assert tasks[name]["when"] == "{{tasks.authorize.outputs.result}} == run", name
    # the guard's script reports its verdict (`outputs.result`); no other template has outputs
    assert not any("outputs" in t for t in templates.values() if t["name"] not in {"main"})
