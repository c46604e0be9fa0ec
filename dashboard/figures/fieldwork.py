"""Grid workers' fieldwork: patrol hours and household visits against the norms in the seeds, and
their reports. One home for these figures (grid pages, the weekly bulletin's outstanding workers).

Norms: Nanling's grid workers patrol and visit 10+ hours a week (seed 000); Putuo's visit every
household 4+ times a year (seed 002).
"""

from __future__ import annotations

from dashboard.domain import areas

import pandas as pd
from sqlalchemy import and_, func, select

from dashboard.domain import windows
from dashboard.store.models import Area, Event, Patrol, Staff, Visit
from dashboard.store.sqlfuncs import hours_between

PATROL_HOURS_PER_WEEK = 10.0
VISITS_PER_HOUSEHOLD_PER_YEAR = 4.0


def worker_stats(engine, window: windows.Window, area: str | None = None) -> pd.DataFrame:
    """One row per active grid worker in ``area``: patrol hours (total and per week), visits
    (total and per household per year, annualised over the window), reports, and whether each
    norm is met."""
    in_area = areas.within(area, Staff.grid_code)
    with engine.connect() as conn:
        workers = pd.DataFrame(conn.execute(
            select(Staff.id.label("staff_id"), Staff.name, Staff.grid_code, Area.name.label("grid_name"), Area.households)
            .join(Area, Area.code == Staff.grid_code)
            .where(Staff.role == "grid_worker", Staff.active.is_(True), in_area)
        ).mappings().all(), columns=["staff_id", "name", "grid_code", "grid_name", "households"])
        patrols = dict(conn.execute(
            select(Patrol.staff_id, func.sum(hours_between(Patrol.ended_at, Patrol.started_at)))
            .where(Patrol.started_at >= window.start, Patrol.started_at < window.end,
                   areas.within(area, Patrol.grid_code))
            .group_by(Patrol.staff_id)).all())
        visits = dict(conn.execute(
            select(Visit.staff_id, func.count(Visit.id))
            .where(Visit.visited_at >= window.start, Visit.visited_at < window.end,
                   areas.within(area, Visit.grid_code))
            .group_by(Visit.staff_id)).all())
        reports = dict(conn.execute(
            select(Event.reporter_staff_id, func.count(Event.id))
            .where(and_(Event.reported_at >= window.start, Event.reported_at < window.end,
                        Event.reporter_staff_id.is_not(None), areas.events_within(area)))
            .group_by(Event.reporter_staff_id)).all())
    weeks = (window.end - window.start).total_seconds() / (7 * 86400)
    years = (window.end - window.start).total_seconds() / (365 * 86400)
    df = workers.copy()
    df["patrol_hours"] = df["staff_id"].map(patrols).fillna(0.0).astype(float)
    df["visits"] = df["staff_id"].map(visits).fillna(0).astype(int)
    df["reports"] = df["staff_id"].map(reports).fillna(0).astype(int)
    df["patrol_hours_per_week"] = df["patrol_hours"] / weeks if weeks > 0 else float("nan")
    df["visits_per_household_year"] = (df["visits"] / df["households"].where(df["households"] > 0)) / years
    df["patrol_norm_met"] = df["patrol_hours_per_week"] >= PATROL_HOURS_PER_WEEK
    df["visit_norm_met"] = df["visits_per_household_year"] >= VISITS_PER_HOUSEHOLD_PER_YEAR
    return df
