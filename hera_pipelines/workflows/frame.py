"""The frame every flow's WorkflowTemplate shares: limits, garbage collection, SA and labels.

A flow module in `templates/` should read as its DAG only; lifetime limits, labels and the
service account are decided here once, as are the small shell steps' credentials and resources.
"""

from __future__ import annotations

from collections.abc import Mapping

from hera.workflows import Parameter, SecretEnv, WorkflowTemplate
from hera.workflows import models as _m

from hera_pipelines.config.project import Project
from hera_pipelines.conventions import labels
from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.workflows.contract import FlowParam, FlowSpec, Grant
from hera_pipelines.workflows.expressions import wf_param

__all__ = ["POD_GRANTS", "flow_template", "git_token_env", "step_resources"]

#: What every flow's pods need: the executor reports step results as WorkflowTaskResults.
POD_GRANTS = (Grant("argoproj.io", "workflowtaskresults", frozenset({"create", "patch"})),)


def flow_template(
    project: Project,
    spec: FlowSpec,
    *,
    description: str,
    defaults: Mapping[FlowParam, str] | None = None,
    labels_from: Mapping[str, FlowParam] | None = None,
    entrypoint: str | None = "main",
    waits_for_review: bool = False,
    name: str | None = None,
) -> WorkflowTemplate:
    """The frame of a flow: limits, garbage collection, service account and labels.

    The template's parameters are `spec`'s, in order; `defaults` gives project-dependent
    defaults. `labels_from` maps a label key to the parameter its value comes from, so a started
    workflow is found by PR or task id in the Argo UI. A flow that `waits_for_review`
    (suspended until a merge) gets the review deadline instead of the flow deadline: review
    takes days, an agent run hours. `name` overrides the spec's (a configurable template name).
    """
    parameters = spec.defaults(defaults)
    spec.check_members((labels_from or {}).values(), "a label")
    for key, source in (labels_from or {}).items():
        if source.untrusted:  # a label value is an expression's text result: never payload text
            raise HeraPipelinesError(
                f"label {key} cannot come from UNTRUSTED parameter {source.name!r}",
                obj=f"WorkflowTemplate/{spec.name}",
            )
    name = name or spec.name
    wf = project.workflow
    deadline = wf.review_deadline_seconds if waits_for_review else wf.active_deadline_seconds
    flow_labels = labels.common_labels(project.service, project.repository, name)
    return WorkflowTemplate(
        name=name,
        namespace=project.namespace,
        labels=flow_labels,
        annotations={"workflows.argoproj.io/description": description},
        entrypoint=entrypoint,
        arguments=[
            Parameter(name=key, value=default) if default is not None else Parameter(name=key)
            for key, default in parameters.items()
        ]
        or None,
        service_account_name=project.platform.workflow_service_account,
        active_deadline_seconds=deadline,
        ttl_strategy=_m.TTLStrategy(
            seconds_after_success=wf.ttl_after_success_seconds,
            seconds_after_failure=wf.ttl_after_failure_seconds,
        ),
        pod_gc=_m.PodGC(strategy="OnPodSuccess"),
        workflow_metadata=_m.WorkflowMetadata(
            labels=flow_labels,
            labels_from={
                key: _m.LabelValueFrom(expression=wf_param(source.name))
                for key, source in (labels_from or {}).items()
            }
            or None,
        ),
    )


def git_token_env(project: Project) -> SecretEnv:
    """`GIT_TOKEN` for the small git/API steps: a reference to the configured Secret only."""
    return SecretEnv(
        name="GIT_TOKEN",
        secret_name=project.platform.git_credentials_secret,
        secret_key="token",  # noqa: S106 - a key name, not a credential
        optional=True,
    )


def step_resources(memory_limit: str = "256Mi") -> _m.ResourceRequirements:
    """Requests and limits of a small shell step (git, curl, kubectl)."""
    return _m.ResourceRequirements(
        requests={"cpu": "50m", "memory": "64Mi"}, limits={"memory": memory_limit}
    )
