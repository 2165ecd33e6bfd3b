"""The TaskMaster task and subtask shapes, validated once so the rest of the planner trusts them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, PlainValidator

from hera_pipelines.backlog.ids import normalise_id

__all__ = ["Backlog", "Priority", "Status", "Subtask", "Task", "TaskId"]


class Status(StrEnum):
    """TaskMaster's `TASK_STATUS_OPTIONS`."""

    PENDING = "pending"
    IN_PROGRESS = "in-progress"
    REVIEW = "review"
    DONE = "done"
    DEFERRED = "deferred"
    CANCELLED = "cancelled"

    @property
    def satisfies(self) -> bool:
        """Finished for good: does not run and lets its dependents run."""
        return self in (Status.DONE, Status.CANCELLED)


class Priority(StrEnum):
    """How eagerly a ready task is started when a concurrency cap leaves a choice."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for high, 1 for medium, 2 for low: sorts the most urgent first."""
        return ("high", "medium", "low").index(self.value)


def _task_id(value: Any) -> int | str:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip():
        return value
    raise ValueError("must be an integer or a non-empty string")


# The backlog's own id, int or string, kept as written; compare through `normalise_id`.
TaskId = Annotated[int | str, PlainValidator(_task_id)]


class Subtask(BaseModel):
    """One step of a task; its id is local to the parent task."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: TaskId
    title: str = ""
    status: Status = Status.PENDING
    # A bare id names a sibling subtask; a dotted "7.2" names a subtask of another task.
    dependencies: tuple[TaskId, ...] = ()


class Task(BaseModel):
    """One backlog task: the unit the play runs from implementation to merged PR."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)

    id: TaskId
    title: str
    description: str = ""
    details: str = ""
    test_strategy: str = Field(default="", alias="testStrategy")
    status: Status = Status.PENDING
    priority: Priority = Priority.MEDIUM
    dependencies: tuple[TaskId, ...] = ()
    subtasks: tuple[Subtask, ...] = ()
    # Not in TaskMaster's own format: an optional agent key or role that should implement the
    # task (`agent` or `agentType`); absent, the implementation role's agent does.
    agent: str | None = Field(default=None, validation_alias=AliasChoices("agent", "agentType"))

    @property
    def ref(self) -> str:
        """The normalised id used as the graph key (`"7"` for both `7` and `"7"`)."""
        return normalise_id(self.id)


@dataclass(frozen=True)
class Backlog:
    """The tasks of one tag of one file, in file order, with their references checked."""

    source: str  # the file as the user named it, used in every message
    tag: str
    tasks: tuple[Task, ...]
    # task ref -> normalised refs of the tasks it depends on (subtask refs mapped to their task)
    dependencies: dict[str, tuple[str, ...]]
