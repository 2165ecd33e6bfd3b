"""lint/rules/size.py: object and template sizes, DAG width, lifecycle."""

from __future__ import annotations

import pytest

from hera_pipelines.lint.settings import LintSettings
from tests.lint._table import Case, check

BIG = (
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  blob: "
    + "x" * 300_000
    + "\n"
)
TEMPLATE = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: huge
spec:
  activeDeadlineSeconds: 60
  podGC: {strategy: OnPodSuccess}
  ttlStrategy: {secondsAfterCompletion: 60}
  templates:
  - name: main
    container:
      image: alpine:3.20
      args: ["%s"]
""" % ("y" * 140_000)

CASES = [
    Case("HP601", "configmap/big.yaml", "", BIG, "limit 256 KiB"),
    Case("HP602", "workflowtemplate/huge.yaml", "", TEMPLATE, "KiB as JSON"),
    Case("HP603", "workflowtemplate/play.yaml", "", "", "(cap 2)",
         settings=LintSettings(max_dag_tasks=2)),
    Case("HP604", "workflowtemplate/pr-flow.yaml", "  activeDeadlineSeconds: 21600\n", "",
         "no activeDeadlineSeconds"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule(case: Case) -> None:
    if case.rule == "HP603":
        from tests.lint.conftest import FILES, lint_files

        assert lint_files(FILES, "HP603", case.settings)
        assert not lint_files(FILES, "HP603")
        return
    check(case)
