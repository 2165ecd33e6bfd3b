"""Writes of a rendered folder that touch only our own files, and `--check` with a diff.

Render replaces or removes only the files it wrote (see `ownership`); the user's files, symlinks,
permissions and empty folders stay as they are. Every new content is staged beside its target
first; only when all of it is on disk are the files swapped in, one `os.replace` each, with
the old versions kept aside until the last swap succeeded, so a failed render (bad input, a
full disk, no permission, Ctrl-C) leaves the folder as it was and no temporary file behind.
Only a hard kill in the middle of the swap can leave hidden `.<name>.<hex>.old` copies.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import secrets
import shutil
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hera_pipelines.errors import HeraPipelinesError
from hera_pipelines.render.ownership import INDEX, Ownership, index_bytes, read_ownership

__all__ = ["Drift", "WriteReport", "diff_folder", "write_folder"]


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes() if path.is_file() and not path.is_symlink() else None
    except OSError:
        return None


class Drift:
    """What differs between a folder and the files that would be written.

    Stale files are the ones render wrote before (listed in the index) that it no longer
    renders; YAML it did not write is never stale.
    """

    def __init__(self, out: Path, files: dict[str, bytes]) -> None:
        ownership = read_ownership(out)
        current: dict[str, bytes] = {}
        for path in sorted(set(files) | ownership.owned):
            data = _read(out / path)
            if data is not None:
                current[path] = data
        self.missing = sorted(set(files) - set(current))
        self.stale = sorted(set(current) - set(files))
        self.changed = sorted(p for p in set(files) & set(current) if files[p] != current[p])
        self.index_outdated = ownership.index != index_bytes(set(files))
        self.foreign = ownership.foreign(files)
        self._current = current
        self._files = files
        self._out = out
        self._index = ownership.index

    def __bool__(self) -> bool:
        return bool(self.missing or self.stale or self.changed or self.index_outdated)

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
        if self.index_outdated:
            where = (self._out / INDEX).as_posix()
            chunks.extend(
                difflib.unified_diff(
                    (self._index or b"").decode("utf-8", "replace").splitlines(keepends=True),
                    index_bytes(set(self._files)).decode("utf-8").splitlines(keepends=True),
                    fromfile="/dev/null" if self._index is None else f"a/{where}",
                    tofile=f"b/{where}",
                )
            )
        return "".join(c if c.endswith("\n") else c + "\n" for c in chunks)


def diff_folder(out: Path, files: dict[str, bytes]) -> Drift:
    return Drift(out, files)


@dataclass
class WriteReport:
    """What one render did to its folder (relative POSIX paths, sorted)."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """YAML files in the folder that render did not write and left alone."""


def _check_targets(out: Path, files: dict[str, bytes], ownership: Ownership) -> None:
    """Every rendered path (and the index) is free, or a regular file of ours, under real
    folders only."""
    index = out / INDEX
    if index.is_symlink() or (index.exists() and not index.is_file()):
        raise HeraPipelinesError(
            "not a regular file, and render keeps its index there; move it away",
            file=str(index),
        )
    for rel in sorted(files):
        target = out / rel
        for folder in reversed(target.relative_to(out).parents[:-1]):
            where = out / folder
            if where.is_symlink():
                raise HeraPipelinesError(
                    "is a symlink; render writes only into real folders", file=str(where)
                )
            if where.exists() and not where.is_dir():
                raise HeraPipelinesError(
                    f"is a file, but render needs a folder there for {rel}", file=str(where)
                )
        if target.is_symlink() or (target.exists() and not target.is_file()):
            raise HeraPipelinesError(
                "not a regular file, and render must write its output there; move it away",
                file=str(target),
            )
        if target.exists() and rel not in ownership.ours:
            raise HeraPipelinesError(
                "exists and was not written by hera-pipelines; move it away or delete it, "
                "then render again",
                file=str(target),
            )


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _os_error(exc: OSError, where: Path) -> HeraPipelinesError:
    if isinstance(exc, PermissionError):
        return HeraPipelinesError("cannot write: permission denied", file=str(where))
    return HeraPipelinesError(f"cannot write: {exc.strerror or exc}", file=str(where))


def _backup(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.old")


def _swap(out: Path, staged: list[tuple[Path, Path]], removed: list[str]) -> None:
    """Move the staged files into place and remove `removed`, all or nothing.

    The old version of every replaced or removed file is kept under a hidden name (a hard link,
    or a rename for a removal) until every step succeeded; any failure, Ctrl-C included, puts
    each file back and deletes the staged ones.
    """
    undo: list[tuple[Path, Path | None, bool]] = []  # (target, its old version, existed)
    where = out
    try:
        for temporary, target in staged:
            where = target.parent
            existed = target.exists()
            old = None
            if existed:
                old = _backup(target)
                try:
                    os.link(target, old)
                except OSError:  # no hard links here: copy, keeping the mode
                    shutil.copy2(target, old)
            try:
                os.replace(temporary, target)
            except BaseException:
                if old is not None:
                    old.unlink(missing_ok=True)  # the target is unchanged
                raise
            undo.append((target, old, existed))
        for rel in removed:
            target = out / rel
            where = target.parent
            old = _backup(target)
            os.replace(target, old)
            undo.append((target, old, True))
    except BaseException as exc:
        for target, old, existed in reversed(undo):
            with contextlib.suppress(OSError):
                if old is not None:
                    os.replace(old, target)
                elif not existed:
                    target.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise _os_error(exc, where) from None
        raise
    for _, old, _ in undo:
        if old is not None:
            old.unlink(missing_ok=True)
    for rel in removed:
        for folder in (out / rel).relative_to(out).parents[:-1]:
            try:
                (out / folder).rmdir()  # only folders our removal emptied
            except OSError:
                break


def write_folder(out: Path, files: dict[str, bytes]) -> WriteReport:
    """Make `out` hold `files`, removing what render wrote before and no longer renders.

    The folder must already be checked (`ownership.check_output_folder`). Raises
    `HeraPipelinesError` (nothing changed) when a rendered path holds a file that is not ours
    or the folder cannot be written.
    """
    ownership = read_ownership(out)
    _check_targets(out, files, ownership)
    report = WriteReport(kept=ownership.foreign(files))
    wanted = {**files, INDEX: index_bytes(set(files))}
    made: list[Path] = []  # folders created by this render, deepest last
    staged: list[tuple[Path, Path]] = []
    mode = 0o666 & ~_umask()
    swapped = False
    where = out  # the folder being written, for the error message
    try:
        for rel, data in sorted(wanted.items()):
            target = out / rel
            where = target.parent
            old = _read(target)
            if old == data:
                if rel != INDEX:
                    report.unchanged.append(rel)
                continue
            if rel != INDEX:
                (report.changed if old is not None else report.created).append(rel)
            missing = [p for p in [target.parent, *target.parent.parents] if not p.exists()]
            for folder in reversed(missing):
                folder.mkdir()
                made.append(folder)
            handle, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
            staged.append((Path(name), target))
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            keep = stat.S_IMODE(target.stat().st_mode) if old is not None else mode
            os.chmod(name, keep)
        swapped = True
        _swap(out, staged, sorted(ownership.owned - set(files)))
        report.removed = sorted(ownership.owned - set(files))
    except OSError as exc:
        raise _os_error(exc, where) from None
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        if not swapped:
            for folder in reversed(made):
                with contextlib.suppress(OSError):
                    folder.rmdir()
    return report
