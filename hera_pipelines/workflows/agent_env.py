"""The agents' environment: one Secret per workflow, written as base64, decoded by the kubelet.

Argo evaluates `{{...}}` inside parameter values, so text from a webhook payload or the backlog
(an UNTRUSTED `FlowParam`) travels through every parameter as base64 (`Encoding.BASE64`). A
flow's first step (`agent-env`, a resource template) creates the Secret `<workflow>-agent-env`
whose `data` holds each environment value as base64: an UNTRUSTED parameter's value as it
arrived, a TRUSTED one encoded by `sprig.b64enc`, a static one encoded here. Each agent's CodeRun
names the Secret's keys in `envFromSecrets`, and the kubelet decodes them into the agent's
environment: the agent gets the exact original bytes, and nothing between the event and the
agent ever holds the text itself. The keys are static text of the rendered template: no value
can add or change an environment variable (there is no JSON-valued parameter).

The Secret is owned by the workflow (deleted with it); the workflow's pods need `create` on
secrets (`ENV_GRANTS`), nothing more: a value an earlier step of the flow produces (for instance
comment-remediation's fetched comments) is `carried`: that step outputs it as base64 (inert to
Argo: no braces), the `agent-env` step takes it as an input and writes it into `data` as is.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass

from hera.workflows import Parameter, Resource, Task

from hera_pipelines.conventions import labels
from hera_pipelines.workflows.contract import FlowParam, FlowSpec, Grant

__all__ = [
    "ENV_GRANTS",
    "ENV_SECRET",
    "ENV_STEP",
    "AgentEnv",
    "EnvValue",
    "Prefixed",
    "Static",
    "b64_argument",
    "carried_input",
]

ENV_STEP = "agent-env"
#: The Secret of one workflow's agent environment (a workflow name is a DNS label).
ENV_SECRET = "{{workflow.name}}-agent-env"  # noqa: S105 - a name, not a secret
ENV_GRANTS = (Grant("", "secrets", frozenset({"create"})),)
_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")
_INERT = re.compile(r"^[^{}'\"\\\n]*$")


@dataclass(frozen=True)
class Static:
    """A value written by hera-pipelines itself (project configuration)."""

    text: str


@dataclass(frozen=True)
class Prefixed:
    """A static prefix joined to a TRUSTED parameter (`agent/issue-` + the issue number)."""

    prefix: str
    param: FlowParam

    def __post_init__(self) -> None:
        if self.param.untrusted:
            raise ValueError(f"{self.param.name} is UNTRUSTED: it cannot be joined in Argo")
        if not _INERT.match(self.prefix):
            raise ValueError(f"prefix {self.prefix!r} would change the expression it sits in")


EnvValue = FlowParam | Static | Prefixed


def b64_argument(value: EnvValue) -> str:
    """`value` as an argument or manifest value holding its base64 (inert to Argo).

    An UNTRUSTED parameter already is base64 and is passed on as is; a TRUSTED one is encoded
    by an expression that reads it as an operand; a static one is encoded here.
    """
    if isinstance(value, Static):
        return base64.b64encode(value.text.encode()).decode("ascii")
    if isinstance(value, Prefixed):
        return (
            f"{{{{=sprig.b64enc('{value.prefix}' + workflow.parameters['{value.param.name}'])}}}}"
        )
    if value.untrusted:
        return f"{{{{workflow.parameters.{value.name}}}}}"
    return f"{{{{=sprig.b64enc(workflow.parameters['{value.name}'])}}}}"


@dataclass(frozen=True)
class AgentEnv:
    """The environment a flow's agents get: variable name → value, all through one Secret.

    `carried` names keys whose value (base64) an earlier step of the flow outputs; the
    `agent-env` step takes each as an input (`carried_input(key)`), see `task`.
    """

    spec: FlowSpec
    values: Mapping[str, EnvValue]
    carried: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for key in (*self.values, *self.carried):
            if not _KEY.match(key):
                raise ValueError(f"environment variable name {key!r} is not [A-Z][A-Z0-9_]*")
        params = [v.param if isinstance(v, Prefixed) else v for v in self.values.values()]
        self.spec.check_members(
            [p for p in params if isinstance(p, FlowParam)], "an environment value"
        )

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(sorted({*self.values, *self.carried}))

    def manifest(self) -> str:
        """The Secret's manifest: every value base64 in `data`, every key static text."""
        lines = [
            "apiVersion: v1",
            "kind: Secret",
            "metadata:",
            f"  name: '{ENV_SECRET}'",
            "  labels:",
            f"    {labels.MANAGED_BY}: hera-pipelines",
            f"    {labels.RUN}: '{{{{workflow.name}}}}'",
            "type: Opaque",
            "data:",
        ]
        data = {key: b64_argument(value) for key, value in self.values.items()}
        data |= {key: f"{{{{inputs.parameters.{carried_input(key)}}}}}" for key in self.carried}
        lines += [f'  {key}: "{data[key]}"' for key in sorted(data)]
        return "\n".join(lines) + "\n"

    def template(self) -> Resource:
        """The `agent-env` resource template (call inside the WorkflowTemplate's context)."""
        return Resource(
            name=ENV_STEP,
            action="create",
            set_owner_reference=True,
            inputs=[Parameter(name=carried_input(key)) for key in self.carried] or None,
            manifest=self.manifest(),
        )

    def task(
        self,
        template: Resource,
        depends: str | None = None,
        carried: Mapping[str, str] | None = None,
    ) -> Task:
        """The DAG task creating the Secret (call inside the DAG's context).

        `carried` maps each carried key to the `{{tasks.X.outputs.parameters.Y}}` holding its
        base64 (an output Argo leaves as text when X was skipped; the task's `when` skips it).
        """
        given = dict(carried or {})
        if set(given) != set(self.carried):  # pragma: no cover - a bug in the calling flow
            raise ValueError(f"agent-env needs values for {sorted(self.carried)}")
        arguments = {carried_input(key): value for key, value in given.items()}
        return Task(name=ENV_STEP, template=template, depends=depends, arguments=arguments or None)


def carried_input(key: str) -> str:
    """The agent-env step's input holding carried key `key` as base64."""
    return key.lower().replace("_", "-") + "-b64"
