"""The `events:`, `secrets:` and `concurrency:` sections of `pipelines.yaml`.

Kept apart from `config.py` because they describe the GitHub side (routes, trust, limits) and
the cluster's secret store, not the flows; `PipelinesConfig` includes them as three fields.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field

from hera_pipelines.config.agents import Role
from hera_pipelines.config.model import ConfigModel

__all__ = [
    "DEFAULT_CONCURRENCY",
    "Association",
    "CiRouteConfig",
    "CiSource",
    "CommentRouteConfig",
    "ConcurrencyConfig",
    "EventsConfig",
    "GithubAppRef",
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

    requests_per_unit: int = Field(default=10, ge=1, description="Starts allowed per unit.")
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

    max_attempts: int = Field(
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

    app_id: int = Field(gt=0, description="GitHub App id.")
    installation_id: int = Field(gt=0, description="Installation id of the App.")
    github_app: str = Field(
        min_length=1,
        description="App name whose ExternalSecret (key `private-key`) holds the private key.",
    )


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
        pattern=r"^https://[^\s]+$",
        description="External base URL GitHub posts to; default: the in-cluster Service URL "
        "(set this for GitHub to reach the EventSource).",
    )
    endpoint: str = Field(default="/github", pattern=r"^/", description="Webhook HTTP path.")
    port: int = Field(default=12000, ge=1, le=65535, description="Webhook port and Service port.")
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

    agents: dict[Role, int] = Field(
        default_factory=dict,
        description="Concurrent agent runs per role (agent class); unset roles use the "
        "defaults (implementation/quality/testing 4, triage/security/review/issue 2, pm 1).",
    )
    github_api: int = Field(
        default=8, ge=1, description="Concurrent steps that call the GitHub API directly."
    )
