"""task-pipeline: one backlog task carried from its own worktree to a merged pull request.

worktree setup → implementation agent → format/lint agent → head snapshot → QA agent → QA paths
gate → suspended until the task's PR merges (the merge route resumes the workflow named
`naming.task_workflow_name(service, id)`) → done. An exit handler removes the worktree whatever
the outcome, and a workflow-level mutex named after the worktree makes sure no two running
workflows ever share one, even if play is pressed twice or the template is submitted by hand.

The play creates one Workflow of this template per task (`templates/play.py`) with the
arguments of `task_run.task_arguments`. Task title, details and test strategy are workflow
parameters: they reach the agents only through `expr_env` (JSON-encoded inside an Argo
expression), and the two git scripts are constant text that read the worktree and branch
from environment variables.

Routing: TaskMaster's tasks.json has no agent-type field (see ../shared/taskmaster/FORMAT.md),
so every task is implemented by the agent serving the `implementation` role.

Rendered only when the project has a backlog file, together with the workspace claim.
"""

from __future__ import annotations

from typing import Any

from hera.workflows import DAG, Env, Script, SecretEnv, Suspend, Task
from hera.workflows import models as _m

from hera_pipelines.config.agents import Role
from hera_pipelines.config.project import Project
from hera_pipelines.resources import workspace
from hera_pipelines.workflows.agent_step import agent_task
from hera_pipelines.workflows.contract import Flow
from hera_pipelines.workflows.expressions import expr_str, param, wf_param
from hera_pipelines.workflows.frame import flow_template, git_token_env, step_resources
from hera_pipelines.workflows.guard import (
    authorize_task,
    authorize_template,
    branch_mutex,
    unprivileged,
    when_authorized,
)
from hera_pipelines.workflows.quality import quality_chain
from hera_pipelines.workflows.task_run import SPEC, TEMPLATE, default_values

__all__ = [
    "CLEANUP_SCRIPT",
    "FLOW",
    "NAME",
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


# CodeRun.spec.taskId is an integer: numeric task ids (≤ 9 digits) pass through, any other id
# becomes 0 (the agent still gets the real id in TASK_ID). No braces inside the expression.
_CODERUN_TASK_ID = (
    "{{=sprig.regexMatch('^[0-9]+$', workflow.parameters['task-id']) "
    "&& len(workflow.parameters['task-id']) < 10 ? workflow.parameters['task-id'] : '0'}}"
)


def manifests(project: Project) -> list[dict[str, Any]]:
    if project.backlog is None:
        return []
    claim = workspace.claim_name(project)
    env = {
        "REPOSITORY": wf_param("repository"),
        "TASK_ID": wf_param("task-id"),
        "TASK_TITLE": wf_param("task-title"),
        "TASK_DETAILS": wf_param("task-details"),
        "TASK_TEST_STRATEGY": wf_param("task-test-strategy"),
        "TASK_LABEL": wf_param("task-label"),
        "HEAD_REF": wf_param("branch"),
        "BASE_BRANCH": wf_param("base-branch"),
        "WORKTREE": wf_param("worktree"),
        "WORKSPACE_CLAIM": expr_str(claim),
    }
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
                branch_mutex(project, "task-" + param("task-id")),
            ]
        )
        guard = authorize_template(project)
        setup = Script(
            name="setup-worktree",
            image=project.platform.tools_image,
            command=["sh"],
            source=SETUP_SCRIPT,
            env=_git_env(project),
            volume_mounts=_volume_mounts(),
            resources=resources,
            **unprivileged(project),
        )
        Script(
            name="cleanup-worktree",
            image=project.platform.tools_image,
            command=["sh"],
            source=CLEANUP_SCRIPT,
            env=[*_git_env(project), Env(name="WORKFLOW_STATUS", value="{{workflow.status}}")],
            volume_mounts=_volume_mounts(),
            resources=resources,
            **unprivileged(project),
        )
        wait = Suspend(name="wait-for-merge")
        with DAG(name="main"):
            # the play was authorized by its route; here: the task's branch is not protected
            authorize = authorize_task(
                guard, {"repository": param("repository"), "branch": param("branch")}
            )
            authorized = when_authorized(authorize.name)
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
                task_id=_CODERUN_TASK_ID,
                depends=worktree.name,
                routed=True,
            )
            implement.when = authorized
            gate = quality_chain(
                project,
                NAME,
                head_ref_arg=param("branch"),
                env=env,
                depends=implement.name,
                when=authorized,
            )
            Task(name="merged", template=wait, depends=gate.name, when=authorized)
    return [workspace.claim(project), template.to_dict()]


FLOW = Flow(SPEC, manifests)
