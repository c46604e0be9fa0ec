"""What the indicators count over a set of cases, as SQL aggregates: the *cohort's* counting
columns (cases as of a moment ``t``) and the *stock's* (what stands open at ``t``).

``figures.metrics`` groups and windows them and derives the published indicators; the settled
rollups (``domain.settled``) keep the same columns for cases that no longer change. One list of
names (``store.models.ROLLUP_COUNTS`` + ``ROLLUP_SUMS``) names both, so a rollup row and a query
over ``events`` add up column by column.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, case, func

from dashboard.domain.casestate import Case
from dashboard.store.models import ROLLUP_COUNTS, ROLLUP_SUMS, Event
from dashboard.store.sqlfuncs import hours_between

COHORT_COUNTS = ROLLUP_COUNTS
COHORT_SUMS = ROLLUP_SUMS
STOCK_COUNTS = ("open_now", "overdue_now", "handler_overdue_now", "supervised_open_now")


def flag_sum(cond):
    """How many rows meet ``cond`` (0 over no rows)."""
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _hours_sum(cond, later, earlier):
    return func.coalesce(func.sum(case((cond, hours_between(later, earlier)), else_=0.0)), 0.0)


def cohort(t: datetime, c=Event) -> list:
    """The cohort's counting columns over the rows of ``c``, each case as of ``t``."""
    st = Case(t, c)
    verified = and_(st.closed, c.disposed_at.is_not(None))
    cols = {
        "reported": func.count(c.id),
        "accepted": flag_sum(st.intake_done),
        "invalid": flag_sum(st.invalid),
        "closed": flag_sum(st.closed),
        "closed_on_time": flag_sum(st.closed_on_time),
        "due_open": flag_sum(and_(st.open, c.deadline <= st.t)),
        "overdue": flag_sum(st.overdue),
        "reworked": flag_sum(and_(st.closed, c.rework_count >= 1)),
        "supervised": flag_sum(st.supervised),
        "supervised_open": flag_sum(and_(st.supervised, st.open)),
        "disposed": flag_sum(st.disposed),
        "disposed_on_time": flag_sum(st.disposed_on_time),
        "disposal_due": flag_sum(st.disposal_due),
        "handler_overdue": flag_sum(st.handler_overdue),
        "verified": flag_sum(verified),
        "hours_sum": _hours_sum(st.closed, c.closed_at, c.accepted_at),
        "verify_hours_sum": _hours_sum(verified, c.closed_at, c.disposed_at),
    }
    assert tuple(cols) == COHORT_COUNTS + COHORT_SUMS
    return [expr.label(name) for name, expr in cols.items()]


def stock(t: datetime, c=Event) -> list:
    """The stock's counting columns: what stands open at ``t``, whatever its report time."""
    st = Case(t, c)
    return [
        flag_sum(st.open).label("open_now"),
        flag_sum(st.overdue).label("overdue_now"),
        flag_sum(st.handler_overdue).label("handler_overdue_now"),
        flag_sum(and_(st.supervised, st.open)).label("supervised_open_now"),
    ]
