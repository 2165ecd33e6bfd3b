"""The `events:`, `secrets:` and `concurrency:` sections of `pipelines.yaml`.

Kept apart from `config.py` because they describe the GitHub side (routes, trust, limits) and
the cluster's secret store, not the flows; `PipelinesConfig` includes them as three fields.
"""

from __future__ import annotations

import ipaddress
from enum import StrEnum
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, StrictInt, field_validator

from hera_pipelines.config.agents import Role
from hera_pipelines.config.model import ConfigModel

__all__ = [
    "DEFAULT_CONCURRENCY",
    "JETSTREAM_VERSION",
    "Association",
    "CiRouteConfig",
    "CiSource",
    "CommentRouteConfig",
    "ConcurrencyConfig",
    "EventBusConfig",
    "EventsConfig",
    "GithubAppRef",
    "IngressConfig",
    "IssueRouteConfig",
    "MergeRouteConfig",
    "Permission",
    "PullRequestRouteConfig",
    "RateLimitConfig",
    "RouteConfig",
    "RoutesConfig",
    "SecretsConfig",
    "SecurityRouteConfig",
    "Severity",
    "TrustedRouteConfig",
    "check_public_url",
]


class Association(StrEnum):
    """GitHub's `author_association` values."""

    OWNER = "OWNER"
    MEMBER = "MEMBER"
    COLLABORATOR = "COLLABORATOR"
    CONTRIBUTOR = "CONTRIBUTOR"
    FIRST_TIME_CONTRIBUTOR = "FIRST_TIME_CONTRIBUTOR"
    FIRST_TIMER = "FIRST_TIMER"
    MANNEQUIN = "MANNEQUIN"
    NONE = "NONE"


class Permission(StrEnum):
    """A repository permission that may push (`read` and `triage` can never start an agent)."""

    WRITE = "write"
    MAINTAIN = "maintain"
    ADMIN = "admin"


class CiSource(StrEnum):
    """Which GitHub event reports a failed CI run (one source, so one failure starts one run)."""

    WORKFLOW_RUN = "workflow_run"
    CHECK_RUN = "check_run"


class Severity(StrEnum):
    """Alert severities in increasing order (`moderate` is GitHub's older name of `medium`)."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class RateLimitConfig(ConfigModel):
    """How many workflows one trigger may start per time unit (Argo Events `rateLimit`)."""

    requests_per_unit: StrictInt = Field(default=10, ge=1, description="Starts allowed per unit.")
    unit: Literal["Second", "Minute", "Hour"] = Field(default="Minute", description="Time unit.")


class RouteConfig(ConfigModel):
    """What every route has: on/off, label gates and the agent it runs."""

    enabled: bool = Field(default=True, description="Render this route's Sensor.")
    labels: list[str] = Field(
        default_factory=list,
        description="Labels that must all be present on the PR or issue for the route to start.",
    )
    agent: str | None = Field(
        default=None, description="Agent key the route's flow runs; default: the role's agent."
    )
    rate_limit: RateLimitConfig | None = Field(
        default=None, description="Starts per unit of this route; default: `events.rateLimit`."
    )


class TrustedRouteConfig(RouteConfig):
    """A route started by a person, whose `author_association` the Sensor pre-filters.

    The association is only a cheap pre-filter: the flow's authorize step checks the actor's
    real permission through the GitHub API (`events.requiredPermission`). Routes started by
    GitHub itself (CI, security alerts, merges) have no `trustedAssociations`.
    """

    trusted_associations: list[Association] | None = Field(
        default=None,
        min_length=1,
        description="author_association values trusted here; default: "
        "`events.trustedAssociations`.",
    )


class PullRequestRouteConfig(TrustedRouteConfig):
    """pull_request opened/reopened/synchronize/ready_for_review → pr-flow."""

    bot_authors: list[str] = Field(
        default_factory=list,
        description="Bot logins (e.g. `dependabot[bot]`, `renovate[bot]`) whose pull requests "
        "still run pr-flow; default none: a bot's PR starts no agent.",
    )


class CommentRouteConfig(TrustedRouteConfig):
    """Review comments, PR comments and change requests → comment-remediation."""

    max_attempts: int = Field(
        default=10,
        ge=1,
        le=100,
        description="comment-remediation runs allowed per pull request (counted on GitHub, by "
        "the PR's `agent-comment-attempts-N` label, so the count outlives the workflows).",
    )


class CiRouteConfig(RouteConfig):
    """Failed workflow runs and check runs on a PR branch → ci-remediation."""

    max_attempts: StrictInt = Field(
        default=3,
        ge=1,
        le=50,
        description="ci-remediation runs allowed per pull request (counted on GitHub, by the "
        "PR's `agent-ci-attempts-N` label, so the count outlives the workflows).",
    )
    source: CiSource = Field(
        default=CiSource.WORKFLOW_RUN,
        description="The one event that reports a failure: `workflow_run` (one per Actions "
        "run, whatever its number of failed jobs) or `check_run` (for checks outside Actions).",
    )


class IssueRouteConfig(RouteConfig):
    """The trigger label added to an issue → issue-flow (the labeler is authorized at run time;
    the payload has no association of the labeler, so there is no `trustedAssociations`)."""

    trigger_label: str = Field(
        default="agent:implement", min_length=1, description="Label that hands an issue to agents."
    )


class SecurityRouteConfig(RouteConfig):
    """Code scanning, Dependabot and vulnerability alerts → security-remediation."""

    severity_threshold: Severity = Field(
        default=Severity.HIGH, description="Lowest alert severity that starts a run."
    )


class MergeRouteConfig(RouteConfig):
    """A merged `task-<id>` PR → resume that task's waiting workflow."""


class RoutesConfig(ConfigModel):
    """Every event → flow route, each on by default."""

    pull_request: PullRequestRouteConfig = Field(
        default_factory=PullRequestRouteConfig, description="PR quality gates."
    )
    comment: CommentRouteConfig = Field(
        default_factory=CommentRouteConfig, description="Review-comment remediation."
    )
    ci: CiRouteConfig = Field(default_factory=CiRouteConfig, description="CI-failure triage.")
    issue: IssueRouteConfig = Field(
        default_factory=IssueRouteConfig, description="Labelled issues to implementation."
    )
    security: SecurityRouteConfig = Field(
        default_factory=SecurityRouteConfig, description="Security-alert remediation."
    )
    merge: MergeRouteConfig = Field(
        default_factory=MergeRouteConfig, description="Resume a task when its PR merges."
    )
    play: TrustedRouteConfig = Field(
        default_factory=TrustedRouteConfig,
        description="Press play: `repository_dispatch` type `play`, or a trusted `/play` "
        "comment (only where a backlog exists).",
    )


class GithubAppRef(ConfigModel):
    """The GitHub App the EventSource manages the webhook with (ids are not secret)."""

    app_id: StrictInt = Field(gt=0, description="GitHub App id.")
    installation_id: StrictInt = Field(gt=0, description="Installation id of the App.")
    github_app: str = Field(
        min_length=1,
        description="App name whose ExternalSecret (key `private-key`) holds the private key.",
    )


#: A JetStream version the Argo Events v1.9 controller's default config lists (nats:2.10.10);
#: never "latest", which follows whatever that config maps it to.
JETSTREAM_VERSION = "2.10.10"


class EventBusConfig(ConfigModel):
    """The EventBus the EventSource and Sensors exchange events over (Argo Events deploys
    neither without one)."""

    name: str = Field(
        default="default",
        pattern=r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$",
        description="EventBus name every EventSource and Sensor references.",
    )
    version: str = Field(
        default=JETSTREAM_VERSION,
        pattern=r"^[0-9]+\.[0-9]+\.[0-9]+(-[a-z0-9]+)?$",
        description="JetStream (NATS server) version; one of the versions listed in the Argo "
        "Events controller's config (`argo-events-controller-config`).",
    )
    replicas: int = Field(default=3, ge=3, description="JetStream StatefulSet replicas (≥ 3).")


class IngressConfig(ConfigModel):
    """An Ingress that exposes the webhook at `events.url` (host and path taken from it)."""

    class_name: str | None = Field(
        default=None, description="IngressClass; default: the cluster's default class."
    )
    tls_secret: str | None = Field(
        default=None, description="Secret holding the TLS certificate of the host."
    )
    annotations: dict[str, str] = Field(
        default_factory=dict, description="Annotations (cert-manager issuer, controller tuning)."
    )


_INTERNAL_SUFFIXES = (".svc", ".cluster.local", ".local", ".internal", "localhost")


def check_public_url(url: str) -> str:
    """`url` if GitHub can post to it: https, a public host name, no query or fragment."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host:
        raise ValueError("must be an https:// URL GitHub can reach, e.g. https://hooks.example.com")
    if host.endswith(_INTERNAL_SUFFIXES) or "." not in host:
        raise ValueError(f"{host!r} is a cluster-internal host: GitHub cannot reach it")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None and not address.is_global:
        raise ValueError(f"{host!r} is not a public address: GitHub cannot reach it")
    if parts.query or parts.fragment:
        raise ValueError("must not carry a query or fragment")
    return url.rstrip("/")


class EventsConfig(ConfigModel):
    """The GitHub EventSource and the Sensors that route its events to flows."""

    enabled: bool = Field(default=True, description="Render the EventSource and Sensors at all.")
    repositories: list[str] = Field(
        default_factory=list,
        description="`owner/name` repositories to receive; default: the project repository.",
    )
    organizations: list[str] = Field(
        default_factory=list,
        description="Organizations for an org-level webhook (replaces `repositories`).",
    )
    url: str | None = Field(
        default=None,
        description="Public https base URL GitHub posts to (the webhook is `url` + "
        "`endpoint`). Set: the EventSource creates and keeps the repository hook (API token "
        "or `githubApp`). Unset: nobody manages the hook; add it by hand (README).",
    )
    event_bus: EventBusConfig | Literal["external"] = Field(
        default_factory=EventBusConfig,
        description="The JetStream EventBus rendered beside the EventSource (`name`, "
        "`version`, `replicas`), or `external`: use an existing EventBus named `default`.",
    )
    ingress: IngressConfig | None = Field(
        default=None,
        description="Render an Ingress for the webhook at `url`'s host (needs `url`).",
    )
    endpoint: str = Field(default="/github", pattern=r"^/", description="Webhook HTTP path.")
    port: StrictInt = Field(
        default=12000, ge=1, le=65535, description="Webhook port and Service port."
    )
    github_app: GithubAppRef | None = Field(
        default=None,
        description="Manage the webhook as a GitHub App; default: with the API token in the "
        "webhook ExternalSecret (key `token`).",
    )
    trusted_associations: list[Association] = Field(
        default_factory=lambda: [Association.OWNER, Association.MEMBER, Association.COLLABORATOR],
        min_length=1,
        description="author_association values whose events agents act on.",
    )
    required_permission: Permission = Field(
        default=Permission.WRITE,
        description="Lowest repository permission (checked through the GitHub API when a flow "
        "starts) of every actor who may start an agent; `read` and `triage` are refused.",
    )
    protected_branches: list[str] = Field(
        default_factory=lambda: ["main", "master", "release/*"],
        description="Branch patterns (shell globs) no agent ever works on, besides the "
        "repository's default branch (always protected).",
    )
    bot_logins: list[str] = Field(
        default_factory=list,
        description="More logins counted as our own agents (besides `<github-app>[bot]`).",
    )
    rate_limit: RateLimitConfig = Field(
        default_factory=RateLimitConfig, description="Default starts per unit of each trigger."
    )
    routes: RoutesConfig = Field(default_factory=RoutesConfig, description="The routes.")

    @field_validator("url")
    @classmethod
    def _public(cls, url: str | None) -> str | None:
        return None if url is None else check_public_url(url)

    @property
    def bus_name(self) -> str:
        """The EventBus every EventSource and Sensor references."""
        return "default" if self.event_bus == "external" else self.event_bus.name

    @property
    def manages_hook(self) -> bool:
        """Whether the EventSource registers the repository hook itself (needs a public URL)."""
        return self.url is not None


class SecretsConfig(ConfigModel):
    """Where credentials come from: an External Secrets store, referenced, never rendered."""

    store: str = Field(default="agent-platform", min_length=1, description="SecretStore name.")
    store_kind: Literal["SecretStore", "ClusterSecretStore"] = Field(
        default="ClusterSecretStore", description="Kind of the store."
    )
    refresh_interval: str = Field(default="1h", description="How often secrets are re-read.")
    key_prefix: str = Field(
        default="agent-platform/",
        description="Prefix of every remote key: `<prefix>github-apps/<app>`, "
        "`<prefix>github-webhook`.",
    )
    webhook_secret: str = Field(
        default="github-webhook",
        min_length=1,
        description="Kubernetes Secret with the webhook secret (key `secret`) and API token "
        "(key `token`).",
    )


DEFAULT_CONCURRENCY: dict[Role, int] = {
    Role.PM: 1,
    Role.IMPLEMENTATION: 4,
    Role.QUALITY: 4,
    Role.TESTING: 4,
    Role.TRIAGE: 2,
    Role.SECURITY: 2,
    Role.REVIEW: 2,
    Role.ISSUE: 2,
}


class ConcurrencyConfig(ConfigModel):
    """Semaphore sizes: how many agents of each class run at once, and the shared budgets."""

    agents: dict[Role, StrictInt] = Field(
        default_factory=dict,
        description="Concurrent agent runs per role (agent class); unset roles use the "
        "defaults (implementation/quality/testing 4, triage/security/review/issue 2, pm 1).",
    )
    github_api: StrictInt = Field(
        default=8, ge=1, description="Concurrent steps that call the GitHub API directly."
    )
