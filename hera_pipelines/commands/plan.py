"""`plan`: show how a TaskMaster backlog will run: waves, critical path, blocked tasks."""

from __future__ import annotations

import argparse
import sys

from hera_pipelines.backlog.chunk import DEFAULT_CHUNK_SIZE
from hera_pipelines.backlog.graph import BacklogGraph
from hera_pipelines.backlog.load import DEFAULT_BACKLOG, load_backlog
from hera_pipelines.backlog.plan import Plan
from hera_pipelines.backlog.report.registry import FORMATS, new

__all__ = ["DESCRIPTION", "HELP", "add_arguments", "run"]

HELP = "show how a TaskMaster backlog will run: waves, critical path, blocked tasks"

DESCRIPTION = f"""\
Load one tag of a TaskMaster backlog and show how the play would run it.

layouts: tagged {{"<tag>": {{"tasks": [...]}}}}, legacy {{"tasks": [...]}} and a bare array.
The tag is --tag, else currentTag of the .taskmaster/state.json that holds the file, else master.

status rules: done and cancelled tasks do not run and satisfy their dependents (listed as
"skipped"); deferred tasks do not run (also "skipped") and every task that needs one, directly or
through other such tasks, is "blocked". Every other status runs.

--format json prints one line:
  {{"tasks": <count that will run>, "waves": [[ids...], ...], "critical_path": [ids...],
   "max_parallel": k, "blocked": [ids...], "skipped": [ids...], "makespan_waves": m}}
  plus "concurrency" and "rounds_at_concurrency" with --concurrency N.
  Ids keep the backlog's own JSON type: an integer id prints as a number, a string id as a
  string. Ids sort numerically when numeric (2 before 10), text after. Waves are topological
  generations; the critical path is a longest dependency chain (ties: smallest ids); rounds come
  from a list schedule that starts ready tasks by priority (high, medium, low), then id.

The play's workflows hold at most {DEFAULT_CHUNK_SIZE} tasks each; bigger backlogs are chunked.

exit codes: 0 ok, 2 bad backlog (cycle, missing or duplicate id, self-dependency, not JSON,
wrong shape, unknown tag) or usage; the error names the file and the task ids.
"""


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {value}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "tasks_json",
        nargs="?",
        default=str(DEFAULT_BACKLOG),
        metavar="TASKS_JSON",
        help=f"the backlog (default: {DEFAULT_BACKLOG})",
    )
    parser.add_argument("--tag", help="the tag to plan (default: state.json's currentTag, master)")
    parser.add_argument(
        "--format", choices=list(FORMATS), default="table", help="output (default: table)"
    )
    parser.add_argument(
        "--concurrency",
        type=_positive,
        metavar="N",
        help="also count the rounds a priority-first schedule needs with at most N at once",
    )


def run(args: argparse.Namespace) -> int:
    writer = new(args.format)
    graph = BacklogGraph(load_backlog(args.tasks_json, tag=args.tag))
    writer(Plan(graph, args.concurrency), sys.stdout)
    return 0
