"""Strict validation with one compiled validator per schema, built once per process.

fastjsonschema turns each schema into Python source; the compiled code object is kept in
memory for the process and, unless `HERA_PIPELINES_CACHE_DIR` is set to an empty string, as a
marshal file in the user's cache folder keyed by the schema files' bytes and library versions,
so the next process skips code generation. Verdicts equal those of the jsonschema +
kubernetes-validate reference in `tests/schemas/reference_validation.py` (tested).
"""

from __future__ import annotations

import copy
import enum
import functools
import hashlib
import marshal
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fastjsonschema

from hera_pipelines.schemas.source import (
    CORE_GROUPS,
    Source,
    file_digest_inputs,
    schema_for,
    source_of,
)

__all__ = ["Profile", "Violation", "has_schema", "validate_object", "violations"]

_CONTEXT = "io.argoproj.events.v1alpha1.EventContext"
_CACHE_ENV = "HERA_PIPELINES_CACHE_DIR"
PathPart = str | int


class Profile(enum.StrEnum):
    """Which reading of a schema: upstream's as published, or what a cluster accepts."""

    STRICT = "strict"
    # Argo Events' schema marks every `context` filter field required; the controller does not.
    CLUSTER = "cluster"


@dataclass(frozen=True)
class Violation:
    """One schema error: where in the object (`parts`), which keyword, and what is wrong."""

    parts: tuple[PathPart, ...]
    message: str
    keyword: str = ""

    @property
    def path(self) -> str:
        out = ""
        for part in self.parts:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out

    def __str__(self) -> str:
        return f"{self.path or '(root)'}: {self.message}"


def has_schema(obj: Mapping[str, Any]) -> bool:
    return source_of(str(obj.get("apiVersion", "")), str(obj.get("kind", ""))) is not None


def validate_object(obj: Mapping[str, Any]) -> list[Violation]:
    """The first way `obj` breaks the strict upstream schema of its kind (empty: valid)."""
    return violations(obj, Profile.STRICT)


def violations(obj: Mapping[str, Any], profile: Profile = Profile.STRICT) -> list[Violation]:
    """Like `validate_object`, for one `profile`; at most one violation (the first found)."""
    api_version = str(obj.get("apiVersion", ""))
    kind = str(obj.get("kind", ""))
    source = source_of(api_version, kind)
    if source is None:
        if api_version in CORE_GROUPS:
            return [Violation((), f"no schema for {api_version} {kind}", "kind")]
        return [Violation((), f"no schema known for {api_version} {kind}", "kind")]
    validate = _validator(source, profile)
    try:
        validate(obj)
    except fastjsonschema.JsonSchemaValueException as exc:
        return [_violation(obj, exc)]
    return []


def _violation(obj: Mapping[str, Any], exc: fastjsonschema.JsonSchemaValueException) -> Violation:
    name = exc.name or "data"
    parts = _resolve(obj, name[len("data") :])
    rule = exc.rule or ""
    message = exc.message
    if message.startswith(name + " "):
        message = message[len(name) + 1 :]
    if rule == "additionalProperties" and isinstance(exc.value, Mapping):
        allowed = (exc.definition or {}).get("properties", {})
        extra = sorted(str(k) for k in exc.value if k not in allowed)
        if extra:
            parts = (*parts, extra[0])
            message = f"unknown field {extra[0]!r}" + (
                f" (and {', '.join(map(repr, extra[1:]))})" if extra[1:] else ""
            )
    elif rule == "required":
        missing = [
            k
            for k in (exc.definition or {}).get("required", [])
            if isinstance(exc.value, Mapping) and k not in exc.value
        ]
        if missing:
            message = f"missing required field {missing[0]!r}"
    return Violation(parts, message, rule)


def _resolve(obj: Any, rest: str) -> tuple[PathPart, ...]:
    """Turn fastjsonschema's dotted name back into keys, even where keys hold dots."""
    parts: list[PathPart] = []
    node = obj
    while rest:
        if rest.startswith("["):
            end = rest.find("]")
            index = rest[1:end]
            if isinstance(node, list) and index.isdigit():
                parts.append(int(index))
                node = node[int(index)] if int(index) < len(node) else None
                rest = rest[end + 1 :]
                continue
            break
        rest = rest.removeprefix(".")
        if not isinstance(node, Mapping):
            break
        # longest key that the remaining name starts with, followed by a separator or the end
        match = max(
            (
                k
                for k in node
                if isinstance(k, str)
                and rest.startswith(k)
                and (len(rest) == len(k) or rest[len(k)] in ".[")
            ),
            key=len,
            default=None,
        )
        if match is None:
            break
        parts.append(match)
        node = node[match]
        rest = rest[len(match) :]
    return tuple(parts)


@functools.cache
def _validator(source: Source, profile: Profile) -> Callable[[Any], Any]:
    namespace: dict[str, Any] = {}
    exec(_code(source, profile), namespace)  # noqa: S102 (fastjsonschema's generated validator)
    validate: Callable[[Any], Any] = namespace["validate"]
    return validate


def _definition(source: Source, profile: Profile) -> dict[str, Any]:
    schema = schema_for(source)
    if profile is Profile.CLUSTER and _CONTEXT in schema.get("definitions", {}):
        schema = dict(schema)
        definitions = dict(schema["definitions"])
        context = copy.copy(definitions[_CONTEXT])
        context.pop("required", None)
        definitions[_CONTEXT] = context
        schema["definitions"] = definitions
    return schema


def _code(source: Source, profile: Profile) -> Any:
    cache = _cache_file(source, profile)
    if cache is not None and cache.is_file():
        try:
            return marshal.loads(cache.read_bytes())  # noqa: S302 (our own cache file)
        except (EOFError, ValueError, TypeError):
            pass
    text = fastjsonschema.compile_to_code(
        _definition(source, profile), use_default=False, use_formats=False
    )
    code = compile(text, f"<schema {source} {profile}>", "exec")
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            temporary = cache.with_suffix(f".{os.getpid()}.tmp")
            temporary.write_bytes(marshal.dumps(code))
            temporary.replace(cache)
        except OSError:
            pass
    return code


def _cache_file(source: Source, profile: Profile) -> Path | None:
    setting = os.environ.get(_CACHE_ENV)
    if setting == "":
        return None
    if setting is not None:
        root = Path(setting)
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        root = Path(base) / "hera-pipelines" / "schemas"
    digest = hashlib.sha256()
    digest.update(f"{source}|{profile}|{fastjsonschema.VERSION}|{sys.version}".encode())
    for file in file_digest_inputs(source):
        digest.update(file.read_bytes())
    return root / f"{digest.hexdigest()[:32]}.marshal"
