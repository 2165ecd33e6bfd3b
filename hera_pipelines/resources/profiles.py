"""The agent-profile ConfigMap: each agent's persona, model, tools and rendered system prompt.

Prompts are Jinja2 templates (the user's file, or the built-in one of the agent's role)
rendered with the project, so the platform reads one reviewed, versioned copy per agent.
"""

from __future__ import annotations

import functools
from typing import Any

import jinja2

from hera_pipelines.config.agents import ROLES
from hera_pipelines.config.project import Agent, Project
from hera_pipelines.conventions import labels
from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.render.yamlio import dump

__all__ = ["NAME", "manifests"]

NAME = "agent-profiles"


@functools.cache
def _builtin() -> jinja2.Environment:
    """The built-in prompts: package data, loaded once per process."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("hera_pipelines", "data/prompts"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,  # noqa: S701 - Markdown prompts, not HTML
    )


def _prompt(project: Project, agent: Agent) -> str:
    """The agent's prompt rendered with the project. A user's prompt (read once, with the
    project) may extend the built-in templates (`{% extends "_base.md.j2" %}`)."""
    env = _builtin()
    try:
        if agent.prompt_source is not None:
            template = env.from_string(agent.prompt_source)
        else:
            template = env.get_template(f"{agent.role.value}.md.j2")
        text = template.render(project=project, agent=agent, role_title=ROLES[agent.role].title)
    except jinja2.TemplateError as exc:
        raise HeraPipelinesError(
            f"prompt template: {exc}",
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
