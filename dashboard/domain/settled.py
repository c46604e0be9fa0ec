"""Rollups of settled cases: the counting columns of ``casecounts`` summed per key, kept by every
write in the same transaction, so the all-time figures read at most a row per grid (per handler
and town, ...) instead of every event.

A case is *settled* once it is closed or judged invalid (``events.settled_at``, its last stage
time): from then on every flag of ``casestate`` is final, so what it adds to a rollup never
depends on the moment asked about. Figures as of ``t`` over all time are then exact as

    rollup totals − (cases settled after ``t``, as they ended) + (cases reported before ``t`` and
    not settled by ``t``, as of ``t``)

where both corrections are read from ``events`` through the ``settled_at`` index (a day's worth
for the present; more for an old moment, still exact).

Why all-time totals and not per-day rows: at city scale a grid sees about one case a month, so a
rollup by grid and day (or month) holds about as many rows as ``events`` itself; the ranges that
read a few days or weeks are answered from ``events`` through their report-time indexes (and
trends from ``daycounts``), and it is the all-time range that scanned everything.

``domain.rollups`` keeps them with every write; ``rebuild`` makes them again from ``events``.
"""

from __future__ import annotations

import functools
from datetime import datetime, timezone

from sqlalchemy import BigInteger, Float, cast, delete, func, insert, select, union_all
from sqlalchemy.engine import Connection

from dashboard.domain import casecounts, rollupsql
from dashboard.domain.casestate import Case
from dashboard.store.models import ROLLUP_KEYS, ROLLUPS, Event

# A moment after every other: a settled case's flags as of then are its final ones.
END_OF_TIME = datetime(9999, 12, 31, tzinfo=timezone.utc)
# Key columns that may be NULL on a case (stored as '' in a rollup's primary key).
NULLABLE_KEYS = frozenset({"handler_code", "handler_level"})
COLUMNS = casecounts.COHORT_COUNTS + casecounts.COHORT_SUMS
# Smallest first: the first rollup whose keys cover a question answers it.
_BY_SIZE = ("settled_by_source", "settled_by_category", "settled_by_handler", "settled_by_grid")
_EVENTS = Event.__table__


# --- keeping them ---------------------------------------------------------------------------------


def _key(name: str):
    col = _EVENTS.c[name]
    return func.coalesce(col, "") if name in NULLABLE_KEYS else col


@functools.cache
def _adding(dialect_name: str, sign: int) -> list:
    counts = [(lab.element * sign).label(lab.name) for lab in casecounts.cohort(END_OF_TIME)]
    out = []
    for name, keys in ROLLUP_KEYS.items():
        key_cols = [_key(k).label(k) for k in keys]
        # in key order, so concurrent writers lock shared rows in the same order (no deadlock)
        rows = (select(*key_cols, *counts).where(Event.settled_at.is_not(None), Event.id.in_(rollupsql.IDS))
                .group_by(*key_cols).order_by(*key_cols))
        out.append(rollupsql.adding(dialect_name, ROLLUPS[name], rows, keys, COLUMNS))
    return out


def apply(conn: Connection, ids: list[int], sign: int) -> None:
    """Add (``sign`` 1) or take out (-1) the settled cases among ``ids`` as the database holds
    them now."""
    rollupsql.run_for_ids(conn, _adding(conn.dialect.name, sign), ids)


def rebuild(conn: Connection) -> None:
    """Every rollup again from ``events``."""
    counts = casecounts.cohort(END_OF_TIME)
    for name, keys in ROLLUP_KEYS.items():
        table = ROLLUPS[name]
        key_cols = [_key(k).label(k) for k in keys]
        conn.execute(delete(table))
        conn.execute(insert(table).from_select(
            list(keys) + list(COLUMNS),
            select(*key_cols, *counts).where(Event.settled_at.is_not(None)).group_by(*key_cols)))


# --- reading them --------------------------------------------------------------------------------


def covering(*exprs):
    """The smallest rollup whose keys hold every ``events`` column of ``exprs`` (group keys, the
    scope, a filter), or None."""
    need = rollupsql.events_columns(*exprs)
    for name in _BY_SIZE:
        if need <= set(ROLLUP_KEYS[name]):
            return ROLLUPS[name]
    return None


def retarget(expr, table):
    """``expr`` over ``events`` rewritten over the rollup ``table``."""
    return rollupsql.retarget(expr, table, NULLABLE_KEYS)


def all_time(table, t: datetime, by: list, where: list):
    """The cohort of every case reported before ``t``, as of ``t``, from ``table`` and the two corrections from ``events``; grouped by ``by``
    (labelled expressions over ``events``), filtered by ``where``. A select of ``by``'s labels and
    ``COLUMNS``."""
    keep = [retarget(b, table) for b in by]
    totals = (select(*keep, *[func.coalesce(func.sum(table.c[c]), 0).label(c) for c in COLUMNS])
              .where(*[retarget(w, table) for w in where]))
    late = (select(*by, *[(lab.element * -1).label(lab.name) for lab in casecounts.cohort(END_OF_TIME)])
            .where(Case(t).settles_later, *where))
    # ``reported_at < t`` holds for nearly every row: wrapped in coalesce() it is only a filter, so
    # no planner reads every report through its index instead of the few unsettled cases.
    unsettled = (select(*by, *casecounts.cohort(t))
                 .where(Case(t).not_settled, func.coalesce(Event.reported_at, Event.reported_at) < t, *where))
    if by:
        totals, late, unsettled = totals.group_by(*keep), late.group_by(*by), unsettled.group_by(*by)
    parts = union_all(totals, late, unsettled).subquery()
    keys = [parts.c[b.name] for b in by]
    # Cast back: PostgreSQL sums bigints into numeric, which arrives as one Decimal per value.
    stmt = select(*keys, *[cast(func.sum(parts.c[c]), Float if c in casecounts.COHORT_SUMS else BigInteger).label(c)
                           for c in COLUMNS])
    # Groups whose every case came after ``t`` add up to nothing: no group, as over ``events``.
    return stmt.group_by(*keys).having(func.sum(parts.c.reported) > 0) if keys else stmt
