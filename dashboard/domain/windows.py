"""Time windows: what a figure counts ([start, end), evaluated as of ``end``) and how people ask
for one — a screen's range control (今日 / 近7日 / 近30日 / 全部 / 自定义), a URL's ``range``,
``start`` and ``end``, an API query or a command-line option. Every screen, route and command
resolves its window here, with the same defaults and the same Chinese refusals.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from dashboard import strings
from dashboard.store.models import Event
from dashboard.timeutil import local_midnight, parse_time, to_utc


@dataclass(frozen=True)
class Window:
    """Events reported in [start, end), evaluated as of ``end``. Both aware UTC."""

    start: datetime
    end: datetime

    def __post_init__(self):
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("window bounds must be aware datetimes")
        if self.end <= self.start:
            raise ValueError(strings.WINDOW_END_BEFORE_START)

    @classmethod
    def of(cls, start: datetime, end: datetime) -> "Window":
        return cls(to_utc(start), to_utc(end))

    @classmethod
    def last_days(cls, days: int, end: datetime) -> "Window":
        return cls(to_utc(end) - timedelta(days=days), to_utc(end))

    @classmethod
    def today(cls, now: datetime) -> "Window":
        """From the local midnight that began the day of ``now`` (at exactly midnight: the day
        that just ended, so the window is never empty)."""
        now = to_utc(now)
        return cls(local_midnight(now - timedelta(microseconds=1)), now)

    @property
    def as_of(self) -> datetime:
        return self.end

    def previous(self) -> "Window":
        """The window of the same length just before this one (week-on-week and the like)."""
        return Window(self.start - (self.end - self.start), self.start)


class WindowError(ValueError):
    """Bad window arguments; ``fields`` maps each bad argument to the reason."""

    def __init__(self, fields: dict[str, str]):
        self.fields = fields
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))


def parse_bounds(start: str | None, end: str | None) -> tuple[datetime | None, datetime | None]:
    """The start and end a caller typed, either of which may be missing (ISO text, naive =
    Asia/Shanghai; a bare ``end`` date includes that day). ``WindowError`` names each bad one:
    unreadable, outside the accepted years (``timeutil.parse_time``), or an end not after the start."""
    fields = {}
    times: dict[str, datetime | None] = {"start": None, "end": None}
    for name, text in (("start", start), ("end", end)):
        if text:
            try:
                times[name] = parse_time(text, end_of_day=name == "end")
            except ValueError as exc:
                fields[name] = str(exc)
    if not fields and times["start"] and times["end"] and times["end"] <= times["start"]:
        fields["end"] = strings.TIME_END_BEFORE_START
    if fields:
        raise WindowError(fields)
    return times["start"], times["end"]


def parse_window(start: str | None, end: str | None, now: datetime) -> Window:
    """A window from ISO text (see ``parse_bounds``). Defaults: end = now; start = the local
    midnight that began ``end``'s day ("today")."""
    start_t, end_t = parse_bounds(start, end)
    end_t = end_t or to_utc(now)
    if start_t is None:
        return Window.today(end_t)
    if end_t <= start_t:
        raise WindowError({"end": strings.TIME_END_BEFORE_START})
    return Window(start_t, end_t)


RANGES = ("today", "7d", "30d", "all", "custom")


def first_report(engine: Engine) -> datetime | None:
    with engine.connect() as conn:
        return conn.execute(select(func.min(Event.reported_at))).scalar()


def window_for(range_key: str, now: datetime, *, first: datetime | None = None, start: str | None = None,
               end: str | None = None) -> Window:
    """The window a screen's time-range control means: today, the last 7 or 30 days, everything
    since the first report (``first``), or a custom pair of ISO dates."""
    if range_key == "today":
        return Window.today(now)
    if range_key in ("7d", "30d"):
        return Window.last_days(int(range_key[:-1]), now)
    if range_key == "all":
        return Window(min(to_utc(first), to_utc(now) - timedelta(hours=1)) if first else to_utc(now) - timedelta(days=1),
                      to_utc(now))
    if range_key == "custom":
        return parse_window(start, end, now)
    raise ValueError(f"unknown range {range_key!r}")


@dataclass(frozen=True)
class Selection:
    """A window as a control or a URL states it: the range's key and, for 自定义, the dates typed.
    ``window`` is what they mean at the moment they were resolved."""

    window: Window
    range_key: str
    start: str | None = None
    end: str | None = None
    asked: str | None = None  # the range asked for when it could not be had (自定义 without its dates)

    def query(self, default: str) -> dict[str, str]:
        """The URL parameters that state this selection (none for the default range)."""
        out: dict[str, str] = {}
        if self.range_key != default:
            out["range"] = self.range_key
        if self.range_key == "custom":
            out.update({k: v for k, v in (("start", self.start), ("end", self.end)) if v})
        return out


def select_range(range_key: str | None, start: str | None, end: str | None, now: datetime, *, default: str,
                 first: datetime | None = None, strict: bool = False) -> Selection:
    """The window a range control or a URL asks for. An unknown range or an unreadable custom
    range falls back to ``default`` (a hand-edited link still opens, a half-typed date range keeps
    the screen on its default), or with ``strict`` raises ``WindowError`` naming the parameter."""
    key = range_key or default
    if key not in RANGES:
        if strict:
            raise WindowError({"range": strings.RANGE_UNKNOWN})
        key = default
    if key == "custom" and not start and not strict:
        # 自定义 with no dates yet: the screen keeps its default and asks (``asked``), rather than
        # silently showing today
        return Selection(window_for(default, now, first=first), default, asked="custom")
    try:
        window = window_for(key, now, first=first, start=start, end=end)
    except WindowError:
        if strict:
            raise
        asked = key
        window = window_for(default, now, first=first)
        return Selection(window, default, None, None, asked=asked)
    custom = key == "custom"
    return Selection(window, key, start if custom else None, end if custom else None)
