"""A Sensor template parsed once and executed per event.

A parsed Sensor template (``template.New("param").Funcs(sprig.FuncMap()).Parse(src)``), parsed
once and executed per event.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hera_pipelines.simulate.go.template.errors import TemplateError
from hera_pipelines.simulate.go.template.exec import Break, Continue, Executor
from hera_pipelines.simulate.go.template.parser import Node, Parser

__all__ = ["Template", "compile_template"]


@dataclass(frozen=True)
class Template:
    """A parsed template: parse once, render per event."""

    source: str
    _nodes: list[Node] = field(repr=False, compare=False)

    def render(self, data: object) -> str:
        """``Execute`` with ``data`` as dot; raises :class:`TemplateError` like Go does."""
        out: list[str] = []
        runner = Executor(data, out)
        try:
            runner.walk(self._nodes, data)
        except (Break, Continue):
            raise TemplateError("break/continue outside range") from None
        except RecursionError as exc:
            raise TemplateError("template nests too deeply") from exc
        return "".join(out)


def compile_template(src: str) -> Template:
    """``template.New("param").Funcs(sprig.FuncMap()).Parse(src)``.

    Raises :class:`UnsupportedTemplateError` naming a function or action the simulator lacks,
    :class:`TemplateError` for anything Go's parser rejects.
    """
    return Template(src, Parser(src).parse())
