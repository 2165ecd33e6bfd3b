"""The manifest of a `resource` template: YAML text written from a dict, inert to Argo but where
marked.

A resource template's manifest is text inside the template, so Argo substitutes `{{…}}` in it
before its executor parses it as YAML. Every such manifest (a play's task and chunk Workflows,
the CodeRun, the external platform's Workflow) is built as a plain dict, like every other
object, and written here with one rule: a string is a double-quoted scalar in which `{` and `}`
are `\\u007b`/`\\u007d` escapes (`quote`), so no text can become a placeholder (a plain name
of letters, digits and `._/-` is written as it is: it can hold neither), and only an `Expr`, a
placeholder or expression this project wrote for Argo to fill, is written verbatim.
Keys are plain names; a sequence's dashes stand in its key's column (kubectl's style; the
manifest is a string in the file, which yamllint does not read).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from hera_pipelines.errors import HeraPipelinesError

__all__ = ["RUN", "Expr", "quote", "resource_text"]


@dataclass(frozen=True)
class Expr:
    """Text Argo must substitute (`{{workflow.name}}`, `{{=asInt(…)}}`), written verbatim."""

    text: str


#: The name of the Workflow whose step creates the object (a label value, so quoted).
RUN = Expr("'{{workflow.name}}'")

# Characters a YAML double-quoted scalar must not hold raw, plus Argo's template braces.
_UNSAFE = re.compile("[{}\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
# What a key may be to be written plain: label keys and camelCase field names.
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]*")
# A string written plain: a name that every YAML reader (PyYAML, go-yaml, YAML 1.1 and 1.2)
# reads back as this same string; anything else is quoted.
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9._/-]*")
_WORDS = frozenset({"y", "yes", "n", "no", "true", "false", "on", "off", "null"})
# Keys already checked against `_KEY` (a render writes the same few thousands of times).
_KEYS_SEEN: set[str] = set()


# Text that reads the same inside double quotes (base64, ids, paths): no escaping to do.
_AS_IS = re.compile(r"[A-Za-z0-9+/=._ -]*")


def quote(value: str) -> str:
    """`value` as a YAML double-quoted scalar with no `{`/`}` in it: inert to Argo templating."""
    if _AS_IS.fullmatch(value):
        return f'"{value}"'
    text = json.dumps(value, ensure_ascii=False)
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _string(value: str) -> str:
    plain = _PLAIN.fullmatch(value) and (len(value) > 5 or value.lower() not in _WORDS)
    return value if plain else quote(value)


def _scalar(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return _string(value)
    if kind is Expr:
        return str(value.text)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    raise HeraPipelinesError(f"a resource manifest cannot hold {kind.__name__} values")


def _write(value: dict[str, Any], indent: str, out: list[str]) -> None:
    """Appends the lines of mapping `value`'s entries at `indent` (plain dicts and lists: the
    exact types keep this cheap for the thousands of manifests a large play writes)."""
    for key, item in value.items():
        if key not in _KEYS_SEEN:
            if type(key) is not str or not _KEY.fullmatch(key):
                raise HeraPipelinesError(f"a resource manifest key must be a plain name: {key!r}")
            _KEYS_SEEN.add(key)
        kind = type(item)
        if kind is str:
            out.append(f"{indent}{key}: {_string(item)}")
        elif (kind is dict or kind is list) and not item:
            out.append(f"{indent}{key}: {'{}' if kind is dict else '[]'}")
        elif kind is dict:
            out.append(f"{indent}{key}:")
            _write(item, indent + "  ", out)
        elif kind is list:
            out.append(f"{indent}{key}:")
            for element in item:
                if type(element) is dict and element:
                    inner: list[str] = []
                    _write(element, indent + "  ", inner)
                    out.append(f"{indent}- {inner[0].lstrip()}")
                    out.extend(inner[1:])
                else:
                    out.append(f"{indent}- {_scalar(element)}")
        else:
            out.append(f"{indent}{key}: {_scalar(item)}")


def resource_text(manifest: dict[str, Any]) -> str:
    """`manifest` (a dict of dicts, lists, strings, ints, bools and `Expr`s) as YAML text."""
    out: list[str] = []
    _write(manifest, "", out)
    return "\n".join(out) + "\n"
