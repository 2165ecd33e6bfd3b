"""The fast writer (libyaml + re-indented sequences) writes exactly the reference writer's bytes.

The reference is PyYAML's Python emitter with indented sequences, the writer every golden was
made with. The fast path must agree byte for byte on every committed object and on seeded
random documents built from the characters and shapes that decide YAML styles (indicators,
quotes, line breaks, block-scalar headers inside values, Unicode breaks, non-printables); where
it declines (`None`), the reference writes, so only agreement matters for correctness, and the
committed objects must never need the slow path.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import yaml

from hera_pipelines.render import yamlio

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

# Pieces that steer PyYAML/libyaml style decisions (plain vs quoted vs literal, keys, breaks).
_PIECES = (
    *("a", "b", "z", "0", "1.5", "true", "null", "~", "key:", "|-", ">+", "- |", "- ", "-"),
    *(" ", "  ", "\n", "\n\n", " \n", "\n ", ":", ": ", "|", ">", "'", '"', "#", " #", "\t"),
    *("{", "}", "[", "]", ",", "?", "&", "*", "!", "%", "@", "`", "\\", "\r", "\x07"),
    *("é", "\u2028", "\u2029", "\x85", "\ufeff", "\u00a0", "😀"),
)


def _reference(value: Any) -> str:
    return yaml.dump(value, Dumper=yamlio._Writer, **yamlio._OPTIONS)


def _fast(value: Any) -> str | None:
    return yamlio._indent_sequences(yaml.dump(value, Dumper=yamlio._FastWriter, **yamlio._OPTIONS))


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 8)))


def _value(rng: random.Random, depth: int) -> Any:
    roll = rng.random()
    if depth > 3 or roll < 0.4:
        pick = rng.random()
        if pick < 0.7:
            return _text(rng)
        if pick < 0.8:
            return rng.randint(-5, 10**12)
        if pick < 0.85:
            return rng.random() * 10 ** rng.randint(-8, 20)
        if pick < 0.9:
            return rng.choice([True, False])
        return rng.choice([[], {}])
    if roll < 0.7:
        return {(_text(rng) or "k"): _value(rng, depth + 1) for _ in range(rng.randint(1, 4))}
    return [_value(rng, depth + 1) for _ in range(rng.randint(1, 4))]


def _committed() -> list[tuple[str, Any]]:
    docs = []
    for path in sorted(EXAMPLES.glob("*/manifests/**/*.yaml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            docs.append((str(path.relative_to(EXAMPLES)), doc))
    return docs


@pytest.mark.parametrize("seed", range(8))
def test_fast_writer_agrees_with_the_reference_on_random_documents(seed: int) -> None:
    rng = random.Random(seed)
    fast_used = 0
    for _ in range(600):
        value = _value(rng, 0)
        value = value if isinstance(value, dict | list) else {"x": value}
        fast = _fast(value)
        if fast is not None:
            fast_used += 1
            assert fast == _reference(value), repr(value)
    assert fast_used > 100  # the comparison exercised the fast path, not only its fallback


def test_every_committed_object_takes_the_fast_path_with_the_same_bytes() -> None:
    docs = _committed()
    assert len(docs) > 100
    for where, doc in docs:
        assert _fast(doc) == _reference(doc), where


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ({"a": ["x", {"b": ["y"]}]}, "a:\n  - x\n  - b:\n      - y\n"),
        ({"s": "- not\n- a list\n"}, "s: |\n  - not\n  - a list\n"),
        ([{"k": "v\n"}, ["n"]], "- k: |\n    v\n- - n\n"),
        ({"t": "tab\there\n"}, 't: "tab\\there\\n"\n'),
        ({"u": "line\u2028break"}, 'u: "line\\Lbreak"\n'),
    ],
)
def test_dump_writes_sequences_indented_and_breaks_unambiguous(value: Any, expected: str) -> None:
    assert yamlio.dump_normalised(value) == expected


def test_characters_libyaml_escapes_fall_back_to_the_reference() -> None:
    value = {"emoji": ["😀"]}
    assert _fast(value) is None
    assert yamlio.dump_normalised(value) == "emoji:\n  - 😀\n"
