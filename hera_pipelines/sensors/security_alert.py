"""Security route: an alert at or above the configured severity runs security-remediation.

Each alert kind reports severity its own way. Code scanning: a security query carries
`rule.security_severity_level` (low..critical), which decides; a rule without one falls back to
its problem severity (`error` counts as high, `warning` medium, `note` low) — a data filter
cannot say "when the field is absent", so a small constant Lua script decides. Dependabot says
low..critical (`moderate` is medium). The deprecated `repository_vulnerability_alert` reports
the same advisories as `dependabot_alert`, so it is not subscribed (one alert, one run). Runs are
named by alert kind and number, so a redelivery, or the alert's reopening while its run exists,
starts nothing twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from hera_pipelines.config.events import Severity
from hera_pipelines.config.project import Project
from hera_pipelines.events.filters import (
    data_filter,
    dependency,
    exact,
    not_ours,
    repository_pinned,
)
from hera_pipelines.events.names import name_template, part_number
from hera_pipelines.events.route import Route, RouteBuilder
from hera_pipelines.events.triggers import Arm, Param, submit
from hera_pipelines.templates import security_remediation
from hera_pipelines.workflows.contract import REPOSITORY

__all__ = ["BUILDER", "ROUTE", "accepted_severities"]

ROUTE = Route("security", ("code_scanning_alert", "dependabot_alert"))
_ORDER = list(Severity)
_SPELLINGS = {
    Severity.LOW: ("low",),
    Severity.MEDIUM: ("medium", "moderate"),
    Severity.HIGH: ("high",),
    Severity.CRITICAL: ("critical",),
}
_RANK = {Severity.LOW: 1, Severity.MEDIUM: 2, Severity.HIGH: 3, Severity.CRITICAL: 4}
_CODE_SCANNING_SCRIPT = """\
local rule = event.body.alert.rule
local level = rule.security_severity_level
if level == nil then
  local problem = {{error = "high", warning = "medium", note = "low"}}
  level = problem[rule.severity]
end
local rank = {{low = 1, medium = 2, high = 3, critical = 4}}
return (rank[level] or 0) >= {threshold}
"""


@dataclass(frozen=True)
class _AlertKind:
    """One kind of security alert: its event, actions and GJSON paths of severity, id and URL."""

    event: str
    actions: tuple[str, ...]
    severity: str
    ident: str
    url: str


_KINDS: dict[str, _AlertKind] = {
    "code-scanning": _AlertKind(
        "code_scanning_alert",
        ("created", "reopened"),
        "body.alert.rule.severity",
        "body.alert.rule.id",
        "body.alert.html_url",
    ),
    "dependabot": _AlertKind(
        "dependabot_alert",
        ("created",),
        "body.alert.security_advisory.severity",
        "body.alert.security_advisory.ghsa_id",
        "body.alert.html_url",
    ),
}


def accepted_severities(threshold: Severity) -> list[str]:
    """Every spelling of a severity at or above `threshold`."""
    at = _ORDER.index(threshold)
    return [word for level in _ORDER[at:] for word in _SPELLINGS[level]]


def _arms(project: Project) -> Iterator[Arm]:
    """One arm per alert kind, each running security-remediation at or above the threshold."""
    route = project.events.routes.security
    threshold = route.severity_threshold
    for name, kind in _KINDS.items():
        data = [repository_pinned(project), not_ours(project)]
        script = None
        if name == "code-scanning":
            script = _CODE_SCANNING_SCRIPT.format(threshold=_RANK[threshold])
        else:
            data.append(data_filter(kind.severity, exact(*accepted_severities(threshold))))
        yield submit(
            project,
            route,
            dependency(name, kind.event, kind.actions, data, script=script),
            flow=security_remediation.SPEC,
            workflow_name=name_template(f"sec-{name}", part_number("body.alert.number")),
            parameters={
                REPOSITORY: Param.repository("body.repository.full_name"),
                security_remediation.ALERT_KIND: Param.const(name),
                security_remediation.ALERT_NUMBER: Param.number("body.alert.number"),
                security_remediation.ADVISORY_ID: Param.encoded(kind.ident, default=""),
                security_remediation.SEVERITY: Param.encoded_first(
                    "body.alert.rule", "security_severity_level", "severity"
                )
                if name == "code-scanning"
                else Param.encoded(kind.severity),
                security_remediation.ALERT_URL: Param.encoded(kind.url, default=""),
            },
        )


BUILDER = RouteBuilder(
    ROUTE,
    "github-security-alert",
    "Runs security-remediation on a severe enough security alert.",
    _arms,
)
