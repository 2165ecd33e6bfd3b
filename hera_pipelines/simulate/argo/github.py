"""The GitHub EventSource: which entries get a delivery, what they drop, what they send.

The GitHub EventSource (``pkg/eventsources/sources/github``, v1.9): which ``spec.github`` entries
receive a delivery, what they drop, and the exact event they dispatch.

``HandleRoute`` wraps the body in ``http.MaxBytesReader`` (``webhook.maxPayloadSize``, default
1048576 bytes: ``v1alpha1.DefaultMaxWebhookPayloadSize``), so a larger delivery is answered
"request body too large" and never dispatched. ``parseValidateRequest`` decodes the body into a
``map[string]interface{}`` (so its numbers become float64 and nesting beyond encoding/json's
10000 levels is an error), adds the ``X-GitHub-Event``/``X-GitHub-Delivery`` headers as keys and
marshals it again: the body's keys come out sorted and compact. The event is
``{"headers": {...}, "body": {...}, "metadata": {...}}`` with header names canonicalised the way
Go's ``net/http`` does (``X-Github-Event``), each header a list of values; the CloudEvents
context says ``type: github``, ``source: <EventSource name>``, ``subject: <event name>``.
"""

from __future__ import annotations

import binascii
import functools
import hashlib
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from hera_pipelines.simulate.argo.event import JSON_CONTENT_TYPE, Event, EventContext
from hera_pipelines.simulate.go.json import decode, marshal

__all__ = [
    "DEFAULT_MAX_PAYLOAD_SIZE",
    "GithubRoute",
    "canonical_header_key",
    "decode_payload",
    "default_delivery",
    "github_event",
    "max_payload_size",
]

# pkg/apis/events/v1alpha1/webhook_context.go: DefaultMaxWebhookPayloadSize int64 = 1048576
DEFAULT_MAX_PAYLOAD_SIZE: Final = 1_048_576
GITHUB_EVENT_HEADER: Final = "X-GitHub-Event"
GITHUB_DELIVERY_HEADER: Final = "X-GitHub-Delivery"
_TOKEN: Final = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


@functools.lru_cache(maxsize=256)  # the same few header names on every delivery
def canonical_header_key(name: str) -> str:
    """Go's `textproto.CanonicalMIMEHeaderKey`: `x-github-event` -> `X-Github-Event`."""
    if not _TOKEN.match(name):
        return name
    return "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-"))


def default_delivery(event_type: str, payload: bytes) -> str:
    """A delivery id that is a pure function of the delivery, so simulations are reproducible."""
    digest = hashlib.sha256(event_type.encode() + b"\0")
    digest.update(payload)
    # what `str(uuid.UUID(bytes=..., version=4))` gives (tested), without building two UUIDs
    # per simulated delivery: version 4 in byte 6's high nibble, the RFC 4122 variant in byte 8
    raw = bytearray(digest.digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def max_payload_size(config: Any) -> int:
    """``WebhookContext.GetMaxPayloadSize()`` of one EventSource entry (``webhook`` inline for a
    webhook source, nested under ``webhook:`` for GitHub and the other webhook-based ones)."""
    if not isinstance(config, Mapping):
        return DEFAULT_MAX_PAYLOAD_SIZE
    webhook = config.get("webhook")
    context = webhook if isinstance(webhook, Mapping) else config
    value = context.get("maxPayloadSize")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return DEFAULT_MAX_PAYLOAD_SIZE


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class GithubRoute:
    """One ``spec.github`` entry of an EventSource (config None: chosen by hand, no scoping)."""

    source: str
    name: str
    config: Any = None
    limit: int | None = None  # maxPayloadSize when there is no config to read it from

    @functools.cached_property
    def max_payload_size(self) -> int:
        return self.limit if self.limit is not None else max_payload_size(self.config)

    @functools.cached_property
    def metadata(self) -> dict[str, str] | None:
        metadata = self.config.get("metadata") if isinstance(self.config, Mapping) else None
        return metadata if isinstance(metadata, dict) else None

    def drops(self, payload: bytes) -> str | None:
        """Why the webhook server refuses the delivery before reading it, or None."""
        limit = self.max_payload_size
        if len(payload) > limit:
            return (
                f"dropped by the EventSource: the payload is {len(payload)} bytes, over"
                f" maxPayloadSize {limit} (http: request body too large)"
            )
        return None

    @functools.cached_property
    def _scope(self) -> tuple[list[str], list[str], list[str]]:
        """The subscribed events, `owner/name` repositories and organisations."""
        config = self.config if isinstance(self.config, Mapping) else {}
        events = [str(e) for e in _as_list(config.get("events"))]
        scopes: list[str] = []
        for item in _as_list(config.get("repositories")):
            if isinstance(item, dict):
                owner = str(item.get("owner") or "")
                scopes += [f"{owner}/{n}" for n in _as_list(item.get("names"))]
        if config.get("owner") and config.get("repository"):  # the deprecated single-repo form
            scopes.append(f"{config['owner']}/{config['repository']}")
        orgs = [str(o) for o in _as_list(config.get("organizations"))]
        return events, scopes, orgs

    def accepts(self, event_type: str, body: Mapping[str, Any]) -> tuple[bool, str]:
        """Whether the hook this entry manages is installed where the delivery comes from."""
        if not isinstance(self.config, Mapping):
            return True, "receives every delivery"
        events, scopes, orgs = self._scope
        if events and event_type not in events and "*" not in events:
            return False, f"not subscribed to {event_type} (events: {', '.join(events)})"
        repo = body.get("repository") if isinstance(body.get("repository"), dict) else {}
        assert isinstance(repo, dict)
        full_name = str(repo.get("full_name") or "")
        if scopes or orgs:
            owner = full_name.split("/", 1)[0] if full_name else ""
            org = body.get("organization")
            org_login = str(org.get("login") or "") if isinstance(org, dict) else ""
            if full_name not in scopes and owner not in orgs and org_login not in orgs:
                where = full_name or "no repository"
                return False, f"hook not installed on {where} (scope: {', '.join(scopes + orgs)})"
        return True, f"subscribed to {event_type}"


def decode_payload(payload: bytes) -> dict[str, Any]:
    """``json.Unmarshal(body, &map[string]interface{})``; raises ValueError (the source answers
    400) for anything but a JSON object, and :class:`NestingError` beyond 10000 levels."""
    body = decode(payload)
    if not isinstance(body, dict):
        raise ValueError("payload is not a JSON object")
    return body


def github_event(
    event_type: str,
    payload: bytes,
    *,
    source: str,
    name: str,
    delivery: str | None = None,
    headers: dict[str, str] | None = None,
    metadata: dict[str, str] | None = None,
    time: datetime | None = None,
    body: Mapping[str, Any] | None = None,
) -> Event:
    """The event argo-events' GitHub EventSource dispatches for one webhook delivery.

    `body` is the payload already decoded (one decoding serves every route). Raises ValueError
    when the payload is not a JSON object (GitHub sources answer 400 then).
    """
    body = dict(body) if body is not None else decode_payload(payload)
    delivery = delivery or default_delivery(event_type, payload)
    sent = {
        "Content-Type": JSON_CONTENT_TYPE,
        "User-Agent": "GitHub-Hookshot/hera-pipelines-simulate",
        GITHUB_EVENT_HEADER: event_type,
        GITHUB_DELIVERY_HEADER: delivery,
        **(headers or {}),
    }
    header_map = {canonical_header_key(k): [v] for k, v in sent.items()}
    body[GITHUB_EVENT_HEADER] = header_map[canonical_header_key(GITHUB_EVENT_HEADER)][0]
    body[GITHUB_DELIVERY_HEADER] = header_map[canonical_header_key(GITHUB_DELIVERY_HEADER)][0]
    value: dict[str, Any] = {"headers": header_map, "body": body}
    if metadata:
        value["metadata"] = metadata
    context = EventContext(
        id=_event_id(delivery),
        source=source,
        type="github",
        subject=name,
        time=time or datetime.now(UTC),
    )

    def text() -> str:
        # The struct marshals in field order (headers, body, metadata), the maps inside sorted.
        parts = [f'"headers":{marshal(header_map)}', f'"body":{marshal(body)}']
        if metadata:
            parts.append(f'"metadata":{marshal(metadata)}')
        return "{" + ",".join(parts) + "}"

    return Event(context, value=value, canonical_text=text)


def _event_id(delivery: str) -> str:
    try:
        return uuid.UUID(delivery).hex
    except ValueError:
        return binascii.hexlify(hashlib.sha256(delivery.encode()).digest()[:16]).decode()
