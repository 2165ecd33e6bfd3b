"""Shared helpers for the lint tests: the taskmaster example as a set of texts, and edits of it."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hera_pipelines.lint.document import load_text
from hera_pipelines.lint.engine import lint_documents
from hera_pipelines.lint.finding import Finding
from hera_pipelines.lint.registry import select_rules
from hera_pipelines.lint.settings import LintSettings

# The compiled-schema cache lives in a folder the tests create and own (its files are keyed by
# the schemas' bytes), shared by the xdist workers; nothing is read from the user's cache.
os.environ["HERA_PIPELINES_CACHE_DIR"] = os.path.join(
    tempfile.gettempdir(), f"hera-pipelines-test-schemas-{os.getuid()}"
)

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
