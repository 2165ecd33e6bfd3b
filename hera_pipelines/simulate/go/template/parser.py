"""text/template's parser, so parse errors and unknown functions fail early as in Go.

Go text/template's parser: text and actions into a node tree, functions resolved at parse time
(an unknown function is a parse error in Go, and an unimplemented one is reported here).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from hera_pipelines.simulate.go.template.errors import TemplateError, UnsupportedTemplateError
from hera_pipelines.simulate.go.template.funcs import FUNCS, SPRIG_NAMES
from hera_pipelines.simulate.go.template.lexer import Token, find_action_end, lex_action, unquote
from hera_pipelines.simulate.go.values import GoInt

__all__ = ["Arg", "Node", "Parser", "Pipe"]


@dataclass
class Arg:
    kind: str  # field dot variable ident string number bool nil pipe
    value: object = None
    chain: tuple[str, ...] = ()


@dataclass
class Pipe:
    decl: tuple[str, ...]
    assign: bool
    cmds: list[list[Arg]]


@dataclass
class Node:
    kind: str  # text action if range with break continue
    text: str = ""
    pipe: Pipe | None = None
    body: list[Node] = field(default_factory=list)
    else_body: list[Node] = field(default_factory=list)


_KEYWORDS: Final = frozenset({"if", "else", "end", "range", "with", "break", "continue"})


class Parser:
    def __init__(self, src: str) -> None:
        self.items = self._split(src)
        self.pos = 0

    @staticmethod
    def _split(src: str) -> list[tuple[str, str]]:
        items: list[tuple[str, str]] = []
        pos = 0
        trim_next = False
        while True:
            start = src.find("{{", pos)
            text = src[pos:] if start < 0 else src[pos:start]
            if trim_next:
                text = text.lstrip(" \t\r\n")
            if start < 0:
                if text:
                    items.append(("text", text))
                return items
            inner_start = start + 2
            if src.startswith("- ", inner_start) or (
                src.startswith("-", inner_start)
                and src[inner_start + 1 : inner_start + 2] in "\t\r\n"
            ):
                text = text.rstrip(" \t\r\n")
                inner_start += 1
            if text:
                items.append(("text", text))
            end = find_action_end(src, inner_start)
            if end < 0:
                raise TemplateError("unclosed action")
            inner_end = end
            trim_next = False
            if src[end - 1] == "-" and src[end - 2 : end - 1] in (" ", "\t", "\r", "\n"):
                trim_next = True
                inner_end = end - 1
            inner = src[inner_start:inner_end].strip()
            if inner.startswith("/*"):
                if not inner.endswith("*/"):
                    raise TemplateError("comment ends before closing delimiter")
            else:
                items.append(("action", inner))
            pos = end + 2

    def parse(self) -> list[Node]:
        nodes, stop = self.parse_list()
        if stop is not None:
            raise TemplateError(f"unexpected {{{{{stop}}}}}")
        return nodes

    def parse_list(self) -> tuple[list[Node], str | None]:
        nodes: list[Node] = []
        while self.pos < len(self.items):
            kind, text = self.items[self.pos]
            self.pos += 1
            if kind == "text":
                nodes.append(Node("text", text=text))
                continue
            tokens = lex_action(text)
            if not tokens:
                raise TemplateError("missing value for command")
            head = tokens[0]
            if head.kind == "ident" and head.text in ("end", "else"):
                if head.text == "end" and len(tokens) > 1:
                    raise TemplateError("unexpected token in end")
                return nodes, text
            if head.kind == "ident" and head.text in ("if", "range", "with"):
                nodes.append(self.parse_control(head.text, tokens[1:]))
            elif head.kind == "ident" and head.text in ("break", "continue"):
                nodes.append(Node(head.text))
            elif head.kind == "ident" and head.text in ("define", "template", "block"):
                raise UnsupportedTemplateError(f"{{{{{head.text}}}}} is not supported")
            else:
                nodes.append(Node("action", pipe=_parse_pipe(tokens, allow_decl=True)))
        return nodes, None

    def parse_control(self, kind: str, tokens: list[Token]) -> Node:
        pipe = _parse_pipe(tokens, allow_decl=True, allow_two=kind == "range")
        body, stop = self.parse_list()
        node = Node(kind, pipe=pipe, body=body)
        if stop is None:
            raise TemplateError(f"unexpected EOF in {kind}")
        words = stop.split(None, 1)
        if words[0] == "else":
            if len(words) > 1:
                rest = lex_action(words[1])
                if rest and rest[0].kind == "ident" and rest[0].text in ("if", "with"):
                    # {{else if …}} / {{else with …}}: a nested control sharing our {{end}}
                    node.else_body = [self.parse_control(rest[0].text, rest[1:])]
                    return node
                raise TemplateError("unexpected token in else")
            node.else_body, stop = self.parse_list()
            if stop is None or stop.split()[0] != "end":
                raise TemplateError(f"expected end; found {stop}")
        return node


def _parse_pipe(tokens: list[Token], *, allow_decl: bool, allow_two: bool = False) -> Pipe:
    decl: tuple[str, ...] = ()
    assign = False
    for n_vars in (2, 1) if allow_two else (1,):
        span = 2 * n_vars - 1
        if (
            len(tokens) > span
            and all(tokens[2 * i].kind == "variable" for i in range(n_vars))
            and all(tokens[2 * i + 1].kind == "comma" for i in range(n_vars - 1))
        ):
            op = tokens[span]
            if op.kind in ("declare", "assign") and allow_decl:
                decl = tuple(tokens[2 * i].text for i in range(n_vars))
                assign = op.kind == "assign"
                tokens = tokens[span + 1 :]
                break
    cmds: list[list[Arg]] = []
    current: list[Arg] = []
    pos = 0
    while pos < len(tokens):
        tok = tokens[pos]
        if tok.kind == "pipe":
            if not current:
                raise TemplateError("missing command before |")
            cmds.append(current)
            current = []
            pos += 1
            continue
        arg, pos = _parse_operand(tokens, pos)
        current.append(arg)
    if not current:
        raise TemplateError("missing value for command")
    cmds.append(current)
    for cmd in cmds[1:]:
        if cmd[0].kind not in ("ident", "field", "variable", "pipe") or (
            cmd[0].kind == "variable" and len(cmd) > 1
        ):
            raise TemplateError("non executable command in pipeline stage")
    return Pipe(decl, assign, cmds)


def _parse_operand(tokens: list[Token], pos: int) -> tuple[Arg, int]:
    tok = tokens[pos]
    pos += 1
    kind = tok.kind
    if kind == "lparen":
        depth = 1
        end = pos
        while end < len(tokens) and depth:
            depth += {"lparen": 1, "rparen": -1}.get(tokens[end].kind, 0)
            end += 1
        if depth:
            raise TemplateError("unclosed left paren")
        inner = _parse_pipe(tokens[pos : end - 1], allow_decl=False)
        chain: tuple[str, ...] = ()
        if end < len(tokens) and tokens[end].kind == "chain":
            chain = tuple(tokens[end].text[1:].split("."))
            end += 1
        return Arg("pipe", inner, chain), end
    if kind == "field":
        return Arg("field", None, tuple(tok.text[1:].split("."))), pos
    if kind == "dot":
        return Arg("dot"), pos
    if kind == "variable":
        return Arg("variable", tok.text), pos
    if kind == "string":
        return Arg("string", unquote(tok.text)), pos
    if kind == "raw":
        return Arg("string", tok.text[1:-1]), pos
    if kind == "char":
        return Arg("number", GoInt(ord(unquote('"' + tok.text[1:-1] + '"')))), pos
    if kind == "number":
        return Arg("number", _parse_number(tok.text)), pos
    if kind == "ident":
        if tok.text in ("true", "false"):
            return Arg("bool", tok.text == "true"), pos
        if tok.text == "nil":
            return Arg("nil"), pos
        if tok.text in _KEYWORDS:
            raise TemplateError(f"unexpected <{tok.text}> in command")
        if tok.text not in FUNCS:
            raise UnsupportedTemplateError(_unsupported_message(tok.text))
        return Arg("ident", tok.text), pos
    raise TemplateError(f"unexpected {tok.text!r} in operand")


def _unsupported_message(name: str) -> str:
    if name in SPRIG_NAMES or name in ("call", "now", "date"):
        return f'function "{name}" is not supported by the simulator'
    return f'function "{name}" not defined (not a text/template or sprig function)'


def _parse_number(text: str) -> object:
    clean = text.replace("_", "")
    lower = clean.lower().lstrip("+-")
    try:
        if lower.startswith(("0x", "0b", "0o")):
            return GoInt(int(clean, 0))
        if any(c in lower for c in ".e"):
            return float(clean)
        if len(lower) > 1 and lower.startswith("0"):
            return GoInt(int(clean, 8))
        return GoInt(int(clean))
    except ValueError:
        raise TemplateError(f"bad number syntax: {text!r}") from None
