"""`plan --format table`: the plan for people, one row per task that will run, wave by wave."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from hera_pipelines.backlog.plan import Plan

__all__ = ["write"]


class _Console(Console):
    """A closed pipe is the CLI's to handle (quietly, exit 141), not rich's (exit 1)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


def write(plan: Plan, out: TextIO) -> None:
    """Waves, then blocked and skipped tasks, then one summary line; colour only on a terminal."""
    graph = plan.graph
    console = _Console(file=out, highlight=False)

    def say(text: str) -> None:  # a plain line: no markup, never wrapped by rich
        console.print(text, markup=False, soft_wrap=True)

    critical = set(graph.critical_path)
    say(f"plan of {graph.source} (tag {graph.tag})")
    table = Table()
    table.add_column("wave", justify="right")
    table.add_column("id", justify="right")
    table.add_column("priority")
    table.add_column("after")
    table.add_column("title", overflow="fold")
    for number, wave in enumerate(graph.waves, start=1):
        for i, ref in enumerate(wave):
            task = graph.task(ref)
            table.add_row(
                str(number) if i == 0 else "",
                Text(f"{ref}*", style="bold") if ref in critical else Text(ref),
                task.priority.value,
                Text(", ".join(graph.dependencies(ref))),
                Text(task.title),
                end_section=i == len(wave) - 1,
            )
    if graph.waves:
        console.print(table)
    if graph.blocked:
        say(f"blocked (waits on a deferred task): {', '.join(graph.blocked)}")
    if graph.skipped:
        skipped = (f"{r} ({graph.task(r).status.value})" for r in graph.skipped)
        say(f"skipped: {', '.join(skipped)}")
    summary = (
        f"{len(graph.topological_order)} tasks to run in {len(graph.waves)} waves, "
        f"at most {graph.max_parallel} at once; "
        f"critical path (*): {' -> '.join(graph.critical_path) or 'none'}"
    )
    if plan.rounds is not None:
        summary += f"; {len(plan.rounds)} rounds at concurrency {plan.concurrency}"
    say(summary)
