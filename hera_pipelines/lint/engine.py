"""Run the selected rules over every document, honouring inline ignores; sorted findings out."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from hera_pipelines.lint.document import Document
from hera_pipelines.lint.finding import Finding
from hera_pipelines.lint.rule import Context, Rule
from hera_pipelines.lint.settings import LintSettings

__all__ = ["lint_documents"]


def lint_documents(
    documents: Sequence[Document],
    rules: Sequence[Rule],
    settings: LintSettings | None = None,
    texts: Mapping[str, str] | None = None,
) -> list[Finding]:
    """Every finding of `rules` over `documents`, sorted by file, line and rule."""
    context = Context(documents, texts or {}, settings or LintSettings())
    findings: set[Finding] = set()
    for doc in documents:
        for rule in rules:
            if not rule.applies_to(doc):
                continue
            if doc.ignores and (rule.id in doc.ignores or rule.name in doc.ignores):
                continue
            findings.update(rule.run(doc, context))
    return sorted(findings)
