"""The rendered authorize script, run by `sh` with curl against a fake GitHub API.

What the cluster runs is the constant `AUTHORIZE_SCRIPT` with environment variables; here the
same text runs with the same variables against a local HTTP server that answers like GitHub's
REST and GraphQL APIs, so each refusal (read permission, fork head, protected branch, moved head,
claimed event, attempt cap) is seen as `skip` and each pass as `run`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from hera_pipelines.workflows.guard import AUTHORIZE_SCRIPT, GUARD_INPUTS
from tests.fake_http import JsonHandler

pytestmark = pytest.mark.skipif(
    shutil.which("curl") is None or shutil.which("sh") is None, reason="needs sh and curl"
)

SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"


@dataclass
class FakeGitHub:
    """What the fake API answers, and what it was asked to write."""

    permissions: dict[str, tuple[str, str]] = field(default_factory=dict)
    cross: bool = False
    state: str = "OPEN"
    head_ref: str = "feature"
    head_sha: str = SHA
    default: str = "main"
    statuses: list[str] = field(default_factory=list)
    status_shas: list[str] = field(default_factory=list)
    reactions: set[int] = field(default_factory=set)
    labels: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)
    default_head: str = "d" * 40
    refs: dict[str, str] = field(default_factory=dict)


def _handler(gh: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            path = self.path.split("?")[0]
            parts = path.strip("/").split("/")
            if parts[3:4] == ["collaborators"]:
                login = parts[4]
                if login not in gh.permissions:
                    self.send_json(404, {"message": "Not Found"})
                    return
                perm, role = gh.permissions[login]
                user = {"login": login, "permissions": {"admin": False}, "role_name": role}
                self.send_json(200, {"permission": perm, "role_name": role, "user": user})
            elif parts[3:4] == ["commits"]:
                on = [
                    c for c, at in zip(gh.statuses, gh.status_shas, strict=True) if at == parts[4]
                ]
                self.send_json(200, [{"context": c, "state": "success"} for c in on])
            elif parts[3:4] == ["issues"] and parts[5:6] == ["labels"]:
                self.send_json(200, [{"name": n, "color": "ededed"} for n in gh.labels])
            elif parts[3:5] == ["git", "ref"] and "refs/" + "/".join(parts[5:]) in gh.refs:
                ref = "refs/" + "/".join(parts[5:])
                self.send_json(200, {"ref": ref, "object": {"sha": gh.refs[ref], "type": "commit"}})
            else:
                self.send_json(404, {"message": "Not Found"})

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = json.loads(self.rfile.read(length) or b"{}")
            parts = self.path.split("?")[0].strip("/").split("/")
            if parts == ["graphql"]:
                pr = {
                    "isCrossRepository": gh.cross,
                    "state": gh.state,
                    "headRefName": gh.head_ref,
                    "headRefOid": gh.head_sha,
                }
                default = {"name": gh.default, "target": {"oid": gh.default_head}}
                repo = {"defaultBranchRef": default, "pullRequest": pr}
                self.send_json(200, {"data": {"repository": repo}})
            elif parts[3:4] == ["statuses"]:
                gh.statuses.append(body["context"])
                gh.status_shas.append(parts[4])
                gh.writes.append(f"status {body['context']} on {parts[4]}")
                self.send_json(201, {})
            elif parts[3:4] == ["issues"] and parts[5:6] == ["reactions"]:
                number = int(parts[4])
                existed = number in gh.reactions
                gh.reactions.add(number)
                self.send_json(200 if existed else 201, {"content": body["content"]})
            elif parts[3:5] == ["git", "refs"]:
                # GitHub creates a ref atomically; 422 when it exists or the request is bad
                ref, sha = body["ref"], body["sha"]
                if ref in gh.refs or ref.count("/") < 2 or len(sha) != 40:
                    self.send_json(422, {"message": "Reference already exists"})
                    return
                gh.refs[ref] = sha
                gh.writes.append(f"ref {ref}")
                self.send_json(201, {"ref": ref, "object": {"sha": sha}})
            elif parts[3:4] == ["issues"] and parts[5:6] == ["labels"]:
                gh.labels += body["labels"]
                gh.writes.append(f"label {body['labels'][0]}")
                self.send_json(200, [])
            else:
                self.send_json(404, {"message": "Not Found"})

        def do_DELETE(self) -> None:  # noqa: N802
            name = self.path.strip("/").split("/")[-1]
            gh.labels = [n for n in gh.labels if n != name]
            self.send_json(200, [])

    return Handler


@pytest.fixture
def github() -> Iterator[tuple[FakeGitHub, str]]:
    gh = FakeGitHub(permissions={"maintainer": ("write", "write"), "reader": ("read", "triage")})
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gh))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gh, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def authorize(url: str, **inputs: str) -> tuple[str, str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "API": url,
        "GRAPHQL": f"{url}/graphql",
        "REQUIRED": "write",
        "OUR_BOTS": "5dlabs-rex[bot]",
        "PROTECTED": "main master release/*",
        "GIT_TOKEN": "t0ken",
        "REPOSITORY": "acme/widgets",
    }
    for name in GUARD_INPUTS[1:]:  # every input the template declares (but the repository)
        env[name.upper().replace("-", "_")] = inputs.get(name.replace("-", "_"), "")
    done = subprocess.run(
        ["sh", "-c", AUTHORIZE_SCRIPT], env=env, capture_output=True, text=True, timeout=60
    )
    return done.stdout.strip() if done.returncode == 0 else "error", done.stderr


PR = {"pr_number": "2", "head_sha": SHA}


def test_a_writer_on_a_same_repository_pr_runs(github: tuple[FakeGitHub, str]) -> None:
    _, url = github
    assert authorize(url, actors="maintainer maintainer", **PR)[0] == "run"


@pytest.mark.parametrize("actors", ["reader", "maintainer reader", "stranger", "evil[bot]", "-x"])
def test_an_actor_without_write_is_refused(github: tuple[FakeGitHub, str], actors: str) -> None:
    _, url = github
    verdict, why = authorize(url, actors=actors, **PR)
    assert verdict == "skip", why


def test_our_bots_pass_by_name(github: tuple[FakeGitHub, str]) -> None:
    _, url = github
    assert authorize(url, actors="5dlabs-rex[bot]", **PR)[0] == "run"


def test_a_fork_head_is_refused(github: tuple[FakeGitHub, str]) -> None:
    gh, url = github
    gh.cross = True
    verdict, why = authorize(url, actors="maintainer", **PR)
    assert verdict == "skip" and "fork" in why


@pytest.mark.parametrize("ref", ["main", "master", "release/1.2", "trunk"])
def test_a_protected_head_is_refused(github: tuple[FakeGitHub, str], ref: str) -> None:
    gh, url = github
    gh.head_ref = ref
    gh.default = "trunk"
    verdict, why = authorize(url, actors="maintainer", **PR)
    assert verdict == "skip" and "protected" in why


def test_a_protected_branch_to_create_is_refused(github: tuple[FakeGitHub, str]) -> None:
    _, url = github
    assert authorize(url, actors="maintainer", branch="release/2")[0] == "skip"
    assert authorize(url, actors="maintainer", branch="agent/issue-7")[0] == "run"


def test_a_newer_head_supersedes_the_run(github: tuple[FakeGitHub, str]) -> None:
    gh, url = github
    gh.head_sha = "f" * 40
    verdict, why = authorize(url, actors="maintainer", **PR)
    assert verdict == "skip" and "moved on" in why


def test_a_claimed_event_runs_once_even_after_ttl(github: tuple[FakeGitHub, str]) -> None:
    gh, url = github
    first = authorize(url, actors="maintainer", claim="comment-remediation-9", **PR)
    assert first[0] == "run"
    assert gh.statuses == ["agents/comment-remediation-9"]
    # the workflow is gone (TTL); GitHub redelivers: the claim on the head stops it
    again = authorize(url, actors="maintainer", claim="comment-remediation-9", **PR)
    assert again[0] == "skip"
    other = authorize(url, actors="maintainer", claim="comment-remediation-10", **PR)
    assert other[0] == "run"


def test_a_claim_on_the_event_sha_outlives_our_bots_pushes(github: tuple[FakeGitHub, str]) -> None:
    """pr-flow claims on the event's SHA (`claim-sha`): once our own agent pushed on top, the
    head moved, but a redelivery of the event still finds its claim."""
    gh, url = github
    event = {"pr_number": "2", "claim_sha": SHA, "claim": "pr-flow"}
    assert authorize(url, actors="maintainer", **event)[0] == "run"
    gh.head_sha = "f" * 40  # the format/lint agent pushed
    again, why = authorize(url, actors="maintainer", **event)
    assert again == "skip" and SHA in why
    assert gh.writes == [f"status agents/pr-flow on {SHA}"]


def test_an_issue_is_taken_once(github: tuple[FakeGitHub, str]) -> None:
    _, url = github
    assert authorize(url, actors="maintainer", issue_claim="7")[0] == "run"
    assert authorize(url, actors="maintainer", issue_claim="7")[0] == "skip"


def test_a_security_alert_is_claimed_once_by_a_git_ref(github: tuple[FakeGitHub, str]) -> None:
    """A security alert has no PR or issue to mark: a git ref claims it, atomically, so a
    redelivery after the workflow's TTL starts nothing."""
    gh, url = github
    claim = "security-remediation-dependabot-12"
    first, why = authorize(url, ref_claim=claim)
    assert first == "run", why
    # the claim points at the default branch's head, in a namespace no branch list shows
    assert gh.refs == {f"refs/agents/claims/{claim}": gh.default_head}
    again, why = authorize(url, ref_claim=claim)
    assert again == "skip" and "already ran" in why
    assert authorize(url, ref_claim="security-remediation-code-scanning-12")[0] == "run"
    assert len(gh.refs) == 2


def test_a_refused_ref_claim_is_an_error_not_a_skip(github: tuple[FakeGitHub, str]) -> None:
    """GitHub's 422 also means a malformed request: the claim skips only if the ref is there,
    so a broken claim fails the run visibly instead of silently dropping every alert."""
    gh, url = github
    gh.default_head = "not-a-sha"
    assert authorize(url, ref_claim="security-remediation-dependabot-12")[0] == "error"
    gh.default_head = "d" * 39
    assert authorize(url, ref_claim="security-remediation-dependabot-12")[0] == "error"
    assert gh.refs == {}


def test_attempts_are_counted_on_github(github: tuple[FakeGitHub, str]) -> None:
    gh, url = github
    cap = {"attempts_label": "agent-ci-attempts-", "max_attempts": "2"}
    assert authorize(url, actors="maintainer", **PR, **cap)[0] == "run"
    assert gh.labels == ["agent-ci-attempts-1"]
    assert authorize(url, actors="maintainer", **PR, **cap)[0] == "run"
    assert gh.labels == ["agent-ci-attempts-2"]
    assert authorize(url, actors="maintainer", **PR, **cap)[0] == "skip"


@pytest.mark.parametrize(
    "inputs",
    [
        {"pr_number": "2; rm -rf /"},
        {"pr_number": "2", "head_sha": "$(id)"},
        {"claim": "x y"},
        {"claim_sha": "$(id)"},
        {"ref_claim": "x/../heads/main"},
        {"ref_claim": "-x"},
        {"ref_claim": 'a","sha":"0'},
    ],
)
def test_bad_inputs_fail_before_any_call(
    github: tuple[FakeGitHub, str], inputs: dict[str, str]
) -> None:
    gh, url = github
    assert authorize(url, actors="maintainer", **inputs)[0] == "error"
    assert gh.writes == []
