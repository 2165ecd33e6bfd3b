"""Who acts on GitHub: our agents' bot logins, so no route reacts to our own agents (no loops)."""

from __future__ import annotations

from collections.abc import Sequence

from hera_pipelines.config.agents import Role
from hera_pipelines.config.project import Project
from hera_pipelines.conventions.names import dns_label

__all__ = ["bot_login", "our_bot_logins"]


def bot_login(github_app: str) -> str:
    """The login a GitHub App acts as: its slug and `[bot]`."""
    return dns_label(github_app, 100) + "[bot]"


def our_bot_logins(project: Project, roles: Sequence[Role] | None = None) -> list[str]:
    """Logins of our agents (of `roles`, or all), plus `events.botLogins`."""
    agents = project.agents.values()
    chosen = {bot_login(a.github_app) for a in agents if roles is None or a.role in roles}
    if roles is None:
        chosen |= set(project.events.bot_logins)
    return sorted(chosen)
