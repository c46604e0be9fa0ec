"""Reports and closures per local day, kept by every write: the trend, the category-by-day heatmap
and the hour-by-weekday rhythm read whole days from here and only the window's partial first and
last days from ``events``.

A case adds one report on the local day (and hour) it was reported and one closure on the day
(and hour) it was closed; neither depends on the moment asked about, so a day that ended before
the window's end holds its final counts. Each table has one more key: the case's town (the trend
of the county or a town), its category (the heatmap) or the local hour (the rhythm, and the trend
of a day).
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import delete, func, insert, literal, select, union_all
from sqlalchemy.engine import Connection, Engine

from dashboard.domain import rollupsql
from dashboard.store.models import DAY_ROLLUP_KEYS, DAY_ROLLUPS, Event
from dashboard.store.sqlfuncs import local_day, local_hour
from dashboard.timeutil import LOCAL_TZ, to_local, to_utc

COUNTS = ("reported", "closed")


def _key(table_name: str, col):
    """The table's second key for a case stamped at ``col`` (its report or its closure)."""
    key = DAY_ROLLUP_KEYS[table_name]
    return local_hour(col) if key == "hour" else getattr(Event, key)


def _stamps(table_name: str, where: list, sign: int = 1, reported_where=(), closed_where=()):
    """(day, key, reported, closed) of the cases meeting ``where``: one row per report and one per
    closure, each restricted further by its own conditions."""
    key = DAY_ROLLUP_KEYS[table_name]
    rep = select(local_day(Event.reported_at).label("day"), _key(table_name, Event.reported_at).label(key),
                 literal(sign).label("reported"), literal(0).label("closed")).where(*where, *reported_where)
    clo = select(local_day(Event.closed_at).label("day"), _key(table_name, Event.closed_at).label(key),
                 literal(0).label("reported"), literal(sign).label("closed")).where(
        *where, Event.closed_at.is_not(None), *closed_where)
    return union_all(rep, clo).subquery()


def _grouped(table_name: str, where: list, sign: int = 1):
    key = DAY_ROLLUP_KEYS[table_name]
    u = _stamps(table_name, where, sign)
    # in key order, so concurrent writers lock shared rows in the same order (no deadlock)
    return (select(u.c.day, u.c[key], func.sum(u.c.reported).label("reported"), func.sum(u.c.closed).label("closed"))
            .where(u.c.day.is_not(None)).group_by(u.c.day, u.c[key]).order_by(u.c.day, u.c[key]))


@functools.cache
def _adding(dialect_name: str, sign: int) -> list:
    return [rollupsql.adding(dialect_name, DAY_ROLLUPS[name], _grouped(name, [Event.id.in_(rollupsql.IDS)], sign),
                             ("day", key), COUNTS)
            for name, key in DAY_ROLLUP_KEYS.items()]


def apply(conn: Connection, ids: list[int], sign: int) -> None:
    """Add (``sign`` 1) or take out (-1) the cases ``ids`` as the database holds them now."""
    rollupsql.run_for_ids(conn, _adding(conn.dialect.name, sign), ids)


def rebuild(conn: Connection) -> None:
    for name, key in DAY_ROLLUP_KEYS.items():
        table = DAY_ROLLUPS[name]
        conn.execute(delete(table))
        conn.execute(insert(table).from_select(["day", key, *COUNTS], _grouped(name, [])))


# --- reading --------------------------------------------------------------------------------------


def _day_start(day) -> datetime:
    return to_utc(datetime(day.year, day.month, day.day, tzinfo=LOCAL_TZ))


def whole_days(start: datetime, end: datetime, first_report: datetime | None) -> tuple[datetime, datetime]:
    """[lo, hi): the local days wholly inside [start, end) — the first day counts as whole when
    nothing was reported before ``start`` (the all-time range)."""
    first_day = _day_start(to_local(start).date())
    lo = first_day if first_day == to_utc(start) or (first_report is None or start <= first_report) else \
        first_day + timedelta(days=1)
    hi = _day_start(to_local(end).date())
    return lo, max(lo, hi)


def per_day(engine: Engine, table_name: str, start: datetime, end: datetime, first_report: datetime | None,
            where: list, rollup_where: list) -> pd.DataFrame:
    """Reports (by report time) and closures (by closure time) within [start, end), per local day
    and the table's key: columns day, key, reported, closed. ``where`` narrows the cases (their
    scope), ``rollup_where`` says the same over the table."""
    key = DAY_ROLLUP_KEYS[table_name]
    table = DAY_ROLLUPS[table_name]
    lo, hi = whole_days(start, end, first_report)
    lo_day, hi_day = to_local(lo).date().isoformat(), to_local(hi).date().isoformat()

    first_end = min(lo, end)

    def edge(col):
        return [((col >= start) & (col < first_end)) | ((col >= hi) & (col < end))]

    u = _stamps(table_name, where, reported_where=edge(Event.reported_at), closed_where=edge(Event.closed_at))
    edges = select(u.c.day, u.c[key], u.c.reported, u.c.closed)
    whole = (select(table.c.day, table.c[key], table.c.reported, table.c.closed)
             .where(table.c.day >= lo_day, table.c.day < hi_day, *rollup_where))
    parts = union_all(whole, edges).subquery()
    stmt = (select(parts.c.day, parts.c[key], func.sum(parts.c.reported).label("reported"),
                   func.sum(parts.c.closed).label("closed")).group_by(parts.c.day, parts.c[key]))
    with engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(stmt).all()]
    df = pd.DataFrame(rows, columns=["day", key, "reported", "closed"])
    return df.astype({"reported": "int64", "closed": "int64"})
