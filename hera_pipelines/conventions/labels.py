"""The label conventions every rendered object and started workflow carries (see DESIGN.md)."""

from __future__ import annotations

from hera_pipelines.conventions.names import label_value

__all__ = [
    "FLOW",
    "MANAGED_BY",
    "PART_OF",
    "PR",
    "PREFIX",
    "REPOSITORY",
    "RUN",
    "TASK_ID",
    "common_labels",
    "repository_label",
]

PREFIX = "pipelines.agents.platform/"
FLOW = PREFIX + "flow"
REPOSITORY = PREFIX + "repository"
PR = PREFIX + "pr"
TASK_ID = PREFIX + "task-id"
RUN = PREFIX + "run"
MANAGED_BY = "app.kubernetes.io/managed-by"
PART_OF = "app.kubernetes.io/part-of"


def repository_label(repository: str) -> str:
    """`owner/name` as a label value: owner and name joined by '.'."""
    return label_value(repository.replace("/", "."))


def common_labels(service: str, repository: str, flow: str | None = None) -> dict[str, str]:
    """Labels every object carries; `flow` only on objects that belong to one flow."""
    labels = {
        MANAGED_BY: "hera-pipelines",
        PART_OF: label_value(service),
        REPOSITORY: repository_label(repository),
    }
    if flow:
        labels[FLOW] = label_value(flow)
    return labels
