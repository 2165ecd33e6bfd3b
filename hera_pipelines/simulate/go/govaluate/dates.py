"""govaluate's date strings as Unix seconds, so dates compare as times, not text.

govaluate's date-like string literals: a string that parses as one of its layouts becomes Unix
seconds (float64), so ``"2024-01-02" < "2024-02-01"`` compares times, not text.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Final

__all__ = ["try_parse_time"]


_TIME_PATTERNS: Final = (
    # (regex, has seconds fraction group) for govaluate's date formats that users write
    re.compile(
        r"(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?"
        r"(Z|[+-]\d{2}:?\d{2})?"
    ),
)


def try_parse_time(text: str) -> float | None:
    """Unix seconds for the date forms govaluate recognises (Local taken as UTC), else None."""
    m = _TIME_PATTERNS[0].fullmatch(text)
    if m is None:
        return None
    year, month, day, hour, minute, second, _frac, zone = m.groups()
    sep = text[10:11]
    # govaluate's layouts: date alone; "date HH:MM[:SS[-07:00]]"; "dateTHH[:MM[:SS[.f]]]Z0700".
    if hour is not None and sep == " " and (minute is None or _frac is not None):
        return None
    if hour is not None and sep == "T" and zone is None:
        return None
    if hour is None and zone is not None:
        return None
    try:
        moment = datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=UTC,
        )
    except ValueError:
        return None
    if zone and zone != "Z":
        digits = zone.replace(":", "")
        offset = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
        moment = moment.replace(tzinfo=timezone(offset if digits[0] == "+" else -offset))
    return float(math.floor(moment.timestamp()))
