"""`make bench`: `simulate` throughput against commit c68b3b3, and the cold start of one call.

Throughput: 10,000 GitHub deliveries (the shared payloads, cycled) through the Sensors of the
first example with rendered Sensors (else the simulate tests' fixture Sensors). The payloads come
from other repositories, so each is first re-addressed to the example's repository (outside the
timing): otherwise the EventSource would drop every delivery before any Sensor ran. Sensors are
compiled once; each event is built from the payload bytes (JSON decoding included) and run
through every Sensor, as `simulate` does. The same driver runs this checkout and c68b3b3 (checked
out with `git worktree add --detach` into a temporary folder, removed afterwards) in child
processes on the same events, alternately, best of five each; one core, timed in CPU seconds
of the process (a shared machine's other load barely moves CPU time, it moves wall time a lot).

Cold start: CPU time (user + system) of one `python -m hera_pipelines simulate --format json`
process against `python -c 'import yaml'`, best of five each; also of the simulate command alone
(its module and `run`, without the CLI's parser, which imports every command module).

Every figure is printed with its floor.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
WEBHOOKS = ROOT / "tests" / "data" / "webhooks"
FIXTURES = ROOT / "tests" / "simulate" / "fixtures" / "manifests"
BASELINE = "c68b3b3"
EVENTS = 10_000
ROUNDS = 5
STARTS = 5
SPEEDUP_FLOOR = 1.5
COLD_START_CEILING = 10.0

# Runs in a child process with PYTHONPATH set to the checkout under test; prints events/s.
_DRIVER = """
import json, sys, time
import hera_pipelines
try:
    from hera_pipelines.simulate.argo.manifests import load_manifests
except ImportError:
    from hera_pipelines.simulate.manifests import load_manifests
from hera_pipelines.simulate.simulator import Simulator
root, folder, events_file, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
assert hera_pipelines.__file__.startswith(root), (hera_pipelines.__file__, root)
payloads = [(t, p.encode()) for t, p in json.load(open(events_file))]
simulator = Simulator(load_manifests(__import__("pathlib").Path(folder)))
fired = 0
start = time.process_time()
for i in range(count):
    event_type, payload = payloads[i % len(payloads)]
    fired += len(simulator.github(event_type, payload).fired())
elapsed = time.process_time() - start
print(json.dumps({"rate": count / elapsed, "fired": fired, "sensors": len(simulator.sensors)}))
"""


def _manifests() -> Path:
    for folder in sorted(ROOT.glob("examples/*/manifests")):
        if any(folder.glob("sensor/*.yaml")):
            return folder
    return FIXTURES


def _readdress(payload: bytes, repository: str | None) -> str:
    data = json.loads(payload)
    if repository is None or not isinstance(data.get("repository"), dict):
        return payload.decode()
    owner, name = repository.split("/")
    data["repository"].update(full_name=repository, name=name)
    if isinstance(data["repository"].get("owner"), dict):
        data["repository"]["owner"]["login"] = owner
    return json.dumps(data)


def _repository(folder: Path) -> str | None:
    config = folder.parent / "pipelines.yaml"
    if not config.is_file():
        return None
    value = yaml.safe_load(config.read_text()).get("repository")
    return str(value) if value else None


def _drive(checkout: Path, folder: Path, events_file: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run(
        [sys.executable, "-c", _DRIVER, str(checkout), str(folder), str(events_file), str(EVENTS)],
        env=env,
        cwd=checkout,  # `-c` puts the working folder first on sys.path
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result: dict[str, float] = json.loads(out.splitlines()[-1])
    return result


def _start_cost(argv: list[str]) -> float:
    """CPU seconds (user + system) of one child process running `argv`, best of STARTS."""
    best = float("inf")
    for _ in range(STARTS):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        spent = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        best = min(best, spent)
    return best


def _verdict(ok: bool) -> str:
    return "ok" if ok else "BELOW FLOOR"


def throughput(folder: Path) -> None:
    repository = _repository(folder)
    payloads = [
        (p.parent.name, _readdress(p.read_bytes(), repository))
        for p in sorted(WEBHOOKS.glob("*/*.json"))
    ]
    with tempfile.TemporaryDirectory(prefix="simulate-bench-") as tmp:
        events_file = Path(tmp) / "events.json"
        events_file.write_text(json.dumps(payloads))
        baseline = Path(tmp) / BASELINE
        subprocess.run(
            [
                "git",
                "-C",
                str(ROOT),
                "worktree",
                "add",
                "--quiet",
                "--detach",
                str(baseline),
                BASELINE,
            ],
            check=True,
        )
        try:
            now: list[dict[str, float]] = []
            base: list[dict[str, float]] = []
            for _ in range(ROUNDS):
                now.append(_drive(ROOT, folder, events_file))
                base.append(_drive(baseline, folder, events_file))
        finally:
            subprocess.run(
                ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(baseline)],
                check=True,
            )
    best_now = max(r["rate"] for r in now)
    best_base = max(r["rate"] for r in base)
    ratio = best_now / best_base
    where = folder.relative_to(ROOT)
    print(
        f"simulate: {EVENTS} events through {int(now[0]['sensors'])} sensors ({where}), "
        f"best of {ROUNDS}, one core, CPU time; {int(now[0]['fired'])} triggers fired "
        f"(c68b3b3: {int(base[0]['fired'])})"
    )
    print(f"  events/s now        {best_now:>10,.0f}")
    print(f"  events/s {BASELINE}    {best_base:>10,.0f}   (same events, same run)")
    verdict = _verdict(ratio >= SPEEDUP_FLOOR)
    print(f"  ratio               {ratio:>10.2f}x  floor {SPEEDUP_FLOOR}x  {verdict}")


def cold_start(folder: Path) -> None:
    payload = sorted(WEBHOOKS.glob("pull_request/*.json"))[0]
    python = sys.executable
    yaml_s = _start_cost([python, "-c", "import yaml"])
    argv = ["simulate", "--event", "pull_request", str(payload), "--manifests", str(folder)]
    cli_s = _start_cost([python, "-m", "hera_pipelines", *argv, "--format", "json"])
    command = (
        "import argparse, sys\n"
        "from hera_pipelines.commands import simulate\n"
        "parser = argparse.ArgumentParser()\n"
        "simulate.add_arguments(parser)\n"
        "sys.exit(simulate.run(parser.parse_args(sys.argv[1:])))\n"
    )
    cmd_s = _start_cost([python, "-c", command, *argv[1:], "--format", "json"])
    figures = (("python -m hera_pipelines simulate", cli_s), ("simulate command", cmd_s))
    for label, seconds in figures:
        ratio = seconds / yaml_s
        verdict = _verdict(ratio <= COLD_START_CEILING)
        print(
            f"  cold start {label:<34} {seconds * 1000:>6.0f} ms CPU = {ratio:>5.1f}x "
            f"`python -c 'import yaml'` ({yaml_s * 1000:.0f} ms)  ceiling "
            f"{COLD_START_CEILING:.0f}x  {verdict}"
        )


def main() -> None:
    folder = _manifests()
    throughput(folder)
    cold_start(folder)


if __name__ == "__main__":
    main()
