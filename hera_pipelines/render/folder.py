"""Atomic writes of a rendered folder, and the `--check` comparison with a unified diff.

The output folder is owned by hera-pipelines: after a write it holds exactly the rendered
files (stale YAML from a removed flow is gone), and a failed render leaves it untouched.
"""

from __future__ import annotations

import difflib
import os
import shutil
import tempfile
from pathlib import Path

__all__ = ["Drift", "diff_folder", "write_folder"]

_OWNED_SUFFIXES = (".yaml", ".yml")


def _existing(out: Path) -> dict[str, bytes]:
    if not out.is_dir():
        return {}
    found: dict[str, bytes] = {}
    for path in sorted(out.rglob("*")):
        if path.is_file() and path.suffix in _OWNED_SUFFIXES:
            found[path.relative_to(out).as_posix()] = path.read_bytes()
    return found


class Drift:
    """What differs between a folder and the files that would be written."""

    def __init__(self, out: Path, files: dict[str, bytes]) -> None:
        current = _existing(out)
        self.missing = sorted(set(files) - set(current))
        self.stale = sorted(set(current) - set(files))
        self.changed = sorted(p for p in set(files) & set(current) if files[p] != current[p])
        self._current = current
        self._files = files
        self._out = out

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale or self.changed)

    def unified_diff(self) -> str:
        chunks: list[str] = []
        for path in sorted({*self.missing, *self.stale, *self.changed}):
            old = self._current.get(path, b"").decode("utf-8", "replace")
            new = self._files.get(path, b"").decode("utf-8", "replace")
            where = (self._out / path).as_posix()
            chunks.extend(
                difflib.unified_diff(
                    old.splitlines(keepends=True),
                    new.splitlines(keepends=True),
                    fromfile="/dev/null" if path in self.missing else f"a/{where}",
                    tofile="/dev/null" if path in self.stale else f"b/{where}",
                )
            )
        return "".join(c if c.endswith("\n") else c + "\n" for c in chunks)


def diff_folder(out: Path, files: dict[str, bytes]) -> Drift:
    return Drift(out, files)


def write_folder(out: Path, files: dict[str, bytes]) -> None:
    """Replace `out` with exactly `files`, keeping any non-YAML files the user put there.

    Everything is written to a sibling temporary folder first and swapped in with renames, so
    an interrupted write never leaves a half-rendered folder behind.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        if out.is_dir():  # carry over what we do not own (README, .gitattributes, ...)
            for path in out.rglob("*"):
                rel = path.relative_to(out)
                if path.is_file() and path.suffix not in _OWNED_SUFFIXES:
                    (staging / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(path, staging / rel)
        for name, data in files.items():
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        os.chmod(staging, 0o755)  # noqa: S103 - mkdtemp makes 0700; a manifests folder is 0755
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            os.replace(out, retired / out.name)
            os.replace(staging, out)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            os.replace(staging, out)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
