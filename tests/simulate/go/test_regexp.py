"""go.regexp against Go's regexp: RE2 syntax and semantics, and Go's Find/Replace/Split loops."""

from __future__ import annotations

import pytest

from hera_pipelines.simulate.go.regexp import RegexpError, compile_regexp


# regexp/syntax doc (the RE2 syntax Go accepts) and find_test.go: {pattern, text, matches}
@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        (r"a\z", "a", True),  # \z: end of text
        (r"a\z", "a\n", False),
        (r"^a$", "a\n", False),  # without (?m), $ is end of text only (unlike Python's re)
        (r"(?m)^a$", "a\nb", True),
        (r"(?i)k", "\u212a", True),  # (?i) folds Unicode: K matches KELVIN SIGN
        (r"(?i)straße", "STRASSE", False),  # simple case folding only
        (r"^\pL+$", "héllo", True),  # \pL: Unicode letter class
        (r"^\p{Greek}+$", "αβγ", True),
        (r"\d", "٣", False),  # \d is ASCII [0-9]
        (r"\bé", " é", False),  # \b is an ASCII word boundary
        (r"^.$", "\n", False),  # . excludes \n without (?s)
        (r"(?s)^.$", "\n", True),
        (r"[[:alpha:]]+\z", "ab", True),
        (r"\Qa.b\E", "axb", False),
        (r"(?U)a+", "aaa", True),
        (r"(?P<n>x)", "x", True),
        (r"\x{263a}", "☺", True),
    ],
)
def test_matches_as_go(pattern: str, text: str, found: bool) -> None:
    assert compile_regexp(pattern).matches(text) is found


# Go's regexp.Compile errors: "error parsing regexp: <syntax.ErrorCode>: `<expr>`"
@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(", "error parsing regexp: missing closing ): `(`"),
        ("[a", "error parsing regexp: missing closing ]: `[a`"),
        ("(?=x)", "error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
        ("a**", "error parsing regexp: invalid nested repetition operator: `**`"),
        ("x{1001}", "error parsing regexp: invalid repeat count: `{1001}`"),
        (r"\Z", "error parsing regexp: invalid escape sequence: `\\Z`"),
        (r"(a)\1", "error parsing regexp: invalid escape sequence: `\\1`"),
        ("[z-a]", "error parsing regexp: invalid character class range: `z-a`"),
        (")", "error parsing regexp: unexpected ): `)`"),
        (r"a\C", "error parsing regexp: invalid escape sequence: `\\C`"),  # RE2 C++ only
    ],
)
def test_rejects_with_go_error_text(pattern: str, message: str) -> None:
    with pytest.raises(RegexpError) as info:
        compile_regexp(pattern)
    assert str(info.value) == message


# regexp package examples (example_test.go) and all_test.go
@pytest.mark.parametrize(
    ("pattern", "text", "n", "expected"),
    [
        ("a.", "paranormal", -1, ["ar", "an", "al"]),  # ExampleRegexp_FindAllString
        ("a.", "paranormal", 2, ["ar", "an"]),
        ("a.", "graal", -1, ["aa"]),
        ("a.", "none", -1, []),
        # an empty match right after a match is not reported (Python's re.findall reports it)
        ("a*", "baaac", -1, ["", "aaa", ""]),
        ("", "abc", -1, ["", "", "", ""]),
    ],
)
def test_find_all_is_go_find_all_string(
    pattern: str, text: str, n: int, expected: list[str]
) -> None:
    assert compile_regexp(pattern).find_all(text, n) == expected


@pytest.mark.parametrize(
    ("pattern", "text", "n", "expected"),
    [
        # ExampleRegexp_Split
        ("a*", "abaabaccadaaae", 5, ["", "b", "b", "c", "cadaaae"]),
        ("", "abc", -1, ["a", "b", "c"]),
        ("a", "banana", -1, ["b", "n", "n", ""]),
        ("a", "apple", 0, []),
        ("z+", "pizza", -1, ["pi", "a"]),
        ("z+", "pizza", 1, ["pizza"]),
        ("z+", "pizza", 2, ["pi", "a"]),
        ("a", "", -1, [""]),
    ],
)
def test_split_is_go_split(pattern: str, text: str, n: int, expected: list[str]) -> None:
    assert compile_regexp(pattern).split(text, n) == expected


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        # ExampleRegexp_ReplaceAllString: a(x*)b over "-ab-axxb-"
        ("T", "-T-T-"),
        ("$1", "--xx-"),
        ("$1W", "---"),  # $1W is the group named "1W", which does not exist
        ("${1}W", "-W-xxW-"),
        ("$$", "-$-$-"),
    ],
)
def test_replace_all_expands_as_go(template: str, expected: str) -> None:
    assert compile_regexp("a(x*)b").replace_all("-ab-axxb-", template) == expected


def test_replace_all_literal_and_named_groups() -> None:
    # ExampleRegexp_ReplaceAllLiteralString
    assert compile_regexp("a(x*)b").replace_all("-ab-axxb-", "${1}", literal=True) == (
        "-${1}-${1}-"
    )
    named = compile_regexp(r"(?P<first>\w+)\s(?P<last>\w+)")
    assert named.replace_all("Alan Turing", "${last} ${first}") == "Turing Alan"
    # an empty match right after a match is not replaced (Python's re.sub replaces it)
    assert compile_regexp("x*").replace_all("abxd", "-") == "-a-b-d-"


def test_find_returns_empty_string_when_no_match() -> None:
    assert compile_regexp("b+").find("abbbc") == "bbb"
    assert compile_regexp("z").find("abc") == ""


# moved from test_template.py (Go value formatting and regexp, not templates)
@pytest.mark.parametrize(
    ("pattern", "text", "found"),
    [
        (r"^a$", "a\n", False),  # Go's $ is end of text without (?m)
        (r"(?m)^a$", "a\nb", True),
        (r"\d", "٣", False),  # RE2 \d is ASCII
        (r"[[:alpha:]]+\z", "ab", True),
        (r"(?<n>x)", "x", True),
        (r"\Qa.b\E", "axb", False),
        # Go's regexp/syntax accepts Unicode classes (doc: "\pN  Unicode character class");
        # the old hand translation to Python `re` rejected them
        (r"^\pL+$", "héllo", True),
    ],
)
def test_regexp_uses_re2_semantics(pattern: str, text: str, found: bool) -> None:
    assert compile_regexp(pattern).matches(text) is found


# moved from test_template.py (Go value formatting and regexp, not templates)
@pytest.mark.parametrize("pattern", [r"(?=x)", r"(a)\1", r"\p{NotAClass}", "("])
def test_regexp_rejects_what_re2_rejects(pattern: str) -> None:
    with pytest.raises(RegexpError):
        compile_regexp(pattern)
