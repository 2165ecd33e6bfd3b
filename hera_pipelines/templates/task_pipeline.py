"""task-pipeline: one backlog task carried from its own worktree to a merged pull request.

worktree setup → implementation agent → format/lint agent → head snapshot → QA agent → QA paths
gate → suspended until the task's PR merges (the merge route resumes the workflow named
`naming.task_workflow_name(service, id)`) → done. An exit handler removes the worktree whatever
the outcome, and a workflow-level mutex named after the worktree makes sure no two running
workflows ever share one, even if play is pressed twice or the template is submitted by hand.

The play creates one Workflow of this template per task (`templates/play.py`) with the
arguments of `task_run.task_arguments`. Task id, title, details and test strategy are workflow
parameters holding base64 (UNTRUSTED): they reach the agents only through the agent-env Secret
(`workflows/agent_env.py`), decoded by the kubelet; the two git scripts are constant text that
read the worktree and branch (derived through the sanitiser, trusted) from environment variables.

Routing: TaskMaster's tasks.json has no agent-type field (see ../shared/taskmaster/FORMAT.md),
so every task is implemented by the agent serving the `implementation` role.

Rendered only when the project has a backlog file, together with the workspace claim.
"""

from __future__ import annotations

from typing import Any

from hera.workflows import DAG, Env, Parameter, Script, SecretEnv, Suspend, Task
from hera.workflows import models as _m

from hera_pipelines.config.agents import Role
from hera_pipelines.config.project import Project
from hera_pipelines.resources import workspace
from hera_pipelines.workflows.agent_env import AgentEnv, Static
from hera_pipelines.workflows.agent_step import agent_task
from hera_pipelines.workflows.contract import REPOSITORY, Flow
from hera_pipelines.workflows.expressions import param
from hera_pipelines.workflows.frame import flow_template, git_token_env, step_resources
from hera_pipelines.workflows.guard import (
    authorize_task,
    authorize_template,
    branch_mutex,
    unprivileged,
    when_authorized,
)
from hera_pipelines.workflows.quality import quality_chain
from hera_pipelines.workflows.task_run import (
    BASE_BRANCH,
    BRANCH,
    CODERUN_TASK_ID,
    SPEC,
    TASK_DETAILS,
    TASK_ID,
    TASK_LABEL,
    TASK_TEST_STRATEGY,
    TASK_TITLE,
    TEMPLATE,
    WORKTREE,
    default_values,
)

__all__ = [
    "CLEANUP_SCRIPT",
    "CLOSED_LABEL",
    "FLOW",
    "NAME",
    "PR_STATE_SCRIPT",
    "SETUP_SCRIPT",
    "manifests",
    "worktree_mutex",
]

NAME = TEMPLATE

_IMPLEMENT_PROMPT = (
    "Implement the backlog task in TASK_ID: its title, details and test strategy are in "
    "TASK_TITLE, TASK_DETAILS and TASK_TEST_STRATEGY. Work in the git worktree WORKTREE (relative "
    "to the workspace volume WORKSPACE_CLAIM), on the branch in HEAD_REF, created from "
    "BASE_BRANCH. Push it and open a pull request against BASE_BRANCH carrying the label in "
    "TASK_LABEL."
)

_CHECKS = """\
set -eu
set -f
case "$WORKTREE" in
  worktrees/*) ;;
  *) echo "worktree must be under worktrees/: $WORKTREE" >&2; exit 1 ;;
esac
case "$WORKTREE" in
  *..*|*//*|*/) echo "invalid worktree path: $WORKTREE" >&2; exit 1 ;;
esac
repo="${WORKSPACE}/repo.git"
tree="${WORKSPACE}/${WORKTREE}"
mkdir -p "${WORKSPACE}/worktrees"
# git's own locks do not cover concurrent worktree changes on one bare clone: take a volume lock
exec 9>"${WORKSPACE}/.worktrees.lock"
flock 9
"""

SETUP_SCRIPT = (
    _CHECKS
    + """\
remote="${GIT_SERVER}/${REPOSITORY}.git"
auth=""
if [ -n "${GIT_TOKEN:-}" ]; then
  auth="Authorization: Basic $(printf 'x-access-token:%s' "$GIT_TOKEN" | base64 | tr -d '\\n')"
fi
if [ ! -d "$repo" ]; then
  git init -q --bare "$repo"
fi
git -C "$repo" -c "http.extraHeader=${auth}" fetch -q --prune "$remote" \\
  "+refs/heads/${BASE_BRANCH}:refs/remotes/origin/${BASE_BRANCH}"
if [ -e "$tree" ]; then
  git -C "$repo" worktree remove --force "$tree" 2>/dev/null || rm -rf -- "$tree"
fi
git -C "$repo" worktree prune
git -C "$repo" worktree add -q -B "$BRANCH" "$tree" "refs/remotes/origin/${BASE_BRANCH}"
echo "worktree ${WORKTREE} on branch ${BRANCH} from ${BASE_BRANCH}"
"""
)

CLEANUP_SCRIPT = (
    _CHECKS
    + """\
if [ -d "$repo" ]; then
  git -C "$repo" worktree remove --force "$tree" 2>/dev/null || true
fi
rm -rf -- "$tree"
if [ -d "$repo" ]; then
  git -C "$repo" worktree prune
  git -C "$repo" branch -D "$BRANCH" 2>/dev/null || true
fi
echo "removed worktree ${WORKTREE} (workflow ${WORKFLOW_STATUS})"
"""
)


#: Put on a task's PR that was closed without merging, so the backlog owner sees why it failed.
CLOSED_LABEL = "agent:closed-unmerged"

# Before the merge wait: a PR merged while the chain still ran would never resume the suspend
# (a resume of a workflow with no active suspend node is a no-op), and a closed one would wait
# for the whole review deadline. Prints `open` (wait for the merge) or `merged` (skip it); with
# any guard verdict but `run` (`VERDICT`, the authorize step's result), `skip` and nothing else.
PR_STATE_SCRIPT = """\
set -eu
if [ "$VERDICT" != run ]; then
  echo "not authorized: nothing ran, nothing to wait for" >&2
  echo skip
  exit 0
fi
case "$REPOSITORY" in */*) ;; *) echo "bad repository" >&2; exit 1 ;; esac
case "$BRANCH" in ''|*[!A-Za-z0-9._/-]*) echo "bad branch" >&2; exit 1 ;; esac
api() {
  if [ -n "${GIT_TOKEN:-}" ]; then
    curl -fsSL -H "Accept: application/vnd.github+json" \\
      -H "Authorization: Bearer ${GIT_TOKEN}" "$@"
  else
    curl -fsSL -H "Accept: application/vnd.github+json" "$@"
  fi
}
owner="${REPOSITORY%%/*}"
query="state=all&per_page=1&head=${owner}:${BRANCH}"
pulls=$(api "${GITHUB_API}/repos/${REPOSITORY}/pulls?${query}" | tr -d '\\r\\n')
number=$(printf '%s' "$pulls" | grep -o '"number": *[0-9]*' | head -n 1 | grep -o '[0-9]*$' || true)
if [ -z "$number" ]; then
  echo "no pull request from ${BRANCH} in ${REPOSITORY}: the implementation agent opened none" >&2
  exit 1
fi
state=$(printf '%s' "$pulls" | grep -o '"state": *"[a-z]*"' | head -n 1 | grep -o '[a-z]*"$' \\
  | tr -d '"' || true)
merged=$(printf '%s' "$pulls" | grep -o '"merged_at": *[n"]' | head -n 1 | grep -o '.$' || true)
if [ "$merged" = '"' ]; then
  echo "pull request #${number} is already merged: not waiting" >&2
  echo merged
elif [ "$state" = open ]; then
  echo "pull request #${number} is open: waiting for its merge" >&2
  echo open
else
  api -X POST -d "{\\"labels\\":[\\"${CLOSED_LABEL}\\"]}" \\
    "${GITHUB_API}/repos/${REPOSITORY}/issues/${number}/labels" >/dev/null || true
  echo "pull request #${number} was closed without merging: task failed" >&2
  exit 1
fi
"""


def github_api(project: Project) -> str:
    """The REST API base of `platform.gitServer` (GitHub Enterprise: `<server>/api/v3`)."""
    server = project.platform.git_server
    return "https://api.github.com" if server == "https://github.com" else f"{server}/api/v3"


def worktree_mutex(claim: str, worktree: str) -> str:
    """The mutex held by a task's workflow: the claim and the worktree path it owns."""
    return f"{claim}:{worktree}"


def _volume_mounts() -> list[_m.VolumeMount]:
    return [_m.VolumeMount(name=workspace.VOLUME, mount_path=workspace.MOUNT)]


def _git_env(project: Project) -> list[Env | SecretEnv]:
    return [
        Env(name="WORKSPACE", value=workspace.MOUNT),
        Env(name="WORKTREE", value=param("worktree")),
        Env(name="BRANCH", value=param("branch")),
        Env(name="BASE_BRANCH", value=param("base-branch")),
        Env(name="REPOSITORY", value=param("repository")),
        Env(name="GIT_SERVER", value=project.platform.git_server),
        git_token_env(project),
    ]


def manifests(project: Project) -> list[dict[str, Any]]:
    if project.backlog is None:
        return []
    claim = workspace.claim_name(project)
    env = AgentEnv(
        SPEC,
        {
            "REPOSITORY": REPOSITORY,
            "TASK_ID": TASK_ID,
            "TASK_TITLE": TASK_TITLE,
            "TASK_DETAILS": TASK_DETAILS,
            "TASK_TEST_STRATEGY": TASK_TEST_STRATEGY,
            "TASK_LABEL": TASK_LABEL,
            "HEAD_REF": BRANCH,
            "BASE_BRANCH": BASE_BRANCH,
            "WORKTREE": WORKTREE,
            "WORKSPACE_CLAIM": Static(claim),
        },
    )
    resources = step_resources("512Mi")
    with flow_template(
        project,
        SPEC,
        description="one backlog task: worktree, implementation agent, format/lint, QA, then "
        "suspended until its pull request merges; the worktree is removed on exit.",
        defaults=default_values(project),
        waits_for_review=True,
    ) as template:
        template.on_exit = "cleanup-worktree"
        template.volumes = [
            _m.Volume(
                name=workspace.VOLUME,
                persistent_volume_claim=_m.PersistentVolumeClaimVolumeSource(claim_name=claim),
            )
        ]
        template.synchronization = _m.Synchronization(
            mutexes=[
                _m.Mutex(name=worktree_mutex(claim, param("worktree"))),
                branch_mutex(project, param("task-label")),  # the sanitised task id
            ]
        )
        guard = authorize_template(project)
        setup = Script(
            name="setup-worktree",
            image=project.platform.images.git.reference,
            command=["sh"],
            source=SETUP_SCRIPT,
            env=_git_env(project),
            volume_mounts=_volume_mounts(),
            resources=resources,
            **unprivileged(project),
        )
        Script(
            name="cleanup-worktree",
            image=project.platform.images.git.reference,
            command=["sh"],
            source=CLEANUP_SCRIPT,
            env=[*_git_env(project), Env(name="WORKFLOW_STATUS", value="{{workflow.status}}")],
            volume_mounts=_volume_mounts(),
            resources=resources,
            **unprivileged(project),
        )
        pr_state = Script(
            name="pr-state",
            image=project.platform.images.curl.reference,
            command=["sh"],
            source=PR_STATE_SCRIPT,
            inputs=[Parameter(name="verdict")],
            env=[
                Env(name="VERDICT", value="{{inputs.parameters.verdict}}"),
                Env(name="REPOSITORY", value=param("repository")),
                Env(name="BRANCH", value=param("branch")),
                Env(name="GITHUB_API", value=github_api(project)),
                Env(name="CLOSED_LABEL", value=CLOSED_LABEL),
                git_token_env(project),
            ],
            resources=step_resources("128Mi"),
            **unprivileged(project),  # reads the task's branch: no Kubernetes API access
        )
        wait = Suspend(name="wait-for-merge")
        env_step = env.template()
        with DAG(name="main"):
            # the play was authorized by its route; here: the task's branch is not protected
            authorize = authorize_task(
                guard, {"repository": param("repository"), "branch": param("branch")}
            )
            authorized = when_authorized(authorize.name)
            written = env.task(env_step, depends=authorize.name)
            written.when = authorized
            worktree = Task(
                name="worktree", template=setup, depends=authorize.name, when=authorized
            )
            implement = agent_task(
                project,
                Role.IMPLEMENTATION,
                "implement",
                flow=NAME,
                env=env,
                prompt=_IMPLEMENT_PROMPT,
                task_id=param(CODERUN_TASK_ID.name),
                depends=f"{worktree.name} && {written.name}",
                routed=True,
            )
            implement.when = authorized
            gate = quality_chain(
                project,
                NAME,
                head_ref=BRANCH,
                env=env,
                depends=implement.name,
                when=authorized,
            )
            # no `when`: it always runs and carries the guard's verdict (a `when` reading a
            # skipped task's output fails to evaluate), so `merged` may read its result
            state = Task(
                name="pr-state",
                template=pr_state,
                depends=gate.name,
                arguments={"verdict": f"{{{{tasks.{authorize.name}.outputs.result}}}}"},
            )
            merged = Task(name="merged", template=wait, depends=state.name)
            merged.when = f"{{{{tasks.{state.name}.outputs.result}}}} == open"
    return [workspace.claim(project), template.to_dict()]


FLOW = Flow(SPEC, manifests)
