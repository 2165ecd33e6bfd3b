"""lint/rules/security.py: credentials, shells, taint, RBAC, hooks, images."""

from __future__ import annotations

import pytest

from tests.lint._table import Case, check
from tests.lint.conftest import FILES, edited, lint_files

SCRIPT = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: shell
spec:
  templates:
  - name: main
    inputs:
      parameters:
      - name: title
    script:
      image: alpine:3.20
      source: echo "{{inputs.parameters.title}}"
"""
SAFE_SCRIPT = SCRIPT.replace(
    'source: echo "{{inputs.parameters.title}}"',
    'source: echo "$TITLE"\n      env:\n      - name: TITLE\n        value: "{{inputs.parameters.title}}"',
)
CLUSTER_ROLE = """\
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: wide
rules: []
"""
HOOK = "        url: http://github-eventsource-svc.agent-platform.svc:12000\n"
PUBLIC = "        url: https://hooks.example.com\n"
API_TOKEN = "      apiToken:\n        name: github-api\n        key: token\n"
# the taint rule fires on today's output; a set with only encoded free text is its clean case
# the rendered Sensors carry payload text base64-encoded (the security fix); a raw `dataKey`
# is what the taint rule must catch
ENCODED = (
    '                dataTemplate: \'{{ with (index .Input "body" "issue" "title") }}'
    "{{ b64enc (toString .) }}{{ end }}'\n"
)
TITLE = "                dataKey: body.issue.title\n"
TAINTED = {
    **FILES,
    "sensor/github-issue.yaml": FILES["sensor/github-issue.yaml"].replace(ENCODED, TITLE),
}


def _untainted() -> dict[str, str]:
    return {k: v for k, v in FILES.items() if not k.startswith("sensor/")}


CASES = [
    Case("HP501", "configmap/leak.yaml", "",
         "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leak\ndata:\n"
         "  token: ghp_abcdefghijklmnopqrstuvwxyz0123456789\n", "credential"),
    Case("HP502", "workflowtemplate/shell.yaml", "", SCRIPT, "shell line",
         clean=edited("workflowtemplate/shell.yaml", "", SAFE_SCRIPT)),
    Case("HP503", "sensor/github-issue.yaml", "", TAINTED["sensor/github-issue.yaml"],
         "free-text payload field", clean=_untainted()),
    Case("HP504", "role/hera-pipelines-sensor.yaml", "  - create\n", "  - '*'\n", "wildcard"),
    Case("HP505", "clusterrole/wide.yaml", "", CLUSTER_ROLE, "cluster-wide"),
    # with an API token the EventSource registers its webhook.url with GitHub; without
    # credentials (the example: the GitHub App delivers) the URL is never sent anywhere
    Case("HP506", "eventsource/github.yaml", HOOK, HOOK + API_TOKEN, "cluster-internal",
         clean=edited("eventsource/github.yaml", HOOK, PUBLIC + API_TOKEN)),
    Case("HP507", "eventsource/github.yaml",
         "      webhookSecret:\n        name: github-webhook\n        key: secret\n", "",
         "no webhookSecret"),
    Case("HP508", "workflowtemplate/task-pipeline.yaml", "alpine/git:v2.47.2", "alpine/git",
         "no tag"),
]  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=[c.rule for c in CASES])
def test_rule(case: Case) -> None:
    check(case)


def test_taint_is_silenced_by_b64enc() -> None:
    file = "sensor/github-issue.yaml"
    files = {k: v for k, v in FILES.items() if not k.startswith("sensor/")}
    files[file] = TAINTED[file]
    titles = [f for f in lint_files(files, "HP503") if "title" in f.message]
    assert titles
    files[file] = FILES[file]
    assert not [f for f in lint_files(files, "HP503") if "title" in f.message]


GITHUB_APP = (
    "      githubApp:\n        appID: 1\n        installationID: 2\n"
    "        privateKey:\n          name: github-app\n          key: private-key\n"
)
REPOSITORIES = (
    "      repositories:\n        - names:\n            - taskboard\n          owner: acme\n"
)


def _hook_findings(old: str, new: str) -> list[str]:
    files = edited("eventsource/github.yaml", old, new)
    return [f.message for f in lint_files(files, "HP506")]


def test_webhook_url_is_checked_only_where_a_hook_is_registered() -> None:
    # a GitHub App key and an organization: a hook per organization, at an http URL
    messages = _hook_findings(REPOSITORIES, "      organizations:\n        - acme\n" + GITHUB_APP)
    assert any("not https" in m for m in messages), messages
    # credentials but nothing to register a hook on: no hook, nothing to report
    assert _hook_findings(REPOSITORIES, API_TOKEN) == []
    # a githubApp without its private key is no credential
    assert _hook_findings(HOOK, HOOK + GITHUB_APP.replace("privateKey", "other")) == []
