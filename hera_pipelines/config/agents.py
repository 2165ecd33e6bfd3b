"""The agent registry: the platform's personas as defaults, one per role the flows ask for.

Flows never name an agent; they ask for a role (`implementation`, `quality`, `testing`, ...)
and the project's `roles:` map answers with an agent key, so users can swap a persona for a
role without touching any flow. Everything known about a role lives in one table, `ROLES`, which
must cover every `Role` (checked at import): adding a role is one enum member and one row.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "DEFAULT_AGENTS",
    "DEFAULT_MODELS",
    "DEFAULT_ROLES",
    "ROLES",
    "AgentDefaults",
    "Role",
    "RoleInfo",
]

_OPUS = "claude-opus-4-1-20250805"
_SONNET = "claude-sonnet-4-20250514"


class Role(StrEnum):
    """What an agent is for; also the key of the default model per task type."""

    PM = "pm"
    IMPLEMENTATION = "implementation"
    QUALITY = "quality"
    TESTING = "testing"
    TRIAGE = "triage"
    SECURITY = "security"
    REVIEW = "review"
    ISSUE = "issue"


@dataclass(frozen=True)
class RoleInfo:
    """A role's default model, its title in prompts, and the default agent serving it."""

    model: str
    title: str
    agent: str


@dataclass(frozen=True)
class AgentDefaults:
    """A default persona: its role, GitHub App and MCP tools (local, remote)."""

    persona: str
    role: Role
    github_app: str
    local_tools: tuple[str, ...] = ("filesystem", "git")
    remote_tools: tuple[str, ...] = ()


ROLES: dict[Role, RoleInfo] = {
    Role.PM: RoleInfo(_OPUS, "project-management", "morgan"),
    Role.IMPLEMENTATION: RoleInfo(_SONNET, "implementation", "rex"),
    Role.QUALITY: RoleInfo(_SONNET, "format/lint", "clippy"),
    Role.TESTING: RoleInfo(_SONNET, "QA (tests only)", "qa"),
    Role.TRIAGE: RoleInfo(_SONNET, "CI-failure triage", "triage"),
    Role.SECURITY: RoleInfo(_OPUS, "security", "security"),
    Role.REVIEW: RoleInfo(_SONNET, "pull-request comment", "pr-comment"),
    Role.ISSUE: RoleInfo(_SONNET, "issue", "issue"),
}

DEFAULT_AGENTS: dict[str, AgentDefaults] = {
    "morgan": AgentDefaults("Morgan", Role.PM, "5DLabs-Morgan", (), ("github_create_issue",)),
    "rex": AgentDefaults("Rex", Role.IMPLEMENTATION, "5DLabs-Rex"),
    "clippy": AgentDefaults("Clippy", Role.QUALITY, "5DLabs-Clippy"),
    "qa": AgentDefaults("QA", Role.TESTING, "5DLabs-QA"),
    "triage": AgentDefaults("Triage", Role.TRIAGE, "5DLabs-Triage"),
    "security": AgentDefaults("Security", Role.SECURITY, "5DLabs-Security"),
    "pr-comment": AgentDefaults("PR-comment", Role.REVIEW, "5DLabs-PR-Comment"),
    "issue": AgentDefaults("Issue", Role.ISSUE, "5DLabs-Issue"),
}


def _check_complete() -> None:
    missing = set(Role) - set(ROLES)
    if missing:
        raise RuntimeError(f"ROLES lacks {sorted(missing)}")
    for role, info in ROLES.items():
        if DEFAULT_AGENTS[info.agent].role is not role:
            raise RuntimeError(f"default agent {info.agent!r} does not serve role {role}")


_check_complete()

DEFAULT_MODELS: dict[Role, str] = {role: info.model for role, info in ROLES.items()}
DEFAULT_ROLES: dict[Role, str] = {role: info.agent for role, info in ROLES.items()}
