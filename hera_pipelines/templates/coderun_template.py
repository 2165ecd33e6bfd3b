"""coderun-template: create one CodeRun (the platform's unit of agent work) and wait for it.

Mirrors the parameter names of the platform's own template. Every value is placed into the
manifest by an Argo expression that types it (`asInt`, `== 'true'`) or JSON-quotes it
(`sprig.toJson`), so no parameter value can add or change a field of the CodeRun. The agent's
`env` has four fixed keys from project configuration; everything else it gets through
`envFromSecrets` from the flow's agent-env Secret (`workflows/agent_env.py`), whose values are
base64 the kubelet decodes: payload and backlog text never pass through this template.

Two templates, so that waiting for an agent slot never counts against the agent's timeout:
the entry `coderun` (steps) takes the agent-class semaphore and calls `run-coderun`, the
resource step that carries `timeout` (Argo measures a template's timeout from its node's start,
Pending time on a semaphore included). `platform.coderunTemplate: external` renders the same
entry as `<external name>-adapter` in front of the platform's own template: its inner step
either submits a child Workflow from it (`workflowParameters` style, the platform chart, which
reads `workflow.parameters`) or calls its entry template with `templateRef` (`inputs` style).
"""

from __future__ import annotations

from typing import Any

from hera.workflows import Parameter, Resource, Step, Steps
from hera.workflows import models as _m

from hera_pipelines.config.pipelines import CoderunStyle
from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.resources.semaphores import AGENT_CLASS_PARAMETER, CONFIGMAP
from hera_pipelines.workflows.agent_step import (
    CODERUN,
    CODERUN_ENTRY,
    EXTERNAL_GRANTS,
    coderun_template_name,
)
from hera_pipelines.workflows.contract import Flow, FlowSpec, Grant
from hera_pipelines.workflows.frame import flow_template
from hera_pipelines.workflows.resource_text import RUN, Expr, resource_text

__all__ = ["FLOW", "INNER", "OUTPUT", "manifests"]

#: The inner step of `coderun`: the one that runs the agent and carries the timeout.
INNER = "run-coderun"
#: The entry's output: the name of the CodeRun (or, external, of the platform's Workflow).
OUTPUT = "coderun-name"


def _q(name: str) -> Expr:
    """A JSON-quoted string value of input parameter `name`."""
    return Expr(f"{{{{=sprig.toJson(inputs.parameters['{name}'])}}}}")


def _b(name: str) -> Expr:
    return Expr(f"{{{{=inputs.parameters['{name}'] == 'true'}}}}")


def _i(name: str) -> Expr:
    return Expr(f"{{{{=asInt(inputs.parameters['{name}'])}}}}")


def _created_labels(project: Project) -> dict[str, Any]:
    """What the agent objects carry: ours, the run that created them, the repository."""
    return {
        labels.MANAGED_BY: "hera-pipelines",
        labels.RUN: RUN,
        labels.REPOSITORY: labels.repository_label(project.repository),
    }


# The CodeRun's env and envFromSecrets: JSON built by Argo's expression language.
_ENV = Expr(
    "{{=sprig.toJson(sprig.dict("
    "'AGENT', inputs.parameters['agent'], "
    f"'AGENT_ROLE', inputs.parameters['{AGENT_CLASS_PARAMETER}'], "
    "'FLOW', inputs.parameters['flow'], "
    "'QUALITY_GATES', inputs.parameters['quality-gates']))}}"
)
_ENV_FROM_SECRETS = Expr(
    "{{=sprig.toJson(map("
    "filter(sprig.splitList(',', inputs.parameters['env-keys']), # != ''), "
    "sprig.dict('name', #, 'secretName', inputs.parameters['env-secret'], "
    "'secretKey', #)))}}"
)


def _manifest(project: Project) -> str:
    return resource_text(
        {
            "apiVersion": "agents.platform/v1",
            "kind": "CodeRun",
            "metadata": {"generateName": "coderun-", "labels": _created_labels(project)},
            "spec": {
                "runType": "implementation",
                "taskId": _i("task-id"),
                "service": _q("service-id"),
                "repositoryUrl": _q("repository-url"),
                "docsRepositoryUrl": _q("docs-repository-url"),
                "docsProjectDirectory": _q("docs-project-directory"),
                "docsBranch": _q("docs-branch"),
                "workingDirectory": _q("working-directory"),
                "githubApp": _q("github-app"),
                "model": _q("model"),
                "localTools": _q("local-tools"),
                "remoteTools": _q("remote-tools"),
                "continueSession": _b("continue-session"),
                "overwriteMemory": _b("overwrite-memory"),
                "contextVersion": _i("context-version"),
                "promptModification": _q("prompt-modification"),
                "env": _ENV,
                "envFromSecrets": _ENV_FROM_SECRETS,
                "cliConfig": {"cliType": _q("cli-type"), "model": _q("model")},
            },
        }
    )


def _external_manifest(project: Project) -> str:
    """A Workflow from the platform's template, each parameter JSON-quoted from our inputs."""
    external = project.platform.external
    return resource_text(
        {
            "apiVersion": "argoproj.io/v1alpha1",
            "kind": "Workflow",
            "metadata": {
                "generateName": f"{external.name}-",
                "labels": _created_labels(project),
            },
            "spec": {
                "workflowTemplateRef": {"name": external.name},
                "arguments": {
                    "parameters": [
                        {"name": theirs, "value": _q(ours)}
                        for theirs, ours in sorted(external.parameters.items())
                    ]
                },
            },
        }
    )


def _inputs() -> list[Parameter]:
    return [
        Parameter(name=k, value=v) if v is not None else Parameter(name=k)
        for k, v in CODERUN.defaults().items()
    ]


def _forwarded() -> dict[str, str]:
    """Every input of the entry, passed on unchanged to its inner step."""
    return {name: f"{{{{inputs.parameters.{name}}}}}" for name in CODERUN.defaults()}


def _semaphore() -> _m.Synchronization:
    """One semaphore per agent class; the key is substituted per run like any input."""
    return _m.Synchronization(
        semaphores=[
            _m.SemaphoreRef(
                config_map_key_ref=_m.ConfigMapKeySelector(
                    name=CONFIGMAP,
                    key=f"agent-{{{{inputs.parameters.{AGENT_CLASS_PARAMETER}}}}}",
                )
            )
        ]
    )


def _output(source: str) -> list[Parameter]:
    return [Parameter(name=OUTPUT, value_from=_m.ValueFrom(parameter=source))]


def _check_external_contract(project: Project) -> None:
    """`platform.external.parameters` maps the platform template's names to agent-step inputs;
    a value we do not have is the user's error, named by its config field (exit 2)."""
    known = {p.name for p in CODERUN.parameters}
    for theirs, ours in sorted(project.platform.external.parameters.items()):
        if ours not in known:
            raise HeraPipelinesError(
                f"{ours!r} is not an agent-step value (known: {', '.join(sorted(known))})",
                file=str(project.config_path),
                field=f"platform.external.parameters.{theirs}",
            )


def manifests(project: Project) -> list[dict[str, Any]]:
    _check_external_contract(project)
    platform = project.platform
    external = platform.coderun_template == "external"
    description = (
        f"Runs one agent through the platform's {platform.external.name} template, holding "
        "the agent semaphore; the timeout starts only once the slot is taken."
        if external
        else "Creates one CodeRun and waits until the agent's run reaches Succeeded or Failed; "
        "the agent semaphore is taken first, the timeout counts only the run."
    )
    with flow_template(
        project,
        FlowSpec(CODERUN.name),
        name=coderun_template_name(project),
        description=description,
        entrypoint=None,
    ) as template:
        inner: Resource | None = None
        if not external:
            inner = _create_and_wait(project, _manifest(project), "status.phase == Failed")
        elif platform.external.style == CoderunStyle.WORKFLOW_PARAMETERS:
            inner = _create_and_wait(
                project, _external_manifest(project), "status.phase in (Failed, Error)"
            )
        with Steps(
            name=CODERUN_ENTRY,
            inputs=_inputs(),
            synchronization=_semaphore(),
            outputs=_output(f"{{{{steps.{INNER}.outputs.parameters.{OUTPUT}}}}}")
            if inner is not None
            else None,
        ):
            if inner is not None:
                Step(name=INNER, template=inner, arguments=_forwarded())
            else:
                # `inputs` style: the platform's entry template, its parameters from ours
                Step(
                    name=INNER,
                    template_ref=_m.TemplateRef(
                        name=platform.external.name, template=platform.external.entry
                    ),
                    arguments={
                        theirs: f"{{{{inputs.parameters.{ours}}}}}"
                        for theirs, ours in sorted(platform.external.parameters.items())
                    },
                )
    return [template.to_dict()]


def _create_and_wait(project: Project, manifest: str, failure: str) -> Resource:
    """The inner step: creates the agent's object and waits for its end, within the timeout."""
    return Resource(
        name=INNER,
        inputs=_inputs(),
        action="create",
        set_owner_reference=True,
        manifest=manifest,
        success_condition="status.phase == Succeeded",
        failure_condition=failure,
        timeout=f"{project.workflow.coderun_timeout_seconds}s",
        outputs=[Parameter(name=OUTPUT, value_from=_m.ValueFrom(json_path="{.metadata.name}"))],
    )


def _grants(project: Project) -> tuple[Grant, ...]:
    external = project.platform.external
    if (
        project.platform.coderun_template == "external"
        and external.style == CoderunStyle.WORKFLOW_PARAMETERS
    ):
        return EXTERNAL_GRANTS
    return ()


FLOW = Flow(CODERUN, manifests, _grants)
