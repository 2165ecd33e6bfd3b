"""Dependency filters every route shares; "equals" is always an anchored RE2 pattern.

Argo Events matches data-filter strings as unanchored regexes, so a bare `main` would also
match `maintenance`: every value here is anchored at both ends.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence

from hera_pipelines.config.events import Association, TrustedRouteConfig
from hera_pipelines.config.pipelines import LOGIN_PATTERN
from hera_pipelines.config.project import Project
from hera_pipelines.events.actors import our_bot_logins
from hera_pipelines.events.models import v1alpha1 as _e
from hera_pipelines.events.source import EVENT_HEADER, EVENT_NAME, EVENT_SOURCE

__all__ = [
    "data_filter",
    "dependency",
    "exact",
    "expr_filter",
    "has_label",
    "lacks_label",
    "login_at",
    "not_a_command",
    "not_ours",
    "repository_pinned",
    "same_repository",
    "sender_not_bot",
    "trusted",
    "trusted_associations",
]


def exact(*values: str) -> str:
    """An anchored RE2 pattern matching exactly one of `values`."""
    body = "|".join(re.escape(v) for v in values)
    return f"^({body})$" if len(values) > 1 else f"^{body}$"


def data_filter(
    path: str, *values: str, kind: str = "string", comparator: str | None = None
) -> _e.DataFilter:
    return _e.DataFilter(path=path, type=kind, value=list(values), comparator=comparator)


def _event_is(name: str) -> _e.DataFilter:
    """The `X-GitHub-Event` header, which the GitHub EventSource copies into the body."""
    return data_filter(f"body.{EVENT_HEADER}", exact(name))


def _action_is(*names: str) -> _e.DataFilter:
    return data_filter("body.action", exact(*names))


def trusted_associations(project: Project, route: TrustedRouteConfig) -> list[Association]:
    """The associations `route` trusts: its own `trustedAssociations`, else the events' ones."""
    return route.trusted_associations or project.events.trusted_associations


def trusted(path: str, associations: Sequence[Association]) -> _e.DataFilter:
    """`author_association` at `path` is one of `associations`."""
    return data_filter(path, exact(*sorted(a.value for a in associations)))


def _label_pattern(name: str) -> str:
    # `labels.#.name` is a JSON array; its raw text is matched, so one element is matched
    # whole between its quotes, anchored at both ends of the array.
    quoted = re.escape(json.dumps(name, ensure_ascii=False))
    return rf"^\[(.*,)?{quoted}(,.*)?\]$"


def has_label(labels_path: str, name: str) -> _e.DataFilter:
    """The label list at `labels_path` (`....labels`) contains `name` exactly."""
    return data_filter(f"{labels_path}.#.name", _label_pattern(name))


def lacks_label(labels_path: str, pattern: str) -> _e.DataFilter:
    """No label at `labels_path` matches the regex `pattern` (a label's whole text)."""
    return data_filter(f"{labels_path}.#.name", rf'^\[(.*,)?"{pattern}"(,.*)?\]$', comparator="!=")


def sender_not_bot() -> _e.DataFilter:
    return data_filter("body.sender.type", exact("Bot"), comparator="!=")


def repository_pinned(project: Project) -> _e.DataFilter:
    """The delivery is about one of the configured repositories (an org hook sends them all)."""
    return data_filter("body.repository.full_name", exact(*project.repositories))


def login_at(path: str, *also: str) -> _e.DataFilter:
    """The login at `path` is a GitHub user login (no bot, nothing odd), or one of `also`."""
    if not also:
        return data_filter(path, LOGIN_PATTERN)
    user = LOGIN_PATTERN.removeprefix("^").removesuffix("$")
    return data_filter(path, f"^(?:{user}|{'|'.join(re.escape(a) for a in also)})$")


def not_ours(project: Project, path: str = "body.sender.login") -> _e.DataFilter:
    """The login at `path` is none of our agents' bots nor an `events.botLogins` entry."""
    return data_filter(path, exact(*our_bot_logins(project)), comparator="!=")


def not_a_command(path: str) -> _e.DataFilter:
    """The comment at `path` is no `/command` (`/play` and friends are not review comments)."""
    return data_filter(path, r"^\s*/", comparator="!=")


def same_repository(head_repo: str, repo: str = "body.repository.full_name") -> _e.ExprFilter:
    """The PR's head repository (at `head_repo`) is the repository (at `repo`): no fork.

    Pull request payloads carry `head.repo.full_name`; CI payloads' `pull_requests` carry only
    `head.repo.id`, compared with `body.repository.id`.
    """
    return expr_filter("head == repo", head=head_repo, repo=repo)


def expr_filter(expr: str, **fields: str) -> _e.ExprFilter:
    """A govaluate expression over named payload paths (for comparing two fields)."""
    return _e.ExprFilter(
        expr=expr,
        fields=[_e.PayloadField(name=name, path=path) for name, path in sorted(fields.items())],
    )


def dependency(
    name: str,
    event: str,
    actions: tuple[str, ...],
    data: Sequence[_e.DataFilter] = (),
    exprs: Sequence[_e.ExprFilter] = (),
    script: str | None = None,
) -> _e.EventDependency:
    """One GitHub dependency on `event` with one of `actions`, whose every data filter,
    expression and Lua script must pass as well.

    Every dependency names its event and action (the EventSource delivers every subscribed
    event to every Sensor): their filters come first, then `data`. A script is constant text
    from our code (never payload data); Argo Events runs it with the event as the global
    `event` and keeps the event when it returns true.
    """
    filters = [_event_is(event), _action_is(*actions), *data]
    return _e.EventDependency(
        name=name,
        event_source_name=EVENT_SOURCE,
        event_name=EVENT_NAME,
        filters=_e.EventDependencyFilter(data=filters, exprs=list(exprs) or None, script=script),
    )
