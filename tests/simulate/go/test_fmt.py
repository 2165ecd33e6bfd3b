"""go.fmt against Go's fmt (fmt_test.go fmtTests and the package doc's verb table)."""

from __future__ import annotations

import pytest

from hera_pipelines.simulate.go.fmt import format_value, sprint, sprintf
from hera_pipelines.simulate.go.values import GoInt


# fmt_test.go fmtTests with %v: float64 with %g's shortest form, maps sorted (fmt doc: "maps are
# printed in key-sorted order"), slices space-separated, nil interface <nil>
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1e6, "1e+06"),
        (123456.0, "123456"),
        (1234567.0, "1.234567e+06"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (-0.0, "-0"),
        (1.5, "1.5"),
        (3, "3"),  # a JSON number: float64
        (GoInt(1000000), "1000000"),  # a Go int
        (None, "<nil>"),
        (True, "true"),
        ("s", "s"),
        ([1, "a", None, [2]], "[1 a <nil> [2]]"),
        ({"b": 2, "a": {"c": None}}, "map[a:map[c:<nil>] b:2]"),
        ([], "[]"),
        ({}, "map[]"),
    ],
)
def test_format_value_is_sprint(value: object, expected: str) -> None:
    assert format_value(value) == expected


def test_sprint_spaces_only_between_non_strings() -> None:
    # fmt doc (Sprint): "Spaces are added between operands when neither is a string"
    assert sprint("a", GoInt(1), GoInt(2), "b", "c") == "a1 2bc"


# fmt_test.go fmtTests: {format, argument, Go's output}
@pytest.mark.parametrize(
    ("fmt", "args", "expected"),
    [
        ("%d", (GoInt(12345),), "12345"),
        ("%5d", (GoInt(123),), "  123"),
        ("%-5d|", (GoInt(123),), "123  |"),
        ("%05d", (GoInt(-12),), "-0012"),
        ("%+d", (GoInt(12),), "+12"),
        ("%x", (GoInt(255),), "ff"),
        ("%X", (GoInt(255),), "FF"),
        ("%o", (GoInt(8),), "10"),
        ("%b", (GoInt(5),), "101"),
        ("%q", ("abc",), '"abc"'),
        ("%s", ("abc",), "abc"),
        ("%v", (1e6,), "1e+06"),
        ("%.2f", (3.14159,), "3.14"),
        ("%e", (1234.5678,), "1.234568e+03"),
        ("%g", (1e-7,), "1e-07"),
        ("%t", (True,), "true"),
        ("%c", (GoInt(0x263A),), "☺"),
        ("100%%", (), "100%"),
        # wrong type, missing and extra arguments (fmt doc, "Format errors")
        ("%d", ("hi",), "%!d(string=hi)"),
        ("%d", (), "%!d(MISSING)"),
        ("%d", (GoInt(1), GoInt(2)), "1%!(EXTRA int=2)"),
        ("%s", (1.5,), "%!s(float64=1.5)"),
    ],
)
def test_sprintf_is_go_sprintf(fmt: str, args: tuple[object, ...], expected: str) -> None:
    assert sprintf(fmt, *args) == expected


# moved from test_template.py (Go value formatting and regexp, not templates)
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (42, "42"),
        (1.5, "1.5"),
        (1e21, "1e+21"),
        (1000000, "1e+06"),
        (123456, "123456"),
        (0.0001, "0.0001"),
        (0.00001, "1e-05"),
        (-2.5e-7, "-2.5e-07"),
        (GoInt(1000000), "1000000"),
        (float("nan"), "NaN"),
        (float("-inf"), "-Inf"),
        (None, "<nil>"),
        (True, "true"),
        ("s", "s"),
        ([1, "a", None, [2]], "[1 a <nil> [2]]"),
        ({"b": 2, "a": {"c": None}}, "map[a:map[c:<nil>] b:2]"),
        ([], "[]"),
        ({}, "map[]"),
    ],
)
def test_format_value_is_fmt_sprint(value: object, expected: str) -> None:
    assert format_value(value) == expected
