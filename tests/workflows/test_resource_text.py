"""Resource manifests written from dicts: YAML readers get the dict back, Argo finds no `{{`.

Argo substitutes placeholders in a resource template's manifest text before parsing it, so the
property that matters is: for any string a manifest holds, the text has no `{{` (only `Expr`s
put one there) and a YAML reader returns the exact string.
"""

from __future__ import annotations

import random
from typing import Any

import pytest
import yaml

from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.workflows.resource_text import RUN, Expr, quote, resource_text

HOSTILE = [
    "{{=sprig.repeat(2000000000,'A')}}",
    "{{workflow.name}}",
    '"}, "GIT_CONFIG_COUNT": "1',
    "line\nbreak\ttab",
    "yes",
    "No",
    "null",
    "~",
    "0x1F",
    "1e3",
    "007",
    "2026-12-01",
    "- item",
    "key: value",
    "# comment",
    "'single'",
    "\u2028\ufeff\x85é",
    "",
    " lead",
    "trail ",
    "a" * 70_000,
]


def _strings(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v) for v in value]
    return value


@pytest.mark.parametrize("text", HOSTILE)
def test_every_string_reads_back_exactly_and_carries_no_braces(text: str) -> None:
    manifest = {
        "metadata": {"name": text, "labels": {"a.b/c": text}},
        "spec": {"arguments": {"parameters": [{"name": "x", "value": text}]}, "list": [text]},
    }
    written = resource_text(manifest)
    assert "{" not in written and "}" not in written
    assert yaml.safe_load(written) == _strings(manifest)


def test_plain_names_stay_plain_and_look_alikes_are_quoted() -> None:
    written = resource_text(
        {"kind": "Workflow", "api": "argoproj.io/v1alpha1", "w": "yes", "n": "7", "t": "task-7"}
    )
    assert written == ('kind: Workflow\napi: argoproj.io/v1alpha1\nw: "yes"\nn: "7"\nt: task-7\n')


def test_expressions_are_written_verbatim_and_only_they_hold_placeholders() -> None:
    written = resource_text(
        {"labels": {"run": RUN}, "spec": {"taskId": Expr("{{=asInt(inputs.parameters['id'])}}")}}
    )
    assert written == (
        "labels:\n"
        "  run: '{{workflow.name}}'\n"
        "spec:\n"
        "  taskId: {{=asInt(inputs.parameters['id'])}}\n"
    )


def test_sequences_of_mappings_and_scalars_and_empty_containers() -> None:
    written = resource_text({"p": [{"name": "a", "value": 1}, "s", True], "e": {}, "l": []})
    assert written == "p:\n- name: a\n  value: 1\n- s\n- true\ne: {}\nl: []\n"
    assert yaml.safe_load(written) == {
        "p": [{"name": "a", "value": 1}, "s", True],
        "e": {},
        "l": [],
    }


@pytest.mark.parametrize("bad", [{"a b": "x"}, {"k": 1.5}, {"k": None}])
def test_what_it_cannot_write_inertly_is_refused(bad: dict[str, Any]) -> None:
    with pytest.raises(HeraPipelinesError):
        resource_text(bad)


def test_quote_escapes_braces_on_random_text() -> None:
    rng = random.Random(3)
    alphabet = "{}\"'\\\n\t:#- ab\u2028\x85\ufeff\x7f"
    for _ in range(500):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        quoted = quote(text)
        assert "{" not in quoted and "}" not in quoted
        assert yaml.safe_load(f"k: {quoted}") == {"k": text}
