"""Number and time formatting for people (screens, bulletins, exports): one style everywhere."""

from __future__ import annotations

import math
from datetime import datetime

from dashboard import strings
from dashboard.timeutil import fmt_local


def _missing(v) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def count(v) -> str:
    return "—" if _missing(v) else f"{int(v):,}"


def rate(v, digits: int = 1) -> str:
    """A fraction as a percentage: 0.9663 -> '96.6%'."""
    return "—" if _missing(v) else f"{v * 100:.{digits}f}%"


def hours(v) -> str:
    if _missing(v):
        return "—"
    return f"{v:.1f}" if v < 100 else f"{v:,.0f}"


def when(v: datetime | None, pattern: str = "%m-%d %H:%M") -> str:
    return fmt_local(v, pattern) if v else "—"


def duration_hours(h: float | None) -> str:
    """Hours in words: 3.5 -> '3.5小时', 50 -> '2天2小时'."""
    if _missing(h):
        return "—"
    if h < 48:
        return strings.DURATION_HOURS.format(h=h)
    d = int(h // 24)
    return strings.DURATION_DAYS.format(d=d, h=int(round(h - 24 * d)))


def duration_seconds(s: float | None) -> str:
    """A short span in words: 45 -> '45秒', 190 -> '3分钟', longer -> ``duration_hours``."""
    if _missing(s):
        return "—"
    if s < 90:
        return strings.DURATION_SECONDS.format(s=max(0, int(round(s))))
    if s < 3600:
        return strings.DURATION_MINUTES.format(m=int(round(s / 60)))
    return duration_hours(s / 3600)
