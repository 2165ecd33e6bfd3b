"""The agent-profile ConfigMap: each agent's persona, model, tools and rendered system prompt.

Prompts are Jinja2 templates (the user's file, or the built-in one of the agent's role)
rendered with the project, so the platform reads one reviewed, versioned copy per agent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from hera_pipelines import labels
from hera_pipelines.agents import Role
from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.project import Agent, Project
from hera_pipelines.yamlio import dump

__all__ = ["NAME", "manifests"]

NAME = "agent-profiles"
_BUILTIN = Path(__file__).parent / "data" / "prompts"
_ROLE_TITLES = {
    Role.PM: "project-management",
    Role.IMPLEMENTATION: "implementation",
    Role.QUALITY: "format/lint",
    Role.TESTING: "QA (tests only)",
    Role.TRIAGE: "CI-failure triage",
    Role.SECURITY: "security",
    Role.REVIEW: "pull-request comment",
    Role.ISSUE: "issue",
}


def _environment(search: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(search), str(_BUILTIN)]),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - Markdown prompts, not HTML
    )


def _prompt(project: Project, agent: Agent) -> str:
    if agent.system_prompt is not None:
        env = _environment(agent.system_prompt.parent)
        name = agent.system_prompt.name
    else:
        env = _environment(_BUILTIN)
        name = f"{agent.role.value}.md.j2"
    try:
        text = env.get_template(name).render(
            project=project, agent=agent, role_title=_ROLE_TITLES[agent.role]
        )
    except (jinja2.TemplateError, UnicodeDecodeError) as exc:
        problem = "a file it includes is not UTF-8" if isinstance(exc, ValueError) else exc
        raise HeraPipelinesError(
            f"prompt template: {problem}",
            file=str(project.config_path),
            field=f"agents.{agent.key}.systemPrompt",
        ) from None
    return text.strip() + "\n"


def _profile(agent: Agent) -> dict[str, Any]:
    return {
        "persona": agent.persona,
        "role": agent.role.value,
        "githubApp": agent.github_app,
        "model": agent.model,
        "tools": {"local": list(agent.local_tools), "remote": list(agent.remote_tools)},
    }


def manifests(project: Project) -> list[dict[str, Any]]:
    data: dict[str, str] = {
        "agents.yaml": dump({key: _profile(a) for key, a in sorted(project.agents.items())}),
        "roles.yaml": dump({role.value: key for role, key in sorted(project.roles.items())}),
        "gates.yaml": dump([{"name": g.name, "command": g.command} for g in project.gates]),
    }
    for key, agent in sorted(project.agents.items()):
        data[f"prompt-{key}.md"] = _prompt(project, agent)
    return [
        {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {
                "name": NAME,
                "namespace": project.namespace,
                "labels": labels.common_labels(project.service, project.repository),
            },
            "data": data,
        }
    ]
