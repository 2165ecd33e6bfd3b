"""The guard every agent flow runs first: who may start it, on which branch, how often, once.

A webhook's `author_association` is a cheap Sensor pre-filter only (`MEMBER` is any org member,
`COLLABORATOR` includes read and triage). The `authorize` step asks GitHub, at run time:

- each actor's real permission (`GET /repos/{o}/{r}/collaborators/{u}/permission`, the higher of
  `role_name` and `permission`) is at least `events.requiredPermission`; our own bots pass by
  name (CI remediates their pushes), every other bot is refused;
- for a pull request (GraphQL `pullRequest`): the head is not a fork (`isCrossRepository`), the
  PR is open, its head ref is neither the default branch nor a protected pattern, and, when the
  event named a head SHA, the PR's head is still that SHA (a newer push supersedes this run);
- for a branch the flow will create: not protected;
- a claim on GitHub, so a redelivery after the workflow's TTL starts nothing: a commit status
  `agents/<claim>` on the PR's head, or on `claim-sha` (the event's SHA, for a flow whose head
  check allows our own bots' pushes) (present: skip), the workflow's `rocket` reaction on the
  issue (GitHub answers 200 instead of 201 when it exists: skip), or, for an event with neither
  a PR nor an issue (a security alert), the git ref `refs/agents/claims/<ref-claim>` created at
  the default branch's head (creating a ref is atomic: GitHub answers 422 when it exists: skip;
  hidden refs outside `refs/heads` and `refs/tags` show in no branch or tag list);
- an attempt cap counted on GitHub (the PR's `<prefix>N` label), not by listing workflows.

The script is constant text; every input arrives as an environment variable, is validated in
shell before use, and never reaches a command line unquoted. It prints `run` or `skip` (its
result; diagnostics go to stderr) and runs as `GUARD_SERVICE_ACCOUNT`, which has no rules and
no token mounted: it handles payload data, so it gets no Kubernetes API access.

Flows that push to a pull request's branch hold `pr_mutex` (one flow per PR at a time); flows
that create a branch hold `branch_mutex` of it.

A flow that runs several agents which push to one PR branch checks the head with
`recheck_template` before its first agent and again before each later one, instead of the strict
`head-sha` check: the head must still be the event's SHA or ahead of it only by our own bots'
commits. A human push during the run means a newer event's run (waiting on the PR mutex) owns
the branch now, so the older run stops before its next agent pushes; and the newer run still
runs when the older one's agent pushed on top of that human push before it stopped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hera.workflows import Env, Parameter, Script, Task
from hera.workflows import models as _m

from hera_pipelines.config.project import Project
from hera_pipelines.conventions.names import dns_label
from hera_pipelines.events.actors import our_bot_logins
from hera_pipelines.resources.rbac import GUARD_SERVICE_ACCOUNT
from hera_pipelines.resources.semaphores import github_api_semaphore
from hera_pipelines.workflows.contract import FlowParam, Kind, Trust
from hera_pipelines.workflows.frame import git_token_env, step_resources

__all__ = [
    "ACTORS",
    "AUTHORIZE",
    "AUTHORIZE_SCRIPT",
    "GUARD_INPUTS",
    "GUARD_SERVICE_ACCOUNT",
    "HEAD_CHECK",
    "RECHECK",
    "RECHECK_SCRIPT",
    "RUN",
    "authorize_task",
    "authorize_template",
    "branch_mutex",
    "pr_mutex",
    "recheck_task",
    "recheck_template",
    "unprivileged",
    "when_authorized",
]

#: The authorize step's template and task name (a structural test finds it by this name).
AUTHORIZE = "authorize"
#: The guard's `outputs.result` when the flow may go on.
RUN = "run"
#: GitHub logins of whoever started the flow, space-separated. Checked against the login regex
#: by the Sensor and again in shell, then against GitHub's permission API: trusted after that.
ACTORS = FlowParam("actors", Kind.LOGINS, Trust.TRUSTED)

#: The guard template's inputs (all optional but `repository`); each becomes one env variable.
GUARD_INPUTS = (
    "repository",
    "actors",
    "pr-number",
    "head-sha",
    "branch",
    "claim",
    "claim-sha",
    "issue-claim",
    "ref-claim",
    "attempts-label",
    "max-attempts",
)

AUTHORIZE_SCRIPT = """\
set -eu
set -f
skip() { echo "not starting an agent: $*" >&2; echo skip; exit 0; }
die() { echo "authorize: $*" >&2; exit 1; }
case "$REPOSITORY" in
  */*/*|*[!A-Za-z0-9._/-]*|/*|*/|'') die "bad repository" ;;
  */*) ;;
  *) die "bad repository" ;;
esac
for n in "$PR_NUMBER" "$ISSUE_CLAIM" "$MAX_ATTEMPTS"; do
  case "$n" in *[!0-9]*) die "bad number" ;; esac
  [ "${#n}" -le 10 ] || die "bad number"
done
case "$HEAD_SHA$CLAIM_SHA" in *[!0-9a-f]*) die "bad head SHA" ;; esac
case "$CLAIM$ATTEMPTS_LABEL" in *[!A-Za-z0-9._/-]*) die "bad claim" ;; esac
case "$REF_CLAIM" in -*|*[!A-Za-z0-9-]*) die "bad claim" ;; esac
[ "${#REF_CLAIM}" -le 200 ] || die "bad claim"
[ -n "${GIT_TOKEN:-}" ] || die "no token in the git credentials Secret"
owner=${REPOSITORY%%/*}
name=${REPOSITORY#*/}
api() {
  curl -fsS -H "Accept: application/vnd.github+json" -H "Authorization: Bearer ${GIT_TOKEN}" \\
    -H "X-GitHub-Api-Version: 2022-11-28" "$@"
}
field() { grep -o "\\"$1\\": *\\"[^\\"\\\\]*\\"" | head -n 1 | sed 's/.*: *"//; s/"$//'; }
rank() {
  case "$1" in
    admin) echo 5 ;; maintain) echo 4 ;; write) echo 3 ;; triage) echo 2 ;; read) echo 1 ;;
    *) echo 0 ;;
  esac
}
need=$(rank "$REQUIRED")
[ "$need" -ge 3 ] || die "required permission must be write or higher"

# 1. every actor: a login, and at least the required permission (our own bots by name)
for login in $ACTORS; do
  ours=no
  for bot in $OUR_BOTS; do [ "$login" = "$bot" ] && ours=yes; done
  [ "$ours" = yes ] && continue
  case "$login" in -*|*[!A-Za-z0-9-]*) skip "actor is not a user login: $login" ;; esac
  [ "${#login}" -le 39 ] || skip "actor is not a user login"
  answer=$(api "${API}/repos/${REPOSITORY}/collaborators/${login}/permission") \\
    || skip "no permission on ${REPOSITORY} for ${login}"
  role=$(printf '%s' "$answer" | field role_name || true)
  perm=$(printf '%s' "$answer" | field permission || true)
  have=$(rank "$role")
  [ "$(rank "$perm")" -gt "$have" ] && have=$(rank "$perm")
  [ "$have" -ge "$need" ] || skip "${login} has ${role:-$perm} on ${REPOSITORY}, needs ${REQUIRED}"
done

protected() {
  [ "$1" = "$2" ] && return 0
  for pattern in $PROTECTED; do
    case "$1" in $pattern) return 0 ;; esac
  done
  return 1
}

# 2. the pull request: same repository, open, not protected, still at the event's head
query='query($o:String!,$n:String!,$p:Int!){repository(owner:$o,name:$n){'
query="${query}defaultBranchRef{name target{oid}} pullRequest(number:\\$p){"
query="${query}isCrossRepository state headRefName headRefOid}}}"
pr="${PR_NUMBER:-0}"
[ -n "$PR_NUMBER" ] || pr=0
body=$(printf '{"query":"%s","variables":{"o":"%s","n":"%s","p":%s}}' \\
  "$query" "$owner" "$name" "$pr")
if [ "$pr" != 0 ] || [ -n "$BRANCH" ] || [ -n "$REF_CLAIM" ]; then
  answer=$(api -X POST -d "$body" "$GRAPHQL") || die "GitHub GraphQL API failed"
  default=$(printf '%s' "$answer" | field name)
  [ -n "$default" ] || die "no default branch of ${REPOSITORY}"
fi
head=""
if [ "$pr" != 0 ]; then
  printf '%s' "$answer" | grep -q '"isCrossRepository": *false' \\
    || skip "PR #${pr} comes from a fork (or does not exist)"
  printf '%s' "$answer" | grep -q '"state": *"OPEN"' || skip "PR #${pr} is not open"
  ref=$(printf '%s' "$answer" | field headRefName)
  head=$(printf '%s' "$answer" | field headRefOid)
  [ -n "$ref" ] && [ -n "$head" ] || skip "PR #${pr} has no readable head"
  ! protected "$ref" "$default" || skip "PR #${pr}'s head ${ref} is a protected branch"
  if [ -n "$HEAD_SHA" ] && [ "$HEAD_SHA" != "$head" ]; then
    skip "PR #${pr} moved on to ${head}: a newer run handles it"
  fi
fi
if [ -n "$BRANCH" ]; then
  ! protected "$BRANCH" "$default" || skip "branch ${BRANCH} is protected"
fi

# 3. one run per event, even after the workflow is gone: a claim on GitHub
if [ -n "$CLAIM" ] && [ -n "$head" ]; then
  context="agents/${CLAIM}"
  at=${CLAIM_SHA:-$head}
  api "${API}/repos/${REPOSITORY}/commits/${at}/statuses?per_page=100" \\
    | grep -q "\\"context\\": *\\"${context}\\"" && skip "${context} already ran on ${at}"
  api -X POST -d "{\\"state\\":\\"success\\",\\"context\\":\\"${context}\\"}" \\
    "${API}/repos/${REPOSITORY}/statuses/${at}" > /dev/null || die "cannot record ${context}"
fi
if [ -n "$ISSUE_CLAIM" ] && [ "$ISSUE_CLAIM" != 0 ]; then
  code=$(api -o /dev/null -w '%{http_code}' -X POST -d '{"content":"rocket"}' \\
    "${API}/repos/${REPOSITORY}/issues/${ISSUE_CLAIM}/reactions") || die "cannot claim"
  [ "$code" = 201 ] || skip "issue #${ISSUE_CLAIM} was already taken (reaction exists)"
fi
if [ -n "$REF_CLAIM" ]; then
  ref="agents/claims/${REF_CLAIM}"
  tip=$(printf '%s' "$answer" | field oid)
  case "$tip" in ''|*[!0-9a-f]*) die "no head of ${REPOSITORY}'s default branch" ;; esac
  code=$(api -o /dev/null -w '%{http_code}' -X POST \\
    -d "{\\"ref\\":\\"refs/${ref}\\",\\"sha\\":\\"${tip}\\"}" \\
    "${API}/repos/${REPOSITORY}/git/refs") || true
  if [ "$code" != 201 ]; then
    # 422 is also GitHub's answer to a malformed request: skip only when the claim is there
    api -o /dev/null "${API}/repos/${REPOSITORY}/git/ref/${ref}" \\
      && skip "refs/${ref} exists: this event already ran" || die "cannot claim refs/${ref}"
  fi
fi

# 4. bounded attempts per PR, counted on GitHub (the `<prefix>N` label)
if [ -n "$ATTEMPTS_LABEL" ] && [ "$pr" != 0 ]; then
  labels=$(api "${API}/repos/${REPOSITORY}/issues/${pr}/labels?per_page=100")
  done_=$(printf '%s' "$labels" | grep -o "\\"${ATTEMPTS_LABEL}[0-9]*\\"" | tr -dc '0-9\\n' \\
    | sort -n | tail -n 1)
  done_=${done_:-0}
  [ "$done_" -lt "$MAX_ATTEMPTS" ] || skip "PR #${pr} used ${done_} of ${MAX_ATTEMPTS} attempts"
  if [ "$done_" -gt 0 ]; then
    api -X DELETE "${API}/repos/${REPOSITORY}/issues/${pr}/labels/${ATTEMPTS_LABEL}${done_}" \\
      > /dev/null || true
  fi
  api -X POST -d "{\\"labels\\":[\\"${ATTEMPTS_LABEL}$((done_ + 1))\\"]}" \\
    "${API}/repos/${REPOSITORY}/issues/${pr}/labels" > /dev/null || die "cannot count attempt"
fi
echo run
"""


def authorize_template(project: Project) -> Script:
    """The guard's script template, as the guard's own ServiceAccount, no token mounted."""
    events = project.events
    constants = {
        "API": project.github_api_url,
        "GRAPHQL": project.github_graphql_url,
        "REQUIRED": events.required_permission.value,
        # our agents' bots, and the bot authors whose PRs pr-flow may gate
        "OUR_BOTS": " ".join([*our_bot_logins(project), *events.routes.pull_request.bot_authors]),
        "PROTECTED": " ".join(events.protected_branches),
    }
    return Script(
        name=AUTHORIZE,
        image=project.platform.images.curl.reference,  # curl and a POSIX shell
        command=["sh"],
        source=AUTHORIZE_SCRIPT,
        inputs=[
            Parameter(name=n) if n == "repository" else Parameter(name=n, default="")
            for n in GUARD_INPUTS
        ],
        env=[
            *(Env(name=k, value=v) for k, v in constants.items()),
            *(
                Env(name=n.upper().replace("-", "_"), value=f"{{{{inputs.parameters.{n}}}}}")
                for n in GUARD_INPUTS
            ),
            git_token_env(project),
        ],
        **unprivileged(project),
        synchronization=github_api_semaphore(),
        resources=step_resources("64Mi"),
    )


def unprivileged(project: Project) -> dict[str, Any]:
    """Template fields of a script step that handles payload data: no Kubernetes API access.

    The step's container runs as `GUARD_SERVICE_ACCOUNT` with no token mounted; only Argo's
    executor (the wait container, which reports the step's outputs) gets the workflows' token.
    """
    return {
        "service_account_name": GUARD_SERVICE_ACCOUNT,
        "automount_service_account_token": False,
        "executor": _m.ExecutorConfig(
            service_account_name=project.platform.workflow_service_account
        ),
    }


def authorize_task(
    template: Script,
    arguments: Mapping[str, str],
    *,
    name: str = AUTHORIZE,
    depends: str | None = None,
) -> Task:
    """A guard task: `arguments` are `{{...}}` references to (trusted) workflow parameters."""
    unknown = sorted(set(arguments) - set(GUARD_INPUTS))
    if unknown:  # pragma: no cover - a bug in a flow module, caught by any render
        raise ValueError(f"guard has no inputs {unknown}")
    return Task(name=name, template=template, arguments=dict(arguments), depends=depends)


def when_authorized(*guards: str) -> str:
    """The `when` of an agent task that runs only if every guard said `run`."""
    return " && ".join(f"{{{{tasks.{g}.outputs.result}}}} == {RUN}" for g in guards)


def pr_mutex(project: Project, pr_param: str = "pr-number") -> _m.Synchronization:
    """One flow per pull request at a time: the repository's label plus the PR number.

    Argo splits lock keys on `/`, so the repository enters as its sanitised label; with several
    repositories (`events.repositories`) two PRs of one number share a mutex, which only
    serialises more, never less.
    """
    repo = dns_label(project.repository.replace("/", "-"), 40)
    return _m.Synchronization(
        mutexes=[_m.Mutex(name=f"pr-{repo}-{{{{workflow.parameters.{pr_param}}}}}")]
    )


def branch_mutex(project: Project, branch_key: str) -> _m.Mutex:
    """One flow per created branch at a time (`branch_key` may hold `{{...}}` references)."""
    repo = dns_label(project.repository.replace("/", "-"), 40)
    return _m.Mutex(name=f"branch-{repo}-{branch_key}")


#: The head re-check's template and task name (a structural test finds it by this name).
RECHECK = "recheck-head"
#: The task name of the head check before a flow's first agent (same template).
HEAD_CHECK = "check-head"

#: Before a later agent that pushes to the PR branch: is the PR's head still the event's SHA, or
#: ahead of it only by commits whose author and committer are all our own bots (the earlier
#: agents' pushes)? Prints `run`, else `skip`: a human push, a force push (diverged) or a closed
#: PR means a newer event's run owns the branch. Python, not shell: the compare API's answer
#: must be read structurally (its base commit's author is not one of the new commits'). Inputs:
#: env variables only, validated before use; VERDICT is the authorize step's result, so the step
#: may always run (a `when` cannot read a skipped task's output) and says `skip` for a refused
#: flow without calling GitHub.
RECHECK_SCRIPT = """\
import json, os, re, sys, urllib.error, urllib.request


def skip(why):
    print("not starting the next agent: " + why, file=sys.stderr)
    print("skip")
    sys.exit(0)


if os.environ.get("VERDICT") != "run":
    skip("the flow was not authorized")
repo, number, sha = os.environ["REPOSITORY"], os.environ["PR_NUMBER"], os.environ["HEAD_SHA"]
if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}", repo):
    sys.exit("bad repository")
if not re.fullmatch(r"[0-9]{1,10}", number) or not re.fullmatch(r"[0-9a-f]{40}", sha):
    sys.exit("bad PR number or head SHA")
if not os.environ.get("GIT_TOKEN"):
    sys.exit("no token in the git credentials Secret")
bots = set(os.environ.get("OUR_BOTS", "").split())
api = os.environ["API"].rstrip("/") + "/repos/" + repo
headers = {
    "Accept": "application/vnd.github+json",
    "X-GitHub-Api-Version": "2022-11-28",
    "Authorization": "Bearer " + os.environ["GIT_TOKEN"],
}


def get(url):
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
        return json.load(r)


pr = get(f"{api}/pulls/{number}")
head = (pr.get("head") or {}).get("sha") or ""
if pr.get("state") != "open":
    skip(f"PR #{number} is not open")
if not re.fullmatch(r"[0-9a-f]{40}", head):
    skip(f"PR #{number} has no readable head")
if head == sha:
    print(f"PR #{number} is still at {sha}", file=sys.stderr)
    print("run")
    sys.exit(0)
try:
    compare = get(f"{api}/compare/{sha}...{head}")
except urllib.error.HTTPError as error:
    if error.code != 404:
        raise
    skip(f"{sha} is gone from PR #{number} (force push): a newer run handles it")
commits = compare.get("commits") or []
if compare.get("status") != "ahead" or not commits:
    status = compare.get("status")
    skip(f"PR #{number} moved from {sha} to {head} ({status}): a newer run handles it")
if compare.get("total_commits") != len(commits):
    skip(f"PR #{number} moved by more commits than the compare lists")
for commit in commits:
    for role in ("author", "committer"):
        login = (commit.get(role) or {}).get("login") or ""
        if login not in bots:
            who = login or "an unlinked account"
            skip(f"PR #{number} moved to {head} by {who}: a newer run handles it")
print(f"PR #{number} moved from {sha} to {head} by our own agents only", file=sys.stderr)
print("run")
"""


def recheck_template(project: Project) -> Script:
    """The head re-check's template: like the guard, a constant script with env inputs only,
    as the guard's ServiceAccount with no token mounted (it reads the PR through GitHub only)."""
    constants = {"API": project.github_api_url, "OUR_BOTS": " ".join(our_bot_logins(project))}
    inputs = ("verdict", "repository", "pr-number", "head-sha")
    return Script(
        name=RECHECK,
        image=project.platform.images.python.reference,
        command=["python"],
        source=RECHECK_SCRIPT,
        inputs=[Parameter(name=n) for n in inputs],
        env=[
            *(Env(name=k, value=v) for k, v in constants.items()),
            *(
                Env(name=n.upper().replace("-", "_"), value=f"{{{{inputs.parameters.{n}}}}}")
                for n in inputs
            ),
            git_token_env(project),
        ],
        **unprivileged(project),
        synchronization=github_api_semaphore(),
        resources=step_resources(),
    )


def recheck_task(template: Script, *, after: str, name: str = RECHECK) -> Task:
    """The re-check after task `after` (a pushing agent), before the next agent.

    No `when`: it runs whether `after` ran or was skipped (a plain `depends` is
    Succeeded||Skipped||Daemoned) and reads the guard's verdict as an input, so the next
    agent's `when` may read its result.
    """
    return Task(
        name=name,
        template=template,
        depends=after,
        arguments={
            "verdict": f"{{{{tasks.{AUTHORIZE}.outputs.result}}}}",
            "repository": "{{workflow.parameters.repository}}",
            "pr-number": "{{workflow.parameters.pr-number}}",
            "head-sha": "{{workflow.parameters.head-sha}}",
        },
    )
