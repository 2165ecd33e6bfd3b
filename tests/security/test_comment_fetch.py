"""comment-remediation's fetch step, run for real (sh, a fake curl): the comments reach the
agent-env Secret as base64, byte for byte, and never an Argo parameter."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.render.set import ManifestSet

pytestmark = pytest.mark.skipif(shutil.which("sh") is None, reason="sh not installed")

COMMENT = '{{=sprig.repeat(2000000000,\'A\')}} "}, "env": {"GIT_CONFIG_COUNT": "1"} $(id)\n€'
_SA = "/var/run/secrets/kubernetes.io/serviceaccount"
_CURL = """#!/bin/sh
patch=""
url=""
while [ $# -gt 0 ]; do
  case "$1" in
    --data-binary) patch="${2#@}"; shift ;;
    -X|-H|-o|--cacert) shift ;;
    -*) ;;
    *) url="$1" ;;
  esac
  shift
done
if [ -n "$patch" ]; then
  cp "$patch" "$OUT/patch.json"
  printf '%s' "$url" > "$OUT/url"
else
  cat "$OUT/comments.json"
fi
"""


def _fetch(rendered: dict[str, ManifestSet]) -> dict[str, Any]:
    flow = rendered["basic"].objects["workflowtemplate/comment-remediation.yaml"]
    templates = {t["name"]: t for t in flow["spec"]["templates"]}
    fetch: dict[str, Any] = templates["fetch-comments"]
    return fetch


def _run(fetch: dict[str, Any], tmp: Path, secret: str) -> subprocess.CompletedProcess[str]:
    bin_dir, sa, out = tmp / "bin", tmp / "sa", tmp / "out"
    for folder in (bin_dir, sa, out):
        folder.mkdir()
    curl = bin_dir / "curl"
    curl.write_text(_CURL, encoding="utf-8")
    curl.chmod(0o755)
    (sa / "token").write_text("t", encoding="utf-8")
    (sa / "namespace").write_text("agents", encoding="utf-8")
    (sa / "ca.crt").write_text("", encoding="utf-8")
    (out / "comments.json").write_text(json.dumps([{"body": COMMENT}]), encoding="utf-8")
    script = fetch["script"]["source"].replace("/tmp/", f"{out}/").replace(_SA, str(sa))
    env = {
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "OUT": str(out),
        "REPOSITORY": "acme/widgets",
        "PR_NUMBER": "7",
        "ENV_SECRET": secret,
    }
    return subprocess.run(
        ["sh", "-c", script], env=env, capture_output=True, text=True, check=False
    )


def test_comments_reach_the_secret_exactly_and_no_parameter(
    rendered: dict[str, ManifestSet], tmp_path: Path
) -> None:
    fetch = _fetch(rendered)
    assert "outputs" not in fetch  # no output parameter: the comments never ride through Argo
    env = {e["name"]: e.get("value") for e in fetch["script"]["env"]}
    assert env["ENV_SECRET"] == "{{workflow.name}}-agent-env"
    done = _run(fetch, tmp_path, "wf-abc-agent-env")
    assert done.returncode == 0, done.stderr
    out = tmp_path / "out"
    assert (out / "url").read_text() == (
        "https://kubernetes.default.svc/api/v1/namespaces/agents/secrets/wf-abc-agent-env"
    )
    patch = json.loads((out / "patch.json").read_text())
    assert list(patch) == ["data"] and list(patch["data"]) == ["REVIEW_COMMENTS"]
    comments = json.loads(base64.b64decode(patch["data"]["REVIEW_COMMENTS"], validate=True))
    one = [{"body": COMMENT}]
    assert comments == {"issue_comments": one, "review_comments": one, "reviews": one}


def test_a_bad_secret_name_is_refused(rendered: dict[str, ManifestSet], tmp_path: Path) -> None:
    done = _run(_fetch(rendered), tmp_path, "x/../../configmaps/y")
    assert done.returncode == 1
    assert "bad secret name" in done.stderr
    assert not (tmp_path / "out" / "patch.json").exists()


def test_the_agent_reads_the_comments_from_the_secret(rendered: dict[str, ManifestSet]) -> None:
    flow = rendered["basic"].objects["workflowtemplate/comment-remediation.yaml"]
    templates = {t["name"]: t for t in flow["spec"]["templates"]}
    tasks = {t["name"]: t for t in templates["main"]["dag"]["tasks"]}
    args = {p["name"]: p["value"] for p in tasks["remediate"]["arguments"]["parameters"]}
    assert "REVIEW_COMMENTS" in args["env-keys"].split(",")
    assert args["env-secret"] == "{{workflow.name}}-agent-env"
    assert tasks["remediate"]["depends"] == "fetch-comments"
    assert tasks["fetch-comments"]["depends"] == "agent-env"
    assert not any("outputs" in t for t in templates.values() if t["name"] != "main")
