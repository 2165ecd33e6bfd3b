"""The function map Sensor templates are parsed with, and its argument types.

The function map a Sensor template is parsed with (``sprig.FuncMap()`` over the builtins), with
each function's Go argument types, and every sprig name so a missing one reads "unsupported".
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Final

from hera_pipelines.simulate.go.fmt import sprint, sprintf
from hera_pipelines.simulate.go.strconv import quote
from hera_pipelines.simulate.go.template.builtins import (
    eq,
    html,
    index,
    js,
    length,
    lt,
    slice_of,
    urlquery,
)
from hera_pipelines.simulate.go.template.sprig import (
    b64dec,
    coalesce,
    default,
    dict_of,
    empty,
    find_all,
    first,
    fmt_v,
    from_json,
    go_div,
    go_mod,
    initial,
    int_args,
    last,
    nospace,
    product,
    regex,
    regex_match,
    regex_split,
    repeat,
    rest,
    split_list,
    strslice,
    strval,
    substr,
    title,
    to_float64,
    to_int64,
    to_json,
    trunc,
)
from hera_pipelines.simulate.go.template.values import truth
from hera_pipelines.simulate.go.values import GoInt

__all__ = ["FUNCS", "SPRIG_NAMES", "FuncSpec"]


FuncSpec = tuple[str, Callable[..., object]]


FUNCS: Final[dict[str, FuncSpec]] = {
    # text/template builtins ("and"/"or" are evaluated lazily by the executor)
    "and": ("a*", lambda *a: a[-1]),
    "or": ("a*", lambda *a: a[-1]),
    "not": ("a", lambda v: not truth(v)),
    "len": ("a", length),
    "index": ("aa*", index),
    "slice": ("aa*", slice_of),
    "print": ("a*", sprint),
    "println": ("a*", lambda *a: " ".join(fmt_v(v) for v in a) + "\n"),
    "printf": ("sa*", sprintf),
    "eq": ("aa*", eq),
    "ne": ("aa", lambda a, b: not eq(a, b)),
    "lt": ("aa", lt),
    "le": ("aa", lambda a, b: lt(a, b) or eq(a, b)),
    "gt": ("aa", lambda a, b: not (lt(a, b) or eq(a, b))),
    "ge": ("aa", lambda a, b: not lt(a, b)),
    "html": ("a*", html),
    "js": ("a*", js),
    "urlquery": ("a*", urlquery),
    # sprig: defaults and flow
    "default": ("aa*", default),
    "empty": ("a", empty),
    "coalesce": ("a*", coalesce),
    "ternary": ("aab", lambda vt, vf, cond: vt if cond else vf),
    # sprig: strings
    "lower": ("s", str.lower),
    "upper": ("s", str.upper),
    "title": ("s", title),
    "trim": ("s", lambda s: s.strip(" \t\n\r\v\f\x85\xa0")),
    "trimAll": ("ss", lambda cut, s: s.strip(cut)),
    "trimPrefix": ("ss", lambda prefix, s: s.removeprefix(prefix)),
    "trimSuffix": ("ss", lambda suffix, s: s.removesuffix(suffix)),
    "trunc": ("is", trunc),
    "replace": ("sss", lambda old, new, s: s.replace(old, new)),
    "repeat": ("is", repeat),
    "substr": ("iis", substr),
    "contains": ("ss", lambda sub, s: sub in s),
    "hasPrefix": ("ss", lambda prefix, s: s.startswith(prefix)),
    "hasSuffix": ("ss", lambda suffix, s: s.endswith(suffix)),
    "nospace": ("s", nospace),
    "cat": ("a*", lambda *a: " ".join(fmt_v(v) for v in a if v is not None)),
    "quote": ("a*", lambda *a: " ".join(quote(strval(v)) for v in a if v is not None)),
    "squote": ("a*", lambda *a: " ".join(f"'{strval(v)}'" for v in a if v is not None)),
    "toString": ("a", strval),
    "b64enc": ("s", lambda s: base64.b64encode(s.encode()).decode()),
    "b64dec": ("s", b64dec),
    # sprig: regular expressions (RE2 semantics)
    "regexMatch": ("ss", regex_match),
    "regexFind": ("ss", lambda p, s: regex(p).find(s)),
    "regexFindAll": ("ssi", find_all),
    "regexReplaceAll": ("sss", lambda p, s, r: regex(p).replace_all(s, r)),
    "regexReplaceAllLiteral": ("sss", lambda p, s, r: regex(p).replace_all(s, r, literal=True)),
    "regexSplit": ("ssi", regex_split),
    # sprig: JSON
    "toJson": ("a", to_json),
    "toRawJson": ("a", lambda v: to_json(v, escape_html=False)),
    "toPrettyJson": ("a", lambda v: to_json(v, indent="  ")),
    "fromJson": ("s", from_json),
    # sprig: lists and dicts
    "list": ("a*", lambda *a: list(a)),
    "splitList": ("ss", split_list),
    "split": ("ss", lambda sep, s: {f"_{i}": p for i, p in enumerate(split_list(sep, s))}),
    "join": ("sa", lambda sep, v: sep.join(strslice(v))),
    "dict": ("a*", dict_of),
    "get": ("ms", lambda d, k: d.get(k, "")),
    "hasKey": ("ms", lambda d, k: k in d),
    "keys": ("m*", lambda *ds: sorted(k for d in ds for k in d)),
    "first": ("a", first),
    "last": ("a", last),
    "rest": ("a", rest),
    "initial": ("a", initial),
    # sprig: conversions and integer maths (int64 results)
    "int": ("a", lambda v: GoInt(to_int64(v))),
    "int64": ("a", lambda v: GoInt(to_int64(v))),
    "float64": ("a", to_float64),
    "atoi": ("s", lambda s: GoInt(int(s)) if re.fullmatch(r"[+-]?\d+", s) else GoInt(0)),
    "add": ("a*", lambda *a: GoInt(sum(int_args(*a)))),
    "sub": ("aa", lambda a, b: GoInt(to_int64(a) - to_int64(b))),
    "mul": ("aa*", lambda *a: GoInt(product(int_args(*a)))),
    "div": ("aa", lambda a, b: go_div(to_int64(a), to_int64(b))),
    "mod": ("aa", lambda a, b: go_mod(to_int64(a), to_int64(b))),
    "max": ("aa*", lambda *a: GoInt(max(int_args(*a)))),
    "min": ("aa*", lambda *a: GoInt(min(int_args(*a)))),
}


# Every sprig v3 function name; the ones missing from FUNCS are reported as unsupported.
SPRIG_NAMES: Final = frozenset(
    re.findall(
        r"\S+",
        """
    abbrev abbrevboth add add1 add1f addf adler32sum ago all any append atoi b32dec b32enc
    b64dec b64enc base bcrypt biggest buildCustomCert camelcase cat ceil chunk clean coalesce
    compact concat contains date dateInZone dateModify date_in_zone date_modify decryptAES
    deepCopy deepEqual default derivePassword dict dig dir div divf duration durationRound
    empty encryptAES env expandenv ext fail first float64 floor fromJson genCA
    genCAWithKey genPrivateKey genSelfSignedCert genSelfSignedCertWithKey genSignedCert
    genSignedCertWithKey get getHostByName has hasKey hasPrefix hasSuffix hello htmlDate
    htmlDateInZone htpasswd indent initial initials int int64 isAbs join kebabcase keys kindIs
    kindOf last list lower max maxf merge mergeOverwrite min minf mod mul mulf mustAppend
    mustChunk mustCompact mustDateModify mustDeepCopy mustFirst mustFromJson mustHas
    mustInitial mustLast mustMerge mustMergeOverwrite mustPrepend mustPush mustRegexFind
    mustRegexFindAll mustRegexMatch mustRegexReplaceAll mustRegexReplaceAllLiteral
    mustRegexSplit mustRest mustReverse mustSlice mustToDate mustToJson mustToPrettyJson
    mustToRawJson mustUniq mustWithout nindent nospace now omit osBase osClean osDir osExt
    osIsAbs pick pluck plural prepend push quote randAlpha randAlphaNum randAscii randBytes
    randInt randNumeric regexFind regexFindAll regexMatch regexQuoteMeta regexReplaceAll
    regexReplaceAllLiteral regexSplit repeat replace rest reverse round semver semverCompare
    seq set sha1sum sha256sum sha512sum shuffle slice snakecase sortAlpha split splitList
    splitn squote sub subf substr swapcase ternary title toDate toDecimal toJson toPrettyJson
    toRawJson toString toStrings trim trimAll trimPrefix trimSuffix trimall trunc tuple typeIs
    typeIsLike typeOf uniq unixEpoch unset until untilStep untitle upper urlJoin urlParse
    uuidv4 values without wrap wrapWith
    """,
    )
)
