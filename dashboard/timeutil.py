"""Time zone rules in one place.

The database stores naive UTC; everything shown to people is Asia/Shanghai. China has no daylight
saving time, so local time is always UTC+8 (SQL bucketing relies on that, see ``sqlfuncs``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

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


def parse_time(text: str, *, end_of_day: bool = False) -> datetime:
    """Parse an ISO date or datetime. Naive means Asia/Shanghai. Returns aware UTC.

    A bare date means local midnight at its start, or with ``end_of_day`` the midnight after it
    (so ``end=2026-11-20`` includes the whole of 20 November).
    """
    text = text.strip()
    if not text:
        raise ValueError("空的时间值")
    try:
        if len(text) == 10:
            d = date.fromisoformat(text)
            if end_of_day:
                d += timedelta(days=1)
            return to_utc(datetime.combine(d, time()))
        return to_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError as exc:
        raise ValueError(f"无法识别的时间 {text!r}，应为 ISO 日期或时间，如 2026-11-20 或 2026-11-20T08:30") from exc


def local_midnight(value: datetime) -> datetime:
    """Start of the local day containing ``value``, as aware UTC."""
    local = to_local(value)
    return to_utc(datetime.combine(local.date(), time()))


def fmt_local(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    return "" if value is None else to_local(value).strftime(pattern)
