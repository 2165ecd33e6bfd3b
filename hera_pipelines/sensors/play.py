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

from hera_pipelines.config.project import Project
from hera_pipelines.events.filters import (
    data_filter,
    dependency,
    login_at,
    not_ours,
    repository_pinned,
    sender_not_bot,
    trusted,
    trusted_associations,
)
from hera_pipelines.events.names import name_template, part_delivery, part_number
from hera_pipelines.events.route import Route, RouteBuilder
from hera_pipelines.events.triggers import Arm, Param, submit
from hera_pipelines.templates import play

__all__ = ["BUILDER", "COMMAND", "DISPATCH_TYPE", "ROUTE"]

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


def _arms(project: Project) -> list[Arm]:
    route = project.events.routes.play
    ours = not_ours(project)
    pinned = repository_pinned(project)
    comment = dependency(
        "play-comment",
        "issue_comment",
        ("created",),
        [
            data_filter("body.comment.body", rf"^\s*{COMMAND}\s*$"),
            trusted("body.comment.author_association", trusted_associations(project, route)),
            pinned,
            login_at("body.comment.user.login"),
            login_at("body.sender.login"),
            sender_not_bot(),
            ours,
        ],
    )
    dispatch = dependency("play-dispatch", "repository_dispatch", (DISPATCH_TYPE,), [pinned, ours])
    return [
        submit(
            project,
            route,
            dep,
            flow=play.SPEC,
            workflow_name=name_template(play.NAME, part),
            parameters={play.ACTORS: actors},
        )
        for dep, part, actors in (
            (comment, part_number("body.comment.id"), Param.logins("body.comment.user.login")),
            # a dispatch needs a token that can write to the repository: trusted by construction
            (dispatch, part_delivery(), Param.const("")),
        )
    ]


BUILDER = RouteBuilder(
    ROUTE,
    "github-play",
    "Submits the play over the backlog on a `play` repository_dispatch or "
    "a trusted `/play` comment.",
    _arms,
)
