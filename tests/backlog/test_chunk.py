"""Chunking: bounded groups in dependency order that keep every dependency of the backlog."""

from __future__ import annotations

import pytest

from hera_pipelines.backlog.chunk import DEFAULT_CHUNK_SIZE, chunk_tasks
from hera_pipelines.backlog.generate import generate_backlog
from hera_pipelines.backlog.graph import BacklogGraph
from hera_pipelines.backlog.load import load_backlog, parse_backlog

from .helpers import SHARED


def check_chunks(graph: BacklogGraph, backlog_deps: dict[str, tuple[str, ...]], size: int) -> int:
    chunks = chunk_tasks(graph, size)
    home = {ref: c.index for c in chunks for ref in c.tasks}
    # every runnable task is in exactly one chunk, each chunk within the limit, indices 0..n-1
    assert sorted(home) == sorted(graph.runnable)
    assert sum(len(c.tasks) for c in chunks) == len(graph.runnable)
    assert all(0 < len(c.tasks) <= size for c in chunks)
    assert [c.index for c in chunks] == list(range(len(chunks)))
    # chunks only wait for earlier chunks (a DAG in index order)
    assert all(d < c.index for c in chunks for d in c.depends_on)
    kept = 0
    for ref, deps in backlog_deps.items():
        for dep in deps:
            if ref not in home or dep not in home:
                continue  # a done/cancelled dependency is satisfied; nothing to keep
            here, there = home[ref], home[dep]
            # inside one chunk, or the dependent's chunk waits for the dependency's chunk
            assert here == there or there in chunks[here].depends_on, (dep, ref)
            if here == there:  # and inside, the dependency comes first
                assert chunks[here].tasks.index(dep) < chunks[here].tasks.index(ref)
            kept += 1
    # no chunk waits without a reason
    for c in chunks:
        reasons = {home[d] for ref in c.tasks for d in graph.dependencies(ref)} - {c.index}
        assert set(c.depends_on) == reasons
    return kept


@pytest.mark.parametrize("done_fraction", [0.0, 0.3])
def test_chunking_a_1000_task_backlog_keeps_every_dependency(done_fraction: float) -> None:
    document = generate_backlog(1000, seed=6, done_fraction=done_fraction)
    backlog = parse_backlog(document, source="generated")
    graph = BacklogGraph(backlog)
    kept = check_chunks(graph, backlog.dependencies, DEFAULT_CHUNK_SIZE)
    all_deps = sum(len(d) for d in backlog.dependencies.values())
    if done_fraction == 0.0:
        assert kept == all_deps >= 1000  # every task has 1..3 dependencies but task 1
        assert len(chunk_tasks(graph)) == 5
    else:
        assert 0 < kept < all_deps


@pytest.mark.parametrize("size", [1, 2, 3, 7, 1000])
def test_chunking_the_legacy_backlog(size: int) -> None:
    backlog = load_backlog(SHARED / "tasks.legacy.json")
    check_chunks(BacklogGraph(backlog), backlog.dependencies, size)


def test_chunk_size_must_be_positive() -> None:
    graph = BacklogGraph(parse_backlog([], source="b"))
    assert chunk_tasks(graph) == ()
    with pytest.raises(ValueError, match="at least 1"):
        chunk_tasks(graph, 0)
