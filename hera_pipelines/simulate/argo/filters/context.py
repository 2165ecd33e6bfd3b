"""`filters.context` and `filters.time`, with Go's time.Parse layout and messages.

``filters.context`` and ``filters.time``: CloudEvents context equality, and a daily time window
in a zone, parsed with Go's ``time.Parse`` layout and messages.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import UTC, datetime
from typing import Any

from hera_pipelines.simulate.argo.event import Event
from hera_pipelines.simulate.argo.filters.outcome import ERR, GoError, show

__all__ = ["TimeFilter", "filter_context"]


_CLOCK = re.compile(r"^(\d{1,2}):(\d\d):(\d\d)(?:[.,](\d+))?$")


_CONTEXT_KEYS = ("type", "subject", "source", "datacontenttype")


def filter_context(
    expected: dict[str, Any] | None, event: Event | None, reasons: list[str]
) -> bool:
    if expected is None:
        return True
    actual = event.context if event is not None else None
    if actual is None:
        reasons.append("context: the event has no context")
        return False
    passed = True
    for key in _CONTEXT_KEYS:
        wanted = str(expected.get(key) or "")
        if wanted:
            got = str(getattr(actual, key))
            ok = wanted == got
            passed = passed and ok
            reasons.append(f"context {key}: {show(got)} {'==' if ok else '!='} {show(wanted)}")
    return passed


class TimeFilter:
    def __init__(self, spec: dict[str, Any]) -> None:
        self.start = str(spec.get("start") or "")
        self.stop = str(spec.get("stop") or "")
        self.timezone = str(spec.get("timezone") or "")

    def _parse(self, clock: str, base: datetime, tz: zoneinfo.ZoneInfo | None) -> datetime:
        match = _CLOCK.match(clock)
        layout = "2006-01-02 15:04:05"
        local = base.astimezone(tz or UTC)
        text = f"{local:%Y-%m-%d} {clock}"
        if match is None:
            raise GoError(f'parsing time "{text}" as "{layout}": cannot parse "{clock}"')
        hour, minute, second = (int(match.group(i)) for i in (1, 2, 3))
        if hour > 23 or minute > 59 or second > 59:
            raise GoError(f'parsing time "{text}": hour, minute or second out of range')
        frac = match.group(4) or ""
        micros = int((frac + "000000")[:6]) if frac else 0
        naive = datetime(local.year, local.month, local.day, hour, minute, second, micros)
        return naive.replace(tzinfo=tz or UTC)

    def evaluate(self, event: Event | None, reasons: list[str]) -> tuple[bool, str | None]:
        when = event.context.time if event is not None and event.context is not None else None
        if when is None:
            when = datetime(1, 1, 1, tzinfo=UTC)
        tz: zoneinfo.ZoneInfo | None = None
        if self.timezone:
            try:
                tz = zoneinfo.ZoneInfo(self.timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                return False, ERR.format("time", f"unknown time zone {self.timezone}")
        try:
            start = self._parse(self.start, when, tz)
            stop = self._parse(self.stop, when, tz)
        except GoError as exc:
            return False, ERR.format("time", exc)
        passed = start <= when < stop if start < stop else when >= start or when < stop
        zone = self.timezone or "UTC"
        window = f"[{self.start}, {self.stop}) {zone}"
        reasons.append(
            f"time {when.astimezone(tz or UTC):%H:%M:%S} {'in' if passed else 'not in'} {window}"
        )
        return passed, None
