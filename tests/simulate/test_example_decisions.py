"""The examples' rendered Sensors decide every shared GitHub payload as the issue-4 routes say.

Each expectation below is derived by hand from the route table of issue 4 and the payload's
contents (see the comment on each row), not copied from the simulator. Every case runs the real
CLI: `simulate --event TYPE PAYLOAD --source github --name github --format json`.

`--source github --name github` hands the delivery to the examples' GitHub EventSource as if it
had accepted it. The shared payloads come from other repositories (Codertocat/Hello-World, ...)
than the examples' (acme/widgets, acme/ledger), and every Sensor dependency pins
`repository.full_name` to the configured repository (an org-wide hook delivers every repository),
so each payload is first moved to the example's repository: every `full_name` equal to the
payload's repository (the repository itself, a same-repository PR's head and base) becomes the
example's. `test_every_sensor_drops_a_foreign_repository` checks the pin without the move.

For speed the CLI reads a copy of each example's `eventsource/` and `sensor/` folders only (the
rest of a manifests folder plays no part in a decision; one test checks the copy answers like the
full folder).
"""

from __future__ import annotations

import base64
import copy
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.cli import main
from hera_pipelines.templates import FLOWS
from tests.conftest import moved

ROOT = Path(__file__).resolve().parents[2]
WEBHOOKS = ROOT / "tests" / "data" / "webhooks"
DELIVERY = "0b7e9a52-1c3d-4e5f-8a9b-0123456789ab"
TIME = "2024-07-15T12:00:00Z"
TIMESTAMP = "1721044800000"  # TIME in Unix milliseconds (events.argoproj.io/action-timestamp)


class Example:
    def __init__(self, name: str, repository: str, namespace: str, service: str) -> None:
        self.name = name
        self.folder = ROOT / "examples" / name / "manifests"
        self.repository = repository
        self.label = repository.replace("/", ".")
        self.namespace = namespace
        self.service = service


EXAMPLES = {
    "basic": Example("basic", "acme/widgets", "agent-platform", "widgets"),
    "rust-service": Example("rust-service", "acme/ledger", "ledger-agents", "ledger"),
}
# The gate agents (format/lint, QA) whose own pushes must not restart pr-flow, per example.
GATE_BOTS = {"basic": "5dlabs-clippy[bot]", "rust-service": "acme-qa[bot]"}
# One of our own agents' bots (ci-remediation accepts a bot sender only when it is one of these).
AGENT_BOTS = {"basic": "5dlabs-triage[bot]", "rust-service": "acme-blaze[bot]"}

PR_FLOW = ("github-pull-request", "pr-flow")
ISSUE_COMMENT = ("github-review", "issue-comment")
REVIEW_COMMENT = ("github-review", "review-comment")
REVIEW = ("github-review", "review")
CHECK_RUN = ("github-ci-failure", "check-run")
WORKFLOW_RUN = ("github-ci-failure", "workflow-run")
ISSUE_FLOW = ("github-issue", "issue-flow")
CODE_SCANNING = ("github-security-alert", "code-scanning")
DEPENDABOT = ("github-security-alert", "dependabot")
RESUME_BRANCH = ("github-task-merge", "resume-merged-task-branch")

# payload -> the (sensor, trigger) pairs that fire; identical for both examples, whose routes
# all use the defaults (trusted OWNER/MEMBER/COLLABORATOR, no forks, threshold high, label
# agent:implement, CI source workflow_run).
EXPECTED: dict[str, set[tuple[str, str]]] = {
    # a failed check, but CI failures come from one source (workflow_run by default), so one
    # Actions run with N failed jobs starts one run, not N + 1
    "check_run/completed.failure.json": set(),
    # check_suite is no route
    "check_suite/completed.json": set(),
    # created, rule.severity `error`: code scanning's highest level, counted as high
    "code_scanning_alert/created.json": {CODE_SCANNING},
    # created but security_advisory.severity `medium` < high
    "dependabot_alert/created.json": set(),
    # OWNER comment, but on a plain issue (no issue.pull_request)
    "issue_comment/created.on-issue.json": set(),
    # OWNER comment on PR #3, but its text is `/build`: a command, not a review comment
    "issue_comment/created.on-pull-request.json": set(),
    # closed is not opened/labeled
    "issues/closed.json": set(),
    # labeled, but the label added is `bug`, not `agent:implement`
    "issues/labeled.json": set(),
    # opened: the `labeled` event that follows an issue opened with labels decides
    "issues/opened.json": set(),
    # anything else: nothing
    "ping/ping.json": set(),
    # merged, but no `task-<id>` label and head ref `branch-bookkeeper` is no `task-<id>-...`
    "pull_request/closed.merged.json": set(),
    # closed without merge: nothing to resume, and closed is no pr-flow action
    "pull_request/closed.not-merged.json": set(),
    # edited / labeled are not pr-flow actions
    "pull_request/edited.json": set(),
    "pull_request/labeled.json": set(),
    # not draft, head repo == base repo (Codertocat/Hello-World), sender Codertocat (no gate bot)
    "pull_request/opened.json": {PR_FLOW},
    "pull_request/ready_for_review.json": {PR_FLOW},
    "pull_request/reopened.json": {PR_FLOW},
    "pull_request/synchronize.json": {PR_FLOW},
    # OWNER review, but state `commented`, not `changes_requested`
    "pull_request_review/submitted.json": set(),
    # OWNER review comment on PR #2 (same repository), sender a User, prose
    "pull_request_review_comment/created.json": {REVIEW_COMMENT},
    "push/branch.json": set(),
    "push/tag.json": set(),
    # the deprecated legacy alert is not subscribed (dependabot_alert reports the same)
    "repository_vulnerability_alert/create.json": set(),
    # security_advisory is no route
    "security_advisory/published.json": set(),
    # workflow_job is no route (ci-remediation listens to workflow_run and check_run)
    "workflow_job/completed.failure.json": set(),
    # conclusion success (and head branch is the default branch `master`)
    "workflow_run/completed.json": set(),
    # requested, no conclusion
    "workflow_run/requested.json": set(),
}

SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"  # head SHA of the Codertocat PR #2 payloads
REPO = "<the example's repository>"  # a placeholder `check_workflow` fills in
PR_FLOW_WORKFLOW: dict[str, Any] = {
    "template": "pr-flow",
    "name": "pr-flow-2-ec26c3e57ca3",  # PR number + head SHA: a redelivery cannot start twice
    "pr": "2",
    "parameters": {
        "head-ref": "changes",
        "head-sha": SHA,
        "pr-number": "2",
        "repository": REPO,
        "actors": "Codertocat Codertocat",  # the PR's author and the sender
    },
}
# payload -> the Workflow its one firing trigger submits
WORKFLOWS: dict[str, dict[str, Any]] = {
    "code_scanning_alert/created.json": {CODE_SCANNING},
    # created but security_advisory.severity `medium` < high
    "dependabot_alert/created.json": set(),
    # OWNER comment, but on a plain issue (no issue.pull_request)
    "issue_comment/created.on-issue.json": set(),
    # OWNER comment on PR #3, but its text is `/build`: a command, not a review comment
    "issue_comment/created.on-pull-request.json": set(),
    # closed is not opened/labeled
    "issues/closed.json": set(),
    # labeled, but the label added is `bug`, not `agent:implement`
    "issues/labeled.json": set(),
    # opened: the `labeled` event that follows an issue opened with labels decides
    "issues/opened.json": set(),
    # anything else: nothing
    "ping/ping.json": set(),
    # merged, but no `task-<id>` label and head ref `branch-bookkeeper` is no `task-<id>-...`
    "pull_request/closed.merged.json": set(),
    # closed without merge: nothing to resume, and closed is no pr-flow action
    "pull_request/closed.not-merged.json": set(),
    # edited / labeled are not pr-flow actions
    "pull_request/edited.json": set(),
    "pull_request/labeled.json": set(),
    # not draft, head repo == base repo (Codertocat/Hello-World), sender Codertocat (no gate bot)
    "pull_request/opened.json": {PR_FLOW},
    "pull_request/ready_for_review.json": {PR_FLOW},
    "pull_request/reopened.json": {PR_FLOW},
    "pull_request/synchronize.json": {PR_FLOW},
    # OWNER review, but state `commented`, not `changes_requested`
    "pull_request_review/submitted.json": set(),
    # OWNER review comment on PR #2 (same repository), sender a User, prose
    "pull_request_review_comment/created.json": {REVIEW_COMMENT},
    "push/branch.json": set(),
    "push/tag.json": set(),
    # the deprecated legacy alert is not subscribed (dependabot_alert reports the same)
    "repository_vulnerability_alert/create.json": set(),
    # security_advisory is no route
    "security_advisory/published.json": set(),
    # workflow_job is no route (ci-remediation listens to workflow_run and check_run)
    "workflow_job/completed.failure.json": set(),
    # conclusion success (and head branch is the default branch `master`)
    "workflow_run/completed.json": set(),
    # requested, no conclusion
    "workflow_run/requested.json": set(),
}

SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821"  # head SHA of the Codertocat PR #2 payloads
REPO = "<the example's repository>"  # a placeholder `check_workflow` fills in
PR_FLOW_WORKFLOW: dict[str, Any] = {
    "template": "pr-flow",
    "name": "pr-flow-2-ec26c3e57ca3",  # PR number + head SHA: a redelivery cannot start twice
    "pr": "2",
    "parameters": {
        "head-ref": "changes",
        "head-sha": SHA,
        "pr-number": "2",
        "repository": REPO,
        "actors": "Codertocat Codertocat",  # the PR's author and the sender
    },
}
# payload -> the Workflow its one firing trigger submits
WORKFLOWS: dict[str, dict[str, Any]] = {
    "code_scanning_alert/created.json": {
        "template": "security-remediation",
        "name": "sec-code-scanning-10",  # alerts are named by kind and number
        "pr": None,
        "parameters": {
            "advisory-id": "java/sql-injection",
            "alert-kind": "code-scanning",
            "alert-number": "10",
            "alert-url": "https://github.com/Codertocat/Hello-World/security/code-scanning/10",
            "repository": REPO,
            "severity": "error",
        },
    },
    "pull_request/opened.json": PR_FLOW_WORKFLOW,
    "pull_request/ready_for_review.json": PR_FLOW_WORKFLOW,
    "pull_request/reopened.json": PR_FLOW_WORKFLOW,
    "pull_request/synchronize.json": PR_FLOW_WORKFLOW,
    "pull_request_review_comment/created.json": {
        "template": "comment-remediation",
        # named by its review (237895671): the review and its inline comments start one run
        "name": "review-237895671",
        "pr": "2",
        "parameters": {
            "comment-id": "284312630",
            "comment-kind": "review-comment",
            "claim-id": "237895671",
            "pr-number": "2",
            "repository": REPO,
            "actors": "Codertocat",
        },
    },
}


# ---------------------------------------------------------------- helpers


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each example's EventSource and Sensors, copied (the parts a decision reads)."""
    out = {}
    for name, example in EXAMPLES.items():
        dest = tmp_path_factory.mktemp(name)
        for part in ("eventsource", "sensor"):
            shutil.copytree(example.folder / part, dest / part)
        out[name] = dest
    return out


def _repository_of(folder: Path) -> str:
    for name, example in EXAMPLES.items():
        if folder == example.folder or folder.name.startswith(name):
            return example.repository
    raise AssertionError(folder)


def simulate(
    capsys: pytest.CaptureFixture[str],
    folder: Path,
    event_type: str,
    payload: Path,
    *,
    through_eventsource: bool = False,
    move: bool = True,
) -> dict[str, Any]:
    """The CLI's decision on `payload`, moved to the example's repository unless `move=False`."""
    body = json.loads(payload.read_text(encoding="utf-8"))
    if move and isinstance(body.get("repository"), dict):
        moved(body, body["repository"]["full_name"], _repository_of(folder))
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as out:
            out.write(json.dumps(body))
        payload = Path(out.name)
    argv = ["simulate", "--event", event_type, str(payload), "--manifests", str(folder)]
    argv += ["--format", "json", "--delivery", DELIVERY, "--time", TIME]
    if not through_eventsource:
        argv += ["--source", "github", "--name", "github"]
    assert main(argv) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    assert report["event"] == {"type": event_type, "delivery": DELIVERY}
    return report


def fired(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(s["name"], t["name"]) for s in report["sensors"] for t in s["triggers"] if t["fired"]}


def undecided(report: dict[str, Any]) -> list[str]:
    """Dependencies or triggers the simulator could not decide, or triggers that failed."""
    bad = []
    for s in report["sensors"]:
        bad += [f"{s['name']}/{d['name']}" for d in s["dependencies"] if d["matched"] is None]
        bad += [
            f"{s['name']}/{t['name']}: {t['status']}"
            for t in s["triggers"]
            if t["fired"] is None or t["status"] == "error"
        ]
    return bad


def resource(report: dict[str, Any], pair: tuple[str, str]) -> dict[str, Any]:
    sensor = next(s for s in report["sensors"] if s["name"] == pair[0])
    trigger = next(t for t in sensor["triggers"] if t["name"] == pair[1])
    found: dict[str, Any] = trigger["resource"]
    return found


def parameters(workflow: dict[str, Any]) -> dict[str, str]:
    """The workflow's parameters as the agent reads them: UNTRUSTED ones decoded from base64.

    An UNTRUSTED value must be strict base64 (nothing Argo could evaluate) of the expected text.
    """
    flow = {f.spec.name: f.spec for f in FLOWS}[workflow["spec"]["workflowTemplateRef"]["name"]]
    out = {}
    for param in workflow["spec"]["arguments"]["parameters"]:
        value = param.get("value")
        if value is not None and flow.parameter(param["name"]).untrusted:
            value = base64.b64decode(value, validate=True).decode()
        out[param["name"]] = value
    return out


def edited(tmp_path: Path, payload: str, change: Callable[[dict[str, Any]], None]) -> Path:
    body = json.loads((WEBHOOKS / payload).read_text(encoding="utf-8"))
    change(body)
    out = tmp_path / payload.replace("/", ".")
    out.write_text(json.dumps(body), encoding="utf-8")
    return out


def check_workflow(
    workflow: dict[str, Any], example: Example, pair: tuple[str, str], want: dict[str, Any]
) -> None:
    assert workflow["apiVersion"] == "argoproj.io/v1alpha1"
    assert workflow["kind"] == "Workflow"
    assert workflow["spec"]["workflowTemplateRef"] == {"name": want["template"]}
    meta = workflow["metadata"]
    assert meta["name"] == want["name"]
    assert meta["namespace"] == example.namespace
    labels = dict(meta["labels"])
    assert labels.pop("pipelines.agents.platform/pr", None) == want["pr"]
    assert labels == {
        "app.kubernetes.io/managed-by": "hera-pipelines",
        "app.kubernetes.io/part-of": example.service,
        "pipelines.agents.platform/flow": want["template"],
        "pipelines.agents.platform/repository": example.label,
        "events.argoproj.io/sensor": pair[0],
        "events.argoproj.io/trigger": pair[1],
        "events.argoproj.io/action-timestamp": TIMESTAMP,
    }
    got = parameters(workflow)
    expected = {k: example.repository if v == REPO else v for k, v in want["parameters"].items()}
    assert {k: got.get(k) for k in want["parameters"]} == expected


# ---------------------------------------------------------------- the shared payloads


def test_the_table_covers_every_shared_payload() -> None:
    found = {p.relative_to(WEBHOOKS).as_posix() for p in WEBHOOKS.glob("*/*.json")}
    assert found == set(EXPECTED)
    assert {p for p, pairs in EXPECTED.items() if pairs} == set(WORKFLOWS)


@pytest.mark.parametrize("payload", sorted(EXPECTED))
@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_example_decides_shared_payload(
    example: str, payload: str, folders: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = WEBHOOKS / payload
    report = simulate(capsys, folders[example], path.parent.name, path)
    assert undecided(report) == []
    assert fired(report) == EXPECTED[payload]
    for pair in EXPECTED[payload]:
        want = WORKFLOWS[payload]
        check_workflow(resource(report, pair), EXAMPLES[example], pair, want)


def test_the_copied_folder_answers_like_the_full_manifests(
    folders: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = WEBHOOKS / "pull_request/opened.json"
    full = simulate(capsys, EXAMPLES["basic"].folder, "pull_request", path)
    trimmed = simulate(capsys, folders["basic"], "pull_request", path)
    for report in (full, trimmed):
        for sensor in report["sensors"]:
            sensor.pop("file")
    assert full == trimmed


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_the_eventsource_scope_drops_foreign_repositories(
    example: str, folders: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = WEBHOOKS / "pull_request/opened.json"
    report = simulate(
        capsys, folders[example], "pull_request", path, through_eventsource=True, move=False
    )
    assert [(r["accepted"], r["reason"]) for r in report["routes"]] == [
        (
            False,
            f"hook not installed on Codertocat/Hello-World (scope: {EXAMPLES[example].repository})",
        )
    ]
    assert fired(report) == set()


# ---------------------------------------------------------------- edited payloads

Change = Callable[[dict[str, Any]], None]


def _set(path: str, value: Any) -> Change:
    def change(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = body
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = copy.deepcopy(value)  # rows share values: never alias them into a body

    return change


def _all(*changes: Change) -> Change:
    def change(body: dict[str, Any]) -> None:
        for one in changes:
            one(body)

    return change


def _labels(*names: str) -> list[dict[str, Any]]:
    return [
        {"id": i + 1, "name": n, "color": "ededed", "default": False} for i, n in enumerate(names)
    ]


PR_OPENED = "pull_request/opened.json"
PR_SYNC = "pull_request/synchronize.json"
PR_COMMENT = "issue_comment/created.on-pull-request.json"
REVIEW_COMMENT_CREATED = "pull_request_review_comment/created.json"
CHECK_RUN_FAILED = "check_run/completed.failure.json"
ISSUE_OPENED = "issues/opened.json"
RUN_COMPLETED = "workflow_run/completed.json"
BOT = _all(_set("sender.type", "Bot"), _set("sender.login", "someone-else[bot]"))
PROSE = _set("comment.body", "Please rename this variable.")  # the real one is `/build`
ISSUE_LABELED = "issues/labeled.json"
# the trigger label was just added (GitHub's `label` is the label of a `labeled` event)
AGENT_LABELED = _all(
    _set("issue.labels", _labels("bug", "agent:implement")),
    _set("label", _labels("agent:implement")[0]),
)


def _same_repository_run(body: dict[str, Any]) -> None:
    # the run (octo-org/octo-repo) lists a PR of another repository: make the PR the run's own
    for pr in body["workflow_run"]["pull_requests"]:
        pr["head"]["repo"]["id"] = pr["base"]["repo"]["id"] = body["repository"]["id"]


FAILED_RUN = _all(
    _set("workflow_run.conclusion", "failure"),
    _set("workflow_run.head_branch", "feature"),
    _same_repository_run,
)

# (id, payload, change) that must fire nothing although the unedited payload (or, for the issue
# cases, the payload with the trigger label) fires: each breaks exactly one route condition.
MUST_NOT_FIRE: list[tuple[str, str, Change]] = [
    ("pr-draft", PR_OPENED, _set("pull_request.draft", True)),
    ("pr-sync-draft", PR_SYNC, _set("pull_request.draft", True)),
    ("pr-fork", PR_OPENED, _set("pull_request.head.repo.full_name", "mallory/Hello-World")),
    ("pr-fork-sync", PR_SYNC, _set("pull_request.head.repo.full_name", "mallory/Hello-World")),
    ("pr-comment-none", PR_COMMENT, _all(PROSE, _set("comment.author_association", "NONE"))),
    (
        "pr-comment-contributor",
        PR_COMMENT,
        _all(PROSE, _set("comment.author_association", "CONTRIBUTOR")),
    ),
    ("pr-comment-bot", PR_COMMENT, _all(PROSE, BOT)),
    ("pr-comment-play", PR_COMMENT, _set("comment.body", "/play")),
    ("review-comment-none", REVIEW_COMMENT_CREATED, _set("comment.author_association", "NONE")),
    ("review-comment-bot", REVIEW_COMMENT_CREATED, BOT),
    ("run-bot", RUN_COMPLETED, _all(FAILED_RUN, BOT)),
    (
        "run-default-branch",
        RUN_COMPLETED,
        _all(FAILED_RUN, _set("workflow_run.head_branch", "master")),
    ),
    ("run-success", RUN_COMPLETED, _all(FAILED_RUN, _set("workflow_run.conclusion", "success"))),
    ("run-no-pr", RUN_COMPLETED, _all(FAILED_RUN, _set("workflow_run.pull_requests", []))),
    (
        "run-fork-pr",
        RUN_COMPLETED,
        _all(FAILED_RUN, _set("workflow_run.pull_requests.0.head.repo.id", 666)),
    ),
    # opened with the label: the `labeled` event GitHub sends next is the one that starts
    ("issue-opened-with-label", ISSUE_OPENED, _set("issue.labels", _labels("agent:implement"))),
    ("issue-labeler-bot", ISSUE_LABELED, _all(AGENT_LABELED, BOT)),
    # the label just added is another one: re-labelling with anything else starts nothing
    ("issue-other-label-added", ISSUE_LABELED, _all(AGENT_LABELED, _set("label.name", "bug"))),
    # "equals" is anchored: a label that merely contains the trigger label does not count
    (
        "issue-label-prefix",
        ISSUE_LABELED,
        _all(AGENT_LABELED, _set("label.name", "agent:implement-later")),
    ),
    (
        "merged-task-branch-not-merged",
        "pull_request/closed.not-merged.json",
        _set("pull_request.head.ref", "task-7-x"),
    ),
    # a `task-<id>` label alone proves nothing: only the task's own branch resumes it
    (
        "merged-task-label-only",
        "pull_request/closed.merged.json",
        _set("pull_request.labels", _labels("task-7")),
    ),
    (
        "merged-task-branch-from-fork",
        "pull_request/closed.merged.json",
        _all(
            _set("pull_request.head.ref", "task-7-x"),
            _set("pull_request.head.repo.full_name", "mallory/branch-bookkeeper"),
        ),
    ),
    # the deprecated legacy alert duplicates dependabot_alert: not subscribed at all
    (
        "vulnerability-critical",
        "repository_vulnerability_alert/create.json",
        _set("alert.severity", "critical"),
    ),
    (
        "code-scanning-warning",
        "code_scanning_alert/created.json",
        _set("alert.rule.severity", "warning"),
    ),
    ("code-scanning-fixed", "code_scanning_alert/created.json", _set("action", "fixed")),
]


@pytest.mark.parametrize(
    ("payload", "change"), [c[1:] for c in MUST_NOT_FIRE], ids=[c[0] for c in MUST_NOT_FIRE]
)
@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_edited_payload_must_not_fire(
    example: str,
    payload: str,
    change: Change,
    folders: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = edited(tmp_path, payload, change)
    report = simulate(capsys, folders[example], payload.split("/")[0], path)
    assert undecided(report) == []
    assert fired(report) == set()


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_a_gate_agents_own_push_does_not_restart_pr_flow(
    example: str, folders: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change = _all(_set("sender.login", GATE_BOTS[example]), _set("sender.type", "Bot"))
    report = simulate(capsys, folders[example], "pull_request", edited(tmp_path, PR_SYNC, change))
    assert fired(report) == set()


# (id, payload, change, the pair that fires, name, parameters) for edits that must fire: the
# routes the shared payloads never reach, so their filters are not only ever seen rejecting.
MUST_FIRE: list[tuple[str, str, Change, tuple[str, str], str, dict[str, str]]] = [
    (
        "issue-labeled-agent-label",
        ISSUE_LABELED,
        AGENT_LABELED,
        ISSUE_FLOW,
        "issue-flow-1",
        {
            "issue-number": "1",
            "issue-title": "Spelling error in the README file",
            "actors": "Codertocat",  # the labeler (sender), not the issue's author
        },
    ),
    (
        # the issue's author is nobody to us: the labeler is the actor the flow authorizes
        "issue-by-outsider-labeled-by-member",
        ISSUE_LABELED,
        _all(
            AGENT_LABELED,
            _set("issue.author_association", "NONE"),
            _set("issue.user.login", "outsider"),
        ),
        ISSUE_FLOW,
        "issue-flow-1",
        {"issue-number": "1", "actors": "Codertocat"},
    ),
    (
        "review-changes-requested",
        "pull_request_review/submitted.json",
        _set("review.state", "changes_requested"),
        REVIEW,
        "review-237895671",
        {
            "comment-id": "237895671",
            "claim-id": "237895671",
            "comment-kind": "review",
            "pr-number": "2",
            "actors": "Codertocat",
        },
    ),
    (
        "workflow-run-failed-on-pr-branch",
        RUN_COMPLETED,
        FAILED_RUN,
        WORKFLOW_RUN,
        "ci-2-3484a3fb816e",  # (PR, head SHA): every failure of that head is one run
        {
            "head-ref": "feature",
            "run-id": "289782451",
            "run-kind": "workflow-run",
            "actors": "Codertocat",
        },
    ),
    (
        "dependabot-high",
        "dependabot_alert/created.json",
        _set("alert.security_advisory.severity", "high"),
        DEPENDABOT,
        "sec-dependabot-20",  # named by alert number: a redelivery collides
        {"alert-kind": "dependabot", "severity": "high", "alert-number": "20"},
    ),
]


@pytest.mark.parametrize(
    ("payload", "change", "pair", "name", "params"),
    [c[1:] for c in MUST_FIRE],
    ids=[c[0] for c in MUST_FIRE],
)
@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_edited_payload_must_fire(
    example: str,
    payload: str,
    change: Change,
    pair: tuple[str, str],
    name: str,
    params: dict[str, str],
    folders: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = edited(tmp_path, payload, change)
    report = simulate(capsys, folders[example], payload.split("/")[0], path)
    assert undecided(report) == []
    assert fired(report) == {pair}
    workflow = resource(report, pair)
    assert workflow["metadata"]["name"] == name
    assert workflow["metadata"]["labels"]["pipelines.agents.platform/repository"] == (
        EXAMPLES[example].label
    )
    got = parameters(workflow)
    assert {k: got.get(k) for k in params} == params


@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_an_agent_bots_failed_run_still_reaches_ci_remediation(
    example: str, folders: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    change = _all(FAILED_RUN, _set("sender.login", AGENT_BOTS[example]), _set("sender.type", "Bot"))
    path = edited(tmp_path, RUN_COMPLETED, change)
    report = simulate(capsys, folders[example], "workflow_run", path)
    assert fired(report) == {WORKFLOW_RUN}


@pytest.mark.parametrize(
    ("change", "pair", "name"),
    [
        (
            _all(_set("pull_request.labels", []), _set("pull_request.head.ref", "task-12-parser")),
            RESUME_BRANCH,
            "task-12",
        ),
        # a label naming another task changes nothing: the branch decides, one resume
        (
            _all(
                _set("pull_request.labels", _labels("task-7")),
                _set("pull_request.head.ref", "task-12-parser"),
            ),
            RESUME_BRANCH,
            "task-12",
        ),
    ],
    ids=["branch", "label-and-branch"],
)
@pytest.mark.parametrize("example", sorted(EXAMPLES))
def test_a_merged_task_pr_resumes_its_task(
    example: str,
    change: Change,
    pair: tuple[str, str],
    name: str,
    folders: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = edited(tmp_path, "pull_request/closed.merged.json", change)
    report = simulate(capsys, folders[example], "pull_request", path)
    assert fired(report) == {pair}
    sensor = next(s for s in report["sensors"] if s["name"] == pair[0])
    trigger = next(t for t in sensor["triggers"] if t["name"] == pair[1])
    assert trigger["operation"] == "resume"
    assert trigger["resource"]["metadata"]["name"] == f"{EXAMPLES[example].service}-{name}"


# Issue 4: "severity >= configured threshold (default high)". A code scanning alert of a
# security query carries `rule.security_severity_level` (low..critical), which decides; a rule
# without one falls back to its problem severity (`error` counts as high).
@pytest.mark.parametrize(
    ("severity", "level", "expected"),
    [
        ("error", "medium", set()),
        ("warning", "critical", {CODE_SCANNING}),
        ("warning", "high", {CODE_SCANNING}),
        ("note", "low", set()),
        ("warning", None, set()),
        ("error", None, {CODE_SCANNING}),
    ],
    ids=[
        "error-but-medium",
        "warning-but-critical",
        "warning-but-high",
        "low",
        "no-level-warning",
        "no-level-error",
    ],
)
def test_code_scanning_gates_on_the_security_severity(
    severity: str,
    level: str | None,
    expected: set[tuple[str, str]],
    folders: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    change = _all(
        _set("alert.rule.severity", severity), _set("alert.rule.security_severity_level", level)
    )
    path = edited(tmp_path, "code_scanning_alert/created.json", change)
    report = simulate(capsys, folders["basic"], "code_scanning_alert", path)
    assert fired(report) == expected


# Regression: the ci-failure Sensor's PR label reads the first pull request with
# `(index .Input "body" "check_run" "pull_requests" 0 "number")`; with the index as the string
# "0", Go's `index` fails on a slice and Argo Events fell back to the label `unknown`, so the
# started workflow lacked its PR correlation label.
@pytest.mark.parametrize(
    ("payload", "change", "pair", "pr"),
    [
        (RUN_COMPLETED, FAILED_RUN, WORKFLOW_RUN, "2"),
    ],
    ids=["workflow-run"],
)
def test_ci_remediation_is_labelled_with_its_pr(
    payload: str,
    change: Change,
    pair: tuple[str, str],
    pr: str,
    folders: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = edited(tmp_path, payload, change)
    report = simulate(capsys, folders["basic"], payload.split("/")[0], path)
    assert fired(report) == {pair}
    workflow = resource(report, pair)
    assert parameters(workflow)["pr-number"] == pr
    assert workflow["metadata"]["labels"]["pipelines.agents.platform/pr"] == pr


# ---------------------------------------------------------------- --batch


def _installed_copy(tmp_path: Path, repository: str) -> Path:
    """Every shared payload, as if delivered from `repository` (the EventSource's scope)."""
    root = tmp_path / "webhooks"
    for path in WEBHOOKS.glob("*/*.json"):
        body = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(body.get("repository"), dict):
            body = copy.deepcopy(body)
            moved(body, body["repository"]["full_name"], repository)
        out = root / path.relative_to(WEBHOOKS)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(body), encoding="utf-8")
    return root


def test_batch_on_the_basic_example_follows_the_table(
    folders: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = _installed_copy(tmp_path, EXAMPLES["basic"].repository)
    argv = ["simulate", "--batch", str(root), "--manifests", str(folders["basic"])]
    assert main([*argv, "--format", "json", "--time", TIME]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["file"] for line in lines] == sorted(EXPECTED)
    for line in lines:
        assert line["type"] == line["file"].split("/")[0]
        assert (line["unsupported"], line["errors"], line.get("problem")) == ([], [], None)
        assert {(f["sensor"], f["trigger"]) for f in line["fired"]} == EXPECTED[line["file"]]
        for f in line["fired"]:
            assert f["operation"] == "submit"
            if line["file"] in WORKFLOWS and not f["name"].startswith("sec-"):
                assert f["name"] == WORKFLOWS[line["file"]]["name"]


def test_batch_text_lines_on_the_unmodified_payloads(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The real folder and payloads: one line per payload, exit 0, and nothing fires because
    the shared payloads come from repositories the example's webhook is not installed on."""
    argv = ["simulate", "--batch", str(WEBHOOKS), "--manifests", str(EXAMPLES["basic"].folder)]
    assert main([*argv, "--time", TIME]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == sorted(EXPECTED)
    for line in lines:
        file, event_type, shown = line.split("\t")
        assert (event_type, shown) == (file.split("/")[0], "-")
