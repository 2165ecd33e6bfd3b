"""What a rule is (`Rule`, made by the `rule` decorator) and what it sees (`Context`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from hera_pipelines.lint.document import Document, PathPart, field_path
from hera_pipelines.lint.finding import Finding, Severity
from hera_pipelines.lint.settings import LintSettings

__all__ = ["Check", "Context", "Rule", "rule"]


@dataclass
class Context:
    """Everything a rule may look at besides its own object: the whole set, and the settings."""

    documents: Sequence[Document]
    texts: Mapping[str, str]
    settings: LintSettings
    memo: dict[str, Any] = field(default_factory=dict)

    def of_kind(self, *kinds: str) -> list[Document]:
        index: dict[str, list[Document]] = self.memo.setdefault("_by_kind", {})
        if not index:
            for doc in self.documents:
                index.setdefault(doc.kind, []).append(doc)
        return [d for kind in kinds for d in index.get(kind, [])]

    def find(self, kind: str, name: str) -> Document | None:
        """The first object of `kind` named `name`."""
        index: dict[tuple[str, str], Document] = self.memo.setdefault("_by_name", {})
        if not index:
            for doc in reversed(self.documents):
                index[(doc.kind, doc.name)] = doc
        return index.get((kind, name))


Check = Callable[[Document, Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """A check with a stable id, the kinds it targets (empty: all) and why it exists."""

    id: str
    name: str
    group: str
    severity: Severity
    summary: str
    kinds: frozenset[str]
    check: Check = field(compare=False, repr=False)
    # run without --select; False for slow or opinionated rules (select them by id or group)
    default: bool = True

    def applies_to(self, doc: Document) -> bool:
        return not self.kinds or doc.kind in self.kinds

    def run(self, doc: Document, context: Context) -> Iterator[Finding]:
        yield from self.check(doc, context)

    def at(
        self,
        doc: Document,
        parts: Sequence[PathPart],
        message: str,
        severity: Severity | None = None,
        *,
        line: int | None = None,
    ) -> Finding:
        """A finding of this rule on `doc` at `parts` (line looked up unless given)."""
        return Finding(
            file=doc.file,
            line=doc.line(parts) if line is None else line,
            kind=doc.kind,
            name=doc.name,
            field=field_path(parts),
            rule=self.id,
            severity=severity or self.severity,
            message=message,
        )


def rule(
    id: str,
    name: str,
    *,
    group: str,
    severity: Severity,
    summary: str,
    kinds: Iterable[str] = (),
    default: bool = True,
) -> Callable[[Check], Rule]:
    """Make a function `(doc, context) -> Iterable[Finding]` into a `Rule`."""

    def wrap(check: Check) -> Rule:
        return Rule(id, name, group, severity, summary, frozenset(kinds), check, default)

    return wrap
