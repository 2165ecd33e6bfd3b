"""The typed contract between a flow and whatever starts it (a route, the play, an agent step).

A flow module exports a `FlowSpec`: its template name, every parameter with its kind and trust,
the RBAC its pods need and the credentials it uses. Whoever starts the flow imports that spec
and names parameters by their `FlowParam` objects, so a renamed flow or parameter is an import or
type error, and a required parameter nobody supplies fails at render (`missing_required`), not
on the cluster. RBAC is the union of the grants of the flows and routes actually rendered.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from hera_pipelines.errors import HeraPipelinesError

if TYPE_CHECKING:
    from hera_pipelines.config.project import Project

__all__ = [
    "REPOSITORY",
    "Credential",
    "Encoding",
    "Flow",
    "FlowParam",
    "FlowSpec",
    "Grant",
    "Kind",
    "Trust",
    "grant_rules",
]


class Trust(StrEnum):
    """Where a parameter's value comes from, and so how it may travel through Argo."""

    #: project configuration, or a value validated as a number / SHA / `owner/name` before use
    TRUSTED = "trusted"
    #: free text from a webhook payload or the backlog (titles, bodies, refs, comments, names):
    #: Argo evaluates `{{...}}` inside parameter values, so it may only travel encoded
    UNTRUSTED = "untrusted"


class Encoding(StrEnum):
    """How a parameter's value is written while Argo carries it."""

    #: the text itself (trusted values only)
    PLAIN = "plain"
    #: standard base64 of the UTF-8 text, no line breaks: `[A-Za-z0-9+/=]*`, inert to Argo's
    #: `{{...}}` substitution; decoded only at the leaf (a container's shell, or the kubelet
    #: reading a Secret's `data` into the agent's environment)
    BASE64 = "base64"


class Kind(StrEnum):
    """The shape of a parameter's value."""

    TEXT = "text"
    NUMBER = "number"
    SHA = "sha"
    REPOSITORY = "repository"
    #: GitHub logins, space-separated (each `^[A-Za-z0-9][A-Za-z0-9-]{0,38}(\\[bot\\])?$`)
    LOGINS = "logins"
    FLAG = "flag"


class Credential(StrEnum):
    """A secret a flow's steps use (always by reference)."""

    GIT_TOKEN = "git-token"  # noqa: S105 - a name, not a secret; platform.gitCredentialsSecret, for small git/API steps
    AGENT_APP = "agent-app"  # the GitHub App of each agent the flow runs


@dataclass(frozen=True)
class FlowParam:
    """One workflow parameter of a flow."""

    name: str
    kind: Kind = Kind.TEXT
    trust: Trust = Trust.UNTRUSTED
    required: bool = True
    default: str = ""  # the template's default when not required (plain text; encoded here)

    @property
    def encoding(self) -> Encoding:
        """UNTRUSTED values always travel as base64; TRUSTED ones as themselves."""
        return Encoding.BASE64 if self.trust is Trust.UNTRUSTED else Encoding.PLAIN

    @property
    def untrusted(self) -> bool:
        return self.trust is Trust.UNTRUSTED

    def encode(self, text: str) -> str:
        """`text` as this parameter's value (base64 when UNTRUSTED)."""
        if self.encoding is Encoding.BASE64:
            return base64.b64encode(text.encode()).decode("ascii")
        return text


@dataclass(frozen=True)
class Grant:
    """Verbs on one resource that a flow's pods (or a route's sensor) need."""

    group: str
    resource: str
    verbs: frozenset[str]


def grant_rules(grants: Iterable[Grant]) -> dict[tuple[str, str], set[str]]:
    """(apiGroup, resource) → verbs: the union of `grants`."""
    rules: dict[tuple[str, str], set[str]] = {}
    for grant in grants:
        rules.setdefault((grant.group, grant.resource), set()).update(grant.verbs)
    return rules


@dataclass(frozen=True)
class FlowSpec:
    """Name, parameters (in template order), grants and credentials of one flow."""

    name: str
    parameters: tuple[FlowParam, ...] = ()
    grants: tuple[Grant, ...] = ()
    credentials: tuple[Credential, ...] = ()

    def __post_init__(self) -> None:
        by_name = {p.name: p for p in self.parameters}
        if len(by_name) != len(self.parameters):
            raise ValueError(f"{self.name}: duplicate parameter names in {list(by_name)}")
        object.__setattr__(self, "_by_name", by_name)
        object.__setattr__(self, "_members", frozenset(self.parameters))

    def parameter(self, name: str) -> FlowParam:
        by_name: dict[str, FlowParam] = self.__dict__["_by_name"]
        if name not in by_name:
            raise KeyError(f"{self.name} has no parameter {name!r}")
        return by_name[name]

    def defaults(self, overrides: Mapping[FlowParam, str] | None = None) -> dict[str, str | None]:
        """Parameter name → template default (None: required), in template order.

        `overrides` gives project-dependent defaults (the repository, the base branch).
        """
        given = dict(overrides or {})
        self.check_members(given, "default")
        out: dict[str, str | None] = {}
        for param in self.parameters:
            value = given.get(param, None if param.required else param.default)
            out[param.name] = None if value is None else param.encode(value)
        return out

    def check_members(self, params: Iterable[FlowParam], what: str) -> None:
        """Refuse a parameter that is not one of this flow's (a stale or foreign constant)."""
        members: frozenset[FlowParam] = self.__dict__["_members"]
        for param in params:
            if param not in members:
                raise HeraPipelinesError(
                    f"{what} for parameter {param.name!r}, which flow {self.name!r} does not have",
                    obj=f"WorkflowTemplate/{self.name}",
                )

    def missing_required(self, supplied: Iterable[FlowParam]) -> list[str]:
        """Names of required parameters not in `supplied`."""
        have = set(supplied)
        return [p.name for p in self.parameters if p.required and p not in have]


@dataclass(frozen=True)
class Flow:
    """A flow as the render pipeline sees it: its contract and its builder."""

    spec: FlowSpec
    build: Callable[[Project], list[dict[str, Any]]] = field(compare=False)
    #: grants that depend on the project's configuration, beside `spec.grants`
    project_grants: Callable[[Project], tuple[Grant, ...]] | None = field(
        default=None, compare=False
    )

    def grants(self, project: Project) -> tuple[Grant, ...]:
        extra = self.project_grants(project) if self.project_grants else ()
        return (*self.spec.grants, *extra)


#: Every flow's first parameter: the repository it works on (`owner/name`, default the project's).
REPOSITORY = FlowParam("repository", Kind.REPOSITORY, Trust.TRUSTED, required=False)
