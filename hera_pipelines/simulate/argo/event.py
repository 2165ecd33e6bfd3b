"""The event a Sensor receives, so every filter and parameter reads Go's own bytes.

The Argo Events event a Sensor receives (``v1alpha1.Event``): its CloudEvents context and its
data bytes, decoded lazily and printed as Go marshals them.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Any

import yaml

from hera_pipelines.simulate.go.gjson import Document
from hera_pipelines.simulate.go.json import JSONError, decode, marshal
from hera_pipelines.simulate.go.values import to_go_value

__all__ = [
    "JSON_CONTENT_TYPE",
    "YAML_CONTENT_TYPE",
    "ContextError",
    "Event",
    "EventContext",
    "go_time",
]

JSON_CONTENT_TYPE = "application/json"
YAML_CONTENT_TYPE = "application/yaml"
_FIELDS = ("id", "source", "specversion", "type", "datacontenttype", "subject")


def go_time(moment: datetime) -> str:
    """How `metav1.Time` marshals: UTC, RFC 3339, whole seconds."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ContextError(ValueError):
    """A context field that does not have its type; `field` names it."""

    def __init__(self, field_name: str, problem: str) -> None:
        super().__init__(problem)
        self.field = field_name


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class EventContext:
    """The CloudEvents context Argo Events keeps (`v1alpha1.EventContext`)."""

    id: str = ""
    source: str = ""
    specversion: str = "1.0"
    type: str = ""
    datacontenttype: str = JSON_CONTENT_TYPE
    subject: str = ""
    time: datetime = field(default_factory=_now)

    def __post_init__(self) -> None:
        if self.time.tzinfo is None:
            object.__setattr__(self, "time", self.time.replace(tzinfo=UTC))

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> EventContext:
        """A context from decoded JSON: unknown keys ignored, strings checked, time parsed
        (RFC 3339); raises :class:`ContextError`."""
        values: dict[str, Any] = {}
        for name in _FIELDS:
            if name in data and data[name] is not None:
                if not isinstance(data[name], str):
                    raise ContextError(name, "Input should be a valid string")
                values[name] = data[name]
        if data.get("time") is not None:
            values["time"] = _parse_time(data["time"])
        return cls(**values)

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


def _parse_time(value: object) -> datetime:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ContextError("time", "Input should be a valid datetime")
    try:
        return datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError as exc:
        raise ContextError("time", f"Input should be a valid datetime: {exc}") from exc


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
        return marshal(self._value)

    @cached_property
    def is_json(self) -> bool:
        if not self.has_data:
            return False
        if self._decoded:
            return True
        try:
            self._value = decode(self._text or "")
        except JSONError:
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
                loaded = yaml.load(self.text or "", Loader=yaml.CSafeLoader)
            except yaml.YAMLError as exc:
                raise ValueError(f"failed converting yaml event data to JSON: {exc}") from exc
            return marshal(loaded)
        raise ValueError(f"unsupported event content type: {content_type}")

    def to_go_json(self) -> str:
        """`json.Marshal(event)`: the context, and the data bytes base64-encoded."""
        context = self.context.to_go_dict() if self.context else None
        data = base64.b64encode((self.text or "").encode()).decode() if self.has_data else None
        return marshal({"context": context, "data": data}, sort_keys=False)
