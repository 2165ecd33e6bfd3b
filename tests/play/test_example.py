"""The taskmaster example: committed manifests match the render and hold the play."""

from __future__ import annotations

from hera_pipelines.cli import main
from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "taskmaster"


def test_committed_manifests_are_up_to_date() -> None:
    assert main(["render", "--config", str(EXAMPLE / "pipelines.yaml"), "--check"]) == 0


def test_example_holds_the_play_objects() -> None:
    manifests = EXAMPLE / "manifests"
    for path in (
        "workflowtemplate/play.yaml",
        "workflowtemplate/task-pipeline.yaml",
        "persistentvolumeclaim/taskboard-workspace.yaml",
        "sensor/github-play.yaml",
    ):
        assert (manifests / path).is_file(), path
