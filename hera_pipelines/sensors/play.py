"""Play route: press play on the backlog from GitHub, without `argo submit`.

A `repository_dispatch` with event type `play` (its sender needs write access, so it is trusted
by construction), or a `/play` comment by a trusted author on an issue or pull request, submits
the `play` WorkflowTemplate (`templates/play.py`). Each run is named by the event's identity
(the comment id, or the delivery id of the dispatch), so a redelivery starts nothing twice; the
play's own mutex queues a second press behind a running play (README: "Pressing play").

Rendered only when the project has a backlog file (there is no play otherwise).
`events.routes` has no `play` entry yet, so this route takes the defaults of every route
(`events.trustedAssociations`, `events.rateLimit`) until one is added to `events_config`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hera_pipelines.config.project import Project
from hera_pipelines.events.actors import our_bot_logins
from hera_pipelines.events.filters import (
    action_is,
    data_filter,
    dependency,
    event_is,
    login_at,
    repository_pinned,
    sender_is_not,
    sender_not_bot,
    trusted,
)
from hera_pipelines.events.names import name_template, part_delivery, part_number
from hera_pipelines.events.route import Route, RouteBuilder
from hera_pipelines.events.sensor import sensor
from hera_pipelines.events.triggers import Param, workflow_trigger
from hera_pipelines.templates import play

__all__ = ["BUILDER", "COMMAND", "DISPATCH_TYPE", "ROUTE", "manifests"]

DISPATCH_TYPE = "play"
COMMAND = "/play"


@dataclass(frozen=True)
class _PlayRoute(Route):
    """`events.routes.play`, and only where there is a backlog with a task left to play."""

    def enabled(self, project: Project) -> bool:
        # the play template exists only while some task is left to run (templates/play.py)
        backlog = project.backlog
        return super().enabled(project) and backlog is not None and bool(backlog.runnable)


ROUTE = _PlayRoute(play.NAME, ("issue_comment", "repository_dispatch"))


def manifests(project: Project) -> list[dict[str, Any]]:
    if not ROUTE.enabled(project):
        return []
    route = project.events.routes.play
    not_ours = sender_is_not(our_bot_logins(project))
    pinned = repository_pinned(project)
    dispatch = dependency(
        "play-dispatch",
        [event_is("repository_dispatch"), action_is(DISPATCH_TYPE), pinned, not_ours],
    )
    comment = dependency(
        "play-comment",
        [
            event_is("issue_comment"),
            action_is("created"),
            data_filter("body.comment.body", rf"^\s*{COMMAND}\s*$"),
            trusted(
                "body.comment.author_association",
                route.trusted_associations or project.events.trusted_associations,
            ),
            pinned,
            login_at("body.comment.user.login"),
            login_at("body.sender.login"),
            sender_not_bot(),
            not_ours,
        ],
    )
    triggers = [
        workflow_trigger(
            project,
            route,
            name=dep_name,
            dependency_name=dep_name,
            flow=play.SPEC,
            workflow_name=name_template(play.NAME, part),
            parameters={play.ACTORS: actors},
        )
        for dep_name, part, actors in (
            (
                "play-comment",
                part_number("body.comment.id"),
                Param.logins("body.comment.user.login"),
            ),
            # a dispatch needs a token that can write to the repository: trusted by construction
            ("play-dispatch", part_delivery(), Param.const("")),
        )
    ]
    return [
        sensor(
            project,
            "github-play",
            description="Submits the play over the backlog on a `play` repository_dispatch or "
            "a trusted `/play` comment.",
            dependencies=[comment, dispatch],
            triggers=triggers,
        )
    ]


BUILDER = RouteBuilder(ROUTE, manifests)
