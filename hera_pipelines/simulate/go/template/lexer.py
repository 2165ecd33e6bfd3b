"""Go text/template's lexer for the inside of an action (``{{ … }}``) and its string literals."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from hera_pipelines.simulate.go.template.errors import TemplateError

__all__ = ["Token", "find_action_end", "lex_action", "unquote"]


_ACTION_TOKEN: Final = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<declare>:=)
  | (?P<assign>=)
  | (?P<pipe>\|)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<raw>`[^`]*`)
  | (?P<char>'(?:[^'\\\n]|\\.[^']*)')
  | (?P<number>[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+
        |(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(?![\w.]))
  | (?P<chain>(?<=\))(?:\.[A-Za-z_][A-Za-z0-9_]*)+)
  | (?P<field>(?:\.[A-Za-z_][A-Za-z0-9_]*)+)
  | (?P<dot>\.)
  | (?P<variable>\$[A-Za-z0-9_]*)
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)


_FIELD_SUFFIX: Final = re.compile(r"(?:\.[A-Za-z_][A-Za-z0-9_]*)+")


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str


def unquote(text: str) -> str:
    body = text[1:-1]
    out: list[str] = []
    i = 0
    simple = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
    while i < len(body):
        ch = body[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in simple:
            out.append(simple[nxt])
            i += 2
        elif nxt in "\\\"'":
            out.append(nxt)
            i += 2
        elif nxt == "x":
            out.append(chr(int(body[i + 2 : i + 4], 16)))
            i += 4
        elif nxt == "u":
            out.append(chr(int(body[i + 2 : i + 6], 16)))
            i += 6
        elif nxt == "U":
            out.append(chr(int(body[i + 2 : i + 10], 16)))
            i += 10
        elif nxt in "01234567":
            out.append(chr(int(body[i + 1 : i + 4], 8)))
            i += 4
        else:
            raise TemplateError(f"invalid syntax: unknown escape sequence in {text}")
    return "".join(out)


def lex_action(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        m = _ACTION_TOKEN.match(text, pos)
        if m is None or m.lastgroup is None:
            raise TemplateError(f"unexpected {text[pos]!r} in command")
        pos = m.end()
        if m.lastgroup != "space":
            tokens.append(Token(m.lastgroup, m.group()))
    return tokens


def find_action_end(src: str, pos: int) -> int:
    """Index of the closing ``}}``, skipping quoted strings and comments."""
    i = pos
    while i < len(src):
        ch = src[i]
        if src.startswith("/*", i):
            end = src.find("*/", i + 2)
            if end < 0:
                return -1
            i = end + 2
            continue
        if ch in "\"'`":
            j = i + 1
            while j < len(src) and src[j] != ch:
                j += 2 if ch != "`" and src[j] == "\\" else 1
            i = j + 1
            continue
        if src.startswith("}}", i):
            return i
        i += 1
    return -1
