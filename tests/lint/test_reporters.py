"""Each format: fixed findings -> exact output (table tests, as kubeconform's output tests)."""

from __future__ import annotations

import io
import json

import pytest

from hera_pipelines import __version__
from hera_pipelines.lint.finding import Finding, Severity
from hera_pipelines.lint.registry import RULES
from hera_pipelines.lint.reporter import FORMATS, new_reporter
from hera_pipelines.lint.rule import Rule

ERROR = Finding(
    file="manifests/workflowtemplate/pr-flow.yaml",
    line=12,
    kind="WorkflowTemplate",
    name="pr-flow",
    field="spec.templates[0].dag.tasks[1].depends",
    rule="HP203",
    severity=Severity.ERROR,
    message="templates.main.tasks.qa dependency 'lint' not defined",
)
WARNING = Finding(
    file="manifests/eventsource/github.yaml",
    line=3,
    kind="EventSource",
    name="github",
    field="",
    rule="HP701",
    severity=Severity.WARNING,
    message="trailing spaces (trailing-spaces)",
)
RULE_SET: list[Rule] = [RULES["HP203"], RULES["HP701"]]


def _render(name: str, findings: list[Finding]) -> str:
    out = io.StringIO()
    reporter = new_reporter(name, out, RULE_SET)
    for finding in findings:
        reporter.write(finding)
    reporter.flush()
    return out.getvalue()


@pytest.mark.parametrize(
    ("findings", "expected"),
    [
        ([], ""),
        (
            [ERROR],
            "manifests/workflowtemplate/pr-flow.yaml:12: WorkflowTemplate/pr-flow: "
            "spec.templates[0].dag.tasks[1].depends: templates.main.tasks.qa dependency 'lint' "
            "not defined [HP203]\n",
        ),
        (
            [WARNING],
            "manifests/eventsource/github.yaml:3: EventSource/github: warning: trailing spaces "
            "(trailing-spaces) [HP701]\n",
        ),
    ],
)
def test_text(findings: list[Finding], expected: str) -> None:
    assert _render("text", findings) == expected


def test_json() -> None:
    assert _render("json", [ERROR, WARNING]) == (
        "[\n"
        "  {\n"
        '    "file": "manifests/workflowtemplate/pr-flow.yaml",\n'
        '    "line": 12,\n'
        '    "kind": "WorkflowTemplate",\n'
        '    "name": "pr-flow",\n'
        '    "field": "spec.templates[0].dag.tasks[1].depends",\n'
        '    "rule": "HP203",\n'
        '    "severity": "error",\n'
        '    "message": "templates.main.tasks.qa dependency \'lint\' not defined"\n'
        "  },\n"
        "  {\n"
        '    "file": "manifests/eventsource/github.yaml",\n'
        '    "line": 3,\n'
        '    "kind": "EventSource",\n'
        '    "name": "github",\n'
        '    "field": "",\n'
        '    "rule": "HP701",\n'
        '    "severity": "warning",\n'
        '    "message": "trailing spaces (trailing-spaces)"\n'
        "  }\n"
        "]\n"
    )
    assert _render("json", []) == "[]\n"


def test_sarif() -> None:
    log = json.loads(_render("sarif", [ERROR, WARNING]))
    assert log["version"] == "2.1.0"
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "hera-pipelines"
    assert driver["version"] == __version__
    assert driver["rules"][0] == {
        "id": "HP203",
        "name": "workflow-dag",
        "shortDescription": {"text": RULES["HP203"].summary},
        "fullDescription": {"text": f"{RULES['HP203'].summary} (group: workflow)"},
        "help": {
            "text": f"{RULES['HP203'].summary}\nSilence one object with "
            "`# hera-pipelines: ignore[HP203]`, or deselect with `--ignore HP203`."
        },
        "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["workflow"]},
    }
    assert driver["rules"][1]["defaultConfiguration"] == {"level": "warning"}
    assert run["results"] == [
        {
            "ruleId": "HP203",
            "level": "error",
            "message": {
                "text": "WorkflowTemplate/pr-flow: spec.templates[0].dag.tasks[1].depends: "
                "templates.main.tasks.qa dependency 'lint' not defined"
            },
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": "manifests/workflowtemplate/pr-flow.yaml",
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {"startLine": 12},
                    }
                }
            ],
            "ruleIndex": 0,
        },
        {
            "ruleId": "HP701",
            "level": "warning",
            "message": {"text": "EventSource/github: trailing spaces (trailing-spaces)"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {
                            "uri": "manifests/eventsource/github.yaml",
                            "uriBaseId": "%SRCROOT%",
                        },
                        "region": {"startLine": 3},
                    }
                }
            ],
            "ruleIndex": 1,
        },
    ]


def test_formats_are_the_factory_keys() -> None:
    assert sorted(FORMATS) == ["json", "sarif", "text"]
