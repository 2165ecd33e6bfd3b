"""The fast reader of embedded manifests: libyaml's value wherever it answers at all."""

from __future__ import annotations

import random
from typing import Any

import pytest
import yaml

from hera_pipelines.lint import simple_yaml
from hera_pipelines.lint.rules.schema import substitute_text
from tests.lint.conftest import ROOT


def _manifests() -> list[str]:
    """Every file of every example, and every manifest embedded in one (raw and substituted)."""
    texts: list[str] = []
    for path in sorted((ROOT / "examples").glob("*/manifests/**/*.yaml")):
        text = path.read_text("utf-8")
        texts.append(text)
        for doc in yaml.load_all(text, Loader=yaml.CSafeLoader):
            spec = doc.get("spec") if isinstance(doc, dict) else None
            for template in spec.get("templates") or [] if isinstance(spec, dict) else []:
                manifest = (template.get("resource") or {}).get("manifest")
                if isinstance(manifest, str):
                    texts += [manifest, substitute_text(manifest)]
    return texts


MANIFESTS = _manifests()


def _agrees(text: str, cache: dict[str, Any] | None = None) -> bool:
    """Whether `parse` accepted `text`; if it did, it must say what libyaml says."""
    found = simple_yaml.parse(text, cache)
    if found is None:
        return False
    nodes = list(yaml.compose_all(text, Loader=yaml.CSafeLoader))
    values: list[Any] = list(yaml.load_all(text, Loader=yaml.CSafeLoader))
    assert len(values) == 1, text
    assert found[0] == values[0], text
    assert (nodes[0].start_mark.line, nodes[0].start_mark.index) == found[1:], text
    return True


def test_reads_the_embedded_manifests_the_renderer_writes() -> None:
    embedded = [t for t in MANIFESTS if t.lstrip().startswith("apiVersion:") and "\n  " in t]
    accepted = [_agrees(t) for t in MANIFESTS]
    assert sum(accepted) >= len(embedded) // 2


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: yes\nc: ~\nd: 0x1f\ne: 2024-01-02\nf: 1.5e3\ng: .inf\nh:\ni: 'it''s'\n",
        "a: \"x # not a comment\"\nb: 'y: z'\nc: []\nd: {}\ne: a#b\nf: http://x/y\n",
        "list:\n- a\n- name: b\n  value: c\n-   spaced: 1\n    more: 2\nafter: 1\n",
        "  indented: root\n  second: 2\n",
        "# comment\n\na:\n  # inside\n  b: 1\n\n  c:\n    - 2\n",
    ],
)
def test_accepted_subset_agrees_with_libyaml(text: str) -> None:
    assert _agrees(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: |\n  block\n",
        "a: plain\n  continued\n",
        "a: &x 1\nb: *x\n",
        "<<: {a: 1}\n",
        "a: [1, 2]\n",
        'a: "esc\\n"\n',
        "a: 1 # trailing\n",
        "a:\tb\n",
        "---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "true: x\n",
        "1: x\n",
        "a: !!str 1\n",
        "a: b: c\n",
        "- - nested\n",
        "just a scalar\n",
        "a: 'open\n",
        "a: x\u2028y\n",
        "a: =\n",
    ],
)
def test_anything_else_is_left_to_libyaml(text: str) -> None:
    assert simple_yaml.parse(text) is None


_EDITS = [
    *" \n-:#'\"[]{}&*!|>%@`?,.~019aeyntrufolsAZ_=\\/<\t\r",
    *("\u2028", "\x85", "no", "yes", "on", "0x", "1:2", ": ", " #", "- ", "null", "''"),
    *("  ", "\n  ", "\n- ", "\n---\n", "2024-01-01", "1e3", ".inf", "0o7", "+1", "<<"),
]


def test_mutated_manifests_agree_or_are_left_to_libyaml() -> None:
    rng = random.Random(13)
    small = [t for t in MANIFESTS if len(t) < 3000]
    accepted = 0
    lines: dict[str, Any] = {}  # shared, as by the manifests of one object
    for _ in range(3000):
        text = rng.choice(small)
        for _ in range(rng.randint(1, 3)):
            at = rng.randrange(len(text) + 1)
            roll = rng.random()
            if roll < 0.5:
                text = text[:at] + rng.choice(_EDITS) + text[at:]
            elif roll < 0.8:
                text = text[:at] + text[at + rng.randint(1, 3) :]
            else:
                text = text[:at] + rng.choice(_EDITS) + text[at + 1 :]
        try:
            accepted += _agrees(text, lines)
        except yaml.YAMLError:
            pytest.fail(f"accepted a text libyaml rejects: {text!r}")
    assert accepted > 300  # the mutations exercise the reader, not only its refusals
