"""Time zone rules in one place.

The database stores naive UTC; everything shown to people is Asia/Shanghai. China has no daylight
saving time, so local time is always UTC+8 (SQL bucketing relies on that, see ``sqlfuncs``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from dashboard import strings

LOCAL_TZ = ZoneInfo("Asia/Shanghai")
LOCAL_OFFSET_HOURS = 8
UTC = timezone.utc


def now_utc() -> datetime:
    return datetime.now(UTC)


def to_utc(value: datetime) -> datetime:
    """Aware UTC datetime; naive input is taken as Asia/Shanghai wall time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=LOCAL_TZ)
    return value.astimezone(UTC)


def to_local(value: datetime) -> datetime:
    if value.tzinfo is None:  # naive values coming out of the database are UTC
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LOCAL_TZ)


# Times we accept from outside (API parameters, imported files, forms). Governance records begin
# long after 2000 and no deadline reaches past 2100; anything outside is a typo or a probe, and
# refusing it here keeps window arithmetic (a bare end date's next midnight, the previous window of
# the same length, UTC conversion) far from the calendar's ends, where it would overflow.
MIN_YEAR = 2000
MAX_YEAR = 2100


class TimeError(ValueError):
    """A time value that cannot be accepted, with the reason in words (Chinese)."""


def parse_time(text: str, *, end_of_day: bool = False) -> datetime:
    """Parse an ISO date or datetime. Naive means Asia/Shanghai. Returns aware UTC.

    A bare date means local midnight at its start, or with ``end_of_day`` the midnight after it
    (so ``end=2026-11-20`` includes the whole of 20 November). Years outside
    ``MIN_YEAR``..``MAX_YEAR`` are refused (``TimeError``, a ``ValueError``), like malformed text.
    """
    text = text.strip()
    if not text:
        raise TimeError(strings.TIME_EMPTY)
    try:
        value = date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise TimeError(strings.TIME_UNREADABLE.format(text=text[:40])) from None
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise TimeError(strings.TIME_OUT_OF_RANGE.format(text=text[:40], first=MIN_YEAR, last=MAX_YEAR))
    if isinstance(value, datetime):
        return to_utc(value)
    if end_of_day:
        value += timedelta(days=1)
    return to_utc(datetime.combine(value, time()))


def local_midnight(value: datetime) -> datetime:
    """Start of the local day containing ``value``, as aware UTC."""
    local = to_local(value)
    return to_utc(datetime.combine(local.date(), time()))


def fmt_local(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    return "" if value is None else to_local(value).strftime(pattern)
