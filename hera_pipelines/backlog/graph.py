"""The backlog as a dependency DAG: what runs, what is blocked, and in which order it can run.

Edges point from a dependency to its dependent. Status rules: `done` and `cancelled` tasks do not
run and satisfy their dependents; `deferred` tasks do not run and block every task that needs
them, transitively (through tasks that would otherwise run); every other status runs. All orders
are deterministic: ties are broken by id, numeric ids numerically (`2` before `10`).
"""

from __future__ import annotations

import heapq
from functools import cached_property

import networkx as nx

from hera_pipelines.backlog.ids import id_sort_key
from hera_pipelines.backlog.model import Backlog, Priority, Status, Task
from hera_pipelines.errors import HeraPipelinesError

__all__ = ["BacklogGraph"]


class BacklogGraph:
    """A checked, acyclic backlog and the questions the planner and the renderer ask of it.

    Task references are normalised id strings (`Task.ref`); `task(ref).id` is the id as the
    backlog wrote it.
    """

    def __init__(self, backlog: Backlog) -> None:
        self.source = backlog.source
        self.tag = backlog.tag
        self._tasks: dict[str, Task] = {t.ref: t for t in backlog.tasks}
        full: nx.DiGraph = nx.DiGraph()
        full.add_nodes_from(self._tasks)
        for ref, deps in backlog.dependencies.items():
            full.add_edges_from((dep, ref) for dep in deps)
        if not nx.is_directed_acyclic_graph(full):
            raise HeraPipelinesError(
                f"dependency cycle: {_describe_cycle(full)} (each task depends on the next)",
                file=self.source,
            )
        self.full = full
        runnable: list[str] = []
        blocked: list[str] = []
        skipped: list[str] = []
        stopping: set[str] = set()  # deferred or blocked: their dependents cannot run
        for ref in _stable_topological_order(full):
            status = self._tasks[ref].status
            if status.satisfies:
                skipped.append(ref)
            elif status is Status.DEFERRED:
                skipped.append(ref)
                stopping.add(ref)
            elif any(dep in stopping for dep in full.predecessors(ref)):
                blocked.append(ref)
                stopping.add(ref)
            else:
                runnable.append(ref)
        self.blocked: tuple[str, ...] = tuple(sorted(blocked, key=id_sort_key))
        self.skipped: tuple[str, ...] = tuple(sorted(skipped, key=id_sort_key))
        # The DAG the play runs: runnable tasks and the dependencies between them.
        self.dag: nx.DiGraph = full.subgraph(runnable).copy()

    # -- tasks -----------------------------------------------------------------------------
    def task(self, ref: str) -> Task:
        """The task with normalised id `ref`."""
        return self._tasks[ref]

    @property
    def tasks(self) -> tuple[Task, ...]:
        """Every task of the backlog, in file order."""
        return tuple(self._tasks.values())

    def priority(self, ref: str) -> Priority:
        """The task's priority (`medium` when the backlog gives none)."""
        return self._tasks[ref].priority

    def dependencies(self, ref: str) -> tuple[str, ...]:
        """The runnable tasks that runnable task `ref` waits for, sorted by id.

        Dependencies on `done`/`cancelled` tasks are already satisfied and left out.
        """
        return self._dependencies[ref]

    @cached_property
    def _dependencies(self) -> dict[str, tuple[str, ...]]:
        # asked for every task several times while rendering a play: sorted once
        return {ref: tuple(sorted(self.dag.predecessors(ref), key=id_sort_key)) for ref in self.dag}

    @property
    def runnable(self) -> tuple[str, ...]:
        """The tasks that will run, in `topological_order`."""
        return tuple(self.topological_order)

    # -- orders ----------------------------------------------------------------------------
    @cached_property
    def waves(self) -> tuple[tuple[str, ...], ...]:
        """Topological generations of the runnable DAG, ids sorted within each wave."""
        return tuple(
            tuple(sorted(wave, key=id_sort_key)) for wave in nx.topological_generations(self.dag)
        )

    @cached_property
    def topological_order(self) -> tuple[str, ...]:
        """The waves, one after the other: a stable topological order of the runnable tasks."""
        return tuple(ref for wave in self.waves for ref in wave)

    @property
    def max_parallel(self) -> int:
        """The widest wave: how many tasks could run at once with no concurrency cap."""
        return max((len(w) for w in self.waves), default=0)

    @cached_property
    def critical_path(self) -> tuple[str, ...]:
        """A longest dependency chain (by task count) among runnable tasks, first task first.

        Ties: the chain ends at the smallest id among the longest, and each step back goes to the
        smallest id among the dependencies with the longest chain.
        """
        length: dict[str, int] = {}
        previous: dict[str, str | None] = {}
        for ref in self.topological_order:
            deps = list(self.dag.predecessors(ref))
            best = min(deps, key=lambda d: (-length[d], id_sort_key(d))) if deps else None
            previous[ref] = best
            length[ref] = 1 + (length[best] if best is not None else 0)
        if not length:
            return ()
        end: str | None = min(length, key=lambda r: (-length[r], id_sort_key(r)))
        chain: list[str] = []
        while end is not None:
            chain.append(end)
            end = previous[end]
        return tuple(reversed(chain))

    def schedule(self, concurrency: int) -> tuple[tuple[str, ...], ...]:
        """Rounds of a priority-first list schedule with at most `concurrency` tasks per round.

        Each round starts the ready tasks (every dependency finished in an earlier round) in
        order of priority (high, medium, low), then id, up to the cap; every task takes one round.
        """
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        waiting = {ref: self.dag.in_degree(ref) for ref in self.dag}
        ready = [self._ready_key(ref) for ref, n in waiting.items() if n == 0]
        heapq.heapify(ready)
        rounds: list[tuple[str, ...]] = []
        while ready:
            started = [heapq.heappop(ready)[2] for _ in range(min(concurrency, len(ready)))]
            rounds.append(tuple(started))
            for ref in started:
                for dependent in self.dag.successors(ref):
                    waiting[dependent] -= 1
                    if waiting[dependent] == 0:
                        heapq.heappush(ready, self._ready_key(dependent))
        return tuple(rounds)

    def _ready_key(self, ref: str) -> tuple[int, tuple[tuple[int, int, str], ...], str]:
        return (self._tasks[ref].priority.rank, id_sort_key(ref), ref)


def _stable_topological_order(graph: nx.DiGraph) -> list[str]:
    return list(nx.lexicographical_topological_sort(graph, key=id_sort_key))


def _describe_cycle(graph: nx.DiGraph) -> str:
    """One cycle as `3 -> 7 -> 3` in "depends on" order, starting from its smallest id."""
    edges = nx.find_cycle(graph)
    # edges run dependency -> dependent; reversed, each node depends on the next
    nodes = [str(v) for _, v, *_ in reversed(edges)]
    start = min(range(len(nodes)), key=lambda i: id_sort_key(nodes[i]))
    nodes = nodes[start:] + nodes[:start]
    return " -> ".join([*nodes, nodes[0]])
