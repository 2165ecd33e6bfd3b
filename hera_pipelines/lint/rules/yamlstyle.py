"""YAML hygiene with yamllint, using the default configuration documented below."""

from __future__ import annotations

from collections.abc import Iterator

from hera_pipelines.lint.document import Document
from hera_pipelines.lint.finding import Finding, Severity
from hera_pipelines.lint.rule import Context, rule

__all__ = ["YAMLLINT_CONFIG", "yamllint"]

# yamllint's `default` preset, adjusted to what Kubernetes YAML writers (ours, kubectl, Helm)
# produce: no `---` required, lists may sit at their key's indentation, long lines allowed
# (embedded scripts and Go templates), and only `true`/`false` as booleans.
YAMLLINT_CONFIG = """\
extends: default
rules:
  document-start: disable
  line-length: disable
  comments: {min-spaces-from-content: 1}
  comments-indentation: disable
  indentation: {spaces: consistent, indent-sequences: whatever}
  truthy: {allowed-values: ['true', 'false'], check-keys: true}
"""


def _config() -> object:
    from yamllint.config import YamlLintConfig

    return YamlLintConfig(YAMLLINT_CONFIG)


@rule(
    "HP701",
    "yamllint",
    group="yaml",
    severity=Severity.WARNING,
    summary="YAML hygiene (yamllint, default preset adjusted for Kubernetes YAML); opt-in.",
    default=False,
)
def yamllint(doc: Document, context: Context) -> Iterator[Finding]:
    text = context.texts.get(doc.file)
    if text is None:
        return
    key = f"yamllint:{doc.file}"
    if key not in context.memo:
        from yamllint import linter

        if "yamllint-config" not in context.memo:
            context.memo["yamllint-config"] = _config()
        context.memo[key] = [
            (p.line, p.rule or "syntax", p.desc, p.level)
            for p in linter.run(text, context.memo["yamllint-config"])
        ]
    siblings = [d for d in context.documents if d.file == doc.file]
    start = 0 if siblings[0] is doc else doc.start_line + 1
    end = doc.end_line + 1
    for line, name, message, level in context.memo[key]:
        if start <= line <= end or (siblings[-1] is doc and line > end):
            severity = Severity.ERROR if level == "error" and name == "syntax" else Severity.WARNING
            yield yamllint.at(doc, (), f"{message} ({name})", severity, line=line)
