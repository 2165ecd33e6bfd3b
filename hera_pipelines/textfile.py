"""Reading the user's files (config, prompts, backlog) into text or data, or one clear error.

Every problem (missing, unreadable, not UTF-8, too big, nested too deeply, a duplicate YAML
key) is a `HeraPipelinesError` naming the file, so the CLI prints one line and exits 2 instead
of a traceback.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from hera_pipelines.errors import HeraPipelinesError

__all__ = [
    "MAX_DEPTH",
    "MAX_TEXT_BYTES",
    "check_depth",
    "load_json",
    "load_yaml",
    "read_text",
]

# A config, prompt or backlog is hand-sized text; 64 MiB is far past any real one and keeps a
# wrong path (a disk image, a log) from being read into memory whole.
MAX_TEXT_BYTES = 64 * 1024 * 1024
# No real config or backlog nests deeper than a dozen levels; past this it is an attack or a
# mistake, and Python's recursive parsers and validators would overflow the stack.
MAX_DEPTH = 64

_BOMS = (
    (b"\xef\xbb\xbf", "UTF-8 with a byte-order mark"),
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def _decode(data: bytes, source: str) -> str:
    for bom, name in _BOMS:
        if data.startswith(bom):
            if name.startswith("UTF-8"):
                return _decode(data[len(bom) :], source)
            raise HeraPipelinesError(f"encoded as {name}; save it as UTF-8", file=source)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise HeraPipelinesError(
            f"line {line}: not UTF-8 (byte 0x{data[exc.start]:02x}); save it as UTF-8",
            file=source,
        ) from None
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise HeraPipelinesError(f"line {line}: NUL byte (a binary file?)", file=source)
    return text


def read_text(
    path: Path, *, source: str | None = None, max_bytes: int = MAX_TEXT_BYTES, what: str = "file"
) -> str:
    """The UTF-8 text of `path` (a leading byte-order mark dropped), or a one-line error.

    `source` is how the error names the file (default: the path as given); `what` names the
    kind of file in the size error ("prompt", "backlog").
    """
    name = source or str(path)
    try:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except FileNotFoundError:
        raise HeraPipelinesError("file not found", file=name) from None
    except IsADirectoryError:
        raise HeraPipelinesError("is a folder, not a file", file=name) from None
    except PermissionError:
        raise HeraPipelinesError("cannot read: permission denied", file=name) from None
    except OSError as exc:
        raise HeraPipelinesError(f"cannot read: {exc.strerror or exc}", file=name) from None
    if len(data) > max_bytes:
        raise HeraPipelinesError(
            f"{what} larger than {_size(max_bytes)}; is this the right file?", file=name
        )
    return _decode(data, name)


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MiB" if count >= 1024 * 1024 else f"{count // 1024} KiB"


def check_depth(data: Any, source: str, limit: int = MAX_DEPTH) -> Any:
    """`data` unchanged, or an error when lists/mappings nest more than `limit` levels."""
    if not isinstance(data, dict | list):
        return data
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > limit:
            raise HeraPipelinesError(f"nested deeper than {limit} levels", file=source)
        children = value.values() if type(value) is dict else value
        # only containers go on the stack: a backlog is mostly strings
        stack.extend((child, depth + 1) for child in children if type(child) in _CONTAINERS)
    return data


_CONTAINERS = (dict, list)


class _StrictLoader(yaml.SafeLoader):
    """`safe_load` that rejects a key given twice in one mapping (YAML says keys are unique;
    PyYAML would keep the last one silently) and nesting deeper than `MAX_DEPTH` (as soon as it
    is reached, before the recursive composer runs out of stack)."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nested deeper than {MAX_DEPTH} levels",
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:  # an unhashable key: construct_mapping reports it
                break
            line = key_node.start_mark.line + 1
            if first is not None:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"duplicate key {key!r} (first on line {first})",
                    key_node.start_mark,
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


def load_yaml(text: str, source: str) -> Any:
    """One YAML document parsed safely, with duplicate keys and deep nesting as errors."""
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise HeraPipelinesError(f"{where}{problem}", file=source) from None
    except RecursionError:
        raise HeraPipelinesError(f"nested deeper than {MAX_DEPTH} levels", file=source) from None
    return check_depth(data, source)


def load_json(text: str, source: str) -> Any:
    """One JSON document, with syntax errors and deep nesting as one-line errors."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise HeraPipelinesError(
            f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", file=source
        ) from None
    except RecursionError:
        raise HeraPipelinesError(f"nested deeper than {MAX_DEPTH} levels", file=source) from None
    return check_depth(data, source)
