"""Issue 11 item 9: a chunk's wait on another chunk's task follows exactly that task.

The wait script runs here against a fake `kubectl`: the dependency's Workflow succeeded → the
wait succeeds (its dependents start); failed → the wait fails (only its dependents stop);
missing while the chunk that should create it has ended → the wait fails instead of hanging.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hera_pipelines.templates.play import WAIT_SCRIPT

pytestmark = pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")

# $PHASE: the dependency's phase ("missing": NotFound); $CHUNK_PHASES: the chunk's Workflows
_FAKE_KUBECTL = """#!/bin/sh
echo "$*" >> "$CALLS"
case "$*" in
  *" -l "*) printf '%s' "$CHUNK_PHASES" ;;
  *) if [ "$PHASE" = missing ]; then echo "NotFound" >&2; exit 1; fi; printf '%s' "$PHASE" ;;
esac
"""


def _wait(tmp_path: Path, phase: str, chunk_phases: str) -> tuple[int, str, str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    kubectl = bin_dir / "kubectl"
    kubectl.write_text(_FAKE_KUBECTL)
    kubectl.chmod(0o755)
    # `sleep` must never be reached by a case that ends
    sleep = bin_dir / "sleep"
    sleep.write_text("#!/bin/sh\necho sleep-reached >&2\nexit 3\n")
    sleep.chmod(0o755)
    calls = tmp_path / "calls"
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "CALLS": str(calls),
        "PHASE": phase,
        "CHUNK_PHASES": chunk_phases,
        "DEPENDENCY": "widgets-task-7",
        "CHUNK": "play-chunk-1",
        "PLAY": "play-abcde",
        "NAMESPACE": "agent-platform",
        "RUN_LABEL": "pipelines.agents.platform/run",
        "FLOW_LABEL": "pipelines.agents.platform/flow",
    }
    done = subprocess.run(
        ["sh", "-c", WAIT_SCRIPT], env=env, capture_output=True, text=True, check=False
    )
    return done.returncode, done.stderr, calls.read_text()


def test_succeeded_dependency_releases_its_dependents(tmp_path: Path) -> None:
    code, err, calls = _wait(tmp_path, "Succeeded", "")
    assert code == 0, err
    assert "get workflows.argoproj.io widgets-task-7 -n agent-platform" in calls


@pytest.mark.parametrize("phase", ["Failed", "Error"])
def test_failed_dependency_stops_its_dependents(tmp_path: Path, phase: str) -> None:
    code, err, _ = _wait(tmp_path, phase, "")
    assert code == 1
    assert f"widgets-task-7 ended {phase}" in err


def test_dependency_never_started_by_an_ended_chunk_stops_the_wait(tmp_path: Path) -> None:
    code, err, calls = _wait(tmp_path, "missing", "Failed")
    assert code == 1
    assert "play-chunk-1 ended without starting widgets-task-7" in err
    assert (
        "-l pipelines.agents.platform/run=play-abcde,pipelines.agents.platform/flow=play-chunk-1"
        in calls
    )


@pytest.mark.parametrize(("phase", "chunk"), [("missing", "Running"), ("Running", ""), ("", "")])
def test_pending_dependency_keeps_waiting(tmp_path: Path, phase: str, chunk: str) -> None:
    code, err, _ = _wait(tmp_path, phase, chunk)
    assert (code, err.strip()) == (3, "sleep-reached")
