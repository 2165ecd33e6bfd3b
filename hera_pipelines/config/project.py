"""The resolved project: `pipelines.yaml` plus every default and detection, ready to render.

`load_project(path)` is the only way in; it is a pure function of the config file, the files
beside it and the local git checkout, and it raises `HeraPipelinesError` naming the file and
the field for anything wrong, before anything is rendered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from hera_pipelines.backlog.graph import BacklogGraph
from hera_pipelines.backlog.load import load_backlog
from hera_pipelines.config.agents import DEFAULT_AGENTS, DEFAULT_MODELS, DEFAULT_ROLES, Role
from hera_pipelines.config.detect import detect_gates, git_root, repository_from_git
from hera_pipelines.config.events import ConcurrencyConfig, EventsConfig, SecretsConfig
from hera_pipelines.config.model import ConfigModel
from hera_pipelines.config.pipelines import (
    BOT_LOGIN_PATTERN,
    REPOSITORY_PATTERN,
    AgentConfig,
    ArgoCDConfig,
    PipelinesConfig,
    PlatformConfig,
    PlayConfig,
    WorkflowConfig,
    WorkspaceConfig,
)
from hera_pipelines.errors import HeraPipelinesError, field_path, from_validation
from hera_pipelines.textfile import load_yaml, read_text

__all__ = ["Agent", "ArgoCD", "Gate", "Project", "load_project"]

MAX_PROMPT_BYTES = 1024 * 1024  # the data of one ConfigMap


@dataclass(frozen=True)
class Gate:
    name: str
    command: str


@dataclass(frozen=True)
class Agent:
    """A complete agent: every field known, tools already merged with the project's."""

    key: str
    persona: str
    role: Role
    github_app: str
    model: str
    system_prompt: Path | None
    # the text of `system_prompt`, read once here (None: the built-in prompt of the role)
    prompt_source: str | None
    local_tools: tuple[str, ...]
    remote_tools: tuple[str, ...]


@dataclass(frozen=True)
class ArgoCD:
    namespace: str
    project: str
    repo_url: str
    path: str
    target_revision: str


@dataclass(frozen=True)
class Project:
    config_path: Path
    repository: str
    namespace: str
    create_namespace: bool
    service: str
    working_directory: str
    output_dir: Path
    docs_repository: str
    docs_branch: str
    docs_project_directory: str
    gates: tuple[Gate, ...]
    agents: dict[str, Agent]
    roles: dict[Role, str]
    qa_test_paths: tuple[str, ...]
    platform: PlatformConfig
    workflow: WorkflowConfig
    argocd: ArgoCD
    backlog_path: Path
    tag: str | None
    # The backlog, loaded and checked once (None: no backlog file at the default place).
    backlog: BacklogGraph | None
    workspace: WorkspaceConfig
    play: PlayConfig
    events: EventsConfig = field(default_factory=EventsConfig)
    secrets: SecretsConfig = field(default_factory=SecretsConfig)
    concurrency: ConcurrencyConfig = field(default_factory=ConcurrencyConfig)

    @property
    def config_dir(self) -> Path:
        return self.config_path.parent

    @property
    def repository_url(self) -> str:
        return f"https://github.com/{self.repository}"

    @property
    def github_api_url(self) -> str:
        """The REST API of `platform.gitServer` (GitHub Enterprise Server: `<server>/api/v3`)."""
        server = self.platform.git_server
        return "https://api.github.com" if server == "https://github.com" else f"{server}/api/v3"

    @property
    def github_graphql_url(self) -> str:
        """The GraphQL API of `platform.gitServer` (GHES: `<server>/api/graphql`)."""
        server = self.platform.git_server
        if server == "https://github.com":
            return "https://api.github.com/graphql"
        return f"{server}/api/graphql"

    @property
    def repositories(self) -> list[str]:
        """The repositories events are received from (`events.repositories`, or the project's)."""
        return sorted(self.events.repositories or [self.repository])

    @property
    def docs_repository_url(self) -> str:
        return f"https://github.com/{self.docs_repository}"

    def agent_for(self, role: Role) -> Agent:
        return self.agents[self.roles[role]]


def _field_names() -> list[str]:
    """Every camelCase key some section of pipelines.yaml accepts, for "did you mean"."""
    names: set[str] = set()
    models: list[type[ConfigModel]] = [ConfigModel]
    while models:
        model = models.pop()
        models.extend(model.__subclasses__())
        names.update(f.alias or n for n, f in model.model_fields.items())
    return sorted(names)


def _read_yaml(path: Path) -> dict[str, Any]:
    data = load_yaml(read_text(path), str(path))
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise HeraPipelinesError(
            f"expected a mapping at the top level, got {type(data).__name__}", file=str(path)
        )
    return data


def _merge_agent(key: str, user: AgentConfig | None, config: PipelinesConfig, path: Path) -> Agent:
    base: dict[str, Any] = {}
    if key in DEFAULT_AGENTS:
        default = DEFAULT_AGENTS[key]
        base = {"persona": default.persona, "role": default.role, "github_app": default.github_app}
        base_tools: tuple[tuple[str, ...], tuple[str, ...]] = (
            default.local_tools,
            default.remote_tools,
        )
    else:
        base_tools = ((), ())
    given = user.model_dump(exclude_unset=True) if user else {}
    merged = {**base, **given}
    role = merged.get("role")
    if "model" not in merged and role is not None:
        merged["model"] = config.models.get(role, DEFAULT_MODELS[role])
    field = f"agents.{key}"
    for name, alias in (
        ("role", "role"),
        ("github_app", "githubApp"),
        ("model", "model"),
    ):
        value = merged.get(name)
        if value is None:
            raise HeraPipelinesError("field required", file=str(path), field=f"{field}.{alias}")
        if isinstance(value, str) and not value.strip():
            raise HeraPipelinesError("must not be empty", file=str(path), field=f"{field}.{alias}")
    prompt = merged.get("system_prompt")
    prompt_path: Path | None = None
    prompt_source: str | None = None
    if prompt:
        prompt_path = (path.parent / prompt).resolve()
        if not prompt_path.is_file():
            raise HeraPipelinesError(
                f"file not found: {prompt}", file=str(path), field=f"{field}.systemPrompt"
            )
        # read once here: a bad file (encoding, size) is one clear error, and no builder reads it
        prompt_source = read_text(
            prompt_path, source=str(path.parent / prompt), max_bytes=MAX_PROMPT_BYTES, what="prompt"
        )
    tools = user.tools if user and user.tools else None
    local = tuple(
        dict.fromkeys([*config.tools.local, *base_tools[0], *(tools.local if tools else [])])
    )
    remote = tuple(
        dict.fromkeys([*config.tools.remote, *base_tools[1], *(tools.remote if tools else [])])
    )
    return Agent(
        key=key,
        persona=merged.get("persona") or key,
        role=Role(merged["role"]),
        github_app=merged["github_app"],
        model=merged["model"],
        system_prompt=prompt_path,
        prompt_source=prompt_source,
        local_tools=local,
        remote_tools=remote,
    )


def _resolve_output_path(config_dir: Path, output: Path, argocd: ArgoCDConfig) -> str:
    if argocd.path:
        return argocd.path
    root = git_root(config_dir)
    base = root.resolve() if root else config_dir
    try:
        return output.resolve().relative_to(base).as_posix()
    except ValueError:
        return output.name


def _checked_events(config: PipelinesConfig, agents: dict[str, Agent], path: Path) -> EventsConfig:
    """`events:` with every agent key and repository it names checked."""
    events = config.events
    for name in type(events.routes).model_fields:
        route = getattr(events.routes, name)
        if route.agent is not None and route.agent not in agents:
            alias = type(events.routes).model_fields[name].alias or name
            raise HeraPipelinesError(
                f"no agent '{route.agent}' (known: {', '.join(sorted(agents))})",
                file=str(path),
                field=f"events.routes.{alias}.agent",
            )
    if events.enabled and events.url is None:
        for key, given in (("githubApp", events.github_app), ("ingress", events.ingress)):
            if given is not None:
                raise HeraPipelinesError(
                    "needs events.url: the public https URL GitHub posts to",
                    file=str(path),
                    field=f"events.{key}",
                )
    if (
        events.enabled
        and events.ingress is not None
        and events.url is not None
        and urlsplit(events.url).path not in ("", "/")
    ):
        raise HeraPipelinesError(
            "with events.ingress, events.url must have no path (the Ingress routes "
            f"<host>{events.endpoint} to the EventSource unchanged)",
            file=str(path),
            field="events.url",
        )
    hook_app = events.github_app.github_app if events.github_app else None
    if hook_app is not None and hook_app.lower() in {a.github_app.lower() for a in agents.values()}:
        raise HeraPipelinesError(
            f"the webhook is managed with the GitHub App '{hook_app}', which an agent also uses: "
            "manage hooks with an App or token of their own, so an agent cannot rewrite the hook",
            file=str(path),
            field="events.githubApp.githubApp",
        )
    logins = [("events.botLogins", events.bot_logins)]
    logins.append(("events.routes.pullRequest.botAuthors", events.routes.pull_request.bot_authors))
    for where, names in logins:
        for index, login in enumerate(names):
            if not re.match(BOT_LOGIN_PATTERN, login):
                raise HeraPipelinesError(
                    f"not a GitHub login: {login!r}", file=str(path), field=f"{where}[{index}]"
                )
    for index, repository in enumerate(events.repositories):
        if not re.match(REPOSITORY_PATTERN, repository):
            raise HeraPipelinesError(
                f"must be 'owner/name', got {repository!r}",
                file=str(path),
                field=field_path(("events", "repositories", index)),
            )
    return events


def _load_backlog(path: Path, backlog: Path, config: PipelinesConfig) -> BacklogGraph | None:
    """The backlog's graph; no file at the default place means no backlog (nothing to play),
    but a `backlog:` the user wrote must exist: a typo would otherwise silently drop the play."""
    if not backlog.is_file():
        if "backlog" in config.model_fields_set:
            raise HeraPipelinesError(
                f"file not found: {config.backlog}", file=str(path), field="backlog"
            )
        return None
    return BacklogGraph(load_backlog(backlog, tag=config.tag))


def load_project(path: Path, *, output: Path | None = None) -> Project:
    """Read, validate and complete `pipelines.yaml` at `path`.

    `output` replaces the config's `output` folder (`render --out`); the Argo CD Application
    then points at it too.
    """
    path = Path(path)
    data = _read_yaml(path)
    try:
        config = PipelinesConfig.model_validate(data)
    except ValidationError as exc:
        raise from_validation(
            exc,
            file=str(path),
            known_fields=_field_names(),
            patterns={REPOSITORY_PATTERN: "'owner/name'"},
        ) from None
    config_dir = path.parent.resolve()

    repository = config.repository or repository_from_git(config_dir)
    if not repository:
        raise HeraPipelinesError(
            "field required (and no GitHub 'origin' remote found to detect it from)",
            file=str(path),
            field="repository",
        )
    owner_name = repository.split("/", 1)[1]
    service = config.service or owner_name

    keys = sorted({*DEFAULT_AGENTS, *config.agents})
    agents = {key: _merge_agent(key, config.agents.get(key), config, path) for key in keys}
    roles = {**DEFAULT_ROLES, **config.roles}
    for role, key in sorted(roles.items()):
        if key not in agents:
            raise HeraPipelinesError(
                f"no agent '{key}' (known: {', '.join(keys)})",
                file=str(path),
                field=f"roles.{role.value}",
            )

    if config.gates is None:
        gates = tuple(Gate(n, c) for n, c in detect_gates(config_dir / config.root))
    else:
        gates = tuple(Gate(g.name, g.command) for g in config.gates)

    output_dir = Path(output) if output is not None else path.parent / config.output
    backlog_path = path.parent / config.backlog
    argocd = ArgoCD(
        namespace=config.argocd.namespace,
        project=config.argocd.project,
        repo_url=config.argocd.repo_url or f"https://github.com/{repository}.git",
        path=_resolve_output_path(config_dir, output_dir, config.argocd),
        target_revision=config.argocd.target_revision,
    )
    return Project(
        config_path=path,
        repository=repository,
        namespace=config.namespace,
        create_namespace=config.create_namespace,
        service=service,
        working_directory=config.working_directory,
        output_dir=output_dir,
        docs_repository=config.docs.repository or repository,
        docs_branch=config.docs.branch,
        docs_project_directory=config.docs.project_directory,
        gates=gates,
        agents=agents,
        roles=roles,
        qa_test_paths=tuple(config.qa.test_paths),
        platform=config.platform,
        workflow=config.workflow,
        argocd=argocd,
        backlog_path=backlog_path,
        tag=config.tag,
        backlog=_load_backlog(path, backlog_path, config),
        workspace=config.workspace,
        play=config.play,
        events=_checked_events(config, agents, path),
        secrets=config.secrets,
        concurrency=config.concurrency,
    )
