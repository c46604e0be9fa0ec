"""Every indicator formula of DESIGN.md, in one place, as SQL aggregates over ``casestate``.

Two kinds of figures (DESIGN.md, Flows and stocks):

- **flows** count the *cohort*: the events reported in the window [start, end), each evaluated
  **as of** ``end`` from the stage times on its row, so any past moment replays exactly;
- **stocks** count what stands at ``end`` whatever the report time (当前在办, 当前超期 ...).

And two clocks (Whose clock): the area's figures run until closure (办结, 超期); a handler's until
disposal (按期处置率, 超期未处置), the centre's from disposal to closure (核查时长).

SQL does the counting (``casecounts``: the cohort, the stock); ``derive`` turns the counts into the published
indicators; every other function here asks the same columns for another grouping. What the
indicators are called, how they are written and coloured is ``indicators``' business.

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
| disposed | disposed by the handler by as-of (closed included) |
| on_time_disposal_rate | disposed on or before deadline / (disposed + with the handler past deadline) |
| handler_overdue | with the handler, not disposed, past deadline |
| mean_hours_to_verify | mean hours from disposal to closure (核查时长), closed only |
| open_now, overdue_now, handler_overdue_now, supervised_open_now | the stocks at ``end`` |
| online_rate | grid workers seen in the last 10 minutes / all grid workers |
| score | on-time disposal × 50 + closure × 30 + (1 − rework) × 10 + max(0, 10 − 0.5 × supervised − 1 × supervised-and-open) |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import and_, case, func, literal, or_, select
from sqlalchemy.engine import Engine

from dashboard import vocabulary
from dashboard.domain import areas, casecounts, daycounts, rollupsql, settled
from dashboard.domain.casestate import STAGES as CASE_STAGES
from dashboard.domain.casestate import Case, online
from dashboard.domain.windows import Window, first_report
from dashboard.store.models import DAY_ROLLUP_KEYS, DAY_ROLLUPS, Area, Category, Department, Event, EventLog, Staff
from dashboard.store.sqlfuncs import hours_between, local_day, local_hour, local_weekday
from dashboard.timeutil import to_local

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
# The handler's clock (accountability stops at disposal) and the centre's (verification).
HANDLER_FIELDS = ("disposed", "disposed_on_time", "disposal_due", "on_time_disposal_rate", "handler_overdue",
                  "mean_hours_to_verify")
# Stocks at the window's end, whatever the report time.
STOCK_FIELDS = ("open_now", "overdue_now", "handler_overdue_now", "supervised_open_now")


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


def scope_filter(scope: Scope):
    if scope.department is not None:
        # A handler's cases, within an area when one is given too (a town's view of a department).
        return and_(Event.handler_code == scope.department, areas.events_within(scope.area))
    return areas.events_within(scope.area)


# --- the formulas --------------------------------------------------------------------------------

# Counting columns of the cohort and of the stock (``casecounts``); ``derive`` finishes them into
# the published indicators.
COHORT_COUNTS = casecounts.COHORT_COUNTS
STOCK_COUNTS = casecounts.STOCK_COUNTS
_flag = casecounts.flag_sum


def _cohort(window: Window) -> list:
    """The cohort's counting columns: the cases reported in the window, as of its end."""
    return casecounts.cohort(window.end)


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    num = num.astype("float64")
    den = den.astype("float64")
    return (num / den).where(den > 0)


def derive(counts: pd.DataFrame) -> pd.DataFrame:
    """Counts of the cohort (and the stock, when present) -> the indicators (rates as fractions,
    None when undefined)."""
    df = counts.copy()
    for col in COHORT_COUNTS + STOCK_COUNTS:
        if col in df.columns:
            df[col] = df[col].fillna(0).astype("int64")
    df["valid"] = df["accepted"] - df["invalid"]
    df["in_progress"] = df["valid"] - df["closed"]
    df["due"] = df["closed"] + df["due_open"]
    df["closure_rate"] = _ratio(df["closed"], df["valid"])
    df["on_time_rate"] = _ratio(df["closed_on_time"], df["due"])
    df["rework_rate"] = _ratio(df["reworked"], df["closed"])
    df["mean_hours_to_close"] = _ratio(df["hours_sum"].astype("float64"), df["closed"])
    df["on_time_disposal_rate"] = _ratio(df["disposed_on_time"], df["disposal_due"])
    df["mean_hours_to_verify"] = _ratio(df["verify_hours_sum"].astype("float64"), df["verified"])
    return df.drop(columns=["due_open", "hours_sum", "verify_hours_sum"])


def score(row, weights: ScoreWeights = ScoreWeights()) -> dict:
    """综合得分 and its parts for one row of ``derive`` output (None when nothing was valid). The
    on-time part runs on the handler's clock (按期处置率): a handler answers for disposal, the
    centre for verification."""
    on_time = row["on_time_disposal_rate"]
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
    ``Row`` for attributes, which at 19,000 grids costs more than the query itself."""
    cols = list(columns) if columns is not None else list(result.keys())
    return pd.DataFrame([tuple(r) for r in result.all()], columns=cols)


def in_window(window: Window):
    """The cohort: events reported in [start, end)."""
    return and_(Event.reported_at >= window.start, Event.reported_at < window.end)


def cohort_frame(engine: Engine, window: Window, scope: Scope = Scope(), by: list | None = None,
                 where=None) -> pd.DataFrame:
    """The cohort's counts for the scope, one row per group of ``by`` (SQL expressions labelled
    ``code``), not yet derived. A window reaching back to the first report reads the settled
    rollups when one of them holds the groups and the scope (``domain.settled``)."""
    by = by or []
    wheres = [scope_filter(scope)] + ([where] if where is not None else [])
    table = settled.covering(*by, *wheres)
    if table is not None and _all_time(engine, window):  # grouped and filtered already
        return _grouped(engine, settled.all_time(table, window.end, by, wheres), [], None)
    return _grouped(engine, select(*by, *_cohort(window)).where(in_window(window), scope_filter(scope)), by, where)


def _all_time(engine: Engine, window: Window) -> bool:
    """Whether ``window`` starts no later than the first report (every case before its end)."""
    first = first_report(engine)
    return first is None or window.start <= first


def stock_frame(engine: Engine, t: datetime, scope: Scope = Scope(), by: list | None = None,
                where=None) -> pd.DataFrame:
    """The stock's counts at ``t`` for the scope, one row per group of ``by`` (only groups with an
    open case: a missing group has none)."""
    by = by or []
    st = Case(t)
    # ``not_settled`` adds nothing to ``open`` but lets the settled_at index find the candidates.
    return _grouped(engine, select(*by, *casecounts.stock(t)).where(st.not_settled, st.open, scope_filter(scope)), by, where)


def _grouped(engine: Engine, stmt, by: list, where) -> pd.DataFrame:
    """``stmt`` narrowed by ``where`` and grouped by ``by``, as a frame; ungrouped, one row of
    zeros when nothing matched."""
    if where is not None:
        stmt = stmt.where(where)
    if by:
        stmt = stmt.group_by(*by)
    with engine.connect() as conn:
        df = frame(conn.execute(stmt))
    if df.empty and not by:
        df.loc[0] = [0] * len(df.columns)
    return df


def event_frame(engine: Engine, window: Window, scope: Scope = Scope(), by: list | None = None, where=None,
                stock: bool = True) -> pd.DataFrame:
    """Every indicator for the scope, one row per group of ``by``: the cohort's flows and (with
    ``stock``) the stocks at the window's end, groups of either side included."""
    cohort = cohort_frame(engine, window, scope, by, where)
    if stock:
        stocks = stock_frame(engine, window.end, scope, by, where)
        if by:
            cohort = cohort.merge(stocks, on="code", how="outer")
        else:
            for col in STOCK_COUNTS:
                cohort[col] = stocks[col].iloc[0]
    else:
        for col in STOCK_COUNTS:
            cohort[col] = 0
    for col in COHORT_COUNTS + casecounts.COHORT_SUMS:
        cohort[col] = cohort[col].fillna(0)
    return derive(cohort)


def area_totals(engine: Engine, area: str | None, at: datetime) -> dict:
    """Population, housing, grids and grid workers (with how many are online at ``at``)."""
    grid = and_(Area.level == "grid", areas.within(area))
    worker = and_(Staff.role == "grid_worker", Staff.active.is_(True), areas.within(area, Staff.grid_code))
    with engine.connect() as conn:
        pop, houses, households, grids = conn.execute(
            select(
                func.coalesce(func.sum(Area.population), 0),
                func.coalesce(func.sum(Area.houses), 0),
                func.coalesce(func.sum(Area.households), 0),
                func.count(Area.code),
            ).where(grid)
        ).one()
        workers, online_n = conn.execute(select(func.count(Staff.id), _flag(online(at))).where(worker)).one()
    return {
        "population": int(pop),
        "houses": int(houses),
        "households": int(households),
        "grids": int(grids),
        "grid_workers": int(workers),
        "grid_workers_online": int(online_n),
        "online_rate": (online_n / workers) if workers else None,
    }


def _clean(value):
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def summary(engine: Engine, window: Window, scope: Scope = Scope()) -> dict:
    """Every indicator for one scope and window, as plain JSON-able values: the cohort's flows,
    the stocks at the window's end, and the area's totals (or, for a handler, its 综合得分)."""
    row = event_frame(engine, window, scope).to_dict("records")[0]  # records keep each column's dtype
    out = {f: _clean(row[f]) for f in EVENT_FIELDS + EXTRA_FIELDS + HANDLER_FIELDS + STOCK_FIELDS}
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


def by_group(engine: Engine, window: Window, group: str, scope: Scope = Scope(), stock: bool = True) -> pd.DataFrame:
    """Indicators per town / community / grid / handler / handler level / category / source."""
    return event_frame(engine, window, scope, by=[GROUPS[group]], stock=stock)


RANKED_LEVELS = ("town", "community", "grid")  # area handlers are ranked by level, not one by one


def department_ranking(engine: Engine, window: Window, scope: Scope = Scope(), weights: ScoreWeights = ScoreWeights()) -> pd.DataFrame:
    """County departments and the three area handler levels with their flows, the handler's
    clock (按期处置率, 超期未处置 now) and 综合得分; best first by on-time disposal, then closure."""
    # Only the county departments are ranked one by one (the area handlers by level below): at
    # city scale the other 21,000 handlers are not read at all. One grouped query answers both:
    # rows per county department, and rows per handler level for the rest.
    is_dept = Event.handler_level == "county_department"
    key = case((is_dept, Event.handler_code), else_=Event.handler_level).label("code")
    df = event_frame(engine, window, scope, by=[key], where=Event.handler_level.is_not(None))
    df = df[df["code"].notna()]
    with engine.connect() as conn:
        names = frame(conn.execute(select(Department.code, Department.name, Department.level)
                                   .where(Department.level == "county_department")))
    county = names.merge(df, on="code", how="left")
    levels = df[df["code"].isin(RANKED_LEVELS)].copy()
    levels["level"] = levels["code"]
    levels["name"] = None  # labelled by the screen from the string catalogue
    out = pd.concat([county, levels], ignore_index=True)
    counts = [c for c in COHORT_COUNTS + STOCK_COUNTS if c != "due_open"] + ["valid", "in_progress", "due"]
    out[counts] = out[counts].fillna(0).astype("int64")
    scores = pd.DataFrame([score(r, weights) for r in out.to_dict("records")], index=out.index)
    out = pd.concat([out, scores], axis=1)
    return out.sort_values(["on_time_disposal_rate", "closure_rate", "valid"], ascending=[False, False, False],
                           na_position="last")


def handler_level_split(ranking: pd.DataFrame) -> pd.DataFrame:
    """Where valid events were handled (grid / community / town / county department), from a
    ``department_ranking``: the county departments together, the area levels as they are."""
    depts = ranking[ranking["level"] == "county_department"]
    row = {"code": "county_department", "valid": int(depts["valid"].sum()), "closed": int(depts["closed"].sum())}
    levels = ranking[ranking["code"].isin(RANKED_LEVELS)][["code", "valid", "closed"]]
    df = pd.concat([levels, pd.DataFrame([row])], ignore_index=True)
    df = df[df["valid"] > 0].copy()
    df["closure_rate"] = _ratio(df["closed"], df["valid"])
    return df.reset_index(drop=True)


def _day_counts(engine: Engine, window: Window, scope: Scope, *tables: str) -> pd.DataFrame | None:
    """Reports and closures per local day (and the table's key) within the window, whole days from
    the first day rollup of ``tables`` that holds the scope (``daycounts``), else None."""
    where = scope_filter(scope)
    if scope.department is None and scope.area is not None:
        root = areas.root(engine)
        if root is not None and scope.area == root.code:
            where = literal(True)  # the root's scope is every case: the tables without towns hold it
    need = rollupsql.events_columns(where)
    for name in tables:
        if need <= {DAY_ROLLUP_KEYS[name]} - {"hour"}:
            return daycounts.per_day(engine, name, window.start, window.end, first_report(engine), [where],
                                     [rollupsql.retarget(where, DAY_ROLLUPS[name])])
    return None


def _days(window: Window) -> pd.Index:
    return pd.date_range(to_local(window.start).date(), to_local(window.end - timedelta(microseconds=1)).date(),
                         freq="D").strftime("%Y-%m-%d")


def daily_trend(engine: Engine, window: Window, scope: Scope = Scope()) -> pd.DataFrame:
    """Reports and closures per local day within the window."""
    # the county's days from the smaller hourly table, a town's from the table by town
    counts = _day_counts(engine, window, scope, "hour_counts", "day_counts_by_town")
    if counts is not None:
        per_day = counts.groupby("day", as_index=False)[["reported", "closed"]].sum()
        rep, clo = per_day[["day", "reported"]], per_day[["day", "closed"]]
    else:
        f = scope_filter(scope)
        with engine.connect() as conn:
            def counted(stamp, label: str) -> pd.DataFrame:
                rows = conn.execute(select(local_day(stamp).label("day"), func.count(Event.id).label(label))
                                    .where(stamp >= window.start, stamp < window.end, f)
                                    .group_by(local_day(stamp))).mappings().all()
                return pd.DataFrame(rows, columns=["day", label])

            rep, clo = counted(Event.reported_at, "reported"), counted(Event.closed_at, "closed")
    out = pd.DataFrame({"day": _days(window)}).merge(rep, on="day", how="left").merge(clo, on="day", how="left")
    return out.fillna(0).astype({"reported": "int64", "closed": "int64"})


def hourly_trend(engine: Engine, window: Window, scope: Scope = Scope()) -> pd.DataFrame:
    """Reports and closures per local hour within the window (the trend of a single day): an
    ``hour`` column (``YYYY-MM-DD HH:00``, every hour of the window, empty ones at 0), reported,
    closed."""
    counts = _day_counts(engine, window, scope, "hour_counts")
    if counts is not None:
        counts["hour"] = [f"{d} {int(h):02d}:00" for d, h in zip(counts["day"], counts["hour"])]
        rep, clo = counts[["hour", "reported"]], counts[["hour", "closed"]]
    else:
        f = scope_filter(scope)

        def per_hour(col, name):
            day, hour = local_day(col), local_hour(col)
            stmt = (select(day.label("day"), hour.label("h"), func.count(Event.id).label(name))
                    .where(col >= window.start, col < window.end, f).group_by(day, hour))
            with engine.connect() as conn:
                d = pd.DataFrame(conn.execute(stmt).mappings().all(), columns=["day", "h", name])
            d["hour"] = [f"{dd} {int(h):02d}:00" for dd, h in zip(d["day"], d["h"])]
            return d[["hour", name]]

        rep, clo = per_hour(Event.reported_at, "reported"), per_hour(Event.closed_at, "closed")
    start = pd.Timestamp(to_local(window.start).replace(tzinfo=None)).floor("h")
    end = pd.Timestamp(to_local(window.end - timedelta(microseconds=1)).replace(tzinfo=None)).floor("h")
    hours = pd.date_range(start, end, freq="h").strftime("%Y-%m-%d %H:00")
    out = pd.DataFrame({"hour": hours}).merge(rep, on="hour", how="left").merge(clo, on="hour", how="left")
    return out.fillna(0).astype({"reported": "int64", "closed": "int64"})


def category_day_matrix(engine: Engine, window: Window, scope: Scope = Scope(), top_level: bool = True) -> pd.DataFrame:
    """Counts of reports per category (top-level by default) and local day: the temporal heatmap."""
    counts = _day_counts(engine, window, scope, "day_counts_by_category")
    with engine.connect() as conn:
        if counts is not None:
            df = counts[counts["reported"] > 0].rename(columns={"category_code": "category", "reported": "n"})
            df = df[["category", "day", "n"]].reset_index(drop=True)
        else:
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
    counts = _day_counts(engine, window, scope, "hour_counts")
    if counts is not None:
        counts = counts[counts["reported"] > 0]
        weekday = pd.to_datetime(counts["day"]).dt.day_of_week
        df = (pd.DataFrame({"weekday": weekday.to_numpy(), "hour": counts["hour"].to_numpy(),
                            "n": counts["reported"].to_numpy()})
              .groupby(["weekday", "hour"], as_index=False)["n"].sum())
        return df.astype({"weekday": "int64", "hour": "int64", "n": "int64"})
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


# --- comparisons and case lists (the weekly bulletin) --------------------------------------------


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
    st = Case(window.end)
    cols = ["id", "ext_id", "title", "category_code", "grid_code", "handler_code", "handler_level", "severity",
            "reported_at", "accepted_at", "deadline", "supervised_at"]
    stmt = (select(*[getattr(Event, c) for c in cols],
                   case((st.overdue, True), else_=False).label("overdue"),
                   case((st.supervised, True), else_=False).label("supervised"))
            .where(in_window(window), scope_filter(scope), st.open, or_(st.overdue, st.supervised)))
    with engine.connect() as conn:
        df = pd.DataFrame(conn.execute(stmt).mappings().all(), columns=cols + ["overdue", "supervised"])
    df["overdue"] = df["overdue"].astype(bool)
    df["supervised"] = df["supervised"].astype(bool)
    late = [(st.t - d).total_seconds() / 3600 if o else None for d, o in zip(df["deadline"], df["overdue"])]
    df["hours_overdue"] = pd.Series(late, index=df.index, dtype="float64")
    return df.sort_values(["overdue", "hours_overdue", "supervised_at"], ascending=[False, False, True],
                          na_position="last").reset_index(drop=True)


# --- the closed loop's stages, and rates over time -----------------------------------------------

def stage_hours(engine: Engine, window: Window, scope: Scope = Scope()) -> pd.DataFrame:
    """Mean hours per stage over the cases reported in the window and closed by as-of, from the
    event log (each row's status lasts until the next row). Columns: stage, hours, cases."""
    st = Case(window.end)
    base = [in_window(window), scope_filter(scope), st.closed]
    nxt = func.lead(EventLog.at).over(partition_by=EventLog.event_id, order_by=(EventLog.at, EventLog.id))
    spans = (select(EventLog.to_status.label("status"), EventLog.at.label("at"), nxt.label("next_at"))
             .join(Event, Event.id == EventLog.event_id).where(*base, EventLog.at <= st.t).subquery())
    stmt = (select(spans.c.status, func.sum(hours_between(spans.c.next_at, spans.c.at)).label("hours"))
            .where(spans.c.next_at.is_not(None)).group_by(spans.c.status))
    with engine.connect() as conn:
        n = int(conn.execute(select(func.count(Event.id)).where(*base)).scalar() or 0)
        per_status = dict(conn.execute(stmt).all())
    totals = dict.fromkeys(vocabulary.PHASES, 0.0)
    for status, hours in per_status.items():
        if status in vocabulary.PHASE_OF_STATUS and hours is not None:
            totals[vocabulary.PHASE_OF_STATUS[status]] += float(hours)
    return pd.DataFrame({"stage": list(vocabulary.PHASES),
                         "hours": [(totals[s] / n) if n else None for s in vocabulary.PHASES], "cases": n})


def stage_counts(engine: Engine, window: Window, scope: Scope = Scope()) -> pd.DataFrame:
    """Events reported in the window by where they stand as of its end (``casestate.STAGES``), and
    how many of each are overdue (the area's clock). Columns: stage, n, overdue."""
    st = Case(window.end)
    stage = st.stage().label("stage")
    with engine.connect() as conn:
        df = frame(conn.execute(select(stage, func.count(Event.id).label("n"), _flag(st.overdue).label("overdue"))
                                .where(in_window(window), scope_filter(scope)).group_by(stage)))
    df = pd.DataFrame({"stage": list(CASE_STAGES)}).merge(df, on="stage", how="left").fillna(0)
    return df.astype({"n": "int64", "overdue": "int64"})


def rate_series(engine: Engine, window: Window, scope: Scope = Scope(), freq: str | None = None) -> pd.DataFrame:
    """The indicators per period of report (local days, or weeks from Monday for windows longer
    than two weeks), each evaluated as of the window's end: how the cases of each period fared.
    Columns: period (YYYY-MM-DD of its first day) and every ``derive`` column."""
    freq = freq or ("D" if window.end - window.start <= timedelta(days=14) else "W")
    day = local_day(Event.reported_at).label("day")
    sums = _cohort(window)
    stmt = select(day, *sums).where(in_window(window), scope_filter(scope)).group_by(day)
    with engine.connect() as conn:
        df = frame(conn.execute(stmt))
    cols = [c.name for c in sums]
    if df.empty:
        return derive(pd.DataFrame(columns=["period"] + cols))
    days = pd.to_datetime(df["day"])
    period = days - pd.to_timedelta(days.dt.day_of_week, unit="D") if freq == "W" else days
    df["period"] = period.dt.strftime("%Y-%m-%d")
    df[cols] = df[cols].apply(pd.to_numeric)
    out = df.groupby("period", as_index=False)[cols].sum()
    return derive(out).sort_values("period").reset_index(drop=True)
