"""The `pipelines.yaml` schema: what a user may write, with a description for every field.

These models describe the file as written (camelCase keys, unknown keys rejected so a typo never
passes silently). Defaults that need the file system or git are resolved later in `project.py`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

from pydantic import Field, StrictInt, field_validator

from hera_pipelines.config.agents import Role
from hera_pipelines.config.events import ConcurrencyConfig, EventsConfig, SecretsConfig
from hera_pipelines.config.model import ConfigModel

__all__ = [
    "CHART_PARAMETERS",
    "DEFAULT_IMAGES",
    "AgentConfig",
    "ArgoCDConfig",
    "CoderunStyle",
    "DocsConfig",
    "ExternalCoderunConfig",
    "GateConfig",
    "ImageConfig",
    "ImagesConfig",
    "PipelinesConfig",
    "PlatformConfig",
    "PlayConfig",
    "QaConfig",
    "ToolsConfig",
    "WorkflowConfig",
    "WorkspaceConfig",
]

#: A GitHub user login (what an actor must look like before any check or use).
LOGIN_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$"
#: A login or a GitHub App's bot login (`name[bot]`).
BOT_LOGIN_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(\[bot\])?$"
REPOSITORY_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$"
DEFAULT_TEST_PATHS = [
    "tests/**",
    "test/**",
    "**/tests/**",
    "**/test/**",
    "**/__tests__/**",
    "**/*_test.go",
    "**/*_test.rs",
    "**/test_*.py",
    "**/*_test.py",
    "**/*.test.ts",
    "**/*.test.js",
    "**/*.spec.ts",
    "**/*.spec.js",
]


class ToolsConfig(ConfigModel):
    """MCP tools an agent may use; project-wide ones are added to every agent's own."""

    remote: list[str] = Field(default_factory=list, description="Remote MCP tool names.")
    local: list[str] = Field(
        default_factory=list, description="Local MCP servers started beside the agent."
    )


class AgentConfig(ConfigModel):
    """One agent: overrides a default persona's fields, or adds a new agent.

    Every field is optional here because a default persona supplies it; setting a field to
    null removes the default, and the merged agent must then still be complete.
    """

    persona: str | None = Field(default=None, description="Display name of the persona.")
    role: Role | None = Field(
        default=None, description="What the agent is for; picks its default model."
    )
    github_app: str | None = Field(
        default=None, description="GitHub App the agent authenticates and commits as."
    )
    model: str | None = Field(default=None, description="Model id; default: `models.<role>`.")
    system_prompt: str | None = Field(
        default=None,
        description="System-prompt file (Jinja2), relative to pipelines.yaml; "
        "default: the built-in prompt of the role.",
    )
    tools: ToolsConfig | None = Field(
        default=None, description="Tools of this agent, added to the project-wide `tools`."
    )


class GateConfig(ConfigModel):
    """A quality gate command the format/lint and QA agents must make pass."""

    name: str = Field(min_length=1, description="Short name, e.g. `clippy`.")
    command: str = Field(min_length=1, description="Shell command run in the repository root.")


class DocsConfig(ConfigModel):
    """Where the platform reads task definitions and writes documentation."""

    repository: str | None = Field(
        default=None,
        pattern=REPOSITORY_PATTERN,
        description="`owner/name`; default: the project repository.",
    )
    branch: str = Field(default="main", min_length=1, description="Docs branch.")
    project_directory: str = Field(
        default=".", min_length=1, description="Project directory inside the docs repository."
    )


class QaConfig(ConfigModel):
    """The rule that the QA agent only adds tests, enforced by a gate step."""

    test_paths: list[str] = Field(
        default_factory=lambda: list(DEFAULT_TEST_PATHS),
        min_length=1,
        description="Glob patterns of paths the QA agent may change ('**' spans folders).",
    )


class ImageConfig(ConfigModel):
    """One container image, pinned: a repository, a tag (never `latest`) and optionally a
    digest."""

    repository: str = Field(
        min_length=1,
        pattern=r"^[a-z0-9][a-z0-9._/-]*(:[0-9]+)?[a-z0-9._/-]*$",
        description="Image repository, e.g. `alpine/git`.",
    )
    tag: str = Field(
        min_length=1, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", description="Pinned tag."
    )
    digest: str | None = Field(
        default=None,
        pattern=r"^sha256:[0-9a-f]{64}$",
        description="Optional `sha256:` digest; the kubelet then pulls exactly that image.",
    )

    @field_validator("tag")
    @classmethod
    def _pinned(cls, tag: str) -> str:
        if tag == "latest":
            raise ValueError("must be a pinned tag, not 'latest'")
        return tag

    @property
    def reference(self) -> str:
        """`repository:tag[@digest]`, as a pod's `image`."""
        return f"{self.repository}:{self.tag}" + (f"@{self.digest}" if self.digest else "")


#: The pinned, maintained images every step of the output uses (the only images rendered).
DEFAULT_IMAGES: dict[str, ImageConfig] = {
    # git steps: worktrees, head snapshot, QA path gate
    "git": ImageConfig(repository="alpine/git", tag="v2.47.2"),
    # GitHub API steps: the authorize guard, PR state before the merge wait
    "curl": ImageConfig(repository="curlimages/curl", tag="8.11.1"),
    # kubectl with a shell (the play's cross-chunk waits); registry.k8s.io/kubectl has no sh
    "kubectl": ImageConfig(repository="alpine/k8s", tag="1.32.3"),
    # Python's standard library (json, urllib): comment-remediation's fetch step
    "python": ImageConfig(repository="python", tag="3.12.8-alpine3.21"),
}


class ImagesConfig(ConfigModel):
    """The one table of container images; a step's image comes only from here."""

    git: ImageConfig = Field(
        default_factory=lambda: DEFAULT_IMAGES["git"].model_copy(),
        description="Git steps (worktree, head snapshot, QA path gate); default "
        "`alpine/git:v2.47.2`.",
    )
    curl: ImageConfig = Field(
        default_factory=lambda: DEFAULT_IMAGES["curl"].model_copy(),
        description="GitHub API steps (authorize guard, PR state); default "
        "`curlimages/curl:8.11.1`.",
    )
    kubectl: ImageConfig = Field(
        default_factory=lambda: DEFAULT_IMAGES["kubectl"].model_copy(),
        description="kubectl with a shell (play chunk waits); default `alpine/k8s:1.32.3`.",
    )

    python: ImageConfig = Field(
        default_factory=lambda: DEFAULT_IMAGES["python"].model_copy(),
        description="Python steps (fetch review comments); default `python:3.12.8-alpine3.21`.",
    )

    def table(self) -> dict[str, ImageConfig]:
        return {"curl": self.curl, "git": self.git, "kubectl": self.kubectl, "python": self.python}


class CoderunStyle(StrEnum):
    """How the external coderun template takes its values."""

    #: the template reads `workflow.parameters` (the platform chart): submit a child Workflow
    WORKFLOW_PARAMETERS = "workflowParameters"
    #: the entry template has inputs: call it with `templateRef`
    INPUTS = "inputs"


#: The platform chart's coderun-template parameters, each fed from the same-named input.
CHART_PARAMETERS = (
    "task-id",
    "service-id",
    "repository-url",
    "docs-repository-url",
    "docs-project-directory",
    "working-directory",
    "github-app",
    "model",
    "continue-session",
    "overwrite-memory",
    "docs-branch",
)


class ExternalCoderunConfig(ConfigModel):
    """The contract of the platform's own coderun template (`coderunTemplate: external`)."""

    name: str = Field(
        default="coderun-template",
        min_length=1,
        description="Name of the platform's WorkflowTemplate.",
    )
    style: CoderunStyle = Field(
        default=CoderunStyle.WORKFLOW_PARAMETERS,
        description="`workflowParameters`: the template reads `workflow.parameters` (the "
        "platform chart), so each agent step submits a child Workflow from it and waits; "
        "`inputs`: its entry template takes inputs and is called with `templateRef`.",
    )
    entry: str = Field(
        default="coderun-main",
        min_length=1,
        description="Entry template (`inputs` style: the template called).",
    )
    parameters: dict[str, str] = Field(
        default_factory=lambda: {name: name for name in CHART_PARAMETERS},
        description="Its parameter name → the agent-step value it gets (one of coderun's "
        "inputs: task-id, service-id, repository-url, github-app, model, ...); default: the "
        "platform chart's parameters, same names.",
    )


class PlatformConfig(ConfigModel):
    """How the rendered flows meet the platform already installed in the cluster."""

    coderun_template: Literal["render", "external"] = Field(
        default="render",
        description="`render` writes the coderun-template WorkflowTemplate; `external` "
        "calls the platform Helm chart's own template (see `external`) through a small "
        "adapter template that holds the agent semaphore and the timeout.",
    )
    coderun_template_name: str = Field(
        default="coderun-template",
        description="Name of the rendered coderun WorkflowTemplate (`render`).",
    )
    external: ExternalCoderunConfig = Field(
        default_factory=ExternalCoderunConfig,
        description="The platform's coderun template (`coderunTemplate: external`).",
    )
    images: ImagesConfig = Field(
        default_factory=ImagesConfig,
        description="Every container image of the output, pinned (tag, optional digest).",
    )
    workflow_service_account: str = Field(
        default="hera-pipelines-workflow",
        description="ServiceAccount every rendered workflow runs as.",
    )
    git_credentials_secret: str = Field(
        default="hera-pipelines-git",
        description="Secret (key `token`) the git steps read; referenced, never rendered.",
    )
    cli: str = Field(default="claude", description="Agent CLI type passed to each CodeRun.")
    git_server: str = Field(
        default="https://github.com",
        pattern=r"^(https?|file)://[^\s]+[^/\s]$",
        description="Base URL the git steps clone from (GitHub Enterprise: its URL).",
    )


class WorkflowConfig(ConfigModel):
    """Lifetime limits every rendered workflow carries."""

    active_deadline_seconds: StrictInt = Field(
        default=21600, gt=0, description="Hard limit of one flow run (default 6 h)."
    )
    ttl_after_success_seconds: StrictInt = Field(
        default=86400, ge=0, description="Delete a succeeded workflow after this long."
    )
    ttl_after_failure_seconds: StrictInt = Field(
        default=604800, ge=0, description="Delete a failed workflow after this long (7 days)."
    )
    review_deadline_seconds: StrictInt = Field(
        default=2592000,
        gt=0,
        description="Hard limit of a flow that waits for its pull request to merge "
        "(task-pipeline, play; default 30 days).",
    )
    coderun_timeout_seconds: StrictInt = Field(
        default=7200, gt=0, description="Limit of one agent run inside a flow (default 2 h)."
    )


class ArgoCDConfig(ConfigModel):
    """The Argo CD Application that syncs the output folder."""

    namespace: str = Field(default="argocd", description="Namespace of Argo CD.")
    project: str = Field(default="default", description="Argo CD project.")
    repo_url: str | None = Field(
        default=None, description="Git URL; default: `https://github.com/<repository>.git`."
    )
    path: str | None = Field(
        default=None,
        description="Folder inside that repository; default: the output folder relative to "
        "the git checkout root (or to pipelines.yaml outside git).",
    )
    target_revision: str = Field(default="main", description="Branch Argo CD follows.")


class WorkspaceConfig(ConfigModel):
    """The volume holding one git worktree per running task of a play."""

    size: str = Field(default="20Gi", description="Requested size of the workspace claim.")
    storage_class: str | None = Field(
        default=None, description="StorageClass of the claim; default: the cluster default."
    )
    access_mode: Literal["ReadWriteOnce", "ReadWriteMany", "ReadWriteOncePod"] = Field(
        default="ReadWriteOnce",
        description="Access mode; ReadWriteOnce binds on every StorageClass, but then all "
        "task pods share one node: parallel tasks across nodes need ReadWriteMany (and a "
        "StorageClass that offers it, e.g. NFS, CephFS, EFS, Filestore).",
    )


class PlayConfig(ConfigModel):
    """The batch DAG over the backlog."""

    max_tasks_per_workflow: StrictInt = Field(
        default=200,
        ge=2,
        le=1000,
        description="DAG tasks per generated Workflow/WorkflowTemplate; larger backlogs "
        "become a workflow of workflows.",
    )


class PipelinesConfig(ConfigModel):
    """`pipelines.yaml`: only `repository` is required, and not even that inside a checkout
    whose `origin` remote names a GitHub repository."""

    repository: str | None = Field(
        default=None,
        pattern=REPOSITORY_PATTERN,
        description="GitHub repository `owner/name`; default: from `git remote get-url origin`.",
    )
    namespace: str = Field(
        default="agent-platform",
        pattern=r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$",
        description="Namespace of every rendered object (but the Argo CD Application).",
    )
    create_namespace: bool = Field(
        default=False,
        description="Render the Namespace object too (for a first `kubectl apply -k`; Argo "
        "CD creates it anyway with CreateNamespace=true). It is never pruned or deleted.",
    )
    service: str | None = Field(
        default=None, description="Service name passed to agents; default: the repository name."
    )
    working_directory: str = Field(
        default=".", min_length=1, description="Working directory inside the repository."
    )
    output: str = Field(
        default="manifests", min_length=1, description="Output folder, relative to this file."
    )
    root: str = Field(
        default=".",
        description="Repository root whose files decide the detected quality gates, "
        "relative to this file.",
    )
    docs: DocsConfig = Field(default_factory=DocsConfig, description="Docs repository.")
    gates: list[GateConfig] | None = Field(
        default=None,
        description="Quality gate commands; default: detected from files in `root` "
        "(Cargo.toml, pyproject.toml, package.json, Chart.yaml, .yamllint).",
    )
    models: dict[Role, str] = Field(
        default_factory=dict, description="Default model per task type (role)."
    )
    tools: ToolsConfig = Field(
        default_factory=ToolsConfig, description="Tools every agent gets (set once here)."
    )
    agents: dict[str, AgentConfig] = Field(
        default_factory=dict,
        description="Agents by key: overrides of the default personas, or new agents.",
    )
    roles: dict[Role, str] = Field(
        default_factory=dict, description="Which agent key serves each role."
    )
    qa: QaConfig = Field(default_factory=QaConfig, description="QA path rule.")
    platform: PlatformConfig = Field(
        default_factory=PlatformConfig, description="The platform already in the cluster."
    )
    workflow: WorkflowConfig = Field(
        default_factory=WorkflowConfig, description="Workflow lifetime limits."
    )
    argocd: ArgoCDConfig = Field(default_factory=ArgoCDConfig, description="Argo CD sync.")
    backlog: str = Field(
        default=".taskmaster/tasks/tasks.json",
        description="TaskMaster tasks.json, relative to this file; no file: no play objects.",
    )
    tag: str | None = Field(
        default=None,
        description="TaskMaster tag; default: `.taskmaster/state.json` currentTag, else master.",
    )
    workspace: WorkspaceConfig = Field(
        default_factory=WorkspaceConfig, description="Workspace volume for parallel tasks."
    )
    play: PlayConfig = Field(default_factory=PlayConfig, description="The backlog batch DAG.")
    events: EventsConfig = Field(
        default_factory=EventsConfig, description="GitHub events routed to flows."
    )
    secrets: SecretsConfig = Field(
        default_factory=SecretsConfig, description="External Secrets store of credentials."
    )
    concurrency: ConcurrencyConfig = Field(
        default_factory=ConcurrencyConfig, description="Semaphore sizes of agent runs."
    )
