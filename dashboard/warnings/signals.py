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
from sqlalchemy import and_, case, func, or_, select, type_coerce
from sqlalchemy.engine import Engine

from ..models import Area, Category, Event, UTCDateTime, Warning
from .rules import Rules


def _count(cond):
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _earliest(cond, column):
    return type_coerce(func.min(case((cond, column), else_=None)), UTCDateTime)


def not_invalid(t: datetime):
    return or_(Event.invalid_at.is_(None), Event.invalid_at > t)


def not_closed(t: datetime):
    return or_(Event.closed_at.is_(None), Event.closed_at > t)


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
            .where(Event.reported_at >= first, Event.reported_at < t, not_invalid(t))
            .group_by(Event.grid_code))
    with engine.connect() as conn:
        rows = conn.execute(stmt).mappings().all()
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


def open_case_figures(engine: Engine, rules: Rules, t: datetime) -> pd.DataFrame:
    """Per grid with open cases as of ``t``: open disputes and the earliest acceptance among them,
    overdue cases (open valid past deadline, as ``metrics``) and the earliest deadline among them,
    and open major/urgent events (reported, not judged invalid, not closed)."""
    accepted = Event.accepted_at <= t
    dispute = and_(accepted, Category.is_dispute.is_(True))
    overdue = and_(accepted, Event.deadline < t)
    major = _major_condition(rules)
    cols = [
        _count(dispute).label("disputes"),
        _earliest(dispute, Event.accepted_at).label("dispute_since"),
        _count(overdue).label("overdue"),
        _earliest(overdue, Event.deadline).label("overdue_since"),
        (_count(major) if major is not None else func.coalesce(func.sum(0), 0)).label("major"),
    ]
    stmt = (select(Event.grid_code.label("grid_code"), *cols)
            .join(Category, Category.code == Event.category_code)
            .where(not_closed(t), Event.reported_at < t, not_invalid(t))
            .group_by(Event.grid_code))
    with engine.connect() as conn:
        rows = conn.execute(stmt).mappings().all()
    df = pd.DataFrame(rows, columns=["grid_code", "disputes", "dispute_since", "overdue", "overdue_since", "major"])
    return df.set_index("grid_code")


def open_major_events(engine: Engine, rules: Rules, t: datetime) -> pd.DataFrame:
    """The open major/urgent events themselves (few), for the reasons' words."""
    major = _major_condition(rules)
    cols = ["id", "grid_code", "title", "severity", "category", "reported_at"]
    if major is None:
        return pd.DataFrame(columns=cols)
    stmt = (select(Event.id, Event.grid_code, Event.title, Event.severity, Category.name.label("category"), Event.reported_at)
            .join(Category, Category.code == Event.category_code)
            .where(not_closed(t), Event.reported_at < t, not_invalid(t), major)
            .order_by(Event.grid_code, Event.reported_at))
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(), columns=cols)


def manual_in_force(engine: Engine, t: datetime) -> pd.DataFrame:
    """Manual warnings in force at ``t``: issued by then, neither expired nor lifted yet."""
    stmt = (select(Warning.id, Warning.scope_code, Warning.level, Warning.reasons, Warning.issued_at, Warning.expires_at,
                   Warning.issued_by)
            .where(Warning.kind == "manual", Warning.issued_at <= t,
                   or_(Warning.expires_at.is_(None), Warning.expires_at > t),
                   or_(Warning.lifted_at.is_(None), Warning.lifted_at > t))
            .order_by(Warning.level, Warning.issued_at))
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(),
                            columns=["id", "scope_code", "level", "reasons", "issued_at", "expires_at", "issued_by"])


def grid_codes(engine: Engine) -> pd.Index:
    with engine.connect() as conn:
        codes = conn.execute(select(Area.code).where(Area.level == "grid").order_by(Area.code)).scalars().all()
    return pd.Index(codes, name="grid_code")
