"""Trigger parameters: resolve each value from the events and write it into the object at `dest`.

Mirrors `pkg/sensors/triggers/params.go` (v1.9): `ResolveParamValue` (dataKey/contextKey over
GJSON, dataTemplate/contextTemplate, the `value` default, the whole event when nothing is
selected), `ApplyParams` (operation append/prepend/overwrite, `useRawData` keeps JSON types) and
`ConstructPayload`; `dest` is written with sjson (`go.sjson`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hera_pipelines.simulate.argo import engines
from hera_pipelines.simulate.argo.engines import EngineError, Unsupported
from hera_pipelines.simulate.argo.event import JSON_CONTENT_TYPE, Event
from hera_pipelines.simulate.go.gjson import Document, GJSONPath, compile_path
from hera_pipelines.simulate.go.json import decode, marshal
from hera_pipelines.simulate.go.sjson import SjsonError, SjsonPath, parse_path, sjson_set

__all__ = [
    "Parameter",
    "ParameterError",
    "Resolved",
    "apply_params",
    "compile_parameters",
    "construct_payload",
    "resolve_param_value",
]

STRING_TYPE = "String"
_OPERATIONS = ("", "overwrite", "append", "prepend")


class ParameterError(Exception):
    """What Go's params code returns as an error: the trigger does not execute."""


@dataclass(frozen=True)
class Resolved:
    """`ResolveParamValue`'s (*string, type, error), plus where the value came from."""

    value: str | None
    type: str = STRING_TYPE
    error: str | None = None
    origin: str = ""


class _Source:
    """A compiled `TriggerParameterSource`."""

    def __init__(self, src: Mapping[str, Any]) -> None:
        self.dependency = str(src.get("dependencyName") or "")
        self.data_key = str(src.get("dataKey") or "")
        self.context_key = str(src.get("contextKey") or "")
        self.data_template = str(src.get("dataTemplate") or "")
        self.context_template = str(src.get("contextTemplate") or "")
        default = src.get("value")
        self.default: str | None = None if default is None else str(default)
        self.use_raw_data = bool(src.get("useRawData"))
        self.data_path: GJSONPath | None = compile_path(self.data_key) if self.data_key else None
        self.context_path: GJSONPath | None = (
            compile_path(self.context_key) if self.context_key else None
        )
        self.templates: dict[str, engines.CompiledTemplate | Exception] = {}
        for text in (self.data_template, self.context_template):
            if text and text not in self.templates:
                try:
                    self.templates[text] = engines.compile_template(text)
                except (EngineError, Unsupported) as exc:
                    self.templates[text] = exc

    def _render(self, text: str, doc: Document) -> str:
        done = doc.renders.get(text)
        if done is not None:
            return done
        template = self.templates[text]
        if isinstance(template, Unsupported):
            raise template
        if isinstance(template, Exception):
            raise EngineError(str(template))
        out = template.render({"Input": doc.value})
        if out in ("", "<no value>"):
            raise EngineError(f"template evaluated to empty string or no value: {text}")
        doc.renders[text] = out
        return out

    def resolve(self, events: Mapping[str, Event]) -> Resolved:
        event = events.get(self.dependency)
        if event is None:
            if self.default is not None:
                return Resolved(self.default, origin="value (no event for the dependency)")
            return Resolved(None, origin="no event for the dependency")
        selects = self.context_key or self.data_key or self.data_template or self.context_template
        if not selects:
            if self.default is not None:
                return Resolved(self.default, origin="value")
            return Resolved(event.to_go_json(), origin="the whole event")
        doc: Document | None = None
        error: str | None = None
        key, template, path = "", "", None
        if self.context_key or self.context_template:
            key, template, path = self.context_key, self.context_template, self.context_path
            ctx = event.context.to_go_dict() if event.context is not None else None
            doc = Document(ctx, marshal(ctx, sort_keys=False))
        if self.data_key or self.data_template:
            key, template, path = self.data_key, self.data_template, self.data_path
            try:
                doc = _data_document(event)
            except ValueError as exc:
                doc, error = None, str(exc)
        if doc is None:
            if self.default is not None:
                return Resolved(self.default, origin=f"value ({error})")
            return Resolved(None, "", error)
        notes: list[str] = []
        if template:
            try:
                return Resolved(self._render(template, doc), origin=f"template {template}")
            except EngineError as exc:
                notes.append(f"template failed: {exc}")
                error = str(exc)
        if key and path is not None:
            result = path.get(doc)
            if result is not None:
                kind = result.type
                if kind in ("JSON", "Null"):
                    text = result.raw if kind == "JSON" else "null"
                else:
                    text = result.string()
                return Resolved(text, kind, origin=f"key {key}")
            error = f"key {key} does not exist to in the event payload"
            notes.append(error)
        if self.default is not None:
            return Resolved(self.default, origin=f"value ({'; '.join(notes)})")
        return Resolved(
            None,
            "",
            f"unable to resolve '{self.dependency}' parameter value. err: {error}",
        )


def _data_document(event: Event) -> Document:
    """`renderEventDataAsJSON`, reusing the decoded event when the data already is JSON."""
    content_type = event.context.datacontenttype if event.context is not None else ""
    if content_type == JSON_CONTENT_TYPE and event.is_json:
        return event.document
    text = event.data_as_json()
    return Document(decode(text), text)


class Parameter:
    """A compiled `TriggerParameter`: source, `dest` and operation."""

    def __init__(self, spec: Mapping[str, Any]) -> None:
        src = spec.get("src")
        self.source = _Source(src if isinstance(src, Mapping) else {})
        self.dest = str(spec.get("dest") or "")
        self.dest_path = parse_path(self.dest)
        self.dest_lookup = compile_path(self.dest) if self.dest else None
        self.operation = str(spec.get("operation") or "")


def compile_parameters(specs: Any) -> list[Parameter]:
    return [Parameter(p) for p in specs or [] if isinstance(p, Mapping)]


def resolve_param_value(src: Mapping[str, Any], events: Mapping[str, Event]) -> Resolved:
    return _Source(src).resolve(events)


def _as_parameters(params: Any) -> list[Parameter]:
    if params and all(isinstance(p, Parameter) for p in params):
        return list(params)
    return compile_parameters(params)


def apply_params(
    obj: Any,
    params: Any,
    events: Mapping[str, Event],
    notes: list[str] | None = None,
    warnings: list[str] | None = None,
) -> Any:
    """`ApplyParams` over a decoded JSON object (modified in place and returned).

    `warnings` collects every value taken from the event that carries `{{`: Argo Workflows
    evaluates `{{…}}` inside the parameters it is given, so a payload could inject expressions.
    """
    for param in _as_parameters(params):
        resolved = param.source.resolve(events)
        if resolved.error is not None:
            raise ParameterError(resolved.error)
        if resolved.value is None:
            if notes is not None:
                notes.append(f"{param.dest}: skipped ({resolved.origin})")
            continue
        value, kind = resolved.value, resolved.type
        if warnings is not None and "{{" in value and not resolved.origin.startswith("value"):
            warnings.append(
                f'parameter {param.dest} carries "{{{{" from the payload: '
                "Argo Workflows would evaluate it"
            )
        if param.operation in ("append", "prepend"):
            assert param.dest_lookup is not None or not param.dest
            current = param.dest_lookup.get(Document(obj)) if param.dest_lookup else None
            if current is not None:
                kind = STRING_TYPE
                text = current.string()
                value = text + value if param.operation == "append" else value + text
        elif param.operation not in _OPERATIONS:
            raise ParameterError(f"unsupported trigger parameter operation: {param.operation}")
        new = _decode_raw(value) if kind != STRING_TYPE and param.source.use_raw_data else value
        obj = _set_at(obj, param.dest_path, new)
        if notes is not None:
            notes.append(f"{param.dest} = {json.dumps(new)[:200]} ({resolved.origin})")
    return obj


def construct_payload(params: Any, events: Mapping[str, Event]) -> Any:
    """`ConstructPayload`: a new JSON object built from the parameters alone."""
    payload: Any = None
    for param in _as_parameters(params):
        resolved = param.source.resolve(events)
        if resolved.error is not None:
            raise ParameterError(resolved.error)
        if not param.dest:
            if resolved.value is not None:
                return resolved.value
            continue
        if resolved.value is None:
            continue
        raw = resolved.type != STRING_TYPE and param.source.use_raw_data
        new = _decode_raw(resolved.value) if raw else resolved.value
        payload = _set_at(payload, param.dest_path, new)
    return payload


def _decode_raw(text: str) -> Any:
    try:
        return decode(text)
    except ValueError as exc:
        raise ParameterError(f"raw value is not JSON: {exc}") from exc


def _set_at(obj: Any, path: SjsonPath, value: Any) -> Any:
    try:
        return sjson_set(obj, path, value)
    except SjsonError as exc:
        raise ParameterError(str(exc)) from exc
