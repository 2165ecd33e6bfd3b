"""Who may start an agent, and how often: the decisions and the rendered guard (issue 10, B).

Each matrix row is a real GitHub payload from `tests/data/webhooks`, moved to the example's
repository and edited in the test, decided by the real CLI (`simulate ... --format json`) over
the rendered examples. The rendered-structure tests walk every WorkflowTemplate that runs an
agent (a task with a `templateRef` to coderun-template), not a list of names.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from hera_pipelines.cli import main
from hera_pipelines.render.set import ManifestSet
from hera_pipelines.templates import FLOWS
from hera_pipelines.workflows.guard import (
    AUTHORIZE,
    AUTHORIZE_SCRIPT,
    GUARD_SERVICE_ACCOUNT,
    RECHECK_SCRIPT,
)
from tests.conftest import moved
from tests.events.conftest import ROOT, WEBHOOKS

Edit = Callable[[dict[str, Any]], None]
DELIVERY = "0b7e9a52-1c3d-4e5f-8a9b-0123456789ab"
#: The guard's inputs that claim an event on GitHub (status, reaction, git ref).
CLAIMS = ("claim", "issue-claim", "ref-claim")
MANIFESTS = {name: ROOT / "examples" / name / "manifests" for name in ("basic", "taskmaster")}


def _repository(example: str) -> str:
    config = ROOT / "examples" / example / "pipelines.yaml"
    if not config.exists():  # a config written by the test itself
        return "acme/widgets"
    text = config.read_text(encoding="utf-8")
    found = re.search(r"^repository: (\S+)$", text, re.M)
    assert found
    return found.group(1)


def _set(path: str, value: Any) -> Edit:
    def edit(body: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node: Any = body
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = copy.deepcopy(value)

    return edit


def _all(*edits: Edit) -> Edit:
    def edit(body: dict[str, Any]) -> None:
        for one in edits:
            one(body)

    return edit


def decide(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    payload: str,
    edit: Edit | None = None,
    example: str = "basic",
) -> dict[tuple[str, str], dict[str, Any]]:
    """(sensor, trigger) → the Workflow it submits, for every trigger that fires."""
    body = json.loads((WEBHOOKS / payload).read_text(encoding="utf-8"))
    moved(body, body["repository"]["full_name"], _repository(example))
    if edit is not None:
        edit(body)
    path = tmp_path / payload.replace("/", ".")
    path.write_text(json.dumps(body), encoding="utf-8")
    argv = ["simulate", "--event", payload.split("/")[0], str(path)]
    argv += ["--manifests", str(MANIFESTS[example]), "--format", "json", "--delivery", DELIVERY]
    argv += ["--source", "github", "--name", "github"]
    assert main(argv) == 0
    report = json.loads(capsys.readouterr().out)
    out = {}
    for sensor in report["sensors"]:
        for dep in sensor["dependencies"]:
            assert dep["matched"] is not None, (sensor["name"], dep)
        for trigger in sensor["triggers"]:
            assert trigger["status"] != "error", trigger
            if trigger["fired"]:
                out[(sensor["name"], trigger["name"])] = trigger["resource"]
    return out


def params(workflow: dict[str, Any]) -> dict[str, str]:
    return {p["name"]: p.get("value") for p in workflow["spec"]["arguments"]["parameters"]}


PR_FLOW = ("github-pull-request", "pr-flow")
ISSUE_COMMENT = ("github-review", "issue-comment")
REVIEW_COMMENT = ("github-review", "review-comment")
REVIEW = ("github-review", "review")
ISSUE_FLOW = ("github-issue", "issue-flow")
WORKFLOW_RUN = ("github-ci-failure", "workflow-run")
DEPENDABOT = ("github-security-alert", "dependabot")
PLAY_COMMENT = ("github-play", "play-comment")

PROSE = _set("comment.body", "Please rename this variable.")
CHANGES_REQUESTED = _set("review.state", "changes_requested")
LABELED = _all(
    _set("issue.labels", [{"name": "agent:implement"}]), _set("label", {"name": "agent:implement"})
)

# ---------------------------------------------------------------- the authorization matrix

# route → (payload, edit making it start, the object whose association counts, its trigger)
ROUTES: dict[str, tuple[str, Edit | None, str, tuple[str, str]]] = {
    "pull-request": ("pull_request/opened.json", None, "pull_request", PR_FLOW),
    "pull-request-sync": ("pull_request/synchronize.json", None, "pull_request", PR_FLOW),
    "issue-comment": (
        "issue_comment/created.on-pull-request.json",
        PROSE,
        "comment",
        ISSUE_COMMENT,
    ),
    "review-comment": ("pull_request_review_comment/created.json", None, "comment", REVIEW_COMMENT),
    "review": ("pull_request_review/submitted.json", CHANGES_REQUESTED, "review", REVIEW),
}
# GitHub's associations; the Sensor's cheap pre-filter trusts the first three (the flow then
# checks the real permission through the API, see the rendered-structure tests below)
ASSOCIATIONS = {
    "OWNER": True,
    "MEMBER": True,
    "COLLABORATOR": True,
    "CONTRIBUTOR": False,
    "FIRST_TIME_CONTRIBUTOR": False,
    "FIRST_TIMER": False,
    "MANNEQUIN": False,
    "NONE": False,
}
# where the fork is: the head repository of the PR (payloads that carry it)
FORKABLE = {"pull-request", "pull-request-sync", "review-comment", "review"}


def _matrix() -> list[tuple[str, str, bool, bool]]:
    rows = []
    for route in ROUTES:
        for association, trusted in ASSOCIATIONS.items():
            for fork in (False, True) if route in FORKABLE else (False,):
                rows.append((route, association, fork, trusted and not fork))
    return rows


@pytest.mark.parametrize(
    ("route", "association", "fork", "starts"),
    _matrix(),
    ids=[f"{r}-{a}-{'fork' if f else 'same'}" for r, a, f, _ in _matrix()],
)
def test_association_and_fork_matrix(
    route: str,
    association: str,
    fork: bool,
    starts: bool,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    payload, base, holder, pair = ROUTES[route]
    edits = [e for e in (base,) if e is not None]
    edits.append(_set(f"{holder}.author_association", association))
    if fork:
        edits.append(_set("pull_request.head.repo.full_name", "mallory/Hello-World"))
    fired = decide(tmp_path, capsys, payload, _all(*edits))
    assert set(fired) == ({pair} if starts else set())
    if starts:
        actors = params(fired[pair])["actors"].split()
        assert actors and all(re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}", a) for a in actors)


# who acts: (route, edit, starts, the actors the flow authorizes)
ACTORS: list[tuple[str, str, Edit | None, bool, list[str]]] = [
    # PR: the author and the sender are both authorized by the flow
    ("pr-by-member", "pull_request/synchronize.json", None, True, ["Codertocat", "Codertocat"]),
    (
        "pr-pushed-by-other",
        "pull_request/synchronize.json",
        _set("sender.login", "octocat"),
        True,
        ["Codertocat", "octocat"],
    ),
    (
        "pr-by-dependabot",
        "pull_request/opened.json",
        _all(
            _set("pull_request.user.login", "dependabot[bot]"),
            _set("sender", {"login": "dependabot[bot]", "type": "Bot"}),
        ),
        False,
        [],
    ),
    (
        "pr-sender-our-agent",
        "pull_request/synchronize.json",
        _set("sender", {"login": "5dlabs-rex[bot]", "type": "Bot"}),
        False,
        [],
    ),
    (
        "pr-by-our-implementation-agent",
        "pull_request/opened.json",
        _all(
            _set("pull_request.user.login", "5dlabs-rex[bot]"),
            _set("sender", {"login": "5dlabs-rex[bot]", "type": "Bot"}),
        ),
        False,
        [],
    ),
    (
        "pr-odd-login",
        "pull_request/synchronize.json",
        _set("sender.login", "a b"),
        False,
        [],
    ),
    # comments: the commenter (a user login) is the actor
    (
        "comment-by-member",
        "issue_comment/created.on-pull-request.json",
        PROSE,
        True,
        ["chhsia0"],
    ),
    (
        "comment-by-bot-login",
        "issue_comment/created.on-pull-request.json",
        _all(PROSE, _set("comment.user.login", "evil[bot]")),
        False,
        [],
    ),
    # issues: the labeler is the actor, whoever wrote the issue
    (
        "issue-labeled-by-member",
        "issues/labeled.json",
        _all(LABELED, _set("issue.user.login", "outsider")),
        True,
        ["Codertocat"],
    ),
    (
        "issue-labeled-by-bot",
        "issues/labeled.json",
        _all(LABELED, _set("sender", {"login": "5dlabs-morgan[bot]", "type": "Bot"})),
        False,
        [],
    ),
    (
        "issue-other-label",
        "issues/labeled.json",
        _all(LABELED, _set("label", {"name": "bug"})),
        False,
        [],
    ),
]


@pytest.mark.parametrize(
    ("payload", "edit", "starts", "actors"),
    [row[1:] for row in ACTORS],
    ids=[row[0] for row in ACTORS],
)
def test_the_actor_is_who_acted(
    payload: str,
    edit: Edit | None,
    starts: bool,
    actors: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    fired = decide(tmp_path, capsys, payload, edit)
    assert bool(fired) == starts, fired
    for workflow in fired.values():
        assert params(workflow)["actors"].split() == actors


def test_configured_bot_authors_may_open_prs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_config: Callable[[str], Path]
) -> None:
    config = make_config(
        "repository: acme/widgets\nevents:\n  routes:\n    pullRequest:\n"
        "      botAuthors: ['dependabot[bot]']\n"
    )
    assert main(["render", "--config", str(config)]) == 0
    capsys.readouterr()
    MANIFESTS["bot-authors"] = config.parent / "manifests"
    try:
        dependabot = _all(
            _set("pull_request.user.login", "dependabot[bot]"),
            _set("pull_request.author_association", "NONE"),
            _set("sender", {"login": "dependabot[bot]", "type": "Bot"}),
        )
        fired = decide(tmp_path, capsys, "pull_request/opened.json", dependabot, "bot-authors")
        assert set(fired) == {PR_FLOW}
        other = _all(dependabot, _set("pull_request.user.login", "renovate[bot]"))
        assert decide(tmp_path, capsys, "pull_request/opened.json", other, "bot-authors") == {}
    finally:
        del MANIFESTS["bot-authors"]


# ---------------------------------------------------------------- one event, one run


def test_one_failed_actions_run_starts_one_triage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A run with failed jobs sends check_run per job and one workflow_run: one run in all."""
    same_repo = _set("workflow_run.pull_requests.0.head.repo.id", 300029405)
    failed = _all(
        _set("workflow_run.conclusion", "failure"),
        _set("workflow_run.head_branch", "feature"),
        same_repo,
    )
    names = set()
    for attempt in (1, 2):  # a re-run of the same head is the same failure
        run = decide(
            tmp_path,
            capsys,
            "workflow_run/completed.json",
            _all(failed, _set("workflow_run.run_attempt", attempt)),
        )
        assert set(run) == {WORKFLOW_RUN}
        names.add(run[WORKFLOW_RUN]["metadata"]["name"])
    assert names == {"ci-2-3484a3fb816e"}
    for job in ("build", "lint", "test"):
        checks = decide(
            tmp_path, capsys, "check_run/completed.failure.json", _set("check_run.name", job)
        )
        assert checks == {}


def test_a_review_and_its_comments_start_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = decide(tmp_path, capsys, "pull_request_review/submitted.json", CHANGES_REQUESTED)
    review_id = json.loads(
        (WEBHOOKS / "pull_request_review/submitted.json").read_text(encoding="utf-8")
    )["review"]["id"]
    names = {review[REVIEW]["metadata"]["name"]}
    for comment_id in (1, 2, 3):
        inline = decide(
            tmp_path,
            capsys,
            "pull_request_review_comment/created.json",
            _all(
                _set("comment.id", comment_id),
                _set("comment.pull_request_review_id", review_id),
            ),
        )
        assert set(inline) == {REVIEW_COMMENT}
        names.add(inline[REVIEW_COMMENT]["metadata"]["name"])
        assert params(inline[REVIEW_COMMENT])["claim-id"] == str(review_id)
    assert names == {f"review-{review_id}"}


def test_a_security_alert_starts_one_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    severe = _set("alert.security_advisory.severity", "critical")
    fired = decide(tmp_path, capsys, "dependabot_alert/created.json", severe)
    assert set(fired) == {DEPENDABOT}
    assert fired[DEPENDABOT]["metadata"]["name"] == "sec-dependabot-20"
    legacy = _set("alert.severity", "critical")
    assert decide(tmp_path, capsys, "repository_vulnerability_alert/create.json", legacy) == {}


def test_play_on_a_pr_is_a_play_not_a_review_comment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    play = _set("comment.body", "/play")
    fired = decide(
        tmp_path, capsys, "issue_comment/created.on-pull-request.json", play, "taskmaster"
    )
    assert set(fired) == {PLAY_COMMENT}


def test_redelivery_after_ttl_is_claimed_on_github(rendered: dict[str, ManifestSet]) -> None:
    """The workflow name dedups only while the Workflow exists (TTL < GitHub's redelivery
    window): each event's identity is also claimed on GitHub by the authorize step."""
    templates = {t["metadata"]["name"]: t for t in rendered["basic"].of_kind("WorkflowTemplate")}
    claims = {
        name: _authorize_arguments(t).get("claim")
        for name, t in templates.items()
        if _agent_tasks(t)
    }
    assert claims["pr-flow"] == "pr-flow"  # with the head SHA: once per (PR, SHA)
    assert claims["ci-remediation"] == "ci-remediation"
    assert claims["comment-remediation"] == ("comment-remediation-{{workflow.parameters.claim-id}}")
    security = _authorize_arguments(templates["security-remediation"])
    assert security["ref-claim"] == (
        "security-remediation-{{workflow.parameters.alert-kind}}-"
        "{{workflow.parameters.alert-number}}"
    )
    issue = _authorize_arguments(templates["issue-flow"])
    assert issue["issue-claim"] == "{{workflow.parameters.issue-number}}"
    # once per head SHA: ci-remediation's guard checks and claims the event's SHA; pr-flow's
    # claims it (its head checks allow our bots' pushes on top of it)
    assert _authorize_arguments(templates["ci-remediation"])["head-sha"] == (
        "{{workflow.parameters.head-sha}}"
    )
    assert _authorize_arguments(templates["pr-flow"])["claim-sha"] == (
        "{{workflow.parameters.head-sha}}"
    )
    # the claim is looked up before it is recorded, and a found claim skips
    lookup = AUTHORIZE_SCRIPT.index("/commits/${at}/statuses")
    record = AUTHORIZE_SCRIPT.index('/statuses/${at}"')
    assert lookup < record
    assert 'skip "${context} already ran' in AUTHORIZE_SCRIPT
    assert '[ "$code" = 201 ] || skip' in AUTHORIZE_SCRIPT


def test_every_flow_an_event_starts_claims_it_on_github(rendered: dict[str, ManifestSet]) -> None:
    """Every WorkflowTemplate a Sensor starts that runs an agent claims its event on GitHub
    (commit status, reaction or git ref) in its guard, from TRUSTED parameters only (numbers,
    SHAs, constants: the claim's name reaches GitHub's API and a ref name)."""
    specs = {flow.spec.name: flow.spec for flow in FLOWS}
    checked = set()
    for example, manifests in rendered.items():
        started = {
            trigger["template"]["argoWorkflow"]["source"]["resource"]["spec"][
                "workflowTemplateRef"
            ]["name"]
            for sensor in manifests.of_kind("Sensor")
            for trigger in sensor["spec"]["triggers"]
            if "argoWorkflow" in trigger["template"]
            and "workflowTemplateRef"
            in trigger["template"]["argoWorkflow"]["source"]["resource"].get("spec", {})
        }
        for template in manifests.of_kind("WorkflowTemplate"):
            name = template["metadata"]["name"]
            if name not in started or not _agent_tasks(template):
                continue
            where = f"{example}: {name}"
            arguments = _authorize_arguments(template)
            claims = {k: v for k, v in arguments.items() if k in CLAIMS and v}
            assert claims, f"{where}: no claim on GitHub"
            if "claim" in claims and set(claims) == {"claim"}:
                # a commit status on the PR's head: the flow names a PR
                assert arguments.get("pr-number"), where
            for value in claims.values():
                for ref in re.findall(r"\{\{workflow\.parameters\.([^}]+)\}\}", value):
                    assert not specs[name].parameter(ref).untrusted, (where, ref)
            checked.add(name)
    assert {"pr-flow", "ci-remediation", "comment-remediation", "issue-flow"} <= checked
    assert "security-remediation" in checked


# ---------------------------------------------------------------- the rendered guard


def _dag_tasks(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [t for tpl in template["spec"]["templates"] for t in tpl.get("dag", {}).get("tasks", [])]


def _agent_tasks(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        t
        for t in _dag_tasks(template)
        if t.get("templateRef", {}).get("template") == "coderun"
        and t["templateRef"]["name"] == "coderun-template"
    ]


def _authorize_arguments(template: dict[str, Any]) -> dict[str, str]:
    (task,) = [t for t in _dag_tasks(template) if t["name"] == AUTHORIZE]
    return {p["name"]: p["value"] for p in task["arguments"]["parameters"]}


def _ancestors(tasks: list[dict[str, Any]], name: str) -> set[str]:
    by_name = {t["name"]: t for t in tasks}
    seen: set[str] = set()
    todo = [name]
    while todo:
        depends = by_name[todo.pop()].get("depends") or ""
        for parent in re.findall(r"[A-Za-z0-9-]+", depends):
            if parent in by_name and parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen


def _agent_templates(rendered: dict[str, ManifestSet]) -> list[tuple[str, dict[str, Any]]]:
    out = [
        (example, t)
        for example, manifests in sorted(rendered.items())
        for t in manifests.of_kind("WorkflowTemplate")
        if _agent_tasks(t)
    ]
    return out


def test_the_walk_finds_the_agent_flows(rendered: dict[str, ManifestSet]) -> None:
    found = {t["metadata"]["name"] for _, t in _agent_templates(rendered)}
    # a sanity floor for the walk itself (the property is checked on whatever it finds)
    assert {"pr-flow", "comment-remediation", "ci-remediation", "issue-flow"} <= found
    assert "task-pipeline" in found and "security-remediation" in found


def test_every_agent_flow_is_authorized_first_and_serialised(
    rendered: dict[str, ManifestSet],
) -> None:
    for example, template in _agent_templates(rendered):
        where = f"{example}: {template['metadata']['name']}"
        tasks = _dag_tasks(template)
        guard = next(
            (tpl for tpl in template["spec"]["templates"] if tpl["name"] == AUTHORIZE), None
        )
        assert guard is not None, where
        # a constant script, no Kubernetes API access, inputs only through env
        assert guard["script"]["source"] == AUTHORIZE_SCRIPT, where
        assert guard["serviceAccountName"] == GUARD_SERVICE_ACCOUNT, where
        assert guard["automountServiceAccountToken"] is False, where
        assert "{{" not in guard["script"]["source"], where
        env = {e["name"]: e for e in guard["script"]["env"]}
        assert env["GIT_TOKEN"]["valueFrom"]["secretKeyRef"]["key"] == "token", where
        # every agent step runs after the guard, and only if it said `run`
        for agent in _agent_tasks(template):
            assert AUTHORIZE in _ancestors(tasks, agent["name"]), (where, agent["name"])
            assert "{{tasks.authorize.outputs.result}} == run" in agent.get("when", ""), where
        # nothing runs beside the guard before it decides
        roots = [t["name"] for t in tasks if not t.get("depends")]
        assert roots == [AUTHORIZE], where
        # one flow per PR (or per created branch) at a time
        mutexes = [m["name"] for m in template["spec"]["synchronization"]["mutexes"]]
        declared = {p["name"] for p in template["spec"]["arguments"]["parameters"]}
        if "pr-number" in declared:
            assert any("{{workflow.parameters.pr-number}}" in m for m in mutexes), where
        else:
            assert any(m.startswith("branch-") and "{{workflow.parameters." in m for m in mutexes)
        for name in mutexes:
            assert "/" not in name.replace("{{workflow.parameters.", "").split("}}")[0], where


def test_flows_that_push_to_a_pr_check_fork_and_actors(rendered: dict[str, ManifestSet]) -> None:
    for example, template in _agent_templates(rendered):
        declared = {p["name"] for p in template["spec"]["arguments"]["parameters"]}
        if "pr-number" not in declared:
            continue
        arguments = _authorize_arguments(template)
        where = f"{example}: {template['metadata']['name']}"
        assert arguments["pr-number"] == "{{workflow.parameters.pr-number}}", where
        assert arguments["actors"] == "{{workflow.parameters.actors}}", where
    assert "isCrossRepository" in AUTHORIZE_SCRIPT
    assert "/collaborators/${login}/permission" in AUTHORIZE_SCRIPT


def test_the_guard_identity_has_no_rules(rendered: dict[str, ManifestSet]) -> None:
    for manifests in rendered.values():
        accounts = {a["metadata"]["name"]: a for a in manifests.of_kind("ServiceAccount")}
        assert accounts[GUARD_SERVICE_ACCOUNT]["automountServiceAccountToken"] is False
        for kind in ("Role", "RoleBinding"):
            assert GUARD_SERVICE_ACCOUNT not in {
                o["metadata"]["name"] for o in manifests.of_kind(kind)
            }


def test_no_step_that_runs_code_on_run_data_can_reach_the_kubernetes_api(
    rendered: dict[str, ManifestSet],
) -> None:
    """Every script or container step that receives anything of the run (an input, a workflow
    parameter, a task's output: any `{{...}}`, payload-derived or not) runs as a ServiceAccount
    bound to no Role, with no token mounted; only resource steps (Argo's own code, a constant
    manifest) use the workflows' ServiceAccount. Walks the whole rendered set, not a list."""
    checked = 0
    for example, manifests in rendered.items():
        accounts = {a["metadata"]["name"]: a for a in manifests.of_kind("ServiceAccount")}
        bound = {
            subject["name"]
            for binding in manifests.of_kind("RoleBinding")
            for subject in binding["subjects"]
        }
        for template in manifests.of_kind("WorkflowTemplate"):
            default = template["spec"].get("serviceAccountName", "default")
            for tpl in template["spec"]["templates"]:
                code = [tpl[k] for k in ("script", "container", "containerSet") if k in tpl]
                code += tpl.get("initContainers", []) + tpl.get("sidecars", [])
                if not code:
                    continue  # dag, steps, resource, suspend: no code of ours runs
                receives = "{{" in json.dumps(code) or tpl.get("inputs", {}).get("parameters")
                if not receives:
                    continue
                where = (example, template["metadata"]["name"], tpl["name"])
                account = tpl.get("serviceAccountName", default)
                assert account not in bound, where
                assert accounts[account]["automountServiceAccountToken"] is False, where
                assert tpl.get("automountServiceAccountToken") is False, where
                checked += 1
    assert checked >= 20  # a sanity floor for the walk: guards, fetch, re-checks, git steps


def test_no_step_needs_kubectl(rendered: dict[str, ManifestSet]) -> None:
    for manifests in rendered.values():
        text = json.dumps(list(manifests.of_kind("WorkflowTemplate")))
        assert "kubectl" not in text


def test_every_sensor_dependency_pins_the_repository(rendered: dict[str, ManifestSet]) -> None:
    for example, manifests in rendered.items():
        repository = _repository(example)
        for sensor in manifests.of_kind("Sensor"):
            for dep in sensor["spec"]["dependencies"]:
                pins = [
                    f["value"]
                    for f in dep["filters"]["data"]
                    if f["path"] == "body.repository.full_name"
                ]
                assert pins == [[f"^{re.escape(repository)}$"]], (example, sensor["metadata"])


# ---------------------------------------------------------------- configuration


@pytest.mark.parametrize(
    ("events", "expected"),
    [
        # trustedAssociations where it cannot apply: refused, never silently ignored
        ("routes:\n    ci:\n      trustedAssociations: [OWNER]", "events.routes.ci.trusted"),
        (
            "routes:\n    security:\n      trustedAssociations: [OWNER]",
            "events.routes.security.trusted",
        ),
        ("routes:\n    merge:\n      trustedAssociations: [OWNER]", "events.routes.merge.trusted"),
        ("routes:\n    issue:\n      trustedAssociations: [OWNER]", "events.routes.issue.trusted"),
        ("routes:\n    pullRequest:\n      trustedAssociations: []", "pullRequest.trusted"),
        ("allowForks: true", "events.allowForks: unknown field"),
        ("url: http://hooks.example.com/github", "events.url"),
        ("requiredPermission: triage", "events.requiredPermission"),
        ("routes:\n    ci:\n      kubectlImage: x", "events.routes.ci.kubectlImage"),
        ("botLogins: ['not a login']", "events.botLogins[0]: not a GitHub login"),
        (
            # (main: events.githubApp needs events.url)
            "url: https://hooks.example.com\n  githubApp: {appId: 1, installationId: 2, "
            "githubApp: 5dlabs-rex}",
            "events.githubApp.githubApp: the webhook is managed with the GitHub App '5dlabs-rex'",
        ),
    ],
)
def test_unsafe_event_config_is_refused(
    make_config: Callable[[str], Path],
    capsys: pytest.CaptureFixture[str],
    events: str,
    expected: str,
) -> None:
    config = make_config(f"repository: acme/widgets\nevents:\n  {events}\n")
    assert main(["render", "--config", str(config)]) == 2
    assert expected in capsys.readouterr().err


def test_the_webhook_secret_cannot_be_disabled(
    make_config: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_config("repository: acme/widgets\nsecrets:\n  webhookSecret: ''\n")
    assert main(["render", "--config", str(config)]) == 2
    assert "secrets.webhookSecret" in capsys.readouterr().err


def test_enterprise_server_urls(
    make_config: Callable[[str], Path], capsys: pytest.CaptureFixture[str]
) -> None:
    config = make_config(
        "repository: acme/widgets\nplatform:\n  gitServer: https://git.example.com\n"
    )
    assert main(["render", "--config", str(config)]) == 0
    out = config.parent / "manifests"
    source = (out / "eventsource" / "github.yaml").read_text(encoding="utf-8")
    assert "githubBaseURL: https://git.example.com/api/v3/" in source
    assert "githubUploadURL: https://git.example.com/api/uploads/" in source
    for flow in ("comment-remediation", "pr-flow"):
        text = (out / "workflowtemplate" / f"{flow}.yaml").read_text(encoding="utf-8")
        assert "https://git.example.com/api/v3" in text
        assert "api.github.com" not in text


def test_play_authorizes_who_pressed_it(
    rendered: dict[str, ManifestSet], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    play = _set("comment.body", "/play")
    fired = decide(
        tmp_path, capsys, "issue_comment/created.on-pull-request.json", play, "taskmaster"
    )
    assert params(fired[PLAY_COMMENT])["actors"] == "chhsia0"  # the commenter
    bot = _all(play, _set("comment.user.login", "someone[bot]"))
    assert (
        decide(tmp_path, capsys, "issue_comment/created.on-pull-request.json", bot, "taskmaster")
        == {}
    )
    (template,) = [
        t
        for t in rendered["taskmaster"].of_kind("WorkflowTemplate")
        if t["metadata"]["name"] == "play"
    ]
    tasks = _dag_tasks(template)
    assert [t["name"] for t in tasks if not t.get("depends")] == [AUTHORIZE]
    for task in tasks:
        if task["name"] != AUTHORIZE:
            assert task["when"] == "{{tasks.authorize.outputs.result}} == run", task["name"]
    assert _authorize_arguments(template)["actors"] == "{{workflow.parameters.actors}}"


def test_pull_request_trusted_associations_are_applied(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], make_config: Callable[[str], Path]
) -> None:
    """`events.routes.pullRequest.trustedAssociations` used to render nothing."""
    config = make_config(
        "repository: acme/widgets\nevents:\n  routes:\n    pullRequest:\n"
        "      trustedAssociations: [OWNER]\n"
    )
    assert main(["render", "--config", str(config)]) == 0
    capsys.readouterr()
    MANIFESTS["owners-only"] = config.parent / "manifests"
    try:
        for association, starts in (("OWNER", True), ("MEMBER", False), ("COLLABORATOR", False)):
            edit = _set("pull_request.author_association", association)
            fired = decide(tmp_path, capsys, "pull_request/opened.json", edit, "owners-only")
            assert set(fired) == ({PR_FLOW} if starts else set()), association
    finally:
        del MANIFESTS["owners-only"]


def test_verdicts_are_read_only_from_the_guard(rendered: dict[str, ManifestSet]) -> None:
    """A `when` may only read the guard's result: the guard is a root that always runs, while a
    skipped task has no outputs and a `when` reading one fails to evaluate on the cluster."""
    for example, manifests in rendered.items():
        for template in manifests.of_kind("WorkflowTemplate"):
            for task in _dag_tasks(template):
                when = task.get("when")
                if when is None:
                    continue
                where = (example, template["metadata"]["name"], task["name"])
                read = re.findall(r"\{\{tasks\.([^.]+)\.", when)
                # or a task that always runs and carries the verdict: task-pipeline's pr-state
                # (main) has no `when` and gets the guard's result as its input
                if read == ["pr-state"]:
                    (state,) = [t for t in _dag_tasks(template) if t["name"] == "pr-state"]
                    assert "when" not in state, where
                    verdict = {p["name"]: p["value"] for p in state["arguments"]["parameters"]}
                    assert verdict == {"verdict": "{{tasks.authorize.outputs.result}}"}, where
                    continue
                assert read[0] == AUTHORIZE, where
                # or a head re-check, which always runs (no `when`) and takes the verdict too
                for name in read[1:]:
                    (recheck,) = [t for t in _dag_tasks(template) if t["name"] == name]
                    assert "when" not in recheck, where
                    verdict = {p["name"]: p["value"] for p in recheck["arguments"]["parameters"]}
                    assert verdict["verdict"] == "{{tasks.authorize.outputs.result}}", where


def _script_templates(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {t["name"]: t for t in template["spec"]["templates"] if "script" in t}


def test_a_later_agent_on_a_pr_branch_rechecks_the_head_first(
    rendered: dict[str, ManifestSet],
) -> None:
    """Every agent that pushes to a PR branch after another agent of its flow pushed there is
    preceded by a head re-check (after that earlier agent), and starts only if it said `run`:
    a human's push during the run stops the older run before its next agent pushes."""
    checked = 0
    for example, template in _agent_templates(rendered):
        declared = {p["name"] for p in template["spec"]["arguments"]["parameters"]}
        if "pr-number" not in declared:  # not a PR's branch: the flow created its own
            continue
        tasks = _dag_tasks(template)
        by_name = {t["name"]: t for t in tasks}
        scripts = _script_templates(template)
        agents = {a["name"] for a in _agent_tasks(template)}
        for agent in sorted(agents):
            ancestors = _ancestors(tasks, agent)
            earlier = agents & ancestors
            where = f"{example}: {template['metadata']['name']}/{agent}"
            if not earlier:
                # the first agent: the guard's strict check, or a head check, when the event
                # named a SHA (a comment's event names none)
                if "head-sha" in declared:
                    checked_first = _authorize_arguments(template).get("head-sha") or [
                        name
                        for name in ancestors
                        if scripts.get(by_name[name].get("template", ""), {})
                        .get("script", {})
                        .get("source")
                        == RECHECK_SCRIPT
                    ]
                    assert checked_first, f"{where}: the event's head SHA is never checked"
                continue
            rechecks = [
                name
                for name in ancestors
                if "template" in by_name[name]
                and scripts.get(by_name[name]["template"], {}).get("script", {}).get("source")
                == RECHECK_SCRIPT
                and earlier <= _ancestors(tasks, name)
            ]
            assert rechecks, f"{where}: no head re-check after {sorted(earlier)}"
            when = by_name[agent].get("when", "")
            assert any(f"{{{{tasks.{r}.outputs.result}}}} == run" in when for r in rechecks), where
            for name in rechecks:
                task = by_name[name]
                args = {p["name"]: p["value"] for p in task["arguments"]["parameters"]}
                # against the event's head SHA, with the guard's verdict; always runs
                assert args["head-sha"] == "{{workflow.parameters.head-sha}}", where
                assert args["pr-number"] == "{{workflow.parameters.pr-number}}", where
                assert args["verdict"] == "{{tasks.authorize.outputs.result}}", where
                assert "when" not in task, where
                script = scripts[task["template"]]
                assert script["serviceAccountName"] == GUARD_SERVICE_ACCOUNT, where
                assert script["automountServiceAccountToken"] is False, where
                env = {e["name"]: e for e in script["script"]["env"]}
                assert env["GIT_TOKEN"]["valueFrom"]["secretKeyRef"]["key"] == "token", where
            checked += 1
    assert checked >= 2  # a sanity floor: pr-flow's QA agent (basic, taskmaster)
