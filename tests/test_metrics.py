"""Every indicator formula of DESIGN.md on hand-built cases, and replay as of an earlier time."""

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest
from sqlalchemy import update

from dashboard.figures import metrics
from dashboard.domain import windows
from dashboard.store.db import transaction
from dashboard.store.models import Staff

from .factories import CLOSE, DEPT, GRID_A, GRID_B, GRID_C, TOWN, case, small_county

T0 = datetime(2026, 11, 1, 1, 0, tzinfo=timezone.utc)
H = timedelta(hours=1)


@pytest.fixture(scope="module")
def cases(databases):
    from dashboard.store.db import make_engine, upgrade

    e = make_engine(databases.new_url())
    upgrade(e)
    small_county(e)
    for steps, grid, category in (
        (CLOSE, GRID_A, "SQ01"),  # closed in time
        ([("accept", 1), ("dispatch", 2, DEPT), ("start", 3), ("dispose", 30), ("verify_ok", 31)], GRID_B, "SQ01"),  # late
        ([("accept", 1), ("dispatch", 2, DEPT), ("dispose", 4), ("verify_fail", 5), ("dispose", 7), ("verify_ok", 9)],
         GRID_A, "SQ01"),  # reworked
        ([("invalidate", 1)], GRID_A, "SQ01"),  # invalid
        ([("accept", 1), ("dispatch", 2, DEPT), ("supervise", 30)], GRID_A, "SQ01"),  # overdue and supervised
        ([("accept", 1)], GRID_C, "JF01"),  # a dispute in the other town
        ([], GRID_A, "SQ01"),  # awaiting intake
    ):
        case(e, T0, steps, grid=grid, category=category)
    with transaction(e) as s:
        s.execute(update(Staff).where(Staff.grid_code == GRID_A, Staff.role == "grid_worker")
                  .values(last_seen_at=T0 + 100 * H - 5 * timedelta(minutes=1)))
        s.execute(update(Staff).where(Staff.grid_code == GRID_B, Staff.role == "grid_worker")
                  .values(last_seen_at=T0 + 100 * H - 11 * timedelta(minutes=1)))
    yield e
    e.dispose()


def window(hours_after: float) -> windows.Window:
    return windows.Window(T0 - H, T0 + hours_after * H)


def test_county_figures_as_of_the_end(cases):
    s = metrics.summary(cases, window(100))
    assert s["reported"] == 7
    assert s["accepted"] == 6  # intake decided: 5 accepted + 1 invalid
    assert s["invalid"] == 1
    assert s["valid"] == 5
    assert s["closed"] == 3
    assert s["in_progress"] == 2
    assert s["closure_rate"] == pytest.approx(3 / 5)
    assert s["due"] == 4  # 3 closed + the overdue one (the dispute's 168 h deadline is not yet due)
    assert s["closed_on_time"] == 2
    assert s["on_time_rate"] == pytest.approx(2 / 4)
    assert s["overdue"] == 1
    assert s["rework_rate"] == pytest.approx(1 / 3)
    assert s["mean_hours_to_close"] == pytest.approx((5 + 30 + 8) / 3)
    assert (s["supervised"], s["supervised_open"]) == (1, 1)


def test_area_figures(cases):
    s = metrics.summary(cases, window(100), metrics.Scope(area=TOWN))
    assert (s["reported"], s["valid"], s["closed"]) == (6, 4, 3)  # the dispute is in the other town
    assert (s["population"], s["houses"], s["grids"], s["grid_workers"]) == (1800, 830, 2, 2)
    g = metrics.summary(cases, window(100), metrics.Scope(area=GRID_B))
    assert (g["reported"], g["closed"], g["closed_on_time"]) == (1, 1, 0)


def test_online_rate_counts_the_last_ten_minutes(cases):
    s = metrics.summary(cases, window(100))
    assert (s["grid_workers"], s["grid_workers_online"]) == (3, 1)
    assert s["online_rate"] == pytest.approx(1 / 3)


def test_replay_as_of_an_earlier_moment(cases):
    s = metrics.summary(cases, window(7))
    assert (s["reported"], s["accepted"], s["valid"]) == (7, 6, 5)
    assert s["closed"] == 1  # only the on-time case had closed 7 h after the reports
    assert s["in_progress"] == 4
    assert s["due"] == 1 and s["overdue"] == 0
    assert s["on_time_rate"] == 1.0
    assert s["rework_rate"] == 0.0  # the reworked case was not closed yet
    assert s["supervised"] == 0  # supervision came at 30 h
    early = metrics.summary(cases, window(0.5))
    assert (early["accepted"], early["closure_rate"], early["on_time_rate"]) == (0, None, None)


def test_department_score_and_parts(cases):
    s = metrics.summary(cases, window(100), metrics.Scope(department=DEPT))
    assert (s["valid"], s["closed"], s["due"], s["closed_on_time"]) == (4, 3, 4, 2)
    assert s["score_on_time"] == pytest.approx(0.5 * 50)
    assert s["score_closure"] == pytest.approx(0.75 * 30)
    assert s["score_rework"] == pytest.approx((1 - 1 / 3) * 10)
    assert s["score_supervision"] == pytest.approx(10 - 0.5 * 1 - 1 * 1)
    assert s["score"] == pytest.approx(25 + 22.5 + 20 / 3 + 8.5)
    # The handler's clock: three disposed (two by the deadline), one with the handler past it.
    assert (s["disposed"], s["disposed_on_time"], s["disposal_due"], s["handler_overdue"]) == (3, 2, 4, 1)
    assert s["on_time_disposal_rate"] == pytest.approx(2 / 4)
    assert s["mean_hours_to_verify"] == pytest.approx((1 + 1 + 2) / 3)  # disposal -> closure
    assert (s["open_now"], s["overdue_now"], s["handler_overdue_now"]) == (1, 1, 1)
    weights = metrics.ScoreWeights(on_time=60, closure=20)
    ranking = metrics.department_ranking(cases, window(100), weights=weights)
    row = ranking[ranking["code"] == DEPT].iloc[0]
    assert row["score"] == pytest.approx(0.5 * 60 + 0.75 * 20 + 20 / 3 + 8.5)


def test_ranking_lists_all_county_departments_and_handler_levels(cases):
    r = metrics.department_ranking(cases, window(100))
    assert set(r[r["level"] == "county_department"]["code"]) == {"D01", "D02"}
    d02 = r[r["code"] == "D02"].iloc[0]
    assert d02["valid"] == 0
    assert pd.isna(d02["score"])  # no cases: no score
    d01 = r[r["code"] == DEPT].iloc[0]
    assert d01["valid"] == 4 and d01["score"] == pytest.approx(25 + 22.5 + 20 / 3 + 8.5)
    split = metrics.handler_level_split(r)
    assert dict(zip(split["code"], split["valid"])) == {"county_department": 4}


def test_trend_and_heatmap_shapes(cases):
    w = window(100)
    trend = metrics.daily_trend(cases, w)
    assert trend["reported"].sum() == 7 and trend["closed"].sum() == 3
    hw = metrics.hour_weekday_matrix(cases, w)
    assert hw["n"].sum() == 7
    # T0 is 09:00 on Sunday 1 November 2026 in Asia/Shanghai.
    assert list(hw[["weekday", "hour"]].itertuples(index=False, name=None)) == [(6, 9)]
    cd = metrics.category_day_matrix(cases, w)
    assert dict(zip(cd["category"], cd["n"])) == {"SQ": 6, "JF": 1}


def test_bad_windows_are_refused():
    with pytest.raises(ValueError):
        windows.Window(T0, T0)
    with pytest.raises(windows.WindowError) as e:
        windows.parse_window("2026-13-01", None, T0)
    assert "start" in e.value.fields
    w = windows.parse_window("2026-11-01", "2026-11-20", T0)
    assert w.end - w.start == timedelta(days=20)  # a bare end date includes that day
