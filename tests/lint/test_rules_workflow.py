"""lint/rules/workflow.py: argo lint semantics over the set."""

from __future__ import annotations

import pytest

from hera_pipelines.lint.settings import LintSettings
from tests.lint._table import Case, check
from tests.lint.conftest import edited, lint_files

PR = "workflowtemplate/pr-flow.yaml"
CASES = [
    Case("HP201", PR, "          name: coderun-template\n", "          name: coderun-templat\n",
         "not found"),
    Case("HP202", PR, "  entrypoint: main\n", "  entrypoint: mainx\n", "undefined"),
    Case("HP203", PR, "        depends: format-lint\n", "        depends: format-lintx\n",
         "not defined"),
    Case("HP204", PR, "            value: taskboard\n",
         "            value: '{{inputs.parameters.nope}}'\n", "failed to resolve"),
    Case("HP205", PR, "  name: pr-flow\n", "  name: Pr_Flow\n", "DNS-1123"),
    Case("HP206", "sensor/github-pull-request.yaml", "                    - name: head-sha\n", "",
         "'head-sha'"),
    Case("HP207", PR, "        value: acme/taskboard\n",
         "        value: acme/taskboard\n        enum: [x]\n", "enum"),
    Case("HP208", "workflowtemplate/play.yaml", "    mutexes:\n      - name: play-acme.taskboard\n",
         "    mutex:\n      name: play-acme.taskboard\n", "mutexes"),
    Case("HP209", "workflowtemplate/task-pipeline.yaml", "        image: alpine/git:v2.47.2\n",
         "        image: ''\n", "image may not be empty"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule(case: Case) -> None:
    check(case)


def test_external_templates_resolve() -> None:
    files = {k: v for k, v in edited(PR, "", "").items() if "coderun-template" not in k}
    assert lint_files(files, "HP201")
    settings = LintSettings(external_templates=frozenset({"coderun-template"}))
    assert not lint_files(files, "HP201", settings)
