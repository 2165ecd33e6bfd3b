"""docs/security.md names, for each finding of issue 10, the tests that prove its fix: every
named test must exist, so a renamed or deleted test cannot leave the table pointing at nothing."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_REFERENCE = re.compile(r"`(tests/[A-Za-z0-9_/]+\.py)::([A-Za-z0-9_]+)`")


def test_every_test_the_security_table_names_exists() -> None:
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if re.match(r"^\| [1-7] \|", line)]
    assert [row.split("|")[1].strip() for row in rows] == [str(n) for n in range(1, 8)]
    for row in rows:
        assert _REFERENCE.search(row), row[:60]
    missing = []
    for path, name in sorted(set(_REFERENCE.findall(text))):
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        if name not in names:
            missing.append(f"{path}::{name}")
    assert missing == []
