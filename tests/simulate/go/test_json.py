"""go.json against Go's encoding/json: the one encoder (floats, escaping, key order) and decoding."""

from __future__ import annotations

import pytest

from hera_pipelines.simulate.go.json import (
    MAX_NESTING_DEPTH,
    JSONError,
    NestingError,
    as_text,
    decode,
    marshal,
    nesting_depth,
)
from hera_pipelines.simulate.go.stack import run_deep
from hera_pipelines.simulate.go.values import GoInt

# encoding/json encode.go, floatEncoder: "Convert as if by ES6 number to string conversion ... Like
# fmt %g, but the exponent cutoffs are different and exponents themselves are not padded to two
# digits": 'f' for 1e-6 <= |x| < 1e21, else 'e' with e-07 cleaned up to e-7. Expected strings are
# Go's json.Marshal(float64) outputs (encode_test.go TestMarshalFloat's cutoffs).
GO_FLOATS = [
    (0.000001, "0.000001"),
    (1.5e-7, "1.5e-7"),
    (1e-7, "1e-7"),
    (-0.0, "-0"),
    (0.0, "0"),
    (1.0, "1"),
    (0.1, "0.1"),
    (1e20, "100000000000000000000"),
    (1e21, "1e+21"),
    (123456789.0, "123456789"),
    (5e-324, "5e-324"),
    (1.7976931348623157e308, "1.7976931348623157e+308"),
    (-2.5e-9, "-2.5e-9"),
]


@pytest.mark.parametrize(("value", "expected"), GO_FLOATS)
def test_floats_marshal_as_go(value: float, expected: str) -> None:
    assert marshal(value) == expected
    assert marshal([value]) == f"[{expected}]"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Marshal doc: "<", ">", "&", U+2028 and U+2029 are escaped to \u003c \u003e \u0026
        # \u2028 \u2029 (HTMLEscape) so the JSON is safe inside HTML <script> tags
        ("<a&b>", '"\\u003ca\\u0026b\\u003e"'),
        ("\u2028\u2029", '"\\u2028\\u2029"'),
        # encode.go appendString: \n \r \t short, other control characters \u00XX (Go <= 1.21,
        # the toolchain argo-events v1.9 builds with: \b and \f as \u0008 and \u000c)
        ("a\nb\tc\r", '"a\\nb\\tc\\r"'),
        ("\x01\b\f", '"\\u0001\\u0008\\u000c"'),
        ('q"\\', '"q\\"\\\\"'),
        # a string that holds invalid UTF-8 (here: a lone surrogate) is coerced to \ufffd
        ("x\ud800y", '"x\\ufffdy"'),
        # non-ASCII is written as UTF-8, never \u-escaped
        ("héllo ☺", '"héllo ☺"'),
        # Marshal doc: "The map keys are sorted"
        ({"b": 1, "a": {"d": None, "c": True}}, '{"a":{"c":true,"d":null},"b":1}'),
        ([], "[]"),
        ({}, "{}"),
        (b"hi", '"aGk="'),  # []byte encodes as base64
    ],
)
def test_marshal_is_go_marshal(value: object, expected: str) -> None:
    assert marshal(value) == expected


def test_escape_html_off_is_sprig_to_raw_json() -> None:
    assert marshal("<&>", escape_html=False) == '"<&>"'


def test_marshal_indent_is_go_marshal_indent() -> None:
    # MarshalIndent(v, "", "  "): `"key": value`, one element per line, empty containers inline
    text = marshal({"b": [1, 2], "a": {}, "c": []}, indent="  ")
    assert text == '{\n  "a": {},\n  "b": [\n    1,\n    2\n  ],\n  "c": []\n}'


def test_payload_integers_are_float64_go_ints_are_not() -> None:
    # json.Unmarshal into interface{} makes every number a float64: beyond 2^53 it rounds
    assert marshal(12345678901234567890) == "12345678901234567000"
    assert marshal(2**53) == "9007199254740992"
    assert marshal(GoInt(12345678901234567890), ints_are_floats=False) == "12345678901234567890"


def test_nan_and_inf_are_unsupported_values() -> None:
    with pytest.raises(JSONError, match="unsupported value"):
        marshal(float("nan"))
    with pytest.raises(JSONError, match="unsupported value"):
        marshal([float("inf")])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b'{"a": 1.5, "b": [true, null]}', {"a": 1.5, "b": [True, None]}),
        # decode.go: invalid UTF-8 inside strings becomes U+FFFD, one per bad byte
        (b'"a\xffb\xe2\x82"', "a\ufffdb\ufffd\ufffd"),
        # decode.go unquote: a lone surrogate escape becomes U+FFFD; a pair is one rune
        (b'["\\ud800", "\\ud83d\\ude80", "\\udc00x"]', ["\ufffd", "🚀", "\ufffdx"]),
    ],
)
def test_decode_is_unmarshal_into_interface(data: bytes, expected: object) -> None:
    assert decode(data) == expected


@pytest.mark.parametrize(
    "data",
    [b"NaN", b"[Infinity]", b"1e400", b"[1,]", b'{"a" 1}', b"\xef\xbb\xbf{}"],
)
def test_decode_rejects_what_go_rejects(data: bytes) -> None:
    with pytest.raises(JSONError):
        decode(data)


def test_nesting_is_limited_as_go_scanner() -> None:
    # scanner.go: `const maxNestingDepth = 10000`; pushParseState errors "exceeded max depth"
    assert MAX_NESTING_DEPTH == 10000
    ok = b"[" * 10000 + b"]" * 10000
    too_deep = b"[" * 10001 + b"]" * 10001
    assert nesting_depth(as_text(ok)) == 10000
    assert run_deep(lambda: marshal(decode(ok))) == ok.decode()
    with pytest.raises(NestingError, match="nesting deeper than 10000 levels"):
        decode(too_deep)
    with pytest.raises(NestingError, match=r"nesting deeper than 10000 levels \(10001\)"):
        run_deep(lambda: decode(too_deep))


def test_deep_but_valid_outside_run_deep_is_an_error_not_a_traceback() -> None:
    with pytest.raises(JSONError, match=r"1500 levels deep: decode it under go\.stack\.run_deep"):
        decode(b"[" * 1500 + b"]" * 1500)


def test_nesting_depth_skips_strings() -> None:
    assert nesting_depth('{"a": "[[[[{{{{", "b": [[1]]}') == 3
    assert nesting_depth('["\\"[[["]') == 1


# moved from test_template.py (Go value formatting and regexp, not templates)
@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            {"b": [1, 2.5, 1e21, 1e-7], "a": "<&>"},
            '{"a":"\\u003c\\u0026\\u003e","b":[1,2.5,1e+21,1e-7]}',
        ),
        ([True, None, "\n"], '[true,null,"\\n"]'),
    ],
)
def test_marshal_json_is_go_json(value: object, expected: str) -> None:
    assert marshal(value) == expected
