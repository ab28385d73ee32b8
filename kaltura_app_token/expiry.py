"""Expiry values as users write them -> absolute unix seconds; and back into words."""
from __future__ import annotations

import datetime as dt
import re
import time

DURATION = re.compile(r"^\s*(\d+)\s*([wdhm])\s*$", re.IGNORECASE)
UNIT_SECONDS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60}
MAX_AHEAD = 10 * 365 * 86400
HINT = 'write a date ("2027-06-30"), a date-time ("2027-06-30T17:00:00Z"), a duration ("180d", "12h", "30m") ' \
       "or unix seconds"


def parse_duration(text: str) -> int | None:
    """'90d' -> seconds; None if it is not a duration."""
    match = DURATION.match(text)
    return int(match.group(1)) * UNIT_SECONDS[match.group(2).lower()] if match else None


def parse_expiry(value: object, now: float | None = None) -> int:
    """Absolute unix seconds; ValueError with a sentence on anything else or anything past."""
    now = time.time() if now is None else now
    if isinstance(value, bool) or not isinstance(value, (int, str, dt.date)):
        raise ValueError(f"{value!r} is not an expiry; {HINT}")
    if isinstance(value, int):
        seconds = value
    elif isinstance(value, dt.date):
        seconds = _from_datetime(value)
    else:
        seconds = _from_text(value.strip(), now)
    if seconds <= now:
        when = dt.datetime.fromtimestamp(seconds, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        raise ValueError(f"{value!r} is in the past ({when}); the server would accept it and the token "
                         f"would be dead on arrival; {HINT}")
    if seconds > now + MAX_AHEAD:
        raise ValueError(f"{value!r} is more than 10 years away; choose a nearer expiry, or None for a token "
                         "that never expires")
    return seconds


def parse_moment(value: str, now: float | None = None) -> int:
    """A moment for a filter, past or future: a date (its start, UTC), a date-time, unix seconds,
    or a duration meaning that long ago."""
    now = time.time() if now is None else now
    text = value.strip()
    duration = parse_duration(text)
    if duration is not None:
        return int(now) - duration
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return _from_datetime(dt.datetime.combine(dt.date.fromisoformat(text), dt.time(0, 0)))
        return _from_text(text, now)
    except ValueError:
        raise ValueError(f"{value!r} is not a date (2026-11-01), date-time, duration ago (30d) or unix "
                         "time") from None


def _from_text(text: str, now: float) -> int:
    duration = parse_duration(text)
    if duration is not None:
        return int(now) + duration
    if text.isdigit():
        return int(text)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return _from_datetime(dt.date.fromisoformat(text))
        return _from_datetime(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        raise ValueError(f"{text!r} is not an expiry; {HINT}") from None


def _from_datetime(value: dt.date) -> int:
    """A date means the end of that day, UTC; a naive date-time is UTC."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time(23, 59, 59))
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return int(value.timestamp())


def describe_seconds(seconds: int) -> str:
    """3 days, 5 hours, 12 minutes -> the largest unit that reads well."""
    seconds = abs(int(seconds))
    for unit, size in (("year", 365 * 86400), ("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size * (2 if unit == "year" else 1):
            n = max(1, round(seconds / size))
            return f"{n} {unit}{'s' if n != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def describe_expiry(expiry: int | None, now: float | None = None) -> str:
    """'2027-06-30 23:59 UTC (in 208 days)', 'expired 3 days ago', or 'never'."""
    if expiry is None:
        return "never"
    now = time.time() if now is None else now
    when = dt.datetime.fromtimestamp(expiry, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    delta = expiry - now
    relative = f"in {describe_seconds(delta)}" if delta > 0 else f"expired {describe_seconds(delta)} ago"
    return f"{when} ({relative})"
