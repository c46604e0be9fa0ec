"""The figures behind each warning signal, per grid, as of a moment: grouped SQL aggregates only.

Three queries cover the whole county whatever its size: the report counts of the surge windows
and their baselines (an index range scan on ``reported_at``), the open cases (disputes, overdue,
major: the few rows not closed as of the moment, found through the ``closed_at`` index), and the
manual warnings in force. Everything is evaluated **as of** ``t`` from the stage times on the
event row, like ``metrics``, so a past moment replays exactly.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import and_, case, func, literal, or_, select, type_coerce, union_all
from sqlalchemy.engine import Engine

from dashboard.domain.casestate import Case
from dashboard.store.models import Area, Category, Event, UTCDateTime, Warning
from dashboard.warnings.rules import Rules


def _count(cond):
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _earliest(cond, column):
    return type_coerce(func.min(case((cond, column), else_=None)), UTCDateTime)


def surge_windows(rules: Rules, t: datetime) -> list[dict]:
    """Each current window [t - w, t) and its baseline, which ends ``gap_days`` before the window
    starts and lasts ``baseline_days``."""
    s = rules.surge
    out = []
    for i, hours in enumerate(s.windows_hours):
        start = t - timedelta(hours=hours)
        base_end = start - timedelta(days=s.gap_days)
        out.append({"key": i, "hours": hours, "start": start, "base_start": base_end - timedelta(days=s.baseline_days),
                    "base_end": base_end})
    return out


def report_counts(engine: Engine, rules: Rules, t: datetime) -> pd.DataFrame:
    """Per grid: ``n{i}`` reports in current window i and ``b{i}`` in its baseline. Reports
    judged invalid by ``t`` (duplicates, out of scope) do not count."""
    wins = surge_windows(rules, t)
    cols = []
    for w in wins:
        cols.append(_count(Event.reported_at >= w["start"]).label(f"n{w['key']}"))
        cols.append(_count(and_(Event.reported_at >= w["base_start"], Event.reported_at < w["base_end"])).label(f"b{w['key']}"))
    first = min(w["base_start"] for w in wins)
    stmt = (select(Event.grid_code.label("grid_code"), *cols)
            .where(Event.reported_at >= first, Event.reported_at < t, Case(t).not_invalid)
            .group_by(Event.grid_code))
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()  # tuples: building frames from mappings is slow at city scale
    names = ["grid_code"] + [c.name for c in cols]
    return pd.DataFrame(rows, columns=names).set_index("grid_code")


def _major_condition(rules: Rules):
    m = rules.major
    conds = []
    if m.severities:
        conds.append(Event.severity.in_(m.severities))
    if m.major_categories:
        conds.append(Category.is_major.is_(True))
    return or_(*conds) if conds else None


def _open_rows(rules: Rules, t: datetime, *columns):
    """The cases unresolved as of ``t`` (``casestate``: reported, not judged invalid, not
    closed), as a subquery with the columns ``casestate.Case`` reads.

    Written as the two halves of "not closed" (never closed; closed after ``t``) joined by UNION
    ALL, so both databases read only the open rows through the ``closed_at`` index instead of
    scanning every report."""
    major = _major_condition(rules)
    st = Case(t)
    cols = [Event.grid_code.label("grid_code"), Event.accepted_at.label("accepted_at"), Event.closed_at.label("closed_at"),
            Event.deadline.label("deadline"), Category.is_dispute.label("is_dispute"),
            (case((major, 1), else_=0) if major is not None else literal(0)).label("is_major"), *columns]

    def part(branch, reported_before):
        return (select(*cols).join(Category, Category.code == Event.category_code)
                .where(branch, reported_before, st.not_invalid))

    never_closed, closed_later = st.not_closed_branches()
    # In the second part ``reported_at < t`` holds for nearly every row when t is recent; wrapped
    # in coalesce() it is a filter only, so the planner cannot pick the reported_at index (SQLite
    # without statistics would, and read every report) over the closed_at one.
    return union_all(
        part(never_closed, Event.reported_at < t),
        part(closed_later, func.coalesce(Event.reported_at, Event.reported_at) < t),
    ).subquery("open_cases")


def open_case_figures(engine: Engine, rules: Rules, t: datetime) -> pd.DataFrame:
    """Per grid with open cases as of ``t``: open disputes and the earliest acceptance among them,
    overdue cases (open valid past deadline, as ``metrics``) and the earliest deadline among them,
    and open major/urgent events (reported, not judged invalid, not closed)."""
    o = _open_rows(rules, t)
    st = Case(t, o.c)
    dispute = and_(st.open, o.c.is_dispute.is_(True))
    overdue = st.overdue
    stmt = select(
        o.c.grid_code,
        _count(dispute).label("disputes"),
        _earliest(dispute, o.c.accepted_at).label("dispute_since"),
        _count(overdue).label("overdue"),
        _earliest(overdue, o.c.deadline).label("overdue_since"),
        func.coalesce(func.sum(o.c.is_major), 0).label("major"),
    ).group_by(o.c.grid_code)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    df = pd.DataFrame(rows, columns=["grid_code", "disputes", "dispute_since", "overdue", "overdue_since", "major"])
    return df.set_index("grid_code")


def open_major_events(engine: Engine, rules: Rules, t: datetime) -> pd.DataFrame:
    """The open major/urgent events themselves (few), for the reasons' words."""
    cols = ["id", "grid_code", "title", "severity", "category", "reported_at"]
    if _major_condition(rules) is None:
        return pd.DataFrame(columns=cols)
    o = _open_rows(rules, t, Event.id.label("id"), Event.title.label("title"), Event.severity.label("severity"),
                   Category.name.label("category"), Event.reported_at.label("reported_at"))
    stmt = (select(o.c.id, o.c.grid_code, o.c.title, o.c.severity, o.c.category,
                   type_coerce(o.c.reported_at, UTCDateTime).label("reported_at"))
            .where(o.c.is_major == 1))
    with engine.connect() as conn:
        df = pd.DataFrame(conn.execute(stmt).all(), columns=cols)
    return df.sort_values(["grid_code", "reported_at"], kind="stable").reset_index(drop=True)


def manual_in_force(engine: Engine, t: datetime) -> pd.DataFrame:
    """Manual warnings in force at ``t``: issued by then, neither expired nor lifted yet."""
    stmt = (select(Warning.id, Warning.scope_code, Warning.level, Warning.reasons, Warning.issued_at, Warning.expires_at,
                   Warning.issued_by)
            .where(Warning.kind == "manual", Warning.issued_at <= t,
                   or_(Warning.expires_at.is_(None), Warning.expires_at > t),
                   or_(Warning.lifted_at.is_(None), Warning.lifted_at > t))
            .order_by(Warning.level, Warning.issued_at))
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).all(),
                            columns=["id", "scope_code", "level", "reasons", "issued_at", "expires_at", "issued_by"])


def grid_codes(engine: Engine) -> pd.Index:
    with engine.connect() as conn:
        codes = conn.execute(select(Area.code).where(Area.level == "grid").order_by(Area.code)).scalars().all()
    return pd.Index(codes, name="grid_code")
