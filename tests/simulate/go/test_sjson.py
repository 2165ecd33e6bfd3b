"""go.sjson against tidwall/sjson's README examples (Set over a decoded value)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from hera_pipelines.simulate.go.sjson import SjsonError, sjson_set


# sjson README "Set a value" examples: {json before, path, value, json after}
@pytest.mark.parametrize(
    ("before", "path", "value", "after"),
    [
        ('{"name":{"last":"Anderson"}}', "name.last", "Smith", '{"name":{"last":"Smith"}}'),
        ("", "name.last", "Anderson", '{"name":{"last":"Anderson"}}'),
        ('{"friends":["Andy","Carol"]}', "friends.1", "Sara", '{"friends":["Andy","Sara"]}'),
        (
            '{"friends":["Andy","Carol"]}',
            "friends.-1",
            "Sara",
            '{"friends":["Andy","Carol","Sara"]}',
        ),
        (
            '{"friends":["Andy","Carol"]}',
            "friends.4",
            "Sara",
            '{"friends":["Andy","Carol",null,null,"Sara"]}',
        ),
        ("", "children.1", "Sara", '{"children":[null,"Sara"]}'),
        ("", "children.:1", "Sara", '{"children":{"1":"Sara"}}'),  # `:` forces an object key
        ("", "fav\\.movie", "Dune", '{"fav.movie":"Dune"}'),  # `\\.` escapes a dot
        ('{"a":"x"}', "a.b", 1, '{"a":{"b":1}}'),  # a scalar parent is replaced
    ],
)
def test_set_is_sjson_set(before: str, path: str, value: Any, after: str) -> None:
    obj = json.loads(before) if before else None
    assert json.dumps(sjson_set(obj, path, value), separators=(",", ":")) == after


@pytest.mark.parametrize(("before", "path"), [({}, ""), ({"a": [1]}, "a.b")])
def test_set_errors(before: Any, path: str) -> None:
    with pytest.raises(SjsonError):
        sjson_set(before, path, 1)
