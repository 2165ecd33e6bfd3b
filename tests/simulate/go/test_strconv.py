"""go.strconv against Go's strconv (ftoa_test.go, quote_test.go, atob_test.go, atof_test.go)."""

from __future__ import annotations

import pytest

from hera_pipelines.simulate.go.strconv import (
    StrconvError,
    format_float,
    parse_bool,
    parse_float,
    quote,
)


# ftoa_test.go ftoatests, precision -1 (shortest): {value, fmt, Go's output}
@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [
        (1.0, "e", "1e+00"),
        (1.0, "f", "1"),
        (1.0, "g", "1"),
        (20.0, "g", "20"),
        (1234567.8, "g", "1.2345678e+06"),
        (200000.0, "g", "200000"),
        (2000000.0, "g", "2e+06"),
        (100.0, "e", "1e+02"),
        (0.0001, "g", "0.0001"),
        (0.00001, "g", "1e-05"),
        (-0.0, "g", "-0"),
        (1e23, "e", "1e+23"),
        (1e23, "f", "100000000000000000000000"),
        (1e21, "f", "1000000000000000000000"),
        (4.5, "f", "4.5"),
        (1234.5, "e", "1.2345e+03"),
        (5e-324, "g", "5e-324"),
        (float("inf"), "g", "+Inf"),
        (float("-inf"), "g", "-Inf"),
        (float("nan"), "g", "NaN"),
    ],
)
def test_format_float_is_go_format_float(value: float, fmt: str, expected: str) -> None:
    assert format_float(value, fmt) == expected


# quote_test.go quotetests: {in, Quote(in)}
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\a\b\f\r\n\t\v", '"\\a\\b\\f\\r\\n\\t\\v"'),
        ("\\", '"\\\\"'),
        ("\u263a", '"☺"'),
        ("\U0010ffff", '"\\U0010ffff"'),
        ("\x04", '"\\x04"'),
        ('"', '"\\""'),
        (" ", '" "'),
    ],
)
def test_quote_is_go_quote(text: str, expected: str) -> None:
    assert quote(text) == expected


# atob_test.go atobtests
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[("1", True), ("t", True), ("T", True), ("TRUE", True), ("true", True), ("True", True)],
        *[("0", False), ("f", False), ("F", False), ("FALSE", False), ("false", False)],
        ("False", False),
    ],
)
def test_parse_bool_accepts_go_spellings(text: str, expected: bool) -> None:
    assert parse_bool(text) is expected


@pytest.mark.parametrize("text", ["", "asdf", "yes", "TrUe", " true"])
def test_parse_bool_rejects_others_with_go_message(text: str) -> None:
    with pytest.raises(StrconvError, match=f'strconv.ParseBool: parsing "{text}": invalid syntax'):
        parse_bool(text)


# atof_test.go atoftests: {in, out} and the syntax errors
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1.0),
        ("+1", 1.0),
        ("1e23", 1e23),
        ("1E23", 1e23),
        ("100000000000000016777215", 1.0000000000000001e23),
        ("-1", -1.0),
        (".5", 0.5),
        ("1.", 1.0),
        ("inf", float("inf")),
        ("-Inf", float("-inf")),
    ],
)
def test_parse_float_reads_go_syntax(text: str, expected: float) -> None:
    assert parse_float(text) == expected


@pytest.mark.parametrize("text", ["", "1x", " 1", "1_000", "0x", "e10", "."])
def test_parse_float_rejects_with_go_message(text: str) -> None:
    with pytest.raises(StrconvError, match=f'strconv.ParseFloat: parsing "{text}": invalid syntax'):
        parse_float(text)


# moved from test_template.py (Go value formatting and regexp, not templates)
@pytest.mark.parametrize(
    ("value", "fmt", "expected"),
    [(1e21, "f", "1000000000000000000000"), (4.5, "f", "4.5"), (1234.5, "e", "1.2345e+03")],
)
def test_format_float(value: float, fmt: str, expected: str) -> None:
    assert format_float(value, fmt) == expected
