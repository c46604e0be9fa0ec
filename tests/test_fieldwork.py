"""Patrol hours and household visits against the seeds' norms."""

from datetime import datetime, timedelta, timezone

import pytest

from dashboard.figures import fieldwork
from dashboard.domain import windows
from dashboard.store.db import transaction
from dashboard.store.models import Patrol, Staff, Visit

from .factories import GRID_A, GRID_B, case, small_county

T0 = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)  # a Monday, 09:00 in Nanling


def test_patrols_visits_and_reports_per_worker(engine):
    small_county(engine)
    with transaction(engine) as s:
        a = s.query(Staff).filter_by(grid_code=GRID_A, role="grid_worker").one().id
        b = s.query(Staff).filter_by(grid_code=GRID_B, role="grid_worker").one().id
        for day in range(7):  # A: 2 h a day = 14 h in the week; B: 1 h on 3 days
            start = T0 + timedelta(days=day)
            s.add(Patrol(staff_id=a, grid_code=GRID_A, started_at=start, ended_at=start + timedelta(hours=2)))
            if day < 3:
                s.add(Patrol(staff_id=b, grid_code=GRID_B, started_at=start, ended_at=start + timedelta(hours=1)))
        for k in range(40):  # 40 visits to 400 households in one week: 5.2 per household per year
            s.add(Visit(staff_id=a, grid_code=GRID_A, visited_at=T0 + timedelta(hours=k), household_no=k + 1))
    rid = case(engine, T0 + timedelta(hours=1), [])
    with transaction(engine) as s:
        from dashboard.store.models import Event
        s.get(Event, rid).reporter_staff_id = a
    w = windows.Window(T0, T0 + timedelta(days=7))
    df = fieldwork.worker_stats(engine, w).set_index("grid_code")
    assert df.loc[GRID_A, "patrol_hours"] == pytest.approx(14.0)
    assert df.loc[GRID_A, "patrol_hours_per_week"] == pytest.approx(14.0)
    assert bool(df.loc[GRID_A, "patrol_norm_met"]) and not bool(df.loc[GRID_B, "patrol_norm_met"])
    assert df.loc[GRID_A, "visits"] == 40
    assert df.loc[GRID_A, "visits_per_household_year"] == pytest.approx(40 / 400 * 365 / 7)
    assert bool(df.loc[GRID_A, "visit_norm_met"]) and not bool(df.loc[GRID_B, "visit_norm_met"])
    assert (df.loc[GRID_A, "reports"], df.loc[GRID_B, "reports"]) == (1, 0)
    town_only = fieldwork.worker_stats(engine, w, area=GRID_B)
    assert list(town_only["grid_code"]) == [GRID_B]


def test_demo_workers_mostly_meet_the_patrol_norm(demo_engine):
    from .conftest import AS_OF

    df = fieldwork.worker_stats(demo_engine, windows.Window.last_days(28, AS_OF))
    assert len(df) == 211
    share = df["patrol_norm_met"].mean()
    assert 0.5 < share < 1.0  # most do, a few fall short: something for the bulletin to say
