"""pr-flow's head re-check, the rendered script run for real against a fake GitHub REST API.

Between the format/lint agent's push and the QA agent, the PR's head must still be the event's
SHA or ahead of it only by our own bots' commits. A human's push, a force push (diverged or
gone) or a closed PR makes it say `skip`, so the QA agent of the older run never starts (the
newer event's run, waiting on the PR mutex, handles the branch).
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from hera_pipelines.render.set import ManifestSet
from hera_pipelines.workflows.guard import RECHECK, RECHECK_SCRIPT
from tests.fake_http import JsonHandler

EVENT = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"
NEWER = "f" * 40
HUMAN = "octocat"


@dataclass
class FakeGitHub:
    """The PR's state and the compare answer; every request path it was asked."""

    head: str = EVENT
    state: str = "open"
    status: str = "ahead"
    #: (author login, committer login) of each commit between the event's SHA and the head
    commits: list[tuple[str | None, str | None]] = field(default_factory=list)
    gone: bool = False
    asked: list[str] = field(default_factory=list)


def _user(login: str | None) -> dict[str, Any] | None:
    return (
        {"login": login, "type": "Bot" if login and "[bot]" in login else "User"} if login else None
    )


def _handler(gh: FakeGitHub) -> type[BaseHTTPRequestHandler]:
    class Handler(JsonHandler):
        indent = 2  # GitHub answers pretty-printed JSON

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            gh.asked.append(self.path)
            assert self.headers.get("Authorization") == "Bearer t0ken"
            parts = self.path.split("?")[0].strip("/").split("/")
            if parts[3:4] == ["pulls"]:
                base = {"sha": "b" * 40, "ref": "main", "user": _user(HUMAN)}
                head = {"sha": gh.head, "ref": "feature", "repo": {"full_name": "acme/widgets"}}
                self.send_json(200, {"state": gh.state, "head": head, "base": base})
            elif parts[3:4] == ["compare"] and not gh.gone:
                commits = [
                    {
                        "sha": f"{i:040x}",
                        "commit": {"message": '"login": "5dlabs-clippy[bot]"'},
                        "author": _user(author),
                        "committer": _user(committer),
                    }
                    for i, (author, committer) in enumerate(gh.commits)
                ]
                # the base commit is the event's, by a human: never one of the new commits
                base = {"sha": EVENT, "author": _user(HUMAN), "committer": _user(HUMAN)}
                self.send_json(
                    200,
                    {
                        "status": gh.status,
                        "base_commit": base,
                        "merge_base_commit": base,
                        "ahead_by": len(commits),
                        "total_commits": len(commits),
                        "commits": commits,
                    },
                )
            else:
                self.send_json(404, {"message": "Not Found"})

    return Handler


@pytest.fixture
def github() -> Iterator[tuple[FakeGitHub, str]]:
    gh = FakeGitHub()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gh))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield gh, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def rendered_recheck(rendered: dict[str, ManifestSet]) -> dict[str, Any]:
    """The re-check template pr-flow renders for examples/basic (what the cluster runs)."""
    flow = rendered["basic"].objects["workflowtemplate/pr-flow.yaml"]
    (template,) = [t for t in flow["spec"]["templates"] if t["name"] == RECHECK]
    return template


def recheck(
    template: dict[str, Any], url: str, *, verdict: str = "run", **inputs: str
) -> tuple[str, str]:
    """Runs the rendered script with the rendered constants and the given inputs."""
    env = {e["name"]: e["value"] for e in template["script"]["env"] if "value" in e}
    env.update(
        {
            "PATH": "/usr/bin:/bin",
            "API": url,
            "GIT_TOKEN": "t0ken",
            "VERDICT": verdict,
            "REPOSITORY": inputs.get("repository", "acme/widgets"),
            "PR_NUMBER": inputs.get("pr_number", "2"),
            "HEAD_SHA": inputs.get("head_sha", EVENT),
        }
    )
    done = subprocess.run(
        [sys.executable, "-c", template["script"]["source"]],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return (done.stdout.strip() if done.returncode == 0 else "error"), done.stderr


def test_the_rendered_script_is_the_constant(rendered_recheck: dict[str, Any]) -> None:
    assert rendered_recheck["script"]["source"] == RECHECK_SCRIPT
    bots = {e["name"]: e.get("value") for e in rendered_recheck["script"]["env"]}["OUR_BOTS"]
    # the format/lint agent (clippy) pushes between the event and the re-check: it is ours
    assert "5dlabs-clippy[bot]" in bots.split()


def test_an_unchanged_head_runs(
    rendered_recheck: dict[str, Any], github: tuple[FakeGitHub, str]
) -> None:
    gh, url = github
    assert recheck(rendered_recheck, url)[0] == "run"
    assert not any("/compare/" in p for p in gh.asked)


def test_a_head_moved_by_our_bots_runs(
    rendered_recheck: dict[str, Any], github: tuple[FakeGitHub, str]
) -> None:
    gh, url = github
    gh.head = NEWER
    gh.commits = [("5dlabs-clippy[bot]", "5dlabs-clippy[bot]")] * 2
    verdict, why = recheck(rendered_recheck, url)
    assert verdict == "run", why
    assert any(p.endswith(f"/compare/{EVENT}...{NEWER}") for p in gh.asked)


@pytest.mark.parametrize(
    "commits",
    [
        [(HUMAN, HUMAN)],
        [("5dlabs-clippy[bot]", "5dlabs-clippy[bot]"), (HUMAN, HUMAN)],
        [("5dlabs-clippy[bot]", HUMAN)],  # a human committed it (rebased, amended)
        [(HUMAN, "5dlabs-clippy[bot]")],
        [(None, None)],  # an e-mail GitHub links to no account
        [("dependabot[bot]", "dependabot[bot]")],  # a bot, but not one of ours
    ],
    ids=["human", "bot-then-human", "human-committer", "human-author", "unlinked", "other-bot"],
)
def test_a_head_moved_by_anyone_else_skips(
    rendered_recheck: dict[str, Any],
    github: tuple[FakeGitHub, str],
    commits: list[tuple[str | None, str | None]],
) -> None:
    gh, url = github
    gh.head = NEWER
    gh.commits = commits
    verdict, why = recheck(rendered_recheck, url)
    assert verdict == "skip", why
    assert "newer run" in why


@pytest.mark.parametrize("status", ["diverged", "behind", "identical"])
def test_a_diverged_head_skips(
    rendered_recheck: dict[str, Any], github: tuple[FakeGitHub, str], status: str
) -> None:
    gh, url = github
    gh.head = NEWER
    gh.status = status
    gh.commits = [("5dlabs-clippy[bot]", "5dlabs-clippy[bot]")]
    assert recheck(rendered_recheck, url)[0] == "skip"


def test_a_force_pushed_head_skips(
    rendered_recheck: dict[str, Any], github: tuple[FakeGitHub, str]
) -> None:
    gh, url = github
    gh.head = NEWER
    gh.gone = True  # the event's SHA is no longer in the repository: the compare 404s
    verdict, why = recheck(rendered_recheck, url)
    assert verdict == "skip" and "force push" in why


def test_a_closed_pr_skips(
    rendered_recheck: dict[str, Any], github: tuple[FakeGitHub, str]
) -> None:
    gh, url = github
    gh.state = "closed"
    assert recheck(rendered_recheck, url)[0] == "skip"


@pytest.mark.parametrize("verdict", ["skip", "", "{{tasks.authorize.outputs.result}}"])
def test_a_refused_flow_skips_without_asking_github(
    rendered_recheck: dict[str, Any], github: tuple[FakeGitHub, str], verdict: str
) -> None:
    gh, url = github
    assert recheck(rendered_recheck, url, verdict=verdict)[0] == "skip"
    assert gh.asked == []


@pytest.mark.parametrize(
    "inputs",
    [
        {"pr_number": "2; rm -rf /"},
        {"head_sha": "$(id)"},
        {"head_sha": EVENT[:7]},
        {"repository": "acme/widgets/../../x"},
    ],
)
def test_bad_inputs_fail_before_any_call(
    rendered_recheck: dict[str, Any], github: tuple[FakeGitHub, str], inputs: dict[str, str]
) -> None:
    gh, url = github
    assert recheck(rendered_recheck, url, **inputs)[0] == "error"
    assert gh.asked == []
