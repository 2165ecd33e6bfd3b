"""`hera_pipelines.schemas` gives the same verdicts as `hera_pipelines.validation`.

Over every object committed under examples/*/manifests and systematic mutations of them:
unknown fields at every depth, wrong types, missing required fields and bad enum values. The
first violation names the mutated place.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from hera_pipelines.schemas import Profile, validate_object, violations
from tests.schemas import reference_validation as validation

ROOT = Path(__file__).resolve().parents[2]
Part = str | int


def _objects() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(ROOT.glob("examples/*/manifests/**/*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        obj = yaml.safe_load(path.read_text(encoding="utf-8"))
        out.append((path.relative_to(ROOT).as_posix(), obj))
    return out


OBJECTS = _objects()
# one object per kind for the mutation tests, which run the slow validator often
SAMPLES = list({o["kind"]: (p, o) for p, o in OBJECTS}.values())


def _nodes(node: Any, path: tuple[Part, ...] = ()) -> Iterator[tuple[tuple[Part, ...], Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _nodes(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _nodes(value, (*path, index))


def _at(obj: Any, path: tuple[Part, ...]) -> Any:
    for part in path:
        obj = obj[part]
    return obj


def _spread(items: list[Any], count: int) -> list[Any]:
    """`count` items spread evenly over `items` (deterministic)."""
    if len(items) <= count:
        return items
    step = len(items) / count
    return [items[int(i * step)] for i in range(count)]


def _mutations(obj: dict[str, Any]) -> Iterator[tuple[str, tuple[Part, ...], dict[str, Any]]]:
    nodes = list(_nodes(obj))
    dicts = [p for p, n in nodes if isinstance(n, dict)]
    for path in _spread(dicts, 12):
        mutated = copy.deepcopy(obj)
        _at(mutated, path)["notAField"] = "x"
        yield "unknown", (*path, "notAField"), mutated
    # apiVersion and kind pick the schema: removing or retyping them is not a schema question
    nodes = [(p, n) for p, n in nodes if p not in {("apiVersion",), ("kind",)}]
    keys = [(p[:-1], p[-1]) for p, _ in nodes if p and isinstance(p[-1], str)]
    for parent, key in _spread(keys, 12):
        mutated = copy.deepcopy(obj)
        del _at(mutated, parent)[key]
        yield "missing", parent, mutated
    leaves = [p for p, n in nodes if p and isinstance(n, str | int | bool)]
    for path in _spread(leaves, 12):
        mutated = copy.deepcopy(obj)
        value = _at(obj, path)
        _at(mutated, path[:-1])[path[-1]] = {"a": 1} if isinstance(value, str) else "text"
        yield "type", path, mutated
    strings = [p for p, n in nodes if p and isinstance(n, str)]
    for path in _spread(strings, 12):
        mutated = copy.deepcopy(obj)
        _at(mutated, path[:-1])[path[-1]] = "NotAnEnumValue"
        yield "enum", path, mutated


@pytest.mark.parametrize(("path", "obj"), OBJECTS, ids=[p for p, _ in OBJECTS])
def test_rendered_objects_are_valid_in_both(path: str, obj: dict[str, Any]) -> None:
    assert validate_object(obj) == []
    assert validation.validate_object(obj) == []


@pytest.mark.parametrize(("path", "obj"), SAMPLES, ids=[p for p, _ in SAMPLES])
def test_mutations_get_the_same_verdict(path: str, obj: dict[str, Any]) -> None:
    checked = invalid = 0
    for how, where, mutated in _mutations(obj):
        ours = validate_object(mutated)
        theirs = validation.validate_object(mutated)
        assert bool(ours) == bool(theirs), (how, where, ours, theirs)
        checked += 1
        if ours:
            invalid += 1
            parts = ours[0].parts
            if how == "unknown":
                # the unknown field itself, or an object above it that rejects a whole branch
                assert parts == where or where[: len(parts)] == parts, (how, where, ours)
            else:
                assert where[: len(parts)] == parts, (how, where, ours)
    assert checked >= 12
    assert invalid >= 1


def test_unknown_field_reports_its_own_path() -> None:
    _, obj = next(o for o in SAMPLES if o[1]["kind"] == "WorkflowTemplate")
    mutated = copy.deepcopy(obj)
    mutated["spec"]["templates"][0]["notAField"] = 1
    [violation] = validate_object(mutated)
    assert violation.parts == ("spec", "templates", 0, "notAField")
    assert violation.path == "spec.templates[0].notAField"
    assert violation.message == "unknown field 'notAField'"


def test_dotted_keys_resolve_to_the_real_key() -> None:
    _, obj = next(o for o in SAMPLES if o[1]["kind"] == "ConfigMap")
    mutated = copy.deepcopy(obj)
    mutated["metadata"]["labels"]["pipelines.agents.platform/flow"] = {"a": 1}
    [violation] = validate_object(mutated)
    assert violation.parts == ("metadata", "labels", "pipelines.agents.platform/flow")


def test_cluster_profile_does_not_require_every_context_field() -> None:
    _, obj = next(o for o in SAMPLES if o[1]["kind"] == "Sensor")
    mutated = copy.deepcopy(obj)
    mutated["spec"]["dependencies"][0]["filters"]["context"] = {"type": "push"}
    [violation] = validate_object(mutated)
    assert violation.keyword == "required"
    assert violation.parts[-1] == "context"
    assert violations(mutated, Profile.CLUSTER) == []


def test_unknown_kind() -> None:
    [violation] = validate_object({"apiVersion": "example.com/v1", "kind": "Thing"})
    assert violation.message == "no schema known for example.com/v1 Thing"
