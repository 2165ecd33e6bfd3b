"""Read a TaskMaster tasks.json, in any layout, into one checked `Backlog` or one clear error.

Layouts: tagged `{"<tag>": {"tasks": [...]}, ...}`, legacy `{"tasks": [...]}` (the `master` tag)
and a bare array of tasks (also `master`). The tag is `--tag`, else the `currentTag` of the
`state.json` in the `.taskmaster` folder that holds the file, else `master`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from hera_pipelines.backlog.ids import normalise_id
from hera_pipelines.backlog.model import Backlog, Task
from hera_pipelines.errors import HeraPipelinesError, field_path, from_validation
from hera_pipelines.textfile import load_json, read_text

__all__ = ["DEFAULT_BACKLOG", "DEFAULT_TAG", "load_backlog", "parse_backlog", "state_tag"]

DEFAULT_BACKLOG = Path(".taskmaster/tasks/tasks.json")
DEFAULT_TAG = "master"

_TASKS = TypeAdapter(list[Task])


def load_backlog(path: str | Path, *, tag: str | None = None) -> Backlog:
    """Load one tag of the backlog at `path`; every problem is a `HeraPipelinesError`."""
    path = Path(path)
    source = str(path)
    if not path.exists():
        raise HeraPipelinesError("no such file", file=source)
    document = load_json(read_text(path, what="backlog"), source)
    origin = "from --tag"
    if tag is None:
        state = _state_file(path)
        tag = state_tag(state) if state else None
        origin = f"from currentTag in {state}"
    if tag is None:
        tag, origin = DEFAULT_TAG, "the default when no tag is set"
    return parse_backlog(document, source=source, tag=tag, tag_origin=origin)


def parse_backlog(
    document: Any, *, source: str, tag: str = DEFAULT_TAG, tag_origin: str = "from --tag"
) -> Backlog:
    """Check an already-parsed JSON document and return the tasks of `tag` (pure: no I/O)."""
    raw: Any
    if isinstance(document, list):
        tags, prefix, raw = [DEFAULT_TAG], "", document
    elif isinstance(document, dict) and "tasks" in document:
        tags, prefix, raw = [DEFAULT_TAG], "tasks", document["tasks"]
    elif isinstance(document, dict):
        tags = sorted(document)
        prefix = f"{tag}.tasks"
        entry = document.get(tag)
        raw = entry.get("tasks") if isinstance(entry, dict) else None
        if entry is not None and not isinstance(raw, list):
            raise HeraPipelinesError("must be an array of tasks", file=source, field=prefix)
    else:
        raise HeraPipelinesError(
            'wrong shape: expected {"<tag>": {"tasks": [...]}}, {"tasks": [...]} or [...]',
            file=source,
        )
    if tag not in tags:
        available = ", ".join(tags) if tags else "none"
        raise HeraPipelinesError(
            f"unknown tag {tag!r} ({tag_origin}); available tags: {available}", file=source
        )
    if not isinstance(raw, list):
        raise HeraPipelinesError("must be an array of tasks", file=source, field=prefix)
    try:
        tasks = _TASKS.validate_python(raw)
    except ValidationError as exc:
        raise from_validation(exc, file=source, prefix=prefix) from None
    return Backlog(
        source=source,
        tag=tag,
        tasks=tuple(tasks),
        dependencies=_check_references(tasks, source, prefix),
    )


def state_tag(state: Path) -> str | None:
    """The `currentTag` recorded in a TaskMaster `state.json`, or None when it names none."""
    try:
        data = load_json(state.read_text(encoding="utf-8"), str(state))
    except (OSError, UnicodeDecodeError):
        return None
    tag = data.get("currentTag") if isinstance(data, dict) else None
    if tag is not None and (not isinstance(tag, str) or not tag):
        raise HeraPipelinesError("must be a non-empty string", file=str(state), field="currentTag")
    return tag


def _state_file(backlog: Path) -> Path | None:
    for folder in backlog.absolute().parents:
        if folder.name == ".taskmaster":
            state = folder / "state.json"
            return state if state.is_file() else None
    return None


def _check_references(
    tasks: Sequence[Task], source: str, prefix: str
) -> dict[str, tuple[str, ...]]:
    """Duplicate ids, self-dependencies and dangling references, for tasks and subtasks."""
    index: dict[str, int] = {}
    subtask_refs: set[str] = set()
    for i, task in enumerate(tasks):
        ref = task.ref
        if ref in index:
            raise HeraPipelinesError(
                f"duplicate id ({field_path([index[ref]], prefix)} and {field_path([i], prefix)})",
                file=source,
                obj=f"task {ref}",
                field="id",
            )
        index[ref] = i
        for sub in task.subtasks:
            full = f"{ref}.{normalise_id(sub.id)}"
            if full in subtask_refs:
                raise HeraPipelinesError(
                    "duplicate subtask id", file=source, obj=f"subtask {full}", field="id"
                )
            subtask_refs.add(full)

    dependencies: dict[str, tuple[str, ...]] = {}
    for task in tasks:
        ref = task.ref
        deps: dict[str, None] = {}
        for raw in task.dependencies:
            dep = normalise_id(raw)
            parent = dep.rsplit(".", 1)[0] if dep not in index and dep in subtask_refs else dep
            if parent == ref:
                problem = "depends on itself" if dep == ref else f"depends on its own subtask {dep}"
                raise HeraPipelinesError(
                    problem, file=source, obj=f"task {ref}", field="dependencies"
                )
            if parent not in index:
                raise HeraPipelinesError(
                    f"depends on missing task {dep}",
                    file=source,
                    obj=f"task {ref}",
                    field="dependencies",
                )
            deps[parent] = None
        dependencies[ref] = tuple(deps)
        for sub in task.subtasks:
            full = f"{ref}.{normalise_id(sub.id)}"
            for raw in sub.dependencies:
                dep = normalise_id(raw)
                target = dep if "." in dep else f"{ref}.{dep}"
                if target == full:
                    raise HeraPipelinesError(
                        "depends on itself",
                        file=source,
                        obj=f"subtask {full}",
                        field="dependencies",
                    )
                if target not in subtask_refs:
                    raise HeraPipelinesError(
                        f"depends on missing subtask {target}",
                        file=source,
                        obj=f"subtask {full}",
                        field="dependencies",
                    )
    return dependencies
