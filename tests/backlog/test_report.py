"""Output formats: fixed plan -> exact text; Mermaid follows its grammar, DOT parses with pydot."""

from __future__ import annotations

import io
import re
from typing import Any

import pydot
import pytest

from hera_pipelines.backlog.generate import generate_backlog
from hera_pipelines.backlog.graph import BacklogGraph
from hera_pipelines.backlog.load import parse_backlog
from hera_pipelines.backlog.plan import Plan
from hera_pipelines.backlog.report.registry import FORMATS, new
from hera_pipelines.errors import HeraPipelinesError

from .helpers import SHARED, Runner, Writer

# pydot 4 builds its parser with pyparsing names that pyparsing 3.3 deprecates
pytestmark = pytest.mark.filterwarnings(r"ignore:'\w+' deprecated:DeprecationWarning")

SMALL = {
    "tasks": [
        {"id": 1, "title": 'Set up "core" <lib>', "priority": "high", "dependencies": []},
        {"id": 2, "title": "Build API #2", "status": "in-progress", "dependencies": [1]},
        {"id": 3, "title": "Docs", "status": "done", "dependencies": []},
        {"id": 4, "title": "Release", "priority": "low", "dependencies": [2, 3]},
        {"id": 5, "title": "Later", "status": "deferred", "dependencies": []},
        {"id": 6, "title": "After later [x]", "dependencies": [5, 1]},
        {"id": 7, "title": "Side", "status": "review", "dependencies": []},
    ]
}

MERMAID = """\
graph TD
  %% 1 done or cancelled tasks not shown
  t_1["1: Set up #quot;core#quot; #lt;lib#gt;"]
  t_2["2: Build API #35;2"]
  t_4["4: Release"]
  t_5["5: Later"]
  t_6["6: After later [x]"]
  t_7["7: Side"]
  t_1 --> t_2
  t_2 --> t_4
  t_1 --> t_6
  t_5 --> t_6
  classDef critical stroke:#d33,stroke-width:3px
  class t_1,t_2,t_4 critical
  classDef blocked fill:#fdd,stroke:#c33,color:#600
  class t_6 blocked
  classDef deferred fill:#eee,stroke:#999,color:#666,stroke-dasharray:4 3
  class t_5 deferred
"""

DOT = """\
digraph backlog {
  rankdir=TB;
  node [shape=box, style="rounded"];
  "1" [label="1: Set up \\"core\\" <lib>", penwidth=3];
  "2" [label="2: Build API #2", penwidth=3];
  "4" [label="4: Release", penwidth=3];
  "5" [label="5: Later", style="rounded,dashed", color="gray50", fontcolor="gray40"];
  "6" [label="6: After later [x]", color="red3", fontcolor="red4"];
  "7" [label="7: Side"];
  "1" -> "2";
  "2" -> "4";
  "1" -> "6";
  "5" -> "6";
  { rank=same; "1"; "7"; }
  { rank=same; "2"; }
  { rank=same; "4"; }
}
"""

TABLE = """\
plan of {path} (tag master)
┏━━━━━━┳━━━━┳━━━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━┓
┃ wave ┃ id ┃ priority ┃ after ┃ title               ┃
┡━━━━━━╇━━━━╇━━━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━┩
│    1 │ 1* │ high     │       │ Set up "core" <lib> │
│      │  7 │ medium   │       │ Side                │
├──────┼────┼──────────┼───────┼─────────────────────┤
│    2 │ 2* │ medium   │ 1     │ Build API #2        │
├──────┼────┼──────────┼───────┼─────────────────────┤
│    3 │ 4* │ low      │ 2     │ Release             │
└──────┴────┴──────────┴───────┴─────────────────────┘
blocked (waits on a deferred task): 6
skipped: 3 (done), 5 (deferred)
4 tasks to run in 3 waves, at most 2 at once; critical path (*): 1 -> 2 -> 4; 3 rounds at concurrency 2
"""  # noqa: E501


@pytest.fixture(autouse=True)
def _plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "90")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


@pytest.mark.parametrize(
    ("fmt", "expected"), [("mermaid", MERMAID), ("dot", DOT), ("table", TABLE)]
)
def test_exact_output(fmt: str, expected: str, write: Writer, plan: Runner) -> None:
    path = write(SMALL)
    code, out, err = plan(path, "--format", fmt, "--concurrency", "2")
    assert (code, err) == (0, "")
    assert out == (expected.replace("{path}", str(path)) if fmt == "table" else expected)


def render(fmt: str, document: Any, tag: str = "master") -> str:
    graph = BacklogGraph(parse_backlog(document, source="b.json", tag=tag))
    out = io.StringIO()
    new(fmt)(Plan(graph), out)
    return out.getvalue()


MERMAID_LINE = re.compile(
    r"""^\ \ (?:
        %%.*                                          # comment
      | t_[a-z0-9_]+\["[^"\n]*"\]                     # node with a quoted label
      | t_[a-z0-9_]+\ -->\ t_[a-z0-9_]+               # edge
      | classDef\ [a-z]+\ [-a-z]+:[^\s,]+(?:,[-a-z]+:[^,]+)*   # class definition
      | class\ t_[a-z0-9_]+(?:,t_[a-z0-9_]+)*\ [a-z]+ # class assignment
    )$""",
    re.VERBOSE,
)


def check_mermaid(text: str) -> tuple[set[str], int]:
    lines = text.splitlines()
    assert lines[0] == "graph TD"
    bad = [line for line in lines[1:] if not MERMAID_LINE.match(line)]
    assert bad == []
    nodes = {line.split("[", 1)[0].strip() for line in lines if '["' in line}
    edges = [line.split(" --> ") for line in lines if " --> " in line]
    assert all(a.strip() in nodes and b in nodes for a, b in edges)  # no dangling edge
    return nodes, len(edges)


def check_dot(text: str) -> tuple[set[str], int]:
    (graph,) = pydot.graph_from_dot_data(text)
    nodes = {n.get_name().strip('"') for n in graph.get_nodes()} - {"node"}
    edges = graph.get_edges()
    assert {e.get_source().strip('"') for e in edges} <= nodes
    assert {e.get_destination().strip('"') for e in edges} <= nodes
    return nodes, len(edges)


def test_mermaid_and_dot_of_the_shared_legacy_backlog() -> None:
    document = (SHARED / "tasks.legacy.json").read_text()
    import json

    data = json.loads(document)
    mermaid_nodes, mermaid_edges = check_mermaid(render("mermaid", data))
    dot_nodes, dot_edges = check_dot(render("dot", data))
    assert dot_nodes == {"14", "15", "19", "20", "21", "22"}
    assert len(mermaid_nodes) == 6
    assert mermaid_edges == dot_edges == 2


def test_mermaid_and_dot_with_awkward_ids_and_titles() -> None:
    tasks = [
        {"id": "Auth_Setup", "title": 'He said "hi" \\ <b> #1 `x`', "dependencies": []},
        {"id": "auth-setup", "title": "end", "dependencies": ["Auth_Setup"]},
        {"id": 3, "title": "graph TD\nnewline", "dependencies": ["auth-setup"]},
    ]
    nodes, edges = check_mermaid(render("mermaid", tasks))
    assert (len(nodes), edges) == (3, 2)  # the two auth ids do not collide
    dot_nodes, dot_edges = check_dot(render("dot", tasks))
    assert (dot_nodes, dot_edges) == ({"Auth_Setup", "auth-setup", "3"}, 2)


def test_mermaid_and_dot_of_a_generated_backlog() -> None:
    document = generate_backlog(300, seed=1, done_fraction=0.2)
    nodes, edges = check_mermaid(render("mermaid", document))
    dot_nodes, dot_edges = check_dot(render("dot", document))
    assert len(nodes) == len(dot_nodes) > 200
    assert edges == dot_edges > 200


def test_unknown_format_lists_the_valid_ones() -> None:
    with pytest.raises(HeraPipelinesError, match="valid formats: dot, json, mermaid, table"):
        new("yaml")
    assert list(FORMATS) == sorted(FORMATS)
