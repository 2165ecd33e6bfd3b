"""Go text/template with the sprig functions Argo Events Sensors use in templates.

Argo Events (v1.9) parses ``dataTemplate``/``contextTemplate`` parameters and data-filter
``template`` with ``template.New("param").Funcs(sprig.FuncMap()).Parse(src)`` and executes
it with ``{"Input": value}`` and the default ``missingkey`` option: a missing map key is an
invalid value that prints ``<no value>`` (argo-events then treats ``""``/``<no value>`` output
as a failed template). For parameters ``Input`` is the decoded payload (gjson ``Value()``); for
data filters it is the gjson result *as a string*.

Values follow :mod:`hera_pipelines.simulate.gofmt`: JSON numbers are float64 and print as
``fmt`` prints them (``1000000`` → ``1e+06``); integer literals in the template and results of
``len``/``int``/``add``… are Go ints (:class:`GoInt`), and ``eq``/``lt`` refuse to compare the
two kinds, as Go does. Functions outside the implemented set raise
:class:`UnsupportedTemplateError` at compile time so the simulator reports them instead of
guessing; ``define``/``template``/``block``/``call`` are unsupported too.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final

from hera_pipelines.simulate.gofmt import (
    GoInt,
    GoRegexpError,
    compile_regexp,
    expand_replacement,
    format_value,
    marshal_json,
    quote,
)

__all__ = ["Template", "TemplateError", "UnsupportedTemplateError", "compile_template"]


class TemplateError(Exception):
    """The template does not parse, or executing it fails, as Go's text/template would."""


class UnsupportedTemplateError(TemplateError):
    """The template uses a function or action the simulator does not implement."""


class _Missing:
    """Go's invalid ``reflect.Value``: a missing map key; prints ``<no value>``."""

    _instance: _Missing | None = None

    def __repr__(self) -> str:
        return "<no value>"


MISSING: Final = _Missing()


# --- lexing ----------------------------------------------------------------------------------

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
class _Tok:
    kind: str
    text: str


def _unquote(text: str) -> str:
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


def _lex_action(text: str) -> list[_Tok]:
    tokens: list[_Tok] = []
    pos = 0
    while pos < len(text):
        m = _ACTION_TOKEN.match(text, pos)
        if m is None or m.lastgroup is None:
            raise TemplateError(f"unexpected {text[pos]!r} in command")
        pos = m.end()
        if m.lastgroup != "space":
            tokens.append(_Tok(m.lastgroup, m.group()))
    return tokens


# --- nodes -----------------------------------------------------------------------------------


@dataclass
class _Arg:
    kind: str  # field dot variable ident string number bool nil pipe
    value: object = None
    chain: tuple[str, ...] = ()


@dataclass
class _Pipe:
    decl: tuple[str, ...]
    assign: bool
    cmds: list[list[_Arg]]


@dataclass
class _Node:
    kind: str  # text action if range with break continue
    text: str = ""
    pipe: _Pipe | None = None
    body: list[_Node] = field(default_factory=list)
    else_body: list[_Node] = field(default_factory=list)


_KEYWORDS: Final = frozenset({"if", "else", "end", "range", "with", "break", "continue"})


class _Parser:
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
            end = _find_action_end(src, inner_start)
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

    def parse(self) -> list[_Node]:
        nodes, stop = self.parse_list()
        if stop is not None:
            raise TemplateError(f"unexpected {{{{{stop}}}}}")
        return nodes

    def parse_list(self) -> tuple[list[_Node], str | None]:
        nodes: list[_Node] = []
        while self.pos < len(self.items):
            kind, text = self.items[self.pos]
            self.pos += 1
            if kind == "text":
                nodes.append(_Node("text", text=text))
                continue
            tokens = _lex_action(text)
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
                nodes.append(_Node(head.text))
            elif head.kind == "ident" and head.text in ("define", "template", "block"):
                raise UnsupportedTemplateError(f"{{{{{head.text}}}}} is not supported")
            else:
                nodes.append(_Node("action", pipe=_parse_pipe(tokens, allow_decl=True)))
        return nodes, None

    def parse_control(self, kind: str, tokens: list[_Tok]) -> _Node:
        pipe = _parse_pipe(tokens, allow_decl=True, allow_two=kind == "range")
        body, stop = self.parse_list()
        node = _Node(kind, pipe=pipe, body=body)
        if stop is None:
            raise TemplateError(f"unexpected EOF in {kind}")
        words = stop.split(None, 1)
        if words[0] == "else":
            if len(words) > 1:
                rest = _lex_action(words[1])
                if rest and rest[0].kind == "ident" and rest[0].text in ("if", "with"):
                    # {{else if …}} / {{else with …}}: a nested control sharing our {{end}}
                    node.else_body = [self.parse_control(rest[0].text, rest[1:])]
                    return node
                raise TemplateError("unexpected token in else")
            node.else_body, stop = self.parse_list()
            if stop is None or stop.split()[0] != "end":
                raise TemplateError(f"expected end; found {stop}")
        return node


def _find_action_end(src: str, pos: int) -> int:
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


def _parse_pipe(tokens: list[_Tok], *, allow_decl: bool, allow_two: bool = False) -> _Pipe:
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
    cmds: list[list[_Arg]] = []
    current: list[_Arg] = []
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
    return _Pipe(decl, assign, cmds)


def _parse_operand(tokens: list[_Tok], pos: int) -> tuple[_Arg, int]:
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
        return _Arg("pipe", inner, chain), end
    if kind == "field":
        return _Arg("field", None, tuple(tok.text[1:].split("."))), pos
    if kind == "dot":
        return _Arg("dot"), pos
    if kind == "variable":
        return _Arg("variable", tok.text), pos
    if kind == "string":
        return _Arg("string", _unquote(tok.text)), pos
    if kind == "raw":
        return _Arg("string", tok.text[1:-1]), pos
    if kind == "char":
        return _Arg("number", GoInt(ord(_unquote('"' + tok.text[1:-1] + '"')))), pos
    if kind == "number":
        return _Arg("number", _parse_number(tok.text)), pos
    if kind == "ident":
        if tok.text in ("true", "false"):
            return _Arg("bool", tok.text == "true"), pos
        if tok.text == "nil":
            return _Arg("nil"), pos
        if tok.text in _KEYWORDS:
            raise TemplateError(f"unexpected <{tok.text}> in command")
        if tok.text not in _FUNCS:
            raise UnsupportedTemplateError(_unsupported_message(tok.text))
        return _Arg("ident", tok.text), pos
    raise TemplateError(f"unexpected {tok.text!r} in operand")


def _unsupported_message(name: str) -> str:
    if name in _SPRIG_NAMES or name in ("call", "now", "date"):
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


# --- execution -------------------------------------------------------------------------------


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


def _go_type(value: object) -> str:
    if value is None or value is MISSING:
        return "<nil>"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, GoInt):
        return "int"
    if isinstance(value, int | float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    return "[]interface {}"


def _truth(value: object) -> bool:
    if value is None or value is MISSING:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str | list | tuple | dict | Mapping):
        return len(value) > 0
    return True


def _field(receiver: object, name: str) -> object:
    if receiver is MISSING:
        return MISSING
    if receiver is None:
        raise TemplateError(f"nil pointer evaluating interface {{}}.{name}")
    if isinstance(receiver, Mapping):
        return receiver.get(name, MISSING)
    raise TemplateError(f"can't evaluate field {name} in type {_go_type(receiver)}")


def _print(value: object) -> str:
    if value is None or value is MISSING:
        return "<no value>"
    return format_value(value)


_Vars = list[tuple[str, object]]


class _Exec:
    def __init__(self, root: object, out: list[str]) -> None:
        self.vars: _Vars = [("$", root)]
        self.out = out

    def lookup(self, name: str) -> object:
        for var, value in reversed(self.vars):
            if var == name:
                return value
        raise TemplateError(f"undefined variable: {name}")

    def set_var(self, name: str, value: object) -> None:
        for index in range(len(self.vars) - 1, -1, -1):
            if self.vars[index][0] == name:
                self.vars[index] = (name, value)
                return
        raise TemplateError(f"undefined variable: {name}")

    def walk(self, nodes: list[_Node], dot: object) -> None:
        for node in nodes:
            kind = node.kind
            if kind == "text":
                self.out.append(node.text)
            elif kind == "action":
                assert node.pipe is not None
                value = self.pipeline(node.pipe, dot)
                if not node.pipe.decl:
                    self.out.append(_print(value))
            elif kind in ("if", "with"):
                mark = len(self.vars)
                assert node.pipe is not None
                value = self.pipeline(node.pipe, dot)
                if _truth(value):
                    self.walk(node.body, value if kind == "with" else dot)
                else:
                    self.walk(node.else_body, dot)
                del self.vars[mark:]
            elif kind == "range":
                self.range(node, dot)
            elif kind == "break":
                raise _Break
            else:
                raise _Continue

    def range(self, node: _Node, dot: object) -> None:
        assert node.pipe is not None
        mark = len(self.vars)
        decl = node.pipe.decl
        value = self.pipeline(_Pipe((), False, node.pipe.cmds), dot)
        items: Iterator[tuple[object, object]]
        if isinstance(value, Mapping):
            items = ((k, value[k]) for k in sorted(value, key=str))
        elif isinstance(value, list | tuple):
            items = ((GoInt(i), v) for i, v in enumerate(value))
        elif isinstance(value, GoInt):
            items = ((GoInt(i), GoInt(i)) for i in range(value))
        elif value is None or value is MISSING:
            items = iter(())
        else:
            raise TemplateError(f"range can't iterate over {_print(value)}")
        ran = False
        for key, item in items:
            ran = True
            if len(decl) == 1:
                self.vars.append((decl[0], item))
            elif len(decl) == 2:
                self.vars.append((decl[0], key))
                self.vars.append((decl[1], item))
            try:
                self.walk(node.body, item)
            except _Break:
                break
            except _Continue:
                pass
            finally:
                del self.vars[mark:]
        if not ran:
            self.walk(node.else_body, dot)
        del self.vars[mark:]

    def pipeline(self, pipe: _Pipe, dot: object) -> object:
        value: object = MISSING
        final: object = _NO_FINAL
        for cmd in pipe.cmds:
            value = self.command(cmd, dot, final)
            final = value
        if pipe.decl:
            if pipe.assign:
                self.set_var(pipe.decl[0], value)
            else:
                self.vars.append((pipe.decl[0], value))
        return value

    def command(self, cmd: list[_Arg], dot: object, final: object) -> object:
        head = cmd[0]
        if head.kind == "ident":
            return self.call(str(head.value), cmd[1:], dot, final)
        if len(cmd) > 1 or final is not _NO_FINAL:
            if head.kind in ("field", "variable") and head.chain == () and head.kind == "field":
                raise TemplateError(f"{head.chain[-1] if head.chain else '.'} has arguments")
            raise TemplateError(f"can't give argument to non-function {self._describe(head)}")
        if head.kind == "nil":
            raise TemplateError("nil is not a command")
        return self.operand(head, dot)

    @staticmethod
    def _describe(arg: _Arg) -> str:
        if arg.kind == "field":
            return "." + ".".join(arg.chain)
        return str(arg.value)

    def operand(self, arg: _Arg, dot: object) -> object:
        kind = arg.kind
        if kind == "field":
            value = dot
        elif kind == "dot":
            return dot
        elif kind == "variable":
            parts = str(arg.value).split(".")
            value = self.lookup(parts[0])
        elif kind == "pipe":
            assert isinstance(arg.value, _Pipe)
            mark = len(self.vars)
            value = self.pipeline(arg.value, dot)
            del self.vars[mark:]
        elif kind == "nil":
            return None
        else:
            return arg.value
        for index, name in enumerate(arg.chain):
            if index > 0 and value is None:
                raise TemplateError(f"nil pointer evaluating interface {{}}.{name}")
            value = _field(value, name)
        return value

    def call(self, name: str, args: list[_Arg], dot: object, final: object) -> object:
        if name in ("and", "or"):
            values = [*args]
            if not values and final is _NO_FINAL:
                raise TemplateError(f"wrong number of args for {name}: want at least 1 got 0")
            result: object = MISSING
            for arg in values:
                result = self.operand(arg, dot)
                if _truth(result) != (name == "and"):
                    return result
            if final is not _NO_FINAL:
                result = final
            return result
        spec, func = _FUNCS[name]
        evaluated = [self.operand(a, dot) for a in args]
        if final is not _NO_FINAL:
            evaluated.append(final)
        converted = _convert_args(name, spec, evaluated)
        try:
            return func(*converted)
        except TemplateError:
            raise
        except (ValueError, TypeError, ZeroDivisionError, IndexError, GoRegexpError) as exc:
            raise TemplateError(f"error calling {name}: {exc}") from exc


_NO_FINAL: Final = object()


def _convert_args(name: str, spec: str, args: list[object]) -> list[object]:
    variadic = spec.endswith("*")
    fixed = spec.rstrip("*")
    if variadic:
        if len(args) < len(fixed) - 1:
            raise TemplateError(
                f"wrong number of args for {name}: want at least {len(fixed) - 1} got {len(args)}"
            )
    elif len(args) != len(fixed):
        raise TemplateError(f"wrong number of args for {name}: want {len(fixed)} got {len(args)}")
    out: list[object] = []
    for index, value in enumerate(args):
        code = fixed[min(index, len(fixed) - 1)]
        out.append(_convert(code, value))
    return out


def _convert(code: str, value: object) -> object:
    if code == "a":
        return None if value is MISSING else value
    expected = {"s": "string", "i": "int", "b": "bool", "m": "map[string]interface {}"}[code]
    if value is MISSING or value is None:
        if code == "m":
            return {}
        raise TemplateError(f"invalid value; expected {expected}")
    ok = {
        "s": isinstance(value, str),
        "i": isinstance(value, GoInt),
        "b": isinstance(value, bool),
        "m": isinstance(value, Mapping),
    }[code]
    if not ok:
        raise TemplateError(f"wrong type for value; expected {expected}; got {_go_type(value)}")
    return value


# --- builtins and sprig ----------------------------------------------------------------------


def _basic_kind(value: object) -> str:
    if value is None or value is MISSING:
        return "nil"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, GoInt):
        return "int"
    if isinstance(value, int | float):
        return "float"
    if isinstance(value, str):
        return "string"
    return "other"


def _eq(first: object, *others: object) -> bool:
    if not others:
        raise TemplateError("missing argument for comparison")
    k1 = _basic_kind(first)
    for other in others:
        k2 = _basic_kind(other)
        if k1 != k2:
            if k1 != "nil" and k2 != "nil":
                raise TemplateError("incompatible types for comparison")
            continue
        if k1 == "other":
            raise TemplateError(f"non-comparable type {_print(first)}: {_go_type(first)}")
        if k1 == "nil" or first == other:
            return True
    return False


def _lt(a: object, b: object) -> bool:
    ka, kb = _basic_kind(a), _basic_kind(b)
    if ka in ("nil", "other", "bool") or kb in ("nil", "other", "bool"):
        raise TemplateError("invalid type for comparison")
    if ka != kb:
        raise TemplateError("incompatible types for comparison")
    return a < b  # type: ignore[operator,no-any-return]


def _len(value: object) -> GoInt:
    if isinstance(value, str):
        return GoInt(len(value.encode()))
    if isinstance(value, list | tuple | Mapping):
        return GoInt(len(value))
    raise TemplateError(f"len of type {_go_type(value)}")


def _index(item: object, *indexes: object) -> object:
    for idx in indexes:
        if item is None or item is MISSING:
            raise TemplateError("index of untyped nil")
        if isinstance(item, Mapping):
            if not isinstance(idx, str):
                raise TemplateError(f"value has type {_go_type(idx)}; should be string")
            item = item.get(idx)
        elif isinstance(item, list | tuple | str):
            if not isinstance(idx, GoInt):
                raise TemplateError(f"cannot index slice/array with type {_go_type(idx)}")
            if not 0 <= idx < len(item):
                raise TemplateError(f"index out of range: {int(idx)}")
            item = GoInt(item.encode()[idx]) if isinstance(item, str) else item[idx]
        else:
            raise TemplateError(f"can't index item of type {_go_type(item)}")
    return item


def _slice(item: object, *indexes: object) -> object:
    if not isinstance(item, str | list | tuple):
        raise TemplateError(f"can't slice item of type {_go_type(item)}")
    bounds: list[int] = []
    for idx in indexes:
        if not isinstance(idx, GoInt):
            raise TemplateError(f"cannot index slice/array with type {_go_type(idx)}")
        bounds.append(int(idx))
    if len(bounds) > 2:
        raise TemplateError("too many slice indexes")
    start = bounds[0] if bounds else 0
    end = bounds[1] if len(bounds) > 1 else len(item)
    if not 0 <= start <= end <= len(item):
        raise TemplateError(f"index out of range: {end}")
    return item[start:end]


def _sprint(*args: object) -> str:
    out: list[str] = []
    for index, arg in enumerate(args):
        if index > 0 and not isinstance(arg, str) and not isinstance(args[index - 1], str):
            out.append(" ")
        out.append(_fmt_v(arg))
    return "".join(out)


def _fmt_v(value: object) -> str:
    return "<nil>" if value is None or value is MISSING else format_value(value)


_VERB: Final = re.compile(r"%([-+# 0]*)(\d+|\*)?(?:\.(\d*))?([a-zA-Z%])")


def _sprintf(fmt: str, *args: object) -> str:
    out: list[str] = []
    pos = 0
    arg_index = 0
    for m in _VERB.finditer(fmt):
        out.append(fmt[pos : m.start()])
        pos = m.end()
        flags, width, precision, verb = m.groups()
        if verb == "%":
            out.append("%")
            continue
        if arg_index >= len(args):
            out.append(f"%!{verb}(MISSING)")
            continue
        arg = args[arg_index]
        arg_index += 1
        text = _format_verb(verb, arg, flags, precision)
        if width and width != "*" and len(text) < int(width):
            pad = int(width) - len(text)
            if "-" in flags:
                text += " " * pad
            elif "0" in flags and verb in "dfegx":
                sign = text[:1] if text[:1] in "+-" else ""
                text = sign + "0" * pad + text[len(sign) :]
            else:
                text = " " * pad + text
        out.append(text)
    out.append(fmt[pos:])
    if arg_index < len(args):
        extra = ", ".join(f"{_go_type(a)}={_fmt_v(a)}" for a in args[arg_index:])
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


def _format_verb(verb: str, arg: object, flags: str, precision: str | None) -> str:
    bad = f"%!{verb}({_go_type(arg)}={_fmt_v(arg)})"
    if verb == "v":
        return _fmt_v(arg)
    if verb == "s":
        return _fmt_v(arg) if isinstance(arg, str | list | Mapping) or arg is None else bad
    if verb == "q":
        return quote(arg) if isinstance(arg, str) else bad
    if verb == "t":
        return ("true" if arg else "false") if isinstance(arg, bool) else bad
    if verb in "dxXob":
        if not isinstance(arg, GoInt):
            return bad
        spec = {"d": "d", "x": "x", "X": "X", "o": "o", "b": "b"}[verb]
        return ("+" if "+" in flags and arg >= 0 else "") + format(int(arg), spec)
    if verb in "feEgG":
        if isinstance(arg, bool) or not isinstance(arg, int | float) or isinstance(arg, GoInt):
            return bad
        if verb in "gG" and precision is None:
            return format_value(float(arg))
        prec = int(precision) if precision else (6 if precision is None else 0)
        text = format(float(arg), f".{prec}{verb}")
        if verb in "eE":
            text = re.sub(r"([eE][+-])(\d)$", r"\g<1>0\2", text)
        return ("+" if "+" in flags and float(arg) >= 0 else "") + text
    if verb == "c":
        return chr(arg) if isinstance(arg, GoInt) else bad
    return f"%!{verb}({_go_type(arg)}={_fmt_v(arg)})"


def _eval_args_text(*args: object) -> str:
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return _sprint(*args)


def _html(*args: object) -> str:
    text = _eval_args_text(*args)
    for old, new in (("&", "&amp;"), ("'", "&#39;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&#34;")):
        text = text.replace(old, new)
    return text.replace("\x00", "\ufffd")


def _js(*args: object) -> str:
    out: list[str] = []
    for ch in _eval_args_text(*args):
        if ch in "\\'\"":
            out.append("\\" + ch)
        elif ch in "<>&=" or ord(ch) < 0x20:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


def _urlquery(*args: object) -> str:
    return urllib.parse.quote_plus(_eval_args_text(*args), safe="-_.~")


def _strval(value: object) -> str:
    return value if isinstance(value, str) else _fmt_v(value)


def _to_int64(value: object) -> int:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return int(value) if value == value and abs(value) != float("inf") else 0
    if isinstance(value, str):
        text = value
        if "." in text and text.rstrip("0").endswith("."):
            text = text.rstrip("0").rstrip(".")
        try:
            body = text.lstrip("+-")
            if len(body) > 1 and body.startswith("0") and body[1].isdigit():
                return int(text[: len(text) - len(body)] + "0o" + body[1:], 0)
            return int(text, 0)
        except ValueError:
            return 0
    return 0


def _to_float64(value: object) -> float:
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return 0.0
    return 0.0


def _empty(value: object) -> bool:
    return not _truth(value) if not isinstance(value, bool) else not value


def _default(default: object, *given: object) -> object:
    if not given or _empty(given[0]):
        return default
    return given[0]


def _coalesce(*values: object) -> object:
    for value in values:
        if not _empty(value):
            return value
    return None


def _go_div(a: int, b: int) -> GoInt:
    if b == 0:
        raise TemplateError("runtime error: integer divide by zero")
    quotient = abs(a) // abs(b)
    return GoInt(quotient if (a >= 0) == (b >= 0) else -quotient)


def _go_mod(a: int, b: int) -> GoInt:
    return GoInt(a - b * _go_div(a, b))


def _title(text: str) -> str:
    out: list[str] = []
    prev = " "
    for ch in text:
        out.append(ch.upper() if not (prev.isalnum() or prev == "_") else ch)
        prev = ch
    return "".join(out)


def _trunc(count: int, text: str) -> str:
    data = text.encode()
    if count < 0 and len(data) + count > 0:
        return data[len(data) + count :].decode(errors="replace")
    if count >= 0 and len(data) > count:
        return data[:count].decode(errors="replace")
    return text


def _substr(start: int, end: int, text: str) -> str:
    data = text.encode()
    if start < 0:
        return data[:end].decode(errors="replace")
    if end < 0 or end > len(data):
        return data[start:].decode(errors="replace")
    return data[start:end].decode(errors="replace")


def _b64dec(text: str) -> str:
    alphabet = re.compile(r"[A-Za-z0-9+/=\r\n]")
    for index, ch in enumerate(text):
        if not alphabet.match(ch):
            return f"illegal base64 data at input byte {index}"
    stripped = text.replace("\r", "").replace("\n", "")
    if len(stripped) % 4:
        return f"illegal base64 data at input byte {len(stripped) - len(stripped) % 4}"
    try:
        return base64.b64decode(stripped, validate=True).decode(errors="replace")
    except (binascii.Error, ValueError):
        return f"illegal base64 data at input byte {max(stripped.find('='), 0)}"


def _to_json(value: object, *, escape_html: bool = True, indent: str | None = None) -> str:
    try:
        return marshal_json(value, escape_html=escape_html, indent=indent)
    except ValueError:
        return ""


def _from_json(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _sequence(value: object, what: str) -> list[object] | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return list(value)
    raise TemplateError(f"Cannot find {what} on type {_go_type(value)}")


def _first(value: object) -> object:
    items = _sequence(value, "first")
    return items[0] if items else None


def _last(value: object) -> object:
    items = _sequence(value, "last")
    return items[-1] if items else None


def _rest(value: object) -> object:
    items = _sequence(value, "rest")
    return items[1:] if items else None


def _initial(value: object) -> object:
    items = _sequence(value, "initial")
    return items[:-1] if items else None


def _strslice(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [_strval(v) for v in value if v is not None]
    if value is None:
        return []
    return [_strval(value)]


def _split_list(sep: str, text: str) -> list[object]:
    if sep == "":
        return list(text)
    return list(text.split(sep))


def _dict(*pairs: object) -> dict[str, object]:
    out: dict[str, object] = {}
    for index in range(0, len(pairs), 2):
        key = _strval(pairs[index])
        out[key] = pairs[index + 1] if index + 1 < len(pairs) else ""
    return out


def _regex(pattern: str) -> re.Pattern[str]:
    return compile_regexp(pattern)


def _regex_match(pattern: str, text: str) -> bool:
    try:
        return _regex(pattern).search(text) is not None
    except GoRegexpError:
        return False


def _find_all(pattern: str, text: str, n: int) -> list[object]:
    if n == 0:
        return []
    found: list[object] = [m.group() for m in _regex(pattern).finditer(text)]
    return found if n < 0 else found[:n]


def _regex_split(pattern: str, text: str, n: int) -> list[object]:
    if n == 0:
        return []
    parts: list[object] = list(_regex(pattern).split(text, maxsplit=max(n - 1, 0)))
    return parts


def _nospace(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


def _repeat(count: int, text: str) -> str:
    if count < 0:
        raise TemplateError("strings: negative Repeat count")
    return text * count


def _int_args(*values: object) -> list[int]:
    return [_to_int64(v) for v in values]


_FuncSpec = tuple[str, Callable[..., object]]

_FUNCS: Final[dict[str, _FuncSpec]] = {
    # text/template builtins ("and"/"or" are evaluated lazily by the executor)
    "and": ("a*", lambda *a: a[-1]),
    "or": ("a*", lambda *a: a[-1]),
    "not": ("a", lambda v: not _truth(v)),
    "len": ("a", _len),
    "index": ("aa*", _index),
    "slice": ("aa*", _slice),
    "print": ("a*", _sprint),
    "println": ("a*", lambda *a: " ".join(_fmt_v(v) for v in a) + "\n"),
    "printf": ("sa*", _sprintf),
    "eq": ("aa*", _eq),
    "ne": ("aa", lambda a, b: not _eq(a, b)),
    "lt": ("aa", _lt),
    "le": ("aa", lambda a, b: _lt(a, b) or _eq(a, b)),
    "gt": ("aa", lambda a, b: not (_lt(a, b) or _eq(a, b))),
    "ge": ("aa", lambda a, b: not _lt(a, b)),
    "html": ("a*", _html),
    "js": ("a*", _js),
    "urlquery": ("a*", _urlquery),
    # sprig: defaults and flow
    "default": ("aa*", _default),
    "empty": ("a", _empty),
    "coalesce": ("a*", _coalesce),
    "ternary": ("aab", lambda vt, vf, cond: vt if cond else vf),
    # sprig: strings
    "lower": ("s", str.lower),
    "upper": ("s", str.upper),
    "title": ("s", _title),
    "trim": ("s", lambda s: s.strip(" \t\n\r\v\f\x85\xa0")),
    "trimAll": ("ss", lambda cut, s: s.strip(cut)),
    "trimPrefix": ("ss", lambda prefix, s: s.removeprefix(prefix)),
    "trimSuffix": ("ss", lambda suffix, s: s.removesuffix(suffix)),
    "trunc": ("is", _trunc),
    "replace": ("sss", lambda old, new, s: s.replace(old, new)),
    "repeat": ("is", _repeat),
    "substr": ("iis", _substr),
    "contains": ("ss", lambda sub, s: sub in s),
    "hasPrefix": ("ss", lambda prefix, s: s.startswith(prefix)),
    "hasSuffix": ("ss", lambda suffix, s: s.endswith(suffix)),
    "nospace": ("s", _nospace),
    "cat": ("a*", lambda *a: " ".join(_fmt_v(v) for v in a if v is not None)),
    "quote": ("a*", lambda *a: " ".join(quote(_strval(v)) for v in a if v is not None)),
    "squote": ("a*", lambda *a: " ".join(f"'{_strval(v)}'" for v in a if v is not None)),
    "toString": ("a", _strval),
    "b64enc": ("s", lambda s: base64.b64encode(s.encode()).decode()),
    "b64dec": ("s", _b64dec),
    # sprig: regular expressions (RE2 semantics)
    "regexMatch": ("ss", _regex_match),
    "regexFind": ("ss", lambda p, s: m.group() if (m := _regex(p).search(s)) else ""),
    "regexFindAll": ("ssi", _find_all),
    "regexReplaceAll": ("sss", lambda p, s, r: _regex(p).sub(expand_replacement(r), s)),
    "regexReplaceAllLiteral": ("sss", lambda p, s, r: _regex(p).sub(lambda _m: r, s)),
    "regexSplit": ("ssi", _regex_split),
    # sprig: JSON
    "toJson": ("a", _to_json),
    "toRawJson": ("a", lambda v: _to_json(v, escape_html=False)),
    "toPrettyJson": ("a", lambda v: _to_json(v, indent="  ")),
    "fromJson": ("s", _from_json),
    # sprig: lists and dicts
    "list": ("a*", lambda *a: list(a)),
    "splitList": ("ss", _split_list),
    "split": ("ss", lambda sep, s: {f"_{i}": p for i, p in enumerate(_split_list(sep, s))}),
    "join": ("sa", lambda sep, v: sep.join(_strslice(v))),
    "dict": ("a*", _dict),
    "get": ("ms", lambda d, k: d.get(k, "")),
    "hasKey": ("ms", lambda d, k: k in d),
    "keys": ("m*", lambda *ds: sorted(k for d in ds for k in d)),
    "first": ("a", _first),
    "last": ("a", _last),
    "rest": ("a", _rest),
    "initial": ("a", _initial),
    # sprig: conversions and integer maths (int64 results)
    "int": ("a", lambda v: GoInt(_to_int64(v))),
    "int64": ("a", lambda v: GoInt(_to_int64(v))),
    "float64": ("a", _to_float64),
    "atoi": ("s", lambda s: GoInt(int(s)) if re.fullmatch(r"[+-]?\d+", s) else GoInt(0)),
    "add": ("a*", lambda *a: GoInt(sum(_int_args(*a)))),
    "sub": ("aa", lambda a, b: GoInt(_to_int64(a) - _to_int64(b))),
    "mul": ("aa*", lambda *a: GoInt(_product(_int_args(*a)))),
    "div": ("aa", lambda a, b: _go_div(_to_int64(a), _to_int64(b))),
    "mod": ("aa", lambda a, b: _go_mod(_to_int64(a), _to_int64(b))),
    "max": ("aa*", lambda *a: GoInt(max(_int_args(*a)))),
    "min": ("aa*", lambda *a: GoInt(min(_int_args(*a)))),
}


def _product(values: Sequence[int]) -> int:
    result = 1
    for value in values:
        result *= value
    return result


# Every sprig v3 function name; the ones missing from _FUNCS are reported as unsupported.
_SPRIG_NAMES: Final = frozenset(
    re.findall(
        r"\S+",
        """
    abbrev abbrevboth add add1 add1f addf adler32sum ago all any append atoi b32dec b32enc
    b64dec b64enc base bcrypt biggest buildCustomCert camelcase cat ceil chunk clean coalesce
    compact concat contains date dateInZone dateModify date_in_zone date_modify decryptAES
    deepCopy deepEqual default derivePassword dict dig dir div divf duration durationRound
    empty encryptAES env expandenv ext fail first float64 floor fromJson genCA
    genCAWithKey genPrivateKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert
    genSignedCertWithKey get getHostByName has hasKey hasPrefix hasSuffix hello htmlDate
    htmlDateInZone htpasswd indent initial initials int int64 isAbs join kebabcase keys kindIs
    kindOf last list lower max maxf merge mergeOverwrite min minf mod mul mulf mustAppend
    mustChunk mustCompact mustDateModify mustDeepCopy mustFirst mustFromJson mustHas
    mustInitial mustLast mustMerge mustMergeOverwrite mustPrepend mustPush mustRegexFind
    mustRegexFindAll mustRegexMatch mustRegexReplaceAll mustRegexReplaceAllLiteral
    mustRegexSplit mustRest mustReverse mustSlice mustToDate mustToJson mustToPrettyJson
    mustToRawJson mustUniq mustWithout nindent nospace now omit osBase osClean osDir osExt
    osIsAbs pick pluck plural prepend push quote randAlpha randAlphaNum randAscii randBytes
    randInt randNumeric regexFind regexFindAll regexMatch regexQuoteMeta regexReplaceAll
    regexReplaceAllLiteral regexSplit repeat replace rest reverse round semver semverCompare
    seq set sha1sum sha256sum sha512sum shuffle slice snakecase sortAlpha split splitList
    splitn squote sub subf substr swapcase ternary title toDate toDecimal toJson toPrettyJson
    toRawJson toString toStrings trim trimAll trimPrefix trimSuffix trimall trunc tuple typeIs
    typeIsLike typeOf uniq unixEpoch unset until untilStep untitle upper urlJoin urlParse
    uuidv4 values without wrap wrapWith
    """,
    )
)


@dataclass(frozen=True)
class Template:
    """A parsed template: parse once, render per event."""

    source: str
    _nodes: list[_Node] = field(repr=False, compare=False)

    def render(self, data: object) -> str:
        """``Execute`` with ``data`` as dot; raises :class:`TemplateError` like Go does."""
        out: list[str] = []
        runner = _Exec(data, out)
        try:
            runner.walk(self._nodes, data)
        except (_Break, _Continue):
            raise TemplateError("break/continue outside range") from None
        except RecursionError as exc:
            raise TemplateError("template nests too deeply") from exc
        return "".join(out)


def compile_template(src: str) -> Template:
    """``template.New("param").Funcs(sprig.FuncMap()).Parse(src)``.

    Raises :class:`UnsupportedTemplateError` naming a function or action the simulator lacks,
    :class:`TemplateError` for anything Go's parser rejects.
    """
    return Template(src, _Parser(src).parse())
