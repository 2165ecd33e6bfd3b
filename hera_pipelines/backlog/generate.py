"""Random but reproducible TaskMaster backlogs, for benchmarks and scale tests of plan, render."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

__all__ = ["generate_backlog", "write_backlog"]

_PRIORITIES = ("high", "medium", "medium", "low")


def generate_backlog(
    count: int,
    *,
    seed: int = 0,
    max_dependencies: int = 3,
    window: int = 50,
    done_fraction: float = 0.0,
    tag: str = "master",
) -> dict[str, Any]:
    """A tagged tasks.json document of `count` tasks forming a random DAG (same seed, same bytes).

    Task `i` (ids 1..count) depends on 1..`max_dependencies` distinct tasks among the `window`
    before it, so chains grow with the backlog as in real ones. A `done_fraction` of the tasks
    are `done`; the rest are `pending`.
    """
    rng = random.Random(seed)  # noqa: S311 (reproducible test data, not secrets)
    tasks = []
    for i in range(1, count + 1):
        earlier = range(max(1, i - window), i)
        deps = sorted(rng.sample(earlier, min(len(earlier), rng.randint(1, max_dependencies))))
        tasks.append(
            {
                "id": i,
                "title": f"Generated task {i}",
                "description": f"Task {i} of a generated backlog of {count}.",
                "details": f"Implement part {i}; it builds on {deps or 'nothing'}.",
                "testStrategy": f"Unit tests for part {i}.",
                "status": "done" if rng.random() < done_fraction else "pending",
                "priority": rng.choice(_PRIORITIES),
                "dependencies": deps,
                "subtasks": [],
            }
        )
    return {tag: {"tasks": tasks, "metadata": {"description": f"generated, seed {seed}"}}}


def write_backlog(path: str | Path, count: int, *, seed: int = 0) -> Path:
    """Write `generate_backlog(count, seed=seed)` to `path` as indented JSON; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(generate_backlog(count, seed=seed), indent=2) + "\n", "utf-8")
    return path
