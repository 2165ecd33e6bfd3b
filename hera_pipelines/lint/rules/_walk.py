"""Small helpers the rule modules share: safe access and walking of plain YAML values."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from hera_pipelines.lint.document import PathPart

__all__ = [
    "PLACEHOLDER",
    "WORKFLOW_KINDS",
    "as_list",
    "as_map",
    "get",
    "leaves",
    "templates_of",
    "workflow_spec",
]

PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
WORKFLOW_KINDS = ("ClusterWorkflowTemplate", "CronWorkflow", "Workflow", "WorkflowTemplate")


# Loaded YAML holds plain dicts: `type(x) is dict` answers first, before the ABC check (which
# costs several times more and runs millions of times on a large set).


def as_map(value: Any) -> Mapping[str, Any]:
    if type(value) is dict:
        return value
    return value if isinstance(value, Mapping) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def get(obj: Any, *parts: PathPart) -> Any:
    for part in parts:
        if isinstance(part, int):
            if not isinstance(obj, list) or part >= len(obj):
                return None
            obj = obj[part]
        else:
            if type(obj) is not dict and not isinstance(obj, Mapping):
                return None
            obj = obj.get(part)
    return obj


def leaves(
    value: Any, path: tuple[PathPart, ...] = ()
) -> Iterator[tuple[tuple[PathPart, ...], Any]]:
    """Every scalar under `value` with its path."""
    if type(value) is dict or isinstance(value, Mapping):
        for key, item in value.items():
            yield from leaves(item, (*path, str(key)))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def workflow_spec(obj: Any) -> tuple[tuple[PathPart, ...], Mapping[str, Any]]:
    """(path, spec) of the workflow spec: CronWorkflow keeps it under spec.workflowSpec."""
    if get(obj, "kind") == "CronWorkflow":
        return ("spec", "workflowSpec"), as_map(get(obj, "spec", "workflowSpec"))
    return ("spec",), as_map(get(obj, "spec"))


def templates_of(obj: Any) -> Iterator[tuple[tuple[PathPart, ...], Mapping[str, Any]]]:
    base, spec = workflow_spec(obj)
    for index, template in enumerate(as_list(spec.get("templates"))):
        if isinstance(template, Mapping):
            yield (*base, "templates", index), template
