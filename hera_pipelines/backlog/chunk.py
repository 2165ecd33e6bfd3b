"""Split the runnable tasks into bounded groups, so a huge backlog becomes a workflow of workflows.

Argo keeps a whole workflow in one object, so a play over thousands of tasks is cut into chunks
of at most `size` tasks. Chunks are consecutive slices of the stable topological order, so every
dependency either stays inside one chunk or points to an earlier chunk, and the chunks themselves
form a DAG in index order.
"""

from __future__ import annotations

from dataclasses import dataclass

from hera_pipelines.backlog.graph import BacklogGraph

__all__ = ["DEFAULT_CHUNK_SIZE", "Chunk", "chunk_tasks"]

DEFAULT_CHUNK_SIZE = 200


@dataclass(frozen=True)
class Chunk:
    """One group of runnable tasks and the earlier groups it must wait for."""

    index: int  # position in dependency order, from 0
    tasks: tuple[str, ...]  # task refs, in the graph's topological order
    depends_on: tuple[int, ...]  # indices of the earlier chunks holding a dependency, ascending


def chunk_tasks(graph: BacklogGraph, size: int = DEFAULT_CHUNK_SIZE) -> tuple[Chunk, ...]:
    """The runnable tasks of `graph` in chunks of at most `size`, in dependency order.

    A dependency between two runnable tasks is kept either inside a chunk (both ends in it) or as
    `depends_on` of the dependent's chunk naming the dependency's chunk.
    """
    if size < 1:
        raise ValueError("chunk size must be at least 1")
    order = graph.topological_order
    slices = [order[i : i + size] for i in range(0, len(order), size)]
    home = {ref: n for n, refs in enumerate(slices) for ref in refs}
    chunks = []
    for n, refs in enumerate(slices):
        needs = {home[dep] for ref in refs for dep in graph.dag.predecessors(ref)} - {n}
        chunks.append(Chunk(index=n, tasks=refs, depends_on=tuple(sorted(needs))))
    return tuple(chunks)
