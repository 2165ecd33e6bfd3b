"""The quality chain every change passes: format/lint agent, head snapshot, QA agent, paths gate.

The gates are owned by dedicated agents, never by the agent that wrote the code; the paths gate
(qa-gate's git steps) enforces "QA only adds tests" outside the QA agent.
"""

from __future__ import annotations

from hera.workflows import Script, Task
from hera.workflows import models as _m

from hera_pipelines.config.agents import Role
from hera_pipelines.config.project import Project
from hera_pipelines.workflows.agent_env import AgentEnv, EnvValue, b64_argument
from hera_pipelines.workflows.agent_step import agent_task
from hera_pipelines.workflows.contract import Credential, FlowSpec
from hera_pipelines.workflows.expressions import param
from hera_pipelines.workflows.guard import RUN, recheck_task

__all__ = [
    "QA_GATE",
    "QA_GATE_HEAD_REF",
    "QA_GATE_HEAD_SHA",
    "QA_GATE_PATHS",
    "QA_GATE_SPEC",
    "QUALITY_PROMPT",
    "qa_prompt",
    "quality_chain",
]

# The qa-gate WorkflowTemplate (templates/qa_gate.py) and its two entry templates.
QA_GATE_SPEC = FlowSpec("qa-gate", credentials=(Credential.GIT_TOKEN,))
QA_GATE = QA_GATE_SPEC.name


QA_GATE_HEAD_SHA = "head-sha"


QA_GATE_PATHS = "paths-gate"
#: qa-gate's input holding the head branch as base64 (a branch name is payload text).
QA_GATE_HEAD_REF = "head-ref-b64"


QUALITY_PROMPT = (
    "You are the format/lint gate. Check out the branch in HEAD_REF, make every command in "
    "QUALITY_GATES pass, and push. Change formatting and lint findings only: no behaviour."
)


def qa_prompt(project: Project) -> str:
    """The rule the QA agent is given; the paths gate enforces the same globs."""
    globs = ", ".join(project.qa_test_paths)
    return (
        "You are the QA gate. Add tests for the change on the branch in HEAD_REF and push. "
        f"You may only add or change files matching: {globs}. Never change non-test code: "
        "a gate step fails the flow if you do."
    )


def quality_chain(
    project: Project,
    flow: str,
    *,
    head_ref: EnvValue,
    env: AgentEnv,
    depends: str | None = None,
    when: str | None = None,
    recheck: Script | None = None,
) -> Task:
    """format/lint agent → snapshot of the head → QA agent → paths gate; returns the gate.

    Call inside a DAG context, after the flow's agent-env step; `when` (the guards' verdict)
    is set on every step. `head_ref` is the head branch, passed to the gate steps as base64
    (decoded in their shell); `env` is the flow's agents' environment. With `recheck` (the
    guard's head re-check template, for a PR whose head SHA the event named), the head is
    re-checked after the format/lint agent pushed: the QA agent starts only if nobody but our
    own agents moved it.
    """
    gate_ref = {"repository": param("repository"), QA_GATE_HEAD_REF: b64_argument(head_ref)}
    lint = agent_task(
        project,
        Role.QUALITY,
        "format-lint",
        flow=flow,
        env=env,
        prompt=QUALITY_PROMPT,
        depends=depends,
    )
    later = when
    before_qa = lint.name
    if recheck is not None:
        rechecked = recheck_task(recheck, after=lint.name)
        before_qa = rechecked.name
        still = f"{{{{tasks.{rechecked.name}.outputs.result}}}} == {RUN}"
        later = f"{when} && {still}" if when else still
    snapshot = Task(
        name="pre-qa-head",
        template_ref=_m.TemplateRef(name=QA_GATE, template=QA_GATE_HEAD_SHA),
        arguments=gate_ref,
        depends=before_qa,
    )
    qa = agent_task(
        project,
        Role.TESTING,
        "qa",
        flow=flow,
        env=env,
        prompt=qa_prompt(project),
        depends=snapshot.name,
    )
    gate = Task(
        name="qa-paths-gate",
        template_ref=_m.TemplateRef(name=QA_GATE, template=QA_GATE_PATHS),
        arguments={
            **gate_ref,
            "base-sha": f"{{{{tasks.{snapshot.name}.outputs.parameters.sha}}}}",
        },
        depends=qa.name,
    )
    # a task that `depends` on a skipped one still runs: every step carries the guards' `when`
    lint.when = when
    for task in (snapshot, qa, gate):
        task.when = later
    return gate
