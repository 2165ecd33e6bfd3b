"""The agent registry: the platform's personas as defaults, one per role the flows ask for.

Flows never name an agent; they ask for a role (`implementation`, `quality`, `testing`, ...)
and the project's `roles:` map answers with an agent key, so users can swap a persona for a
role without touching any flow.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DEFAULT_AGENTS", "DEFAULT_MODELS", "DEFAULT_ROLES", "Role"]


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


DEFAULT_MODELS: dict[Role, str] = {
    Role.PM: "claude-opus-4-1-20250805",
    Role.IMPLEMENTATION: "claude-sonnet-4-20250514",
    Role.QUALITY: "claude-sonnet-4-20250514",
    Role.TESTING: "claude-sonnet-4-20250514",
    Role.TRIAGE: "claude-sonnet-4-20250514",
    Role.SECURITY: "claude-opus-4-1-20250805",
    Role.REVIEW: "claude-sonnet-4-20250514",
    Role.ISSUE: "claude-sonnet-4-20250514",
}

# key -> (persona, role, GitHub App, local tools, remote tools)
DEFAULT_AGENTS: dict[str, tuple[str, Role, str, tuple[str, ...], tuple[str, ...]]] = {
    "morgan": ("Morgan", Role.PM, "5DLabs-Morgan", (), ("github_create_issue",)),
    "rex": ("Rex", Role.IMPLEMENTATION, "5DLabs-Rex", ("filesystem", "git"), ()),
    "clippy": ("Clippy", Role.QUALITY, "5DLabs-Clippy", ("filesystem", "git"), ()),
    "qa": ("QA", Role.TESTING, "5DLabs-QA", ("filesystem", "git"), ()),
    "triage": ("Triage", Role.TRIAGE, "5DLabs-Triage", ("filesystem", "git"), ()),
    "security": ("Security", Role.SECURITY, "5DLabs-Security", ("filesystem", "git"), ()),
    "pr-comment": ("PR-comment", Role.REVIEW, "5DLabs-PR-Comment", ("filesystem", "git"), ()),
    "issue": ("Issue", Role.ISSUE, "5DLabs-Issue", ("filesystem", "git"), ()),
}

DEFAULT_ROLES: dict[Role, str] = {role: key for key, (_, role, *_rest) in DEFAULT_AGENTS.items()}
