"""`make bench` figures for `lint`: whole-process throughput on ≥ 2,000 rendered documents.

The set: a project whose backlog is `hera_pipelines.backlog.generate` (1,000 tasks, fixed seed)
is rendered once, and its folder copied until it holds at least 2,000 YAML documents. Three
processes run over the same files (medians; lint and libyaml alternate `REPEATS` times and
their ratio is the median of each pair's, since this machine's speed drifts within minutes;
jsonschema once):

- lint: `python -m hera_pipelines lint DIR` (default rules, text output);
- libyaml: the same files loaded with PyYAML's C loader, nothing else;
- jsonschema: libyaml loading plus plain `jsonschema` (Draft 7, every error) against the same
  vendored, tightened schemas lint uses (`hera_pipelines.schemas.schema_for`) for every
  document of a known kind: what schema checking costs without compiled validators. It checks
  no embedded manifest and runs no rule, so it is a floor for the schema part only.

Only lint may exit 1 (it has findings on this set); a floor process that fails stops the
bench, so no floor is ever a figure of a crashed run.

CPU seconds (user + system, from `os.wait4`) are compared, because wall time on a shared
machine measures the neighbours. Targets (issue 13): ≥ 2,000 documents/s on one core, lint ≤ 3x
libyaml. The compiled-schema cache is warmed by one untimed run first.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hera_pipelines.backlog.generate import write_backlog

__all__ = ["MIN_DOCUMENTS", "REPEATS", "main"]

MIN_DOCUMENTS = 2_000
# lint exits 1 when it has error findings (the set has some), 0 when clean
_LINT_EXITS = (0, 1)
REPEATS = 3
TASKS = 1_000
SEED = 6

_PARSE = """
import sys, yaml
from pathlib import Path
n = 0
for p in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    for d in yaml.load_all(p.read_text("utf-8"), Loader=yaml.CSafeLoader):
        n += d is not None
print(n)
"""
_JSONSCHEMA = """
import sys, yaml, jsonschema
from pathlib import Path
from hera_pipelines.schemas import schema_for
from hera_pipelines.schemas.source import source_of
validators = {}
n = 0
for p in sorted(Path(sys.argv[1]).rglob("*.yaml")):
    for d in yaml.load_all(p.read_text("utf-8"), Loader=yaml.CSafeLoader):
        if not isinstance(d, dict):
            continue
        source = source_of(str(d.get("apiVersion", "")), str(d.get("kind", "")))
        if source is None:
            continue
        if source not in validators:
            validators[source] = jsonschema.Draft7Validator(schema_for(source))
        n += 1
        for _ in validators[source].iter_errors(d):
            pass
print(n)
"""


def _run(command: list[str], allowed: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one process, which must exit with an `allowed` code.

    A floor that failed part-way would print a flattering figure, so only lint may exit 1
    (findings); anything else stops the bench with the process's stderr.
    """
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    code = os.waitstatus_to_exitcode(status)
    if code not in allowed:
        raise SystemExit(f"{command[:4]} exited {code}:\n{stderr}")
    return wall, usage.ru_utime + usage.ru_stime


def _build(base: Path) -> tuple[Path, int, int]:
    """(folder, documents, files) of the copied render."""
    project = base / "project"
    write_backlog(project / ".taskmaster" / "tasks" / "tasks.json", TASKS, seed=SEED)
    (project / "pipelines.yaml").write_text("repository: acme/widgets\n", encoding="utf-8")
    command = [sys.executable, "-m", "hera_pipelines", "render", "--config"]
    subprocess.run([*command, str(project / "pipelines.yaml")], check=True, capture_output=True)
    rendered = project / "manifests"
    per_copy = sum(1 for _ in rendered.rglob("*.yaml"))
    copies = -(-MIN_DOCUMENTS // per_copy)
    folder = base / "set"
    for index in range(copies):
        shutil.copytree(rendered, folder / f"copy-{index:03d}")
    return folder, per_copy * copies, per_copy * copies


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="lint-bench-") as tmp:
        folder, documents, files = _build(Path(tmp))
        size = sum(p.stat().st_size for p in folder.rglob("*.yaml")) / 2**20
        lint = [sys.executable, "-m", "hera_pipelines", "lint", str(folder)]
        lint += ["--config", str(Path(tmp) / "none.yaml")]
        _run(lint, _LINT_EXITS)  # warm the compiled-schema cache
        cases = {
            "lint": lint,
            "libyaml": [sys.executable, "-c", _PARSE, str(folder)],
            "jsonschema": [sys.executable, "-c", _JSONSCHEMA, str(folder)],
        }
        print(f"{documents} documents in {files} files, {size:.1f} MiB ({TASKS}-task render)")
        print(f"{'process':>11} {'wall s':>8} {'CPU s':>7} {'docs/CPU s':>11}")
        # lint and its libyaml floor alternate, and the ratio is the median of each pair's:
        # this machine's speed drifts by tens of percent within minutes, a pair shares it
        pairs = [(_run(cases["lint"], _LINT_EXITS), _run(cases["libyaml"])) for _ in range(REPEATS)]
        once = _run(cases["jsonschema"])  # the slowest floor: once is enough to compare
        figures: dict[str, float] = {
            "lint": statistics.median(lint[1] for lint, _ in pairs),
            "libyaml": statistics.median(parse[1] for _, parse in pairs),
            "jsonschema": once[1],
        }
        walls = {
            "lint": statistics.median(lint[0] for lint, _ in pairs),
            "libyaml": statistics.median(parse[0] for _, parse in pairs),
            "jsonschema": once[0],
        }
        for name, cpu in figures.items():
            print(f"{name:>11} {walls[name]:>8.2f} {cpu:>7.2f} {documents / cpu:>11.0f}")
        rate = documents / figures["lint"]
        floor = documents / figures["libyaml"]
        parse = statistics.median(lint[1] / libyaml[1] for lint, libyaml in pairs)
        print(
            f"lint: {rate:.0f} documents/CPU s (target ≥ 2,000: "
            f"{'ok' if rate >= 2_000 else 'MISSED'}; libyaml alone reads {floor:.0f}/s of "
            f"these {size * 2**10 / documents:.0f} KiB documents, so no process that parses "
            f"them reaches it); {parse:.2f}x libyaml (target ≤ 3x: "
            f"{'ok' if parse <= 3 else 'MISSED'}); "
            f"{figures['lint'] / figures['jsonschema']:.2f}x the CPU of libyaml + plain jsonschema "
            "validation (which checks schemas only, not embedded manifests or rules)"
        )


if __name__ == "__main__":
    main()
