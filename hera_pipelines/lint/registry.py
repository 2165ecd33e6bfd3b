"""Every lint rule, by id (one explicit sorted dict), and selection by id, name, group or prefix."""

from __future__ import annotations

from collections.abc import Iterable

from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.lint.rule import Rule
from hera_pipelines.lint.rules import graph, schema, security, sensor, size, workflow, yamlstyle

__all__ = ["GROUPS", "RULES", "select_rules"]

RULES: dict[str, Rule] = {
    "HP101": schema.strict_schema,
    "HP102": schema.cluster_lenient,
    "HP103": schema.unknown_kind,
    "HP104": schema.embedded_manifest,
    "HP201": workflow.template_ref,
    "HP202": workflow.template_name,
    "HP203": workflow.dag,
    "HP204": workflow.variable,
    "HP205": workflow.name_format,
    "HP206": workflow.arguments,
    "HP207": workflow.enum,
    "HP208": workflow.synchronization,
    "HP209": workflow.spec,
    "HP301": graph.trigger_target,
    "HP302": graph.resume,
    "HP303": graph.semaphore_key,
    "HP304": graph.event_declared,
    "HP305": graph.service_account,
    "HP306": graph.rbac_needs,
    "HP401": sensor.dependency_source,
    "HP402": sensor.conditions,
    "HP403": sensor.parameter_dest,
    "HP404": sensor.filter_syntax,
    "HP405": sensor.unanchored_regex,
    "HP501": security.credential_literal,
    "HP502": security.webhook_data_in_script,
    "HP503": security.tainted_parameter,
    "HP504": security.rbac_wildcard,
    "HP505": security.cluster_role,
    "HP506": security.webhook_url,
    "HP507": security.webhook_secret,
    "HP508": security.image_pinned,
    "HP601": size.object_size,
    "HP602": size.template_size,
    "HP603": size.dag_task_cap,
    "HP604": size.lifecycle,
    "HP701": yamlstyle.yamllint,
}
GROUPS: tuple[str, ...] = tuple(sorted({r.group for r in RULES.values()}))


def _matches(token: str, rule: Rule) -> bool:
    return token in {"ALL", "all", rule.id, rule.name, rule.group} or (
        token.upper().startswith("HP") and rule.id.startswith(token.upper())
    )


def _check(tokens: Iterable[str]) -> None:
    for token in tokens:
        if not any(_matches(token, r) for r in RULES.values()):
            raise HeraPipelinesError(
                f"unknown rule or group {token!r} (groups: {', '.join(GROUPS)}; "
                "see lint --list-rules)"
            )


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
    """The rules named by `select` (the default ones when empty) minus those named by `ignore`."""
    select, ignore = list(select), list(ignore)
    _check([*select, *ignore])
    return [
        r
        for r in RULES.values()
        if (any(_matches(t, r) for t in select) if select else r.default)
        and not any(_matches(t, r) for t in ignore)
    ]
