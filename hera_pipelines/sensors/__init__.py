"""The GitHub EventSource and the route Sensors, built from `hera.events.models`.

`ROUTES` is the one registry of routes (one module each, exporting `BUILDER`); the EventSource
(`github.py`) is built from the routes that rendered, so it subscribes to exactly their events.
"""

from __future__ import annotations

from hera_pipelines.events.route import RouteBuilder
from hera_pipelines.sensors import (
    ci_failure,
    issue,
    play,
    pull_request,
    review_comment,
    security_alert,
    task_merge,
)

__all__ = ["ROUTES"]

ROUTES: tuple[RouteBuilder, ...] = (
    ci_failure.BUILDER,
    issue.BUILDER,
    play.BUILDER,
    pull_request.BUILDER,
    review_comment.BUILDER,
    security_alert.BUILDER,
    task_merge.BUILDER,
)
