"""Names and label values built from user data are valid, bounded and collision-free."""

from __future__ import annotations

import re

import pytest

from hera_pipelines.conventions.labels import repository_label
from hera_pipelines.conventions.names import dns_label, label_value
from hera_pipelines.conventions.task_names import task_workflow_name

_DNS = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_LABEL = re.compile(r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")


@pytest.mark.parametrize(
    "value", ["Widgets", "a" * 200, "feature/ÜBER_long--name..", "---", "", "x" * 63, "9"]
)
def test_dns_label_is_valid(value: str) -> None:
    name = dns_label(value)
    assert _DNS.match(name) and len(name) <= 63


def test_long_names_with_a_common_prefix_do_not_collide() -> None:
    a, b = dns_label("p" * 70 + "-one"), dns_label("p" * 70 + "-two")
    assert a != b and len(a) == len(b) == 63


def test_short_names_are_kept() -> None:
    assert dns_label("pr-flow") == "pr-flow"
    assert label_value("acme.widgets") == "acme.widgets"


@pytest.mark.parametrize("value", ["acme/widgets", "-x-", "a" * 100, "é", "x.y_z"])
def test_label_value_is_valid(value: str) -> None:
    assert _LABEL.match(label_value(value)) and len(label_value(value)) <= 63


def test_repository_label_joins_owner_and_name_with_a_dot() -> None:
    assert repository_label("acme/widgets") == "acme.widgets"


def test_task_workflow_name_is_a_pure_function_of_service_and_id() -> None:
    assert (
        task_workflow_name("widgets", 7) == task_workflow_name("widgets", "07") == "widgets-task-7"
    )
    assert task_workflow_name("widgets", 7) != task_workflow_name("gadgets", 7)
    long = task_workflow_name("s" * 80, "Some Very Long Task Identifier")
    assert _DNS.match(long) and len(long) <= 63
