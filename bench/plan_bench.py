"""`make bench` figures for `plan --format json`: whole-process time and peak memory by size.

Backlogs of 100, 1,000 and 5,000 tasks come from `hera_pipelines.backlog.generate` (fixed seed,
1-3 dependencies each). Each size runs `python -m hera_pipelines plan FILE --format json` as its
own process a few times; the best wall time and that process's own peak RSS (from `os.wait4`)
are reported, plus the in-process time of load + graph + JSON (no start-up), whose growth from
1,000 to 5,000 tasks shows whether the planner stays linear.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hera_pipelines.backlog.generate import write_backlog
from hera_pipelines.backlog.graph import BacklogGraph
from hera_pipelines.backlog.load import load_backlog
from hera_pipelines.backlog.plan import Plan
from hera_pipelines.backlog.report.registry import new

__all__ = ["SIZES", "main"]

SIZES = (100, 1_000, 5_000)
REPEATS = 3
SEED = 6


def _run_once(path: Path) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in KiB, stdout bytes) of one `plan --format json` process."""
    command = [sys.executable, "-m", "hera_pipelines", "plan", str(path), "--format", "json"]
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr = process.stderr.read().decode() if process.stderr else ""
        if process.returncode != 0:
            raise SystemExit(f"plan failed on {path}: {stderr}")
        size = out.tell()
    # ru_maxrss is KiB on Linux, bytes on macOS
    peak = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return elapsed, peak, size


def _in_process(path: Path) -> float:
    """Seconds to load, check, plan and write JSON, without interpreter start-up and imports."""
    start = time.perf_counter()
    new("json")(Plan(BacklogGraph(load_backlog(path))), io.StringIO())
    return time.perf_counter() - start


def main() -> None:
    times: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="plan-bench-") as folder:
        print(
            f"{'tasks':>6} {'best s':>8} {'median s':>9} {'peak MiB':>9} {'output KiB':>11}"
            f" {'in-process s':>13}"
        )
        for count in SIZES:
            path = write_backlog(Path(folder) / f"tasks-{count}.json", count, seed=SEED)
            runs = sorted(_run_once(path) for _ in range(REPEATS))
            best, _, size = runs[0]
            work = min(_in_process(path) for _ in range(REPEATS))
            times[count] = work
            print(
                f"{count:>6} {best:>8.3f} {runs[len(runs) // 2][0]:>9.3f} "
                f"{max(r[1] for r in runs) / 1024:>9.1f} {size / 1024:>11.1f} {work:>13.3f}",
                flush=True,
            )
    print(
        f"in-process work, 5,000 vs 1,000 tasks: {times[5_000] / times[1_000]:.2f}x "
        "(linear is 5x); process wall time is mostly interpreter start-up and imports"
    )


if __name__ == "__main__":
    main()
