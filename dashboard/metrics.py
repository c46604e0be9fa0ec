"""Every indicator of DESIGN.md, in one place.

Window = events reported in [start, end); every state is evaluated **as of** ``end`` from the stage
times on the event row (a projection of the append-only log), so any past moment replays exactly.
SQL does the counting (``_sums``); ``derive`` turns the counts into the published indicators; the
rest of the module asks the same two functions for other groupings. Nothing else in the project
computes an indicator.

| indicator | formula |
|---|---|
| reported | events reported in the window |
| accepted | of those, intake decided by as-of (accepted or invalid) |
| invalid | judged invalid at intake |
| valid | accepted − invalid |
| closed | valid and closed by as-of |
| in_progress | valid − closed |
| closure_rate | closed / valid |
| due | closed + open-valid whose deadline ≤ as-of |
| on_time_rate | closed on or before deadline / due |
| overdue | open-valid past deadline |
| rework_rate | closed with ≥ 1 rework / closed |
| mean_hours_to_close | mean hours from acceptance to closure, closed only |
| online_rate | grid workers seen in the last 10 minutes / all grid workers |
| score | on-time × 50 + closure × 30 + (1 − rework) × 10 + max(0, 10 − 0.5 × supervised − 1 × supervised-and-open) |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.engine import Engine

from . import domain, strings
from .models import Area, Category, Department, Event, Staff
from .sqlfuncs import hours_between, local_day, local_hour, local_weekday
from .timeutil import local_midnight, parse_time, to_local, to_utc

ONLINE_WINDOW = timedelta(minutes=10)

# Public field order of the summary (API and exports).
EVENT_FIELDS = (
    "reported",
    "accepted",
    "invalid",
    "valid",
    "closed",
    "in_progress",
    "due",
    "closed_on_time",
    "overdue",
    "closure_rate",
    "on_time_rate",
    "rework_rate",
    "mean_hours_to_close",
)
AREA_FIELDS = ("population", "houses", "households", "grids", "grid_workers", "grid_workers_online", "online_rate")
EXTRA_FIELDS = ("reworked", "supervised", "supervised_open")


@dataclass(frozen=True)
class Window:
    """Events reported in [start, end), evaluated as of ``end``. Both aware UTC."""

    start: datetime
    end: datetime

    def __post_init__(self):
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("window bounds must be aware datetimes")
        if self.end <= self.start:
            raise ValueError("窗口结束时间必须晚于开始时间")

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
class Scope:
    """What the figures are about: an area (None = the whole database's county) or a handler."""

    area: str | None = None
    department: str | None = None


@dataclass(frozen=True)
class ScoreWeights:
    on_time: float = 50.0
    closure: float = 30.0
    rework: float = 10.0
    supervision: float = 10.0
    per_supervised: float = 0.5
    per_supervised_open: float = 1.0


# --- filters -------------------------------------------------------------------------------------


def area_filter(code: str | None):
    """SQL condition selecting events inside an area, by the denormalised ancestor codes."""
    if code is None:
        return literal(True)
    level = domain.level_of_code(code)
    if level == "grid":
        return Event.grid_code == code
    if level == "community":
        return Event.community_code == code
    if level == "town":
        return Event.town_code == code
    if level == "county":
        return Event.town_code.startswith(code, autoescape=True)
    raise ValueError(f"不是有效的区域编码: {code!r}")


def scope_filter(scope: Scope):
    if scope.department is not None:
        # A handler's cases, within an area when one is given too (a town's view of a department).
        return and_(Event.handler_code == scope.department, area_filter(scope.area))
    return area_filter(scope.area)


def grid_area_filter(code: str | None, column=None):
    """Condition on a grid-code column (areas, staff ...) for grids inside ``code``."""
    column = Area.code if column is None else column
    if code is None:
        return literal(True)
    return column == code if len(code) == 15 else column.startswith(code, autoescape=True)


# --- the formulas --------------------------------------------------------------------------------


def _flag(cond):
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _states(t: datetime) -> dict:
    """An event's states as of ``t``, as SQL conditions: the one definition the counts below and
    the case lists (``open_cases``) share."""
    accepted = Event.accepted_at <= t
    open_valid = and_(accepted, or_(Event.closed_at.is_(None), Event.closed_at > t))
    return {
        "accepted": accepted,
        "invalid": Event.invalid_at <= t,
        "closed": and_(accepted, Event.closed_at <= t),
        "open_valid": open_valid,
        "overdue": and_(open_valid, Event.deadline < t),
        "supervised": Event.supervised_at <= t,
    }


def _sums(window: Window):
    """The counting columns, as of ``window.end``. ``derive`` finishes them."""
    t = window.end
    st = _states(t)
    accepted, invalid, closed, open_valid, supervised = (st["accepted"], st["invalid"], st["closed"], st["open_valid"],
                                                         st["supervised"])
    return [
        func.count(Event.id).label("reported"),
        _flag(or_(accepted, invalid)).label("accepted"),
        _flag(invalid).label("invalid"),
        _flag(closed).label("closed"),
        _flag(and_(closed, Event.closed_at <= Event.deadline)).label("closed_on_time"),
        _flag(and_(open_valid, Event.deadline <= t)).label("due_open"),
        _flag(st["overdue"]).label("overdue"),
        _flag(and_(closed, Event.rework_count >= 1)).label("reworked"),
        _flag(supervised).label("supervised"),
        _flag(and_(supervised, open_valid)).label("supervised_open"),
        func.coalesce(func.sum(case((closed, hours_between(Event.closed_at, Event.accepted_at)), else_=0.0)), 0.0).label(
            "hours_sum"
        ),
    ]


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    num = num.astype("float64")
    den = den.astype("float64")
    return (num / den).where(den > 0)


def derive(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts from ``_sums`` -> the indicators (rates as fractions, None when undefined)."""
    df = counts.copy()
    for col in ("reported", "accepted", "invalid", "closed", "closed_on_time", "due_open", "overdue", "reworked",
                "supervised", "supervised_open"):
        df[col] = df[col].fillna(0).astype("int64")
    df["valid"] = df["accepted"] - df["invalid"]
    df["in_progress"] = df["valid"] - df["closed"]
    df["due"] = df["closed"] + df["due_open"]
    df["closure_rate"] = _ratio(df["closed"], df["valid"])
    df["on_time_rate"] = _ratio(df["closed_on_time"], df["due"])
    df["rework_rate"] = _ratio(df["reworked"], df["closed"])
    df["mean_hours_to_close"] = _ratio(df["hours_sum"].astype("float64"), df["closed"])
    return df.drop(columns=["due_open", "hours_sum"])


def score(row, weights: ScoreWeights = ScoreWeights()) -> dict:
    """综合得分 and its parts for one row of ``derive`` output (None when nothing was due/valid)."""
    on_time = row["on_time_rate"]
    closure = row["closure_rate"]
    rework = row["rework_rate"]
    if pd.isna(closure):
        return {"score": None, "score_on_time": None, "score_closure": None, "score_rework": None, "score_supervision": None}
    parts = {
        "score_on_time": (0.0 if pd.isna(on_time) else float(on_time)) * weights.on_time,
        "score_closure": float(closure) * weights.closure,
        "score_rework": (1.0 - (0.0 if pd.isna(rework) else float(rework))) * weights.rework,
        "score_supervision": max(
            0.0,
            weights.supervision
            - weights.per_supervised * int(row["supervised"])
            - weights.per_supervised_open * int(row["supervised_open"]),
        ),
    }
    parts["score"] = sum(parts.values())
    return parts


# --- queries -------------------------------------------------------------------------------------


def frame(result, columns=None) -> pd.DataFrame:
    """A DataFrame of a SQL result. Rows become plain tuples first: pandas probes each SQLAlchemy
    ``Row`` for attributes, which at 19,000 grids costs more than the query itself (issue 9)."""
    cols = list(columns) if columns is not None else list(result.keys())
    return pd.DataFrame([tuple(r) for r in result.all()], columns=cols)


def event_frame(engine: Engine, window: Window, scope: Scope = Scope(), by: list | None = None, where=None) -> pd.DataFrame:
    """Indicators for the scope, one row per group of ``by`` (SQL expressions with labels)."""
    by = by or []
    stmt = select(*by, *_sums(window)).where(
        Event.reported_at >= window.start, Event.reported_at < window.end, scope_filter(scope)
    )
    if where is not None:
        stmt = stmt.where(where)
    if by:
        stmt = stmt.group_by(*by)
    with engine.connect() as conn:
        df = frame(conn.execute(stmt))
    if df.empty and not by:
        df.loc[0] = [0] * len(df.columns)
    return derive(df)


def area_totals(engine: Engine, area: str | None, at: datetime) -> dict:
    """Population, housing, grids and grid workers (with how many are online at ``at``)."""
    cutoff = to_utc(at) - ONLINE_WINDOW
    grid = and_(Area.level == "grid", grid_area_filter(area))
    worker = and_(Staff.role == "grid_worker", Staff.active.is_(True), grid_area_filter(area, Staff.grid_code))
    with engine.connect() as conn:
        pop, houses, households, grids = conn.execute(
            select(
                func.coalesce(func.sum(Area.population), 0),
                func.coalesce(func.sum(Area.houses), 0),
                func.coalesce(func.sum(Area.households), 0),
                func.count(Area.code),
            ).where(grid)
        ).one()
        workers, online = conn.execute(
            select(func.count(Staff.id), _flag(and_(Staff.last_seen_at > cutoff, Staff.last_seen_at <= to_utc(at)))).where(worker)
        ).one()
    return {
        "population": int(pop),
        "houses": int(houses),
        "households": int(households),
        "grids": int(grids),
        "grid_workers": int(workers),
        "grid_workers_online": int(online),
        "online_rate": (online / workers) if workers else None,
    }


def _clean(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def summary(engine: Engine, window: Window, scope: Scope = Scope()) -> dict:
    """Every indicator for one scope and window, as plain JSON-able values."""
    row = event_frame(engine, window, scope).to_dict("records")[0]  # records keep each column's dtype
    out = {f: _clean(row[f]) for f in EVENT_FIELDS + EXTRA_FIELDS}
    if scope.department is None:
        out.update(area_totals(engine, scope.area, window.end))
    else:
        out.update({f: None for f in AREA_FIELDS})
        out.update({k: _clean(v) for k, v in score(row).items()})
    return out


GROUPS = {
    "town": Event.town_code.label("code"),
    "community": Event.community_code.label("code"),
    "grid": Event.grid_code.label("code"),
    "handler": Event.handler_code.label("code"),
    "handler_level": Event.handler_level.label("code"),
    "category": Event.category_code.label("code"),
    "source": Event.source.label("code"),
}


def by_group(engine: Engine, window: Window, group: str, scope: Scope = Scope()) -> pd.DataFrame:
    """Indicators per town / community / grid / handler / handler level / category / source."""
    return event_frame(engine, window, scope, by=[GROUPS[group]])


def department_ranking(engine: Engine, window: Window, scope: Scope = Scope(), weights: ScoreWeights = ScoreWeights()) -> pd.DataFrame:
    """County departments and the three area handler levels, with rates, overdue, mean hours
    and 综合得分, best first by closure rate."""
    # Only the county departments are ranked one by one (the area handlers by level below): at
    # city scale the other 21,000 handlers are not read at all (issue 9).
    depts = event_frame(engine, window, scope, by=[GROUPS["handler"]], where=Event.handler_level == "county_department")
    depts = depts[depts["code"].notna()]
    with engine.connect() as conn:
        names = frame(conn.execute(select(Department.code, Department.name, Department.level)
                                   .where(Department.level == "county_department")))
    county = names.merge(depts, on="code", how="left")
    levels = by_group(engine, window, "handler_level", scope)
    levels = levels[levels["code"].isin(["town", "community", "grid"])].copy()
    levels["level"] = levels["code"]
    levels["name"] = None  # labelled by the screen from the string catalogue
    df = pd.concat([county, levels], ignore_index=True)
    count_cols = ["reported", "accepted", "invalid", "valid", "closed", "in_progress", "due", "closed_on_time", "overdue",
                  "reworked", "supervised", "supervised_open"]
    df[count_cols] = df[count_cols].fillna(0).astype("int64")
    scores = pd.DataFrame([score(r, weights) for _, r in df.iterrows()], index=df.index)
    df = pd.concat([df, scores], axis=1)
    return df.sort_values(["closure_rate", "on_time_rate", "valid"], ascending=[False, False, False], na_position="last")


def handler_level_split(engine: Engine, window: Window, scope: Scope = Scope()) -> pd.DataFrame:
    """Where valid events were handled: grid / community / town / county department."""
    df = by_group(engine, window, "handler_level", scope)
    return df[df["code"].notna()][["code", "valid", "closed", "closure_rate"]]


def daily_trend(engine: Engine, window: Window, scope: Scope = Scope()) -> pd.DataFrame:
    """Reports and closures per local day within the window."""
    f = scope_filter(scope)
    with engine.connect() as conn:
        rep = pd.DataFrame(
            conn.execute(
                select(local_day(Event.reported_at).label("day"), func.count(Event.id).label("reported"))
                .where(Event.reported_at >= window.start, Event.reported_at < window.end, f)
                .group_by(local_day(Event.reported_at))
            ).mappings().all(),
            columns=["day", "reported"],
        )
        clo = pd.DataFrame(
            conn.execute(
                select(local_day(Event.closed_at).label("day"), func.count(Event.id).label("closed"))
                .where(Event.closed_at >= window.start, Event.closed_at < window.end, f)
                .group_by(local_day(Event.closed_at))
            ).mappings().all(),
            columns=["day", "closed"],
        )
    days = pd.date_range(to_local(window.start).date(), to_local(window.end - timedelta(microseconds=1)).date(),
                         freq="D").strftime("%Y-%m-%d")
    out = pd.DataFrame({"day": days}).merge(rep, on="day", how="left").merge(clo, on="day", how="left")
    return out.fillna(0).astype({"reported": "int64", "closed": "int64"})


def category_day_matrix(engine: Engine, window: Window, scope: Scope = Scope(), top_level: bool = True) -> pd.DataFrame:
    """Counts of reports per category (top-level by default) and local day: the temporal heatmap."""
    with engine.connect() as conn:
        df = pd.DataFrame(
            conn.execute(
                select(Event.category_code.label("category"), local_day(Event.reported_at).label("day"),
                       func.count(Event.id).label("n"))
                .where(Event.reported_at >= window.start, Event.reported_at < window.end, scope_filter(scope))
                .group_by(Event.category_code, local_day(Event.reported_at))
            ).mappings().all(),
            columns=["category", "day", "n"],
        )
        parent = dict(conn.execute(select(Category.code, Category.parent_code)).all())
    if top_level and not df.empty:

        def root(code):
            while parent.get(code):
                code = parent[code]
            return code

        df["category"] = df["category"].map(root)
        df = df.groupby(["category", "day"], as_index=False)["n"].sum()
    return df


def hour_weekday_matrix(engine: Engine, window: Window, scope: Scope = Scope()) -> pd.DataFrame:
    """Counts of reports per local weekday (0 = Monday) and hour: the rhythm heatmap."""
    with engine.connect() as conn:
        return pd.DataFrame(
            conn.execute(
                select(local_weekday(Event.reported_at).label("weekday"), local_hour(Event.reported_at).label("hour"),
                       func.count(Event.id).label("n"))
                .where(Event.reported_at >= window.start, Event.reported_at < window.end, scope_filter(scope))
                .group_by(local_weekday(Event.reported_at), local_hour(Event.reported_at))
            ).mappings().all(),
            columns=["weekday", "hour", "n"],
        )


# --- issue 7: meeting materials (comparisons and case lists for the weekly bulletin) ------------


def compare(current: dict, previous: dict, fields=EVENT_FIELDS) -> dict[str, dict]:
    """Period-on-period change of each field (week-on-week: ``previous`` is the summary of the
    previous window). ``change`` is in the field's own unit (a rate's change is in fractions, i.e.
    percentage points / 100); ``relative`` is change / previous for counts and hours, None for
    rates (a relative change of a rate misleads) and when the previous value is 0 or missing."""
    out = {}
    for f in fields:
        cur, prev = _clean(current.get(f)), _clean(previous.get(f))
        change = None if cur is None or prev is None else cur - prev
        relative = None
        if change is not None and not f.endswith("_rate") and prev:
            relative = change / prev
        out[f] = {"current": cur, "previous": prev, "change": change, "relative": relative}
    return out


def open_cases(engine: Engine, window: Window, scope: Scope = Scope()) -> pd.DataFrame:
    """The cases a bulletin chases: of the events reported in the window, those still open as of
    ``window.end`` that are overdue or under supervision (督办), with how many hours past their
    deadline. The same conditions as the ``overdue`` and ``supervised_open`` counts, so the list's
    length per flag equals ``summary``'s figures for the same window. Most overdue first."""
    t = window.end
    st = _states(t)
    cols = ["id", "ext_id", "title", "category_code", "grid_code", "handler_code", "handler_level", "severity",
            "reported_at", "accepted_at", "deadline", "supervised_at"]
    stmt = (select(*[getattr(Event, c) for c in cols],
                   case((st["overdue"], True), else_=False).label("overdue"),
                   case((st["supervised"], True), else_=False).label("supervised"))
            .where(Event.reported_at >= window.start, Event.reported_at < window.end, scope_filter(scope),
                   st["open_valid"], or_(st["overdue"], st["supervised"])))
    with engine.connect() as conn:
        df = pd.DataFrame(conn.execute(stmt).mappings().all(), columns=cols + ["overdue", "supervised"])
    df["overdue"] = df["overdue"].astype(bool)
    df["supervised"] = df["supervised"].astype(bool)
    late = [(t - d).total_seconds() / 3600 if o else None for d, o in zip(df["deadline"], df["overdue"])]
    df["hours_overdue"] = pd.Series(late, index=df.index, dtype="float64")
    return df.sort_values(["overdue", "hours_overdue", "supervised_at"], ascending=[False, False, True],
                          na_position="last").reset_index(drop=True)

# --- issue 5: drill-down figures (stage times, statuses, rates over time) ------------------------

# The closed loop's stages, by the status a case waits in: 受理 (waiting in 'reported'), 派遣
# ('accepted', also after a send-back), 处置 ('dispatched' and 'in_progress', also after a rework),
# 核查 ('disposed'). A closed case's dispatch + disposal + verification add up to its hours to close.
STAGES = ("intake", "dispatch", "disposal", "verification")
STAGE_OF_STATUS = {"reported": "intake", "accepted": "dispatch", "dispatched": "disposal", "in_progress": "disposal",
                   "disposed": "verification"}


def stage_hours(engine: Engine, window: Window, scope: Scope = Scope()) -> pd.DataFrame:
    """Mean hours per stage over the cases reported in the window and closed by as-of, from the
    event log (each row's status lasts until the next row). Columns: stage, hours, cases."""
    from .models import EventLog

    t = window.end
    closed = and_(Event.accepted_at <= t, Event.closed_at <= t)
    base = [Event.reported_at >= window.start, Event.reported_at < window.end, scope_filter(scope), closed]
    nxt = func.lead(EventLog.at).over(partition_by=EventLog.event_id, order_by=(EventLog.at, EventLog.id))
    spans = (select(EventLog.to_status.label("status"), EventLog.at.label("at"), nxt.label("next_at"))
             .join(Event, Event.id == EventLog.event_id).where(*base, EventLog.at <= t).subquery())
    stmt = (select(spans.c.status, func.sum(hours_between(spans.c.next_at, spans.c.at)).label("hours"))
            .where(spans.c.next_at.is_not(None)).group_by(spans.c.status))
    with engine.connect() as conn:
        n = int(conn.execute(select(func.count(Event.id)).where(*base)).scalar() or 0)
        per_status = dict(conn.execute(stmt).all())
    totals = dict.fromkeys(STAGES, 0.0)
    for status, hours in per_status.items():
        if status in STAGE_OF_STATUS and hours is not None:
            totals[STAGE_OF_STATUS[status]] += float(hours)
    return pd.DataFrame({"stage": list(STAGES), "hours": [(totals[s] / n) if n else None for s in STAGES],
                         "cases": n})


def status_counts(engine: Engine, window: Window, scope: Scope = Scope()) -> pd.DataFrame:
    """Events reported in the window by the status they are in now (the desk's 案件状态), plus
    how many of the open ones are overdue as of the window's end. Columns: status, n, overdue."""
    t = to_utc(window.end)
    overdue = and_(Event.status.in_(domain.OPEN_STATUSES), Event.deadline < t)
    with engine.connect() as conn:
        df = pd.DataFrame(conn.execute(
            select(Event.status, func.count(Event.id).label("n"), _flag(overdue).label("overdue"))
            .where(Event.reported_at >= window.start, Event.reported_at < window.end, scope_filter(scope))
            .group_by(Event.status)).mappings().all(), columns=["status", "n", "overdue"])
    df = pd.DataFrame({"status": list(domain.STATUSES)}).merge(df, on="status", how="left").fillna(0)
    return df.astype({"n": "int64", "overdue": "int64"})


def rate_series(engine: Engine, window: Window, scope: Scope = Scope(), freq: str | None = None) -> pd.DataFrame:
    """The indicators per period of report (local days, or weeks from Monday for windows longer
    than two weeks), each evaluated as of the window's end: how the cases of each period fared.
    Columns: period (YYYY-MM-DD of its first day) and every ``derive`` column."""
    freq = freq or ("D" if window.end - window.start <= timedelta(days=14) else "W")
    day = local_day(Event.reported_at).label("day")
    stmt = (select(day, *_sums(window)).where(Event.reported_at >= window.start, Event.reported_at < window.end,
                                              scope_filter(scope)).group_by(day))
    with engine.connect() as conn:
        df = pd.DataFrame(conn.execute(stmt).mappings().all())
    cols = [c.name for c in _sums(window)]
    if df.empty:
        return derive(pd.DataFrame(columns=["period"] + cols))
    days = pd.to_datetime(df["day"])
    period = days - pd.to_timedelta(days.dt.day_of_week, unit="D") if freq == "W" else days
    df["period"] = period.dt.strftime("%Y-%m-%d")
    df[cols] = df[cols].apply(pd.to_numeric)
    out = df.groupby("period", as_index=False)[cols].sum()
    return derive(out).sort_values("period").reset_index(drop=True)
# --- end issue 5 ---------------------------------------------------------------------------------
