"""coderun-template: create one CodeRun (the platform's unit of agent work) and wait for it.

Mirrors the parameter names of the platform's own template, so `platform.coderunTemplate:
external` can point every flow at the platform's copy instead. Every value is placed into the
manifest by an Argo expression that types it (`asInt`, `== 'true'`) or JSON-quotes it
(`sprig.toJson`), so no parameter value can add or change a field of the CodeRun. The agent's
`env` has four fixed keys from project configuration; everything else it gets through
`envFromSecrets` from the flow's agent-env Secret (`workflows/agent_env.py`), whose values are
base64 the kubelet decodes: payload and backlog text never pass through this template.
"""

from __future__ import annotations

from typing import Any

from hera.workflows import Parameter, Resource
from hera.workflows import models as _m

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.resources.semaphores import AGENT_CLASS_PARAMETER, CONFIGMAP
from hera_pipelines.workflows.agent_step import CODERUN, CODERUN_ENTRY
from hera_pipelines.workflows.contract import Flow, FlowSpec
from hera_pipelines.workflows.frame import flow_template

__all__ = ["FLOW", "manifests"]


def _q(name: str) -> str:
    """A JSON-quoted string value of input parameter `name`."""
    return f"{{{{=sprig.toJson(inputs.parameters['{name}'])}}}}"


def _b(name: str) -> str:
    return f"{{{{=inputs.parameters['{name}'] == 'true'}}}}"


def _i(name: str) -> str:
    return f"{{{{=asInt(inputs.parameters['{name}'])}}}}"


def _manifest(project: Project) -> str:
    lines = [
        "apiVersion: agents.platform/v1",
        "kind: CodeRun",
        "metadata:",
        "  generateName: coderun-",
        "  labels:",
        f"    {labels.MANAGED_BY}: hera-pipelines",
        f"    {labels.RUN}: '{{{{workflow.name}}}}'",
        f"    {labels.REPOSITORY}: {labels.repository_label(project.repository)}",
        "spec:",
        "  runType: implementation",
        f"  taskId: {_i('task-id')}",
        f"  service: {_q('service-id')}",
        f"  repositoryUrl: {_q('repository-url')}",
        f"  docsRepositoryUrl: {_q('docs-repository-url')}",
        f"  docsProjectDirectory: {_q('docs-project-directory')}",
        f"  docsBranch: {_q('docs-branch')}",
        f"  workingDirectory: {_q('working-directory')}",
        f"  githubApp: {_q('github-app')}",
        f"  model: {_q('model')}",
        f"  localTools: {_q('local-tools')}",
        f"  remoteTools: {_q('remote-tools')}",
        f"  continueSession: {_b('continue-session')}",
        f"  overwriteMemory: {_b('overwrite-memory')}",
        f"  contextVersion: {_i('context-version')}",
        f"  promptModification: {_q('prompt-modification')}",
        "  env: {{=sprig.toJson(sprig.dict("
        "'AGENT', inputs.parameters['agent'], "
        f"'AGENT_ROLE', inputs.parameters['{AGENT_CLASS_PARAMETER}'], "
        "'FLOW', inputs.parameters['flow'], "
        "'QUALITY_GATES', inputs.parameters['quality-gates']))}}",
        "  envFromSecrets: {{=sprig.toJson(map("
        "filter(sprig.splitList(',', inputs.parameters['env-keys']), # != ''), "
        "sprig.dict('name', #, 'secretName', inputs.parameters['env-secret'], "
        "'secretKey', #)))}}",
        "  cliConfig:",
        f"    cliType: {_q('cli-type')}",
        f"    model: {_q('model')}",
    ]
    return "\n".join(lines) + "\n"


def manifests(project: Project) -> list[dict[str, Any]]:
    if project.platform.coderun_template == "external":
        return []
    wf = project.workflow
    with flow_template(
        project,
        FlowSpec(CODERUN.name),
        name=project.platform.coderun_template_name,
        description="Creates one CodeRun and waits until the agent's run reaches Succeeded "
        "or Failed.",
        entrypoint=None,
    ) as template:
        Resource(
            name=CODERUN_ENTRY,
            inputs=[
                Parameter(name=k, value=v) if v is not None else Parameter(name=k)
                for k, v in CODERUN.defaults().items()
            ],
            action="create",
            set_owner_reference=True,
            manifest=_manifest(project),
            success_condition="status.phase == Succeeded",
            failure_condition="status.phase == Failed",
            timeout=f"{wf.coderun_timeout_seconds}s",
            # One semaphore per agent class; the key is substituted per run like any input.
            synchronization=_m.Synchronization(
                semaphores=[
                    _m.SemaphoreRef(
                        config_map_key_ref=_m.ConfigMapKeySelector(
                            name=CONFIGMAP,
                            key=f"agent-{{{{inputs.parameters.{AGENT_CLASS_PARAMETER}}}}}",
                        )
                    )
                ]
            ),
            outputs=[
                Parameter(
                    name="coderun-name",
                    value_from=_m.ValueFrom(json_path="{.metadata.name}"),
                )
            ],
        )
    return [template.to_dict()]


FLOW = Flow(CODERUN, manifests)
