"""go.gjson against tidwall/gjson's README examples and Result methods (gjson.go)."""

from __future__ import annotations

import json

import pytest

from hera_pipelines.simulate.go.gjson import Document, Result, compile_path

# The document of gjson's README ("Path Syntax")
README = """{
  "name": {"first": "Tom", "last": "Anderson"},
  "age":37,
  "children": ["Sara","Alex","Jack"],
  "fav.movie": "Deer Hunter",
  "friends": [
    {"first": "Dale", "last": "Murphy", "age": 44, "nets": ["ig", "fb", "tw"]},
    {"first": "Roger", "last": "Craig", "age": 68, "nets": ["fb", "tw"]},
    {"first": "Jane", "last": "Murphy", "age": 47, "nets": ["ig", "tw"]}
  ]
}"""


def _get(path: str, text: str = README) -> Result | None:
    return compile_path(path).get(Document(json.loads(text), text))


# README "Path Syntax": {path, Go's Result.String()}
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("name.last", "Anderson"),
        ("age", "37"),
        ("children", '["Sara","Alex","Jack"]'),
        ("children.#", "3"),
        ("children.1", "Alex"),
        ("child*.2", "Jack"),
        ("c?ildren.0", "Sara"),
        ("fav\\.movie", "Deer Hunter"),
        ("friends.#.first", '["Dale","Roger","Jane"]'),
        ("friends.1.last", "Craig"),
        ('friends.#(last=="Murphy").first', "Dale"),
        ("friends.#.nets.#", "[3,2,2]"),
        ("name", '{"first": "Tom", "last": "Anderson"}'),  # Raw: the text as written
    ],
)
def test_readme_paths(path: str, expected: str) -> None:
    result = _get(path)
    assert result is not None
    assert result.string() == expected


@pytest.mark.parametrize("path", ["name.middle", "children.5", "age.x", "name.#", "x.#.y"])
def test_missing_paths_do_not_exist(path: str) -> None:
    assert _get(path) is None


@pytest.mark.parametrize(
    ("text", "type_name", "string"),
    [
        # gjson.go Result.String(): numbers with strconv 'f' shortest (Raw when an integer)
        ('{"v": 1.50}', "Number", "1.5"),
        ('{"v": 1e3}', "Number", "1000"),
        ('{"v": 1e-7}', "Number", "0.0000001"),
        ('{"v": 12345678901234567890}', "Number", "12345678901234567000"),
        ('{"v": true}', "True", "true"),
        ('{"v": false}', "False", "false"),
        ('{"v": null}', "Null", ""),
        ('{"v": "s<"}', "String", "s<"),
        ('{"v": [1, {"a": 2}]}', "JSON", '[1, {"a": 2}]'),
    ],
)
def test_result_type_and_string(text: str, type_name: str, string: str) -> None:
    result = _get("v", text)
    assert result is not None
    assert (result.type, result.string()) == (type_name, string)


@pytest.mark.parametrize(
    ("text", "as_float", "as_bool"),
    [
        # Result.Float() / Result.Bool(): strings parsed (errors read as 0 / false)
        ('{"v": "2.5"}', 2.5, False),
        ('{"v": "t"}', 0.0, True),
        ('{"v": "x"}', 0.0, False),
        ('{"v": 3}', 3.0, True),
        ('{"v": true}', 1.0, True),
    ],
)
def test_result_float_and_bool(text: str, as_float: float, as_bool: bool) -> None:
    result = _get("v", text)
    assert result is not None
    assert (result.float(), result.bool()) == (as_float, as_bool)


def test_canonical_document_raw_is_go_marshal() -> None:
    # an event a GitHub EventSource built is Go's json.Marshal of its map: keys sorted
    value = {"b": {"z": 1, "a": "<"}, "n": 1e-7}
    result = compile_path("b").get(Document(value, None, canonical=True))
    assert result is not None
    assert result.raw_json() == '{"a":"\\u003c","z":1}'


def test_multipath_skips_missing_members() -> None:
    result = _get("[name.first,missing,age]")
    assert result is not None
    assert result.string() == '["Tom",37]'
