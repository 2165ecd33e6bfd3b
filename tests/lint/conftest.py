"""Shared helpers for the lint tests: the taskmaster example as a set of texts, and edits of it."""

from __future__ import annotations

import os
from pathlib import Path

from hera_pipelines.lint.document import load_text
from hera_pipelines.lint.engine import lint_documents
from hera_pipelines.lint.finding import Finding
from hera_pipelines.lint.registry import select_rules
from hera_pipelines.lint.settings import LintSettings

# tests read nothing outside the checkout: the compiled-schema disk cache stays off
os.environ["HERA_PIPELINES_CACHE_DIR"] = ""

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "taskmaster" / "manifests"


def example_files() -> dict[str, str]:
    return {
        p.relative_to(EXAMPLE).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(EXAMPLE.rglob("*.yaml"))
    }


FILES = example_files()


def edited(file: str, old: str, new: str, files: dict[str, str] | None = None) -> dict[str, str]:
    """The example set with `old` replaced by `new` (once) in `file`; a new file if `old` is ''."""
    out = dict(files or FILES)
    if not old:
        out[file] = new
        return out
    assert old in out[file], (file, old)
    out[file] = out[file].replace(old, new, 1)
    return out


def lint_files(
    files: dict[str, str], select: str, settings: LintSettings | None = None
) -> list[Finding]:
    documents = [d for name, text in files.items() for d in load_text(text, name)]
    return lint_documents(documents, select_rules([select]), settings or LintSettings(), files)
