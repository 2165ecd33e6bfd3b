"""Security rules: credentials, webhook data reaching shells or Argo parameters, RBAC, hooks."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from hera_pipelines.lint.document import Document, PathPart
from hera_pipelines.lint.finding import Finding, Severity
from hera_pipelines.lint.rule import Context, rule
from hera_pipelines.lint.rules._walk import (
    PLACEHOLDER,
    WORKFLOW_KINDS,
    as_list,
    as_map,
    get,
    leaves,
    templates_of,
)

__all__ = [
    "FREE_TEXT",
    "cluster_role",
    "credential_literal",
    "image_pinned",
    "rbac_wildcard",
    "tainted_parameter",
    "webhook_data_in_script",
    "webhook_secret",
    "webhook_url",
]

_CREDENTIALS = re.compile(
    r"(gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,}|AKIA[0-9A-Z]{16}|"
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----|xox[abprs]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,}|"
    r"AIza[0-9A-Za-z_-]{35})"
)
_SECRET_NAME = re.compile(r"(TOKEN|SECRET|PASSWORD|PASSWD|API_?KEY|PRIVATE_?KEY)$", re.IGNORECASE)
# Payload fields anyone who can open an issue or push a branch controls: titles, bodies, refs,
# comments, names (branches, jobs, workflows, labels), messages, rule ids and descriptions.
FREE_TEXT = re.compile(
    r"(^|\.)(title|body|ref|head_branch|base_ref|head_ref|message|description|name|"
    r"label|labels|summary|text|rule\.id|rule\.name|display_title)(\.|$|#)"
)
_NOT_FREE = re.compile(r"(full_name|repository\.name|owner\.login|sender\.login|X-GitHub-Event)$")
_ENCODERS = ("b64enc", "toJson", "sha256sum", "int64", "atoi", "int ", "quote")
_PARAM_TAG = re.compile(r"^(inputs\.parameters|workflow\.parameters|steps\.|tasks\.|=)")
_INTERNAL_HOST = re.compile(
    r"(\.svc(\.cluster\.local)?|\.cluster\.local|\.internal|\.local|^localhost)$"
)


@rule(
    "HP501",
    "credential-literal",
    group="security",
    severity=Severity.ERROR,
    summary="No credential-looking literal (tokens, keys) anywhere; reference Secrets instead.",
)
def credential_literal(doc: Document, context: Context) -> Iterator[Finding]:
    if not _scan(doc)[0]:
        return  # nothing in the object looks like a credential or a secret-named literal
    for path, value in leaves(doc.obj):
        if not isinstance(value, str):
            continue
        if _CREDENTIALS.search(value):
            yield credential_literal.at(doc, path, "looks like a credential literal")
        elif (
            len(path) >= 2
            and path[-1] == "value"
            and value
            and "{{" not in value
            and _SECRET_NAME.search(str(get(doc.obj, *path[:-1], "name") or ""))
        ):
            yield credential_literal.at(
                doc, path, "secret-named env var with a literal value; use valueFrom.secretKeyRef"
            )


def _scan(doc: Document) -> tuple[bool, bool]:
    """(credential-literal may fire, image-pinned may fire) for `doc`: one pass, no paths.

    Both rules walk every value with its path only when this says they can find something.
    Every string value is searched at once (joined by NUL, which no credential pattern
    matches, so a match lies inside one value); every `value` key beside a secret-looking
    `name` and every `image` string is checked as the rules would.
    """
    found: tuple[bool, bool] | None = doc.memo.get("_security_scan")
    if found is not None:
        return found
    obj = doc.obj
    strings: list[str] = []
    secret = unpinned = False
    todo = [obj]
    while todo:
        node = todo.pop()
        if type(node) is dict or isinstance(node, Mapping):
            value = node.get("value")
            if (
                not secret
                and node is not obj  # a `value` needs a path of two parts or more
                and isinstance(value, str)
                and value
                and "{{" not in value
                and _SECRET_NAME.search(str(node.get("name") or ""))
            ):
                secret = True
            for key, item in node.items():
                if isinstance(item, str):
                    strings.append(item)
                    if key == "image" and not unpinned and _unpinned(item) is not None:
                        unpinned = True
                elif isinstance(item, (Mapping, list)):
                    todo.append(item)
        elif isinstance(node, list):
            for item in node:
                if isinstance(item, str):
                    strings.append(item)
                elif isinstance(item, (Mapping, list)):
                    todo.append(item)
        elif isinstance(node, str):
            strings.append(node)
    credential = secret or _CREDENTIALS.search("\0".join(strings)) is not None
    doc.memo["_security_scan"] = found = (credential, unpinned)
    return found


def _shell_parts(template: Mapping[str, Any]) -> Iterator[tuple[tuple[PathPart, ...], Any]]:
    for kind in ("container", "script"):
        body = as_map(template.get(kind))
        for key in ("command", "args", "source"):
            if key in body:
                yield (kind, key), body[key]
    for index, container in enumerate(as_list(get(template, "containerSet", "containers"))):
        for key in ("command", "args"):
            if key in as_map(container):
                yield ("containerSet", "containers", index, key), as_map(container)[key]


@rule(
    "HP502",
    "webhook-data-in-script",
    group="security",
    severity=Severity.ERROR,
    summary="No parameter tag that can carry webhook data inside script source, command or args.",
    kinds=WORKFLOW_KINDS,
)
def webhook_data_in_script(doc: Document, context: Context) -> Iterator[Finding]:
    for path, template in templates_of(doc.obj):
        for where, value in _shell_parts(template):
            for sub, text in leaves(value, (*path, *where)):
                if not isinstance(text, str):
                    continue
                for match in PLACEHOLDER.finditer(text):
                    tag = match.group(1).strip()
                    if _PARAM_TAG.match(tag):
                        yield webhook_data_in_script.at(
                            doc,
                            sub,
                            f"{{{{{tag}}}}} is substituted into a shell line; pass it in an env "
                            "var and quote it there",
                        )


def _free_text(path: str) -> bool:
    path = path.removeprefix("body.")  # Argo Events puts the payload under `body`
    return bool(FREE_TEXT.search(path)) and not _NOT_FREE.search(path)


def _template_paths(template: str) -> Iterator[str]:
    """Payload paths a Go template reads: `.Input.body.x.y` and `index .Input "body" "x"`."""
    for match in re.finditer(r"\.Input((?:\.[A-Za-z0-9_-]+)+)", template):
        yield match.group(1).lstrip(".")
    for match in re.finditer(r"index\s+\.Input((?:\s+\"[^\"]+\")+)", template):
        yield ".".join(re.findall(r"\"([^\"]+)\"", match.group(1)))


def _argo_parameter(dest: str) -> bool:
    return dest.startswith(("spec.arguments.parameters", "spec.arguments"))


@rule(
    "HP503",
    "tainted-parameter",
    group="security",
    severity=Severity.ERROR,
    summary="Free-text webhook fields (titles, bodies, refs, names) reach Argo parameters only "
    "encoded (b64enc).",
    kinds=("Sensor",),
)
def tainted_parameter(doc: Document, context: Context) -> Iterator[Finding]:
    for index, trigger in enumerate(as_list(get(doc.obj, "spec", "triggers"))):
        for kind in ("argoWorkflow", "k8s"):
            for number, param in enumerate(as_list(get(trigger, "template", kind, "parameters"))):
                param = as_map(param)
                dest = str(param.get("dest") or "")
                src = as_map(param.get("src"))
                if not _argo_parameter(dest) and not (kind == "k8s" and dest.startswith("spec.")):
                    continue
                path = ("spec", "triggers", index, "template", kind, "parameters", number, "src")
                key = src.get("dataKey")
                if isinstance(key, str) and _free_text(key):
                    yield tainted_parameter.at(
                        doc,
                        (*path, "dataKey"),
                        f"free-text payload field {key!r} reaches {dest} unencoded "
                        "(Argo re-evaluates {{…}} in parameter values); use a dataTemplate with "
                        "b64enc",
                    )
                template = src.get("dataTemplate")
                if isinstance(template, str) and "b64enc" not in template:
                    tainted = [p for p in _template_paths(template) if _free_text(p)]
                    if tainted:
                        yield tainted_parameter.at(
                            doc,
                            (*path, "dataTemplate"),
                            f"free-text payload field {tainted[0]!r} reaches {dest} without b64enc",
                        )


def _rules(doc: Document) -> Iterator[tuple[int, Mapping[str, Any]]]:
    for index, item in enumerate(as_list(get(doc.obj, "rules"))):
        yield index, as_map(item)


@rule(
    "HP504",
    "rbac-wildcard",
    group="security",
    severity=Severity.ERROR,
    summary="No `*` in Role/ClusterRole verbs, resources or apiGroups.",
    kinds=("Role", "ClusterRole"),
)
def rbac_wildcard(doc: Document, context: Context) -> Iterator[Finding]:
    for index, item in _rules(doc):
        for key in ("verbs", "resources", "apiGroups"):
            if "*" in as_list(item.get(key)):
                yield rbac_wildcard.at(doc, ("rules", index, key), f"wildcard {key}")


@rule(
    "HP505",
    "cluster-role",
    group="security",
    severity=Severity.ERROR,
    summary="No ClusterRole / ClusterRoleBinding unless lint.allowClusterRoles names it.",
    kinds=("ClusterRole", "ClusterRoleBinding"),
)
def cluster_role(doc: Document, context: Context) -> Iterator[Finding]:
    if doc.name not in context.settings.allow_cluster_roles:
        yield cluster_role.at(
            doc,
            ("metadata", "name"),
            f"cluster-wide {doc.kind} (allow it in lint.allowClusterRoles)",
        )


def _webhooks(doc: Document) -> Iterator[tuple[tuple[PathPart, ...], Mapping[str, Any], str]]:
    for source_type, events in as_map(get(doc.obj, "spec")).items():
        if source_type in ("template", "service"):
            continue
        for name, config in as_map(events).items():
            config = as_map(config)
            if isinstance(config.get("webhook"), Mapping):
                yield ("spec", str(source_type), str(name)), config, str(source_type)


def _internal(host: str) -> bool:
    if _INTERNAL_HOST.search(host) or "." not in host:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_private or address.is_loopback or address.is_link_local


def _registers_hook(source_type: str, config: Mapping[str, Any]) -> bool:
    """Whether the EventSource registers `webhook.url` with the forge (argo-events v1.9).

    GitHub (`NeedToCreateHooks` and `StartListening` in pkg/eventsources/sources/github): only
    with credentials (`apiToken`, or `githubApp` with a `privateKey`) and a non-empty
    `webhook.url`, and then one hook per listed organization and repository (`repositories`,
    or the deprecated `owner` + `repository`); without those the URL is only a label and the
    hook, if any, is configured elsewhere (a GitHub App's own webhook). GitLab registers with
    an `accessToken`. Other sources are taken to register whatever URL they are given.
    """
    if source_type == "github":
        credentials = isinstance(config.get("apiToken"), Mapping) or isinstance(
            get(config, "githubApp", "privateKey"), Mapping
        )
        targets = bool(as_list(config.get("organizations"))) or any(
            as_list(as_map(r).get("names")) for r in as_list(config.get("repositories"))
        )
        if not as_list(config.get("repositories")) and config.get("owner"):
            targets = targets or bool(config.get("repository"))
        return credentials and targets
    if source_type == "gitlab":
        return isinstance(config.get("accessToken"), Mapping)
    return True


@rule(
    "HP506",
    "webhook-url",
    group="security",
    severity=Severity.ERROR,
    summary="EventSource hook URLs registered with the forge are https and publicly reachable.",
    kinds=("EventSource",),
)
def webhook_url(doc: Document, context: Context) -> Iterator[Finding]:
    for path, config, source_type in _webhooks(doc):
        url = get(config, "webhook", "url")
        if not isinstance(url, str) or not url:
            continue
        if not _registers_hook(source_type, config):
            continue  # the URL is never sent to the forge: an in-cluster one is fine
        parts = urlsplit(url)
        where = (*path, "webhook", "url")
        if parts.scheme != "https":
            yield webhook_url.at(doc, where, f"{url}: not https")
        if _internal(parts.hostname or ""):
            yield webhook_url.at(
                doc, where, f"{url}: cluster-internal host, unreachable from GitHub"
            )


@rule(
    "HP507",
    "webhook-secret",
    group="security",
    severity=Severity.ERROR,
    summary="Every GitHub/GitLab webhook EventSource verifies deliveries with a webhook secret.",
    kinds=("EventSource",),
)
def webhook_secret(doc: Document, context: Context) -> Iterator[Finding]:
    for path, config, source_type in _webhooks(doc):
        key = {
            "github": "webhookSecret",
            "gitlab": "secretToken",
            "bitbucketserver": "webhookSecret",
        }
        wanted = key.get(source_type)
        if wanted and not isinstance(config.get(wanted), Mapping):
            yield webhook_secret.at(doc, path, f"no {wanted}: anyone can post events")


def _unpinned(image: str) -> str | None:
    """Why `image` is not pinned (None: it is, or it is set at run time)."""
    if "{{" in image or "@sha256:" in image:
        return None
    name = image.rsplit("/", 1)[-1]
    if ":" not in name:
        return f"image {image!r} has no tag (means latest)"
    if name.rsplit(":", 1)[1] == "latest":
        return f"image {image!r} is not pinned (latest)"
    return None


def _images(
    value: Any, path: tuple[PathPart, ...] = ()
) -> Iterator[tuple[tuple[PathPart, ...], str]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key == "image" and isinstance(item, str):
                yield (*path, "image"), item
            else:
                yield from _images(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _images(item, (*path, index))


@rule(
    "HP508",
    "image-pinned",
    group="security",
    severity=Severity.ERROR,
    summary="Images carry a tag other than `latest` (or a digest).",
)
def image_pinned(doc: Document, context: Context) -> Iterator[Finding]:
    if not _scan(doc)[1]:
        return
    for path, image in _images(doc.obj):
        problem = _unpinned(image)
        if problem is not None:
            yield image_pinned.at(doc, path, problem)
