"""`lint --select workflow` agrees with argo-workflows' own validation tests on every case."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from hera_pipelines.lint.argo_validate import Options, validate_workflow

CASES = Path(__file__).resolve().parents[1] / "data" / "conformance" / "workflow-validate.json"
EXPECTED_PASSES = 126


def _verdict(case: Mapping[str, Any]) -> tuple[bool, list[str]]:
    obj = yaml.safe_load(case["yaml"])
    extras = [yaml.safe_load(text) for text in case["extra"]]

    def lookup(name: str, cluster: bool) -> Mapping[str, Any] | None:
        kind = "ClusterWorkflowTemplate" if cluster else "WorkflowTemplate"
        return next(
            (e for e in extras if e["kind"] == kind and e["metadata"].get("name") == name), None
        )

    opts = case["opts"] or {}
    options = Options(
        lint=bool(opts.get("lint")),
        submit=bool(opts.get("submit")),
        defaults=opts.get("workflowDefaults") or {},
    )
    issues = validate_workflow(obj, lookup, options, kind=case["kind"])
    return not issues, [i.message for i in issues]


def test_every_upstream_case_agrees() -> None:
    cases = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    passed, failed = 0, []
    for case in cases:
        valid, messages = _verdict(case)
        if valid == (case["expect"] == "valid"):
            passed += 1
        else:
            failed.append((case["name"], case["expect"], messages[:2]))
    assert not failed, failed
    assert passed == EXPECTED_PASSES == len(cases)


# Upstream's message (its `error_contains`) is among ours for all invalid cases but one:
# TestInitContainerHasName names the calling task (templates.main.tasks.spurious); we name the
# template (templates.spurious).
EXPECTED_MESSAGES = 70


def test_upstream_messages() -> None:
    cases = json.loads(CASES.read_text(encoding="utf-8"))["cases"]
    invalid = [c for c in cases if c["expect"] != "valid"]
    matched = sum(
        any(c["expect"].get("error_contains", "") in m for m in _verdict(c)[1]) for c in invalid
    )
    assert (matched, len(invalid)) == (EXPECTED_MESSAGES, 71)
