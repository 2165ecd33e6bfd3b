"""text/template's executor, so templates run and fail as in Go.

Go text/template's executor: walks the node tree with dot and variables, calls functions with
Go's argument checks, and prints values with ``fmt``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Final

from hera_pipelines.simulate.go.regexp import RegexpError
from hera_pipelines.simulate.go.template.errors import TemplateError
from hera_pipelines.simulate.go.template.funcs import FUNCS
from hera_pipelines.simulate.go.template.parser import Arg, Node, Pipe
from hera_pipelines.simulate.go.template.values import (
    MISSING,
    field_of,
    go_type,
    print_value,
    truth,
)
from hera_pipelines.simulate.go.values import GoInt

__all__ = ["Executor"]


class Break(Exception):
    pass


class Continue(Exception):
    pass


_Vars = list[tuple[str, object]]


class Executor:
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

    def walk(self, nodes: list[Node], dot: object) -> None:
        for node in nodes:
            kind = node.kind
            if kind == "text":
                self.out.append(node.text)
            elif kind == "action":
                assert node.pipe is not None
                value = self.pipeline(node.pipe, dot)
                if not node.pipe.decl:
                    self.out.append(print_value(value))
            elif kind in ("if", "with"):
                mark = len(self.vars)
                assert node.pipe is not None
                value = self.pipeline(node.pipe, dot)
                if truth(value):
                    self.walk(node.body, value if kind == "with" else dot)
                else:
                    self.walk(node.else_body, dot)
                del self.vars[mark:]
            elif kind == "range":
                self.range(node, dot)
            elif kind == "break":
                raise Break
            else:
                raise Continue

    def range(self, node: Node, dot: object) -> None:
        assert node.pipe is not None
        mark = len(self.vars)
        decl = node.pipe.decl
        value = self.pipeline(Pipe((), False, node.pipe.cmds), dot)
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
            raise TemplateError(f"range can't iterate over {print_value(value)}")
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
            except Break:
                break
            except Continue:
                pass
            finally:
                del self.vars[mark:]
        if not ran:
            self.walk(node.else_body, dot)
        del self.vars[mark:]

    def pipeline(self, pipe: Pipe, dot: object) -> object:
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

    def command(self, cmd: list[Arg], dot: object, final: object) -> object:
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
    def _describe(arg: Arg) -> str:
        if arg.kind == "field":
            return "." + ".".join(arg.chain)
        return str(arg.value)

    def operand(self, arg: Arg, dot: object) -> object:
        kind = arg.kind
        if kind == "field":
            value = dot
        elif kind == "dot":
            return dot
        elif kind == "variable":
            parts = str(arg.value).split(".")
            value = self.lookup(parts[0])
        elif kind == "pipe":
            assert isinstance(arg.value, Pipe)
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
            value = field_of(value, name)
        return value

    def call(self, name: str, args: list[Arg], dot: object, final: object) -> object:
        if name in ("and", "or"):
            values = [*args]
            if not values and final is _NO_FINAL:
                raise TemplateError(f"wrong number of args for {name}: want at least 1 got 0")
            result: object = MISSING
            for arg in values:
                result = self.operand(arg, dot)
                if truth(result) != (name == "and"):
                    return result
            if final is not _NO_FINAL:
                result = final
            return result
        fixed, variadic, func = _SIGNATURES[name]
        evaluated = [self.operand(a, dot) for a in args]
        if final is not _NO_FINAL:
            evaluated.append(final)
        converted = _convert_args(name, fixed, variadic, evaluated)
        try:
            return func(*converted)
        except TemplateError:
            raise
        except (ValueError, TypeError, ZeroDivisionError, IndexError, RegexpError) as exc:
            raise TemplateError(f"error calling {name}: {exc}") from exc


_NO_FINAL: Final = object()


# name -> (argument codes, variadic, function), split once from FUNCS' "ss*"-style specs
_SIGNATURES: Final = {
    name: (spec.rstrip("*"), spec.endswith("*"), func) for name, (spec, func) in FUNCS.items()
}


def _convert_args(name: str, fixed: str, variadic: bool, args: list[object]) -> list[object]:
    if variadic:
        if len(args) < len(fixed) - 1:
            raise TemplateError(
                f"wrong number of args for {name}: want at least {len(fixed) - 1} got {len(args)}"
            )
    elif len(args) != len(fixed):
        raise TemplateError(f"wrong number of args for {name}: want {len(fixed)} got {len(args)}")
    last = len(fixed) - 1
    return [_convert(fixed[min(index, last)], value) for index, value in enumerate(args)]


_EXPECTED: Final = {"s": "string", "i": "int", "b": "bool", "m": "map[string]interface {}"}
_TYPES: Final[dict[str, type | tuple[type, ...]]] = {
    "s": str,
    "i": GoInt,
    "b": bool,
    "m": Mapping,
}


def _convert(code: str, value: object) -> object:
    """reflect's assignability check for one argument (`a`: any, `s`/`i`/`b`/`m`: typed)."""
    if code == "a":
        return None if value is MISSING else value
    if isinstance(value, _TYPES[code]):
        return value
    if value is MISSING or value is None:
        if code == "m":
            return {}
        raise TemplateError(f"invalid value; expected {_EXPECTED[code]}")
    raise TemplateError(f"wrong type for value; expected {_EXPECTED[code]}; got {go_type(value)}")
