"""The Argo Events event a Sensor receives, built exactly as the EventSource would build it.

A GitHub delivery becomes `{"headers": {...}, "body": {...}}`: header names canonicalised the way
Go's `net/http` does (`X-Github-Event`), each header a list of values, and `X-GitHub-Event` /
`X-GitHub-Delivery` copied into the body (argo-events' github source re-marshals the body as a
Go map, so its keys come out sorted and compact). The CloudEvents context says `type: github`,
`source: <EventSource name>`, `subject: <event name>`.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from hera_pipelines.simulate.gjsonpath import Document, go_marshal

__all__ = [
    "JSON_CONTENT_TYPE",
    "YAML_CONTENT_TYPE",
    "Event",
    "EventContext",
    "canonical_header_key",
    "default_delivery",
    "github_event",
    "go_time",
    "to_go_value",
]

JSON_CONTENT_TYPE = "application/json"
YAML_CONTENT_TYPE = "application/yaml"
GITHUB_EVENT_HEADER = "X-GitHub-Event"
GITHUB_DELIVERY_HEADER = "X-GitHub-Delivery"
_TOKEN = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


@functools.lru_cache(maxsize=256)  # the same few header names on every delivery
def canonical_header_key(name: str) -> str:
    """Go's `textproto.CanonicalMIMEHeaderKey`: `x-github-event` -> `X-Github-Event`."""
    if not _TOKEN.match(name):
        return name
    return "-".join(part[:1].upper() + part[1:].lower() for part in name.split("-"))


def go_time(moment: datetime) -> str:
    """How `metav1.Time` marshals: UTC, RFC 3339, whole seconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def default_delivery(event_type: str, payload: bytes) -> str:
    """A delivery id that is a pure function of the delivery, so simulations are reproducible."""
    digest = hashlib.sha256(event_type.encode() + b"\0" + payload).digest()
    return str(uuid.UUID(bytes=digest[:16], version=4))


def to_go_value(value: Any) -> Any:
    """What gjson's `Value()` gives Go code: every JSON number is a float64."""
    if isinstance(value, bool) or value is None or isinstance(value, str | float):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dict):
        return {k: to_go_value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_go_value(v) for v in value]
    return value


class EventContext(BaseModel):
    """The CloudEvents context Argo Events keeps (`v1alpha1.EventContext`)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str = ""
    source: str = ""
    specversion: str = "1.0"
    type: str = ""
    datacontenttype: str = JSON_CONTENT_TYPE
    subject: str = ""
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))

    @field_validator("time")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)

    def to_go_dict(self) -> dict[str, str]:
        """`json.Marshal(event.Context)`, field order included."""
        return {
            "id": self.id,
            "source": self.source,
            "specversion": self.specversion,
            "type": self.type,
            "datacontenttype": self.datacontenttype,
            "subject": self.subject,
            "time": go_time(self.time),
        }


class Event:
    """One event: a context (None models Go's nil) and its data bytes, decoded lazily."""

    def __init__(
        self,
        context: EventContext | None,
        *,
        text: str | None = None,
        value: Any = None,
        canonical_text: Callable[[], str] | None = None,
        has_data: bool = True,
    ) -> None:
        self.context = context
        self._text = text
        self._canonical_text = canonical_text
        self._value = value
        self._decoded = text is None and has_data
        self.has_data = has_data

    @classmethod
    def from_value(cls, context: EventContext | None, value: Any) -> Event:
        """Data that is Go's own marshalling of `value`."""
        return cls(context, value=value)

    @classmethod
    def from_text(cls, context: EventContext | None, text: str | None) -> Event:
        """Data given as exact bytes (None: an event without data)."""
        return cls(context, text=text, has_data=text is not None)

    @cached_property
    def text(self) -> str | None:
        """The data bytes as text."""
        if not self.has_data:
            return None
        if self._text is not None:
            return self._text
        if self._canonical_text is not None:
            return self._canonical_text()
        return go_marshal(self._value)

    @cached_property
    def is_json(self) -> bool:
        if not self.has_data:
            return False
        if self._decoded:
            return True
        try:
            self._value = json.loads(self._text or "")
        except ValueError:
            return False
        self._decoded = True
        return True

    @property
    def value(self) -> Any:
        """The decoded data; only valid when `is_json`."""
        return self._value if self.is_json else None

    @cached_property
    def document(self) -> Document:
        if self._text is not None:
            return Document(self.value, self._text)
        return Document(self.value, None, canonical=True)

    @cached_property
    def go_value(self) -> Any:
        return to_go_value(self.value)

    def data_as_json(self) -> str:
        """argo-events' `renderEventDataAsJSON`; raises ValueError as it returns errors."""
        content_type = self.context.datacontenttype if self.context else ""
        if content_type == JSON_CONTENT_TYPE:
            if self.is_json:
                return self.text or ""
            raise ValueError("event data is not valid JSON")
        if content_type == YAML_CONTENT_TYPE:
            try:
                loaded = yaml.safe_load(self.text or "")
            except yaml.YAMLError as exc:
                raise ValueError(f"failed converting yaml event data to JSON: {exc}") from exc
            return go_marshal(loaded)
        raise ValueError(f"unsupported event content type: {content_type}")

    def to_go_json(self) -> str:
        """`json.Marshal(event)`: the context, and the data bytes base64-encoded."""
        context = self.context.to_go_dict() if self.context else None
        data = base64.b64encode((self.text or "").encode()).decode() if self.has_data else None
        return json.dumps({"context": context, "data": data}, separators=(",", ":"))


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
) -> Event:
    """The event argo-events' GitHub EventSource dispatches for one webhook delivery.

    Raises ValueError when the payload is not a JSON object (GitHub sources answer 400 then).
    """
    body = json.loads(payload)
    if not isinstance(body, dict):
        raise ValueError("payload is not a JSON object")
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
        parts = [f'"headers":{go_marshal(header_map)}', f'"body":{go_marshal(body)}']
        if metadata:
            parts.append(f'"metadata":{go_marshal(metadata)}')
        return "{" + ",".join(parts) + "}"

    return Event(context, value=value, canonical_text=text)


def _event_id(delivery: str) -> str:
    try:
        return uuid.UUID(delivery).hex
    except ValueError:
        return binascii.hexlify(hashlib.sha256(delivery.encode()).digest()[:16]).decode()
