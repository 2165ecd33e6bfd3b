"""Sensor semantics: dependencies, conditions, parameter destinations, filter syntax."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from hera_pipelines.lint.document import Document, PathPart
from hera_pipelines.lint.finding import Finding, Severity
from hera_pipelines.lint.rule import Context, rule
from hera_pipelines.lint.rules._walk import as_list, as_map, get
from hera_pipelines.simulate.go.regexp import RegexpError, compile_regexp

__all__ = [
    "compile_re2",
    "conditions",
    "dependency_source",
    "filter_syntax",
    "gjson_problem",
    "parameter_dest",
    "parse_condition",
    "unanchored_regex",
]

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_\-.]*")
_EQUALITY = re.compile(r"^[A-Za-z0-9_\-./]+$")
_GJSON_BAD = re.compile(r"(^\.|\.\.|\.$|^$)")


def compile_re2(pattern: str) -> str | None:
    """Why `pattern` is not a valid RE2 regex as Go's `regexp` reads it (None: valid).

    Argo Events matches with Go's regexp (RE2: no lookaround, no backreferences); this is the
    project's one RE2 (google-re2 behind `simulate/go/regexp.py`), with Go's messages.
    """
    try:
        compile_regexp(pattern)
    except RegexpError as exc:
        return f"not RE2 (Go's regexp): {exc}"
    return None


def gjson_problem(path: str) -> str | None:
    """Why `path` is not a usable GJSON path (None: fine)."""
    if _GJSON_BAD.search(path):
        return "empty path component"
    depth = 0
    for char in path:
        depth += {"(": 1, ")": -1, "[": 1, "]": -1}.get(char, 0)
        if depth < 0:
            return "unbalanced brackets"
    if depth:
        return "unbalanced brackets"
    return None


def parse_condition(text: str) -> tuple[set[str], str | None]:
    """(dependency names, error) of a trigger condition like `a && (b || !c)`."""
    tokens = re.findall(r"\s*(&&|\|\||!|\(|\)|[A-Za-z0-9_][A-Za-z0-9_\-.]*|\S)", text)
    names: set[str] = set()
    position = 0

    def expression() -> str | None:
        nonlocal position
        error = term()
        while error is None and position < len(tokens) and tokens[position] in ("&&", "||"):
            position += 1
            error = term()
        return error

    def term() -> str | None:
        nonlocal position
        if position >= len(tokens):
            return "unexpected end"
        token = tokens[position]
        if token == "!":  # noqa: S105 (an operator, not a password)
            position += 1
            return term()
        if token == "(":  # noqa: S105
            position += 1
            error = expression()
            if error:
                return error
            if position >= len(tokens) or tokens[position] != ")":
                return "missing ')'"
            position += 1
            return None
        if _IDENT.fullmatch(token):
            names.add(token)
            position += 1
            return None
        return f"unexpected {token!r}"

    error = expression()
    if error is None and position < len(tokens):
        error = f"unexpected {tokens[position]!r}"
    return names, error


def _dependencies(doc: Document) -> list[Mapping[str, Any]]:
    return [as_map(d) for d in as_list(get(doc.obj, "spec", "dependencies"))]


@rule(
    "HP401",
    "sensor-dependency-source",
    group="sensor",
    severity=Severity.ERROR,
    summary="Dependencies name an EventSource in the set and one of its event names.",
    kinds=("Sensor",),
)
def dependency_source(doc: Document, context: Context) -> Iterator[Finding]:
    for index, dependency in enumerate(_dependencies(doc)):
        path: tuple[PathPart, ...] = ("spec", "dependencies", index)
        source_name = str(dependency.get("eventSourceName") or "")
        source = context.find("EventSource", source_name)
        if source is None:
            yield dependency_source.at(
                doc, (*path, "eventSourceName"), f"EventSource {source_name!r} is not in the set"
            )
            continue
        event = str(dependency.get("eventName") or "")
        names = {
            str(n)
            for kind, events in as_map(get(source.obj, "spec")).items()
            if kind not in ("template", "service", "eventBusName", "replicas")
            for n in as_map(events)
        }
        if event not in names:
            yield dependency_source.at(
                doc,
                (*path, "eventName"),
                f"EventSource {source_name!r} has no event {event!r} "
                f"(has: {', '.join(sorted(names))})",
            )


@rule(
    "HP402",
    "sensor-conditions",
    group="sensor",
    severity=Severity.ERROR,
    summary="Trigger conditions parse and name only the Sensor's dependencies.",
    kinds=("Sensor",),
)
def conditions(doc: Document, context: Context) -> Iterator[Finding]:
    declared = {str(d.get("name")) for d in _dependencies(doc)}
    for index, trigger in enumerate(as_list(get(doc.obj, "spec", "triggers"))):
        text = get(trigger, "template", "conditions")
        if not isinstance(text, str):
            continue
        path = ("spec", "triggers", index, "template", "conditions")
        names, error = parse_condition(text)
        if error:
            yield conditions.at(doc, path, f"condition {text!r} does not parse: {error}")
        for name in sorted(names - declared):
            yield conditions.at(doc, path, f"condition names unknown dependency {name!r}")


def _dest_problem(resource: Any, dest: str) -> str | None:
    bits = re.split(r"(?<!\\)\.", dest)
    node = resource
    for position, bit in enumerate(bits):
        key = bit.replace("\\.", ".")
        last = position == len(bits) - 1
        if isinstance(node, list):
            if not key.isdigit() or int(key) >= len(node):
                return f"{'.'.join(bits[: position + 1])} is past the end of a list of {len(node)}"
            node = node[int(key)]
        elif isinstance(node, Mapping):
            if key not in node:
                return None if last else f"{'.'.join(bits[: position + 1])} does not exist"
            node = node[key]
        else:
            return f"{'.'.join(bits[:position])} is not an object or list"
    return None


@rule(
    "HP403",
    "sensor-parameter-dest",
    group="sensor",
    severity=Severity.ERROR,
    summary="Trigger parameter `dest` paths exist in the trigger's resource.",
    kinds=("Sensor",),
)
def parameter_dest(doc: Document, context: Context) -> Iterator[Finding]:
    for index, trigger in enumerate(as_list(get(doc.obj, "spec", "triggers"))):
        for kind in ("argoWorkflow", "k8s"):
            spec = as_map(get(trigger, "template", kind))
            resource = get(spec, "source", "resource")
            if resource is None:
                continue
            for number, param in enumerate(as_list(spec.get("parameters"))):
                dest = str(as_map(param).get("dest") or "")
                problem = _dest_problem(resource, dest)
                if problem:
                    yield parameter_dest.at(
                        doc,
                        ("spec", "triggers", index, "template", kind, "parameters", number, "dest"),
                        f"dest {dest!r}: {problem}",
                    )


def _expr_problem(expr: str, fields: set[str]) -> str | None:
    if expr.count("(") != expr.count(")"):
        return "unbalanced parentheses"
    stripped = re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "''", expr)
    for word in re.findall(r"[A-Za-z_][A-Za-z0-9_.]*", stripped):
        if word in ("true", "false", "nil", "in", "IN") or word in fields:
            continue
        if re.search(rf"\b{re.escape(word)}\s*\(", stripped):
            continue  # a function
        return f"uses {word!r}, which is not a declared field ({', '.join(sorted(fields))})"
    if re.search(r"(&&|\|\||==|!=|[<>]=?)\s*$", stripped) or re.search(r"^\s*(&&|\|\|)", stripped):
        return "dangling operator"
    return None


@rule(
    "HP404",
    "sensor-filter-syntax",
    group="sensor",
    severity=Severity.ERROR,
    summary="GJSON paths, RE2 regexes and expr filters compile; exprs use only declared fields.",
    kinds=("Sensor",),
)
def filter_syntax(doc: Document, context: Context) -> Iterator[Finding]:
    for index, dependency in enumerate(_dependencies(doc)):
        base: tuple[PathPart, ...] = ("spec", "dependencies", index, "filters")
        filters = as_map(dependency.get("filters"))
        for number, item in enumerate(as_list(filters.get("data"))):
            item = as_map(item)
            path = (*base, "data", number)
            problem = gjson_problem(str(item.get("path") or ""))
            if problem:
                yield filter_syntax.at(doc, (*path, "path"), f"GJSON path: {problem}")
            if item.get("type") == "string":
                for value_index, value in enumerate(as_list(item.get("value"))):
                    problem = compile_re2(str(value))
                    if problem:
                        yield filter_syntax.at(
                            doc, (*path, "value", value_index), f"regex {value!r}: {problem}"
                        )
        for number, item in enumerate(as_list(filters.get("exprs"))):
            item = as_map(item)
            path = (*base, "exprs", number)
            fields = {str(as_map(f).get("name")) for f in as_list(item.get("fields"))}
            for field_index, field in enumerate(as_list(item.get("fields"))):
                problem = gjson_problem(str(as_map(field).get("path") or ""))
                if problem:
                    yield filter_syntax.at(
                        doc, (*path, "fields", field_index, "path"), f"GJSON path: {problem}"
                    )
            problem = _expr_problem(str(item.get("expr") or ""), fields)
            if problem:
                yield filter_syntax.at(doc, (*path, "expr"), f"expr: {problem}")
    for index, trigger in enumerate(as_list(get(doc.obj, "spec", "triggers"))):
        for kind in ("argoWorkflow", "k8s"):
            for number, param in enumerate(as_list(get(trigger, "template", kind, "parameters"))):
                key = get(param, "src", "dataKey")
                if isinstance(key, str) and gjson_problem(key):
                    yield filter_syntax.at(
                        doc,
                        (
                            "spec",
                            "triggers",
                            index,
                            "template",
                            kind,
                            "parameters",
                            number,
                            "src",
                            "dataKey",
                        ),
                        f"GJSON path: {gjson_problem(key)}",
                    )


@rule(
    "HP405",
    "sensor-unanchored-regex",
    group="sensor",
    severity=Severity.WARNING,
    summary="String data filters are regexes: an unanchored word also matches longer values.",
    kinds=("Sensor",),
)
def unanchored_regex(doc: Document, context: Context) -> Iterator[Finding]:
    for index, dependency in enumerate(_dependencies(doc)):
        for number, item in enumerate(as_list(get(dependency, "filters", "data"))):
            item = as_map(item)
            if item.get("type") != "string":
                continue
            for value_index, value in enumerate(as_list(item.get("value"))):
                text = str(value)
                if _EQUALITY.match(text):
                    yield unanchored_regex.at(
                        doc,
                        (
                            "spec",
                            "dependencies",
                            index,
                            "filters",
                            "data",
                            number,
                            "value",
                            value_index,
                        ),
                        f"{text!r} matches any value containing it; "
                        f"anchor it: '^{re.escape(text)}$'",
                    )
