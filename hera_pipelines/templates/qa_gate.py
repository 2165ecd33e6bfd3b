"""qa-gate: the two git steps that enforce "QA only adds tests" outside the QA agent.

`head-sha` records the branch tip before QA runs; `paths-gate` fails when any path changed
since then falls outside the configured test globs. Both scripts are constant text: branch
names arrive as base64 in an environment variable and are decoded in the shell, SHAs as
environment variables checked by `case`, never inside the script.
"""

from __future__ import annotations

from typing import Any

from hera.workflows import Env, Parameter, Script, SecretEnv
from hera.workflows import models as _m

from hera_pipelines.config.project import Project
from hera_pipelines.workflows.contract import Flow
from hera_pipelines.workflows.frame import flow_template, git_token_env, step_resources
from hera_pipelines.workflows.guard import unprivileged
from hera_pipelines.workflows.quality import (
    QA_GATE,
    QA_GATE_HEAD_REF,
    QA_GATE_HEAD_SHA,
    QA_GATE_PATHS,
    QA_GATE_SPEC,
)

__all__ = ["FLOW", "HEAD_SHA_SCRIPT", "PATHS_GATE_SCRIPT", "case_patterns", "manifests"]

NAME, HEAD_SHA, PATHS_GATE = QA_GATE, QA_GATE_HEAD_SHA, QA_GATE_PATHS

_AUTH = """\
set -eu
set -f
HEAD_REF=$(printf '%s' "$HEAD_REF_B64" | base64 -d)
case "$HEAD_REF" in ''|-*) echo "bad head branch" >&2; exit 1 ;; esac
case "$REPOSITORY" in */*) ;; *) echo "bad repository" >&2; exit 1 ;; esac
remote="${GIT_SERVER}/${REPOSITORY}.git"
auth=""
if [ -n "${GIT_TOKEN:-}" ]; then
  auth="Authorization: Basic $(printf 'x-access-token:%s' "$GIT_TOKEN" | base64 | tr -d '\\n')"
fi
"""

HEAD_SHA_SCRIPT = (
    _AUTH
    + """\
sha=$(git -c "http.extraHeader=${auth}" ls-remote "$remote" "refs/heads/${HEAD_REF}" | cut -f1)
if [ -z "$sha" ]; then
  echo "branch not found: ${HEAD_REF}" >&2
  exit 1
fi
printf '%s' "$sha" > /tmp/sha
echo "head of ${HEAD_REF} before QA: $sha"
"""
)

PATHS_GATE_SCRIPT = (
    _AUTH
    + """\
git init -q /tmp/repo
cd /tmp/repo
case "$BASE_SHA" in *[!0-9a-f]*|'') echo "bad base SHA" >&2; exit 1 ;; esac
git -c "http.extraHeader=${auth}" fetch -q --filter=blob:none "$remote" "refs/heads/${HEAD_REF}"
git diff --name-only "$BASE_SHA" FETCH_HEAD > /tmp/changed
bad=0
while IFS= read -r path; do
  ok=0
  while IFS= read -r pattern; do
    [ -n "$pattern" ] || continue
    case "$path" in
      $pattern) ok=1 ;;
    esac
  done <<PATTERNS
${TEST_PATHS}
PATTERNS
  if [ "$ok" -eq 0 ]; then
    echo "QA changed a non-test path: $path" >&2
    bad=1
  fi
done < /tmp/changed
[ "$bad" -eq 0 ] || exit 1
echo "QA changed only test paths ($(wc -l < /tmp/changed) files)"
"""
)


def _env(project: Project) -> list[Env | SecretEnv]:
    return [
        Env(name="GIT_SERVER", value=project.platform.git_server),
        Env(name="REPOSITORY", value="{{inputs.parameters.repository}}"),
        Env(name="HEAD_REF_B64", value=f"{{{{inputs.parameters.{QA_GATE_HEAD_REF}}}}}"),
        git_token_env(project),
    ]


def case_patterns(globs: tuple[str, ...]) -> list[str]:
    """sh `case` patterns for the test globs (`*` in `case` already spans '/').

    `**/x` becomes `x` and `*/x` so it matches at the root and in any folder, but not as the
    tail of another name (`src/mytest_x.py` must not pass for `**/test_*.py`).
    """
    out: list[str] = []
    for glob in globs:
        rest = glob
        prefixes = [""]
        if rest.startswith("**/"):
            rest = rest[3:]
            prefixes = ["", "*/"]
        rest = rest.replace("**", "*")
        out.extend(prefix + rest for prefix in prefixes)
    return list(dict.fromkeys(out))


def manifests(project: Project) -> list[dict[str, Any]]:
    image = project.platform.images.git.reference
    resources = step_resources()
    with flow_template(
        project,
        QA_GATE_SPEC,
        description="Git steps that check the QA agent changed test paths only.",
        entrypoint=None,
    ) as template:
        Script(
            name=HEAD_SHA,
            image=image,
            command=["sh"],
            source=HEAD_SHA_SCRIPT,
            inputs=[Parameter(name="repository"), Parameter(name=QA_GATE_HEAD_REF)],
            env=_env(project),
            resources=resources,
            **unprivileged(project),
            outputs=[
                Parameter(name="sha", value_from=_m.ValueFrom(path="/tmp/sha")),  # noqa: S108
            ],
        )
        test_paths = "\n".join(case_patterns(project.qa_test_paths))
        Script(
            name=PATHS_GATE,
            image=image,
            command=["sh"],
            source=PATHS_GATE_SCRIPT,
            inputs=[
                Parameter(name="repository"),
                Parameter(name=QA_GATE_HEAD_REF),
                Parameter(name="base-sha"),
            ],
            env=[
                *_env(project),
                Env(name="BASE_SHA", value="{{inputs.parameters.base-sha}}"),
                Env(name="TEST_PATHS", value=test_paths),
            ],
            resources=resources,
            **unprivileged(project),
        )
    return [template.to_dict()]


FLOW = Flow(QA_GATE_SPEC, manifests)
