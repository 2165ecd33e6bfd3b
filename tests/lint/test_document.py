"""Loading for lint: the values libyaml's safe loader gives, and the line of any field path.

Lines are looked up from the text only when a finding needs one; they must be those of the
composed node tree (the key's line for a mapping key, the item's line for a list item, the
deepest existing node for a path that runs out).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.lint import document
from hera_pipelines.lint.document import PathPart, load_text
from hera_pipelines.lint.engine import lint_documents
from hera_pipelines.lint.registry import select_rules
from tests.lint.conftest import FILES

TRICKY = """\
# a comment first
apiVersion: v1
kind: ConfigMap
metadata:
  name: one
data:
  script: |
    line one
    line two: not a key

  folded: >-
    folded
    text
  after: value
---
---
apiVersion: v1
kind: List
items:
- {name: flow, values: [1, 2, {deep: x}]}
- name: block
  nested:
    - a
    -
      b: c
- &anchor
  shared: yes
  when: 2024-01-02
- *anchor
- <<: *anchor
  own: 0x1f
- ? explicit key
  : value
- "quoted: key": 'single ''quoted'''
  "": empty
  ~: null key
...
---
plain scalar document
"""


def _paths(value: Any, path: tuple[PathPart, ...] = ()) -> Iterator[tuple[PathPart, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, (str, int)):
                yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


@pytest.mark.parametrize("text", [TRICKY, *FILES.values()], ids=["tricky", *FILES])
def test_values_equal_libyaml_safe_load(text: str) -> None:
    expected = [d for d in yaml.load_all(text, Loader=yaml.CSafeLoader) if d is not None]
    assert [d.obj for d in load_text(text, "f.yaml")] == expected


@pytest.mark.parametrize("text", [TRICKY, *FILES.values()], ids=["tricky", *FILES])
def test_every_path_has_the_node_tree_line(text: str) -> None:
    nodes = [n for n in yaml.compose_all(text, Loader=yaml.CSafeLoader) if n is not None]
    for node in nodes:
        yaml.constructor.SafeConstructor().construct_document(node)
    for doc in load_text(text, "f.yaml"):
        paths = list(_paths(doc.obj))
        # paths that run out part-way answer with the deepest node that exists
        paths += [(*p, "missing", 3) for p in paths[:50]] + [(*p, 99) for p in paths[:50]]
        for parts in paths:
            # the event scan (the first lookups of a document) against the node-tree walk (the
            # fallback after them): two independent ways, on every path
            expected = document._node_line(nodes[doc.index], parts)
            scanned = document._scan_line(doc.text, doc.index, parts)
            assert scanned in (None, expected), (doc.index, parts)  # None: alias or merge key
            assert doc.line(parts) == expected + 1, (doc.index, parts)


def test_lines_in_a_multi_document_file_with_block_scalars() -> None:
    docs = load_text(TRICKY, "f.yaml")
    assert [d.index for d in docs] == [0, 2, 3]
    first, second, _ = docs
    assert first.line(("data", "after")) == 14
    assert first.line(("data", "script")) == 7
    assert second.line(("items", 1, "nested", 1, "b")) == 25
    assert second.line(("items", 0, "values", 2, "deep")) == 20
    # an alias answers with the anchored node, as the node tree does
    assert second.line(("items", 3, "when")) == 28
    assert second.line(("items", 4, "shared")) == 27


def test_many_lookups_on_one_document_stay_right() -> None:
    (doc,) = [d for d in load_text(TRICKY, "f.yaml") if d.kind == "List"]
    for _ in range(3):
        assert doc.line(("items", 1, "nested", 0)) == 23
        assert doc.line(("items", 6, "quoted: key")) == 34


def test_finding_on_a_nested_field_of_a_later_document_has_its_line() -> None:
    text = (
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n---\n"
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n"
        "  annotations:\n    note: |\n      several\n      lines\n  bogus: 1\n"
    )
    findings = lint_documents(load_text(text, "f.yaml"), select_rules(["HP101"]))
    assert [(f.line, f.field, f.message) for f in findings] == [
        (14, "metadata.bogus", "unknown field 'bogus'")
    ]


def test_not_yaml_names_the_line() -> None:
    with pytest.raises(HeraPipelinesError) as caught:
        load_text("a: 1\nb: [\n", "bad.yaml")
    assert caught.value.file is not None
    assert caught.value.file.startswith("bad.yaml:")


def test_unknown_tag_is_bad_input() -> None:
    with pytest.raises(HeraPipelinesError, match="not YAML"):
        load_text("a: !custom 1\n", "bad.yaml")
