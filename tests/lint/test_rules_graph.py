"""lint/rules/graph.py: rules across files."""

from __future__ import annotations

import pytest

from tests.lint._table import Case, check
from tests.lint.conftest import FILES, lint_files

CASES = [
    Case("HP301", "sensor/github-pull-request.yaml", "                  name: pr-flow\n",
         "                  name: pr-flowx\n", "not in the set"),
    Case("HP303", "configmap/hera-pipelines-semaphores.yaml", "  name: hera-pipelines-semaphores\n",
         "  name: other-semaphores\n", "not in the set"),
    Case("HP304", "eventsource/github.yaml", "        - pull_request\n", "",
         "'pull_request' is not in EventSource"),
    Case("HP305", "sensor/github-pull-request.yaml", "    serviceAccountName: hera-pipelines-sensor\n",
         "    serviceAccountName: hera-pipelines-sensorx\n", "not in the set"),
    Case("HP306", "role/hera-pipelines-sensor.yaml", "      - update\n", "      - update\n      - delete\n",
         "grants delete on workflows"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule(case: Case) -> None:
    check(case)


def test_suspend_without_resume_trigger() -> None:
    files = {k: v for k, v in FILES.items() if k != "sensor/github-task-merge.yaml"}
    [finding] = lint_files(files, "HP302")
    assert finding.name == "task-pipeline"
    assert "no Sensor resume trigger" in finding.message
    assert not [f for f in lint_files(FILES, "HP302") if f.severity != "note"]


def test_missing_grant_is_an_error() -> None:
    files = dict(FILES)
    files["role/hera-pipelines-sensor.yaml"] = files["role/hera-pipelines-sensor.yaml"].replace(
        "      - create\n", "", 1
    )
    findings = lint_files(files, "HP306")
    assert [f.message for f in findings] == [
        "missing create on workflows.argoproj.io (needed by templates)"
    ]
