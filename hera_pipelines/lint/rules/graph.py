"""Rules across files: triggers, resumes, semaphores, events, service accounts and RBAC."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.lint.document import Document, PathPart
from hera_pipelines.lint.finding import Finding, Severity
from hera_pipelines.lint.rule import Context, rule
from hera_pipelines.lint.rules._walk import (
    PLACEHOLDER,
    WORKFLOW_KINDS,
    as_list,
    as_map,
    get,
    templates_of,
    workflow_spec,
)
from hera_pipelines.lint.rules.schema import embedded_documents

__all__ = [
    "event_declared",
    "rbac_needs",
    "resume",
    "semaphore_key",
    "service_account",
    "trigger_target",
]

_EVENT_HEADER = "body.X-GitHub-Event"
_LITERALS = re.compile(r"^\^?\(?([A-Za-z0-9_|]+)\)?\$?$")
_BINDINGS = ("RoleBinding", "ClusterRoleBinding")


def _triggers(doc: Document) -> Iterator[tuple[tuple[PathPart, ...], Mapping[str, Any]]]:
    for index, trigger in enumerate(as_list(get(doc.obj, "spec", "triggers"))):
        workflow = get(trigger, "template", "argoWorkflow")
        if isinstance(workflow, Mapping):
            yield ("spec", "triggers", index, "template", "argoWorkflow"), workflow


@rule(
    "HP301",
    "sensor-trigger-target",
    group="graph",
    severity=Severity.ERROR,
    summary="Every Sensor trigger that submits a workflow names a WorkflowTemplate in the set.",
    kinds=("Sensor",),
)
def trigger_target(doc: Document, context: Context) -> Iterator[Finding]:
    for path, workflow in _triggers(doc):
        if workflow.get("operation") not in (None, "submit"):
            continue
        ref = as_map(get(workflow, "source", "resource", "spec", "workflowTemplateRef"))
        name = str(ref.get("name") or "")
        kind = "ClusterWorkflowTemplate" if ref.get("clusterScope") else "WorkflowTemplate"
        if not name:
            if get(workflow, "source", "resource", "spec", "templates") is None:
                yield trigger_target.at(
                    doc, (*path, "source"), "trigger submits no WorkflowTemplate"
                )
            continue
        if name in context.settings.external_templates or context.find(kind, name):
            continue
        yield trigger_target.at(
            doc,
            (*path, "source", "resource", "spec", "workflowTemplateRef", "name"),
            f"{kind} {name!r} is not in the set (or lint.externalTemplates)",
        )


def _prefix(trigger: Mapping[str, Any]) -> str | None:
    """The literal start of the workflow name a resume trigger computes (dest metadata.name)."""
    for param in as_list(trigger.get("parameters")):
        if as_map(param).get("dest") != "metadata.name":
            continue
        src = as_map(as_map(param).get("src"))
        text = str(src.get("dataTemplate") or src.get("value") or "")
        # the text after the last action that ends in `}}`, up to the next `{{`
        tail = text.split("}}")[-2 if text.endswith("}}") else -1] if "}}" in text else text
        literal = tail.split("{{")[0]
        return literal or None
    return None


def _created_workflows(context: Context) -> list[tuple[str, str]]:
    """(name or generateName with placeholders blanked, WorkflowTemplate) of workflows the set
    creates: from resource templates and Sensor triggers."""
    if "created" in context.memo:
        created: list[tuple[str, str]] = context.memo["created"]
        return created
    created = []
    for doc in context.of_kind(*WORKFLOW_KINDS):
        for _, template in templates_of(doc.obj):
            text = get(template, "resource", "manifest")
            if not isinstance(text, str) or "workflowTemplateRef" not in text:
                continue
            try:
                parts = embedded_documents(doc, text)
            except Exception:  # noqa: S112 (reported by embedded-manifest)
                continue
            for part in parts:
                meta = as_map(get(part.obj, "metadata"))
                name = str(meta.get("name") or meta.get("generateName") or "")
                ref = str(get(part.obj, "spec", "workflowTemplateRef", "name") or "")
                created.append((PLACEHOLDER.sub("", name), ref))
    for doc in context.of_kind("Sensor"):
        for _, workflow in _triggers(doc):
            resource = as_map(get(workflow, "source", "resource"))
            ref = str(get(resource, "spec", "workflowTemplateRef", "name") or "")
            name = str(
                get(resource, "metadata", "name") or get(resource, "metadata", "generateName") or ""
            )
            if ref:
                created.append((name, ref))
    context.memo["created"] = created
    return created


def _suspends(template_doc: Document | None) -> list[tuple[PathPart, ...]]:
    if template_doc is None:
        return []
    return [
        (*path, "suspend")
        for path, template in templates_of(template_doc.obj)
        if isinstance(template.get("suspend"), Mapping)
        and not as_map(template.get("suspend")).get("duration")
    ]


def _resume_targets(context: Context) -> dict[str, list[tuple[Document, tuple[PathPart, ...]]]]:
    """WorkflowTemplate name -> the resume triggers that reach workflows made from it."""
    if "resume" in context.memo:
        found: dict[str, list[tuple[Document, tuple[PathPart, ...]]]] = context.memo["resume"]
        return found
    found = {}
    names: dict[str, set[str]] = {}
    for name, ref in _created_workflows(context):
        names.setdefault(ref, set()).add(name)
    for doc in context.of_kind("Sensor"):
        for path, workflow in _triggers(doc):
            if workflow.get("operation") != "resume":
                continue
            prefix = _prefix(workflow)
            if prefix is None:
                continue
            for ref, created in names.items():
                if any(name.startswith(prefix) for name in created):
                    found.setdefault(ref, []).append((doc, path))
    context.memo["resume"] = found
    return found


@rule(
    "HP302",
    "resume-target",
    group="graph",
    severity=Severity.ERROR,
    summary="Resume triggers reach a workflow with a suspend node; every suspend node is resumed.",
    kinds=("Sensor", "WorkflowTemplate", "ClusterWorkflowTemplate"),
)
def resume(doc: Document, context: Context) -> Iterator[Finding]:
    targets = _resume_targets(context)
    if doc.kind == "Sensor":
        for path, workflow in _triggers(doc):
            if workflow.get("operation") != "resume":
                continue
            reached = [
                ref
                for ref, users in targets.items()
                if any(u[1] == path and u[0] is doc for u in users)
            ]
            if not reached:
                yield resume.at(
                    doc,
                    path,
                    "resume trigger reaches no workflow the set creates "
                    f"(name prefix {_prefix(workflow)!r})",
                    Severity.NOTE,
                )
            for ref in reached:
                if not _suspends(context.find("WorkflowTemplate", ref)):
                    yield resume.at(
                        doc, path, f"resumes workflows of {ref!r}, which never suspends"
                    )
        return
    suspends = _suspends(doc)
    if suspends and doc.name not in targets:
        yield resume.at(
            doc,
            suspends[0],
            "suspend node that no Sensor resume trigger resumes (runs wait forever)",
        )


def _semaphores(obj: Any) -> Iterator[tuple[tuple[PathPart, ...], Mapping[str, Any]]]:
    base, spec = workflow_spec(obj)
    holders = [((*base,), spec), *((path, t) for path, t in templates_of(obj))]
    for path, holder in holders:
        sync = as_map(holder.get("synchronization"))
        for index, semaphore in enumerate(as_list(sync.get("semaphores"))):
            ref = as_map(as_map(semaphore).get("configMapKeyRef"))
            if ref:
                yield (*path, "synchronization", "semaphores", index, "configMapKeyRef"), ref


@rule(
    "HP303",
    "semaphore-key",
    group="graph",
    severity=Severity.ERROR,
    summary="Every semaphore's configMapKeyRef names a ConfigMap in the set holding that key.",
    kinds=WORKFLOW_KINDS,
)
def semaphore_key(doc: Document, context: Context) -> Iterator[Finding]:
    for path, ref in _semaphores(doc.obj):
        name, key = str(ref.get("name") or ""), str(ref.get("key") or "")
        config_map = context.find("ConfigMap", name)
        keys = [str(k) for k in as_map(get(config_map.obj, "data"))] if config_map else []
        pattern = re.compile(
            "".join(".*" if i % 2 else re.escape(p) for i, p in enumerate(PLACEHOLDER.split(key)))
        )
        if config_map is None:
            yield semaphore_key.at(doc, (*path, "name"), f"ConfigMap {name!r} is not in the set")
        elif not any(pattern.fullmatch(k) for k in keys):
            yield semaphore_key.at(doc, (*path, "key"), f"ConfigMap {name!r} has no key {key!r}")


def _events_filtered(dependency: Mapping[str, Any]) -> Iterator[tuple[int, str]]:
    for index, item in enumerate(as_list(get(dependency, "filters", "data"))):
        item = as_map(item)
        if item.get("path") != _EVENT_HEADER or item.get("comparator", "=") == "!=":
            continue
        for value in as_list(item.get("value")):
            match = _LITERALS.match(str(value))
            if match:
                for event in match.group(1).split("|"):
                    yield index, event


@rule(
    "HP304",
    "sensor-event-declared",
    group="graph",
    severity=Severity.ERROR,
    summary="Every GitHub event a Sensor filters on is in its EventSource's `events:` list.",
    kinds=("Sensor",),
)
def event_declared(doc: Document, context: Context) -> Iterator[Finding]:
    for index, dependency in enumerate(as_list(get(doc.obj, "spec", "dependencies"))):
        dependency = as_map(dependency)
        source = context.find("EventSource", str(dependency.get("eventSourceName") or ""))
        if source is None:
            continue
        github = as_map(get(source.obj, "spec", "github", str(dependency.get("eventName") or "")))
        if not github:
            continue
        declared = {str(e) for e in as_list(github.get("events"))}
        if "*" in declared:
            continue
        for item, event in _events_filtered(dependency):
            if event not in declared:
                yield event_declared.at(
                    doc,
                    ("spec", "dependencies", index, "filters", "data", item, "value"),
                    f"event {event!r} is not in EventSource {source.name!r} events",
                )


def _service_accounts(doc: Document) -> Iterator[tuple[tuple[PathPart, ...], str, bool]]:
    """(path, name, needs a binding) of each ServiceAccount the object runs as."""
    if doc.kind in ("Sensor", "EventSource"):
        name = get(doc.obj, "spec", "template", "serviceAccountName")
        if isinstance(name, str):
            yield ("spec", "template", "serviceAccountName"), name, doc.kind == "Sensor"
        return
    base, spec = workflow_spec(doc.obj)
    if isinstance(spec.get("serviceAccountName"), str):
        yield (*base, "serviceAccountName"), spec["serviceAccountName"], True
    for path, template in templates_of(doc.obj):
        if isinstance(template.get("serviceAccountName"), str):
            # no token mounted: the step never calls the API, so it needs no binding
            needs = template.get("automountServiceAccountToken") is not False
            yield (*path, "serviceAccountName"), template["serviceAccountName"], needs


def _bound(context: Context, name: str) -> list[Document]:
    return [
        b
        for b in context.of_kind(*_BINDINGS)
        if any(
            as_map(s).get("kind") == "ServiceAccount" and as_map(s).get("name") == name
            for s in as_list(get(b.obj, "subjects"))
        )
    ]


@rule(
    "HP305",
    "service-account",
    group="graph",
    severity=Severity.ERROR,
    summary="Every ServiceAccount named exists in the set, bound to a Role where it needs the API.",
    kinds=(*WORKFLOW_KINDS, "Sensor", "EventSource"),
)
def service_account(doc: Document, context: Context) -> Iterator[Finding]:
    for path, name, needs_binding in _service_accounts(doc):
        if context.find("ServiceAccount", name) is None:
            yield service_account.at(doc, path, f"ServiceAccount {name!r} is not in the set")
        elif needs_binding and not _bound(context, name):
            yield service_account.at(doc, path, f"ServiceAccount {name!r} has no RoleBinding")


Grant = tuple[str, str, str]  # (apiGroup, resource, verb)
_CONDITION_VERBS = ("get", "list", "watch")
_KUBECTL = re.compile(
    r"kubectl\s+(get|create|delete|patch|apply|label|annotate)\s+([a-z][a-z0-9.-]*)"
)
_REST_CORE = re.compile(
    r"/api/v1/namespaces/[^\n]*?/(secrets|configmaps|pods|services|events|"
    r"persistentvolumeclaims|serviceaccounts)\b"
)
_REST_METHOD = re.compile(r"(?:-X\s+|method=[\"'])(GET|POST|PUT|PATCH|DELETE)\b")
_REST_VERBS = {
    "GET": "get",
    "POST": "create",
    "PUT": "update",
    "PATCH": "patch",
    "DELETE": "delete",
}
# what an external template (deployed elsewhere) needs is unknown: never report grants unused
_UNKNOWN: Grant = ("", "", "*external*")
_ACTION_VERBS = {
    "create": ("create",),
    "get": ("get",),
    "apply": ("get", "create", "patch"),
    "delete": ("delete",),
    "patch": ("get", "patch"),
    "replace": ("get", "update"),
}


def _group_resource(manifest: Mapping[str, Any]) -> tuple[str, str]:
    api_version = str(manifest.get("apiVersion") or "")
    group = api_version.rpartition("/")[0] if "/" in api_version else ""
    return group, str(manifest.get("kind") or "").lower() + "s"


def _manifest_targets(doc: Document, text: str) -> tuple[tuple[str, str, bool], ...]:
    """(apiGroup, resource, creates from a WorkflowTemplate) of each object in a manifest."""
    try:
        parts = embedded_documents(doc, text)
    except HeraPipelinesError:
        return ()  # reported by embedded-manifest
    return tuple(
        (*_group_resource(p.obj), bool(get(p.obj, "spec", "workflowTemplateRef")))
        for p in parts
        if isinstance(p.obj, Mapping)
    )


def _needs(context: Context) -> dict[str, set[Grant]]:
    """ServiceAccount -> what its objects do with the API."""
    if "needs" in context.memo:
        cached: dict[str, set[Grant]] = context.memo["needs"]
        return cached
    needs: dict[str, set[Grant]] = {}
    for doc in context.of_kind(*WORKFLOW_KINDS):
        _, spec = workflow_spec(doc.obj)
        account = str(spec.get("serviceAccountName") or "default")
        grants = needs.setdefault(account, set())
        # the executor reports outputs through WorkflowTaskResults
        grants.update({("argoproj.io", "workflowtaskresults", v) for v in ("create", "patch")})
        for _, template in templates_of(doc.obj):
            # kubectl in a script: `kubectl get workflows.argoproj.io` lists workflows
            for command in _KUBECTL.finditer(
                str(template.get("script") or template.get("container") or "")
            ):
                verb, name = command.group(1), command.group(2)
                plural, _, group = name.partition(".")
                used = ("list",) if verb == "get" else (verb,)
                grants.update((group, plural, v) for v in used)
            # a script calling the API server's REST endpoint directly (curl with the pod's
            # ServiceAccount token): `-X VERB ... /api/v1/namespaces/<ns>/<plural>/...`, or
            # Python's urllib (`method="VERB"`)
            source = str(as_map(template.get("script")).get("source") or "")
            for plural in _REST_CORE.findall(source):
                methods = _REST_METHOD.findall(source) or ["GET"]
                grants.update(("", plural, _REST_VERBS.get(m, "get")) for m in methods)
            if any(
                as_map(t).get("templateRef")
                and str(as_map(as_map(t).get("templateRef")).get("name"))
                in context.settings.external_templates
                for t in as_list(get(template, "dag", "tasks"))
                + [s for g in as_list(template.get("steps")) for s in as_list(g)]
            ):
                grants.add(_UNKNOWN)
            resource = as_map(template.get("resource"))
            text = resource.get("manifest")
            if not isinstance(text, str):
                continue
            verbs = set(_ACTION_VERBS.get(str(resource.get("action")), ()))
            if resource.get("successCondition") or resource.get("failureCondition"):
                verbs.update(_CONDITION_VERBS)
            for group, plural, has_ref in _manifest_targets(doc, text):
                grants.update((group, plural, v) for v in verbs)
                if has_ref:
                    grants.add(("argoproj.io", "workflowtemplates", "get"))
    for doc in context.of_kind("Sensor"):
        account = str(get(doc.obj, "spec", "template", "serviceAccountName") or "default")
        grants = needs.setdefault(account, set())
        for _, workflow in _triggers(doc):
            operation = workflow.get("operation") or "submit"
            if operation == "submit":
                grants.add(("argoproj.io", "workflows", "create"))
                if get(workflow, "source", "resource", "spec", "workflowTemplateRef"):
                    grants.add(("argoproj.io", "workflowtemplates", "get"))
            else:
                grants.update(("argoproj.io", "workflows", v) for v in ("get", "list", "update"))
    # templates without their own ServiceAccount run as whichever workflow calls them
    shared = needs.pop("default", set())
    for account, grants in needs.items():
        if account in _workflow_accounts(context):
            grants.update(shared)
    context.memo["needs"] = needs
    return needs


def _workflow_accounts(context: Context) -> set[str]:
    return {
        str(workflow_spec(d.obj)[1].get("serviceAccountName"))
        for d in context.of_kind(*WORKFLOW_KINDS)
        if workflow_spec(d.obj)[1].get("serviceAccountName")
    }


def _granted(role: Document) -> Iterator[tuple[int, Grant]]:
    for index, item in enumerate(as_list(get(role.obj, "rules"))):
        item = as_map(item)
        for group in as_list(item.get("apiGroups")):
            for resource in as_list(item.get("resources")):
                for verb in as_list(item.get("verbs")):
                    yield index, (str(group), str(resource), str(verb))


@rule(
    "HP306",
    "rbac-least-privilege",
    group="graph",
    severity=Severity.ERROR,
    summary="Roles grant what their ServiceAccounts' templates and triggers need, and no more.",
    kinds=("Role", "ClusterRole"),
)
def rbac_needs(doc: Document, context: Context) -> Iterator[Finding]:
    accounts = {
        str(as_map(s).get("name"))
        for b in context.of_kind(*_BINDINGS)
        if as_map(get(b.obj, "roleRef")).get("name") == doc.name
        and as_map(get(b.obj, "roleRef")).get("kind") == doc.kind
        for s in as_list(get(b.obj, "subjects"))
        if as_map(s).get("kind") == "ServiceAccount"
    }
    needs = _needs(context)
    used = [a for a in accounts if a in needs]
    if not used:
        return
    wanted: set[Grant] = set().union(*(needs[a] for a in used))
    granted: set[Grant] = set()
    for index, grant in _granted(doc):
        granted.add(grant)
        if "*" in grant or _UNKNOWN in wanted:
            continue  # rbac-wildcard reports these
        group, resource, verb = grant
        reads = verb in _CONDITION_VERBS and any((group, resource) == w[:2] for w in wanted)
        if grant not in wanted and not reads:
            yield rbac_needs.at(
                doc,
                ("rules", index),
                f"grants {verb} on {resource}.{group or 'core'}, which nothing running as "
                f"{', '.join(sorted(used))} needs",
                Severity.WARNING,
            )
    for group, resource, verb in sorted(wanted - granted - {_UNKNOWN}):
        if any(
            g in (group, "*") and r in (resource, "*") and v in (verb, "*") for g, r, v in granted
        ):
            continue
        yield rbac_needs.at(
            doc, ("rules",), f"missing {verb} on {resource}.{group or 'core'} (needed by templates)"
        )
