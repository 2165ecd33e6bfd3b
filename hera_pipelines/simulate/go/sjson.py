"""sjson's Set, because Argo Events writes every parameter into its `dest` with it.

tidwall/sjson's ``Set`` over a decoded value, because Argo Events writes every trigger parameter
into its ``dest`` with it: dotted keys, ``\\.`` escapes, numeric keys index arrays, ``-1``
appends, a ``:`` prefix forces an object key, missing parents are created.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["SjsonError", "SjsonPath", "parse_path", "sjson_set"]


class SjsonError(ValueError):
    """What sjson returns as an error (an empty path, a key on an array)."""


@dataclass(frozen=True)
class SjsonKey:
    text: str
    forced: bool  # `:` prefix: always an object key

    @property
    def index(self) -> int | None:
        if self.forced:
            return None
        if self.text == "-1":
            return -1
        return int(self.text) if self.text.isdigit() else None


def parse_path(dest: str) -> tuple[SjsonKey, ...]:
    keys: list[SjsonKey] = []
    current: list[str] = []
    chars = iter(dest)
    for ch in chars:
        if ch == "\\":
            current.append(next(chars, ""))
        elif ch == ".":
            keys.append(_make_key("".join(current)))
            current = []
        else:
            current.append(ch)
    keys.append(_make_key("".join(current)))
    return tuple(keys)


def _make_key(text: str) -> SjsonKey:
    if text.startswith(":"):
        return SjsonKey(text[1:], True)
    return SjsonKey(text, False)


SjsonPath = tuple["SjsonKey", ...]


def sjson_set(obj: Any, path: SjsonPath | str, value: Any) -> Any:
    """sjson's `Set`: returns the (possibly new) root; containers are modified in place."""
    keys = parse_path(path) if isinstance(path, str) else path
    if not keys or keys == (SjsonKey("", False),):
        raise SjsonError("path cannot be empty")
    return _set(obj, keys, value)


def _new_container(key: SjsonKey) -> Any:
    return [] if key.index is not None else {}


def _set(node: Any, keys: tuple[SjsonKey, ...], value: Any) -> Any:
    key, rest = keys[0], keys[1:]
    if not isinstance(node, (dict, list)):
        node = _new_container(key)
    if isinstance(node, list):
        index = key.index
        if index is None:
            raise SjsonError(f"cannot set key {key.text!r} on an array")
        if index == -1 or index >= len(node):
            if index > len(node):
                node.extend([None] * (index - len(node)))
            child = _set(None, rest, value) if rest else value
            node.append(child)
            return node
        node[index] = _set(node[index], rest, value) if rest else value
        return node
    node[key.text] = _set(node.get(key.text), rest, value) if rest else value
    return node
