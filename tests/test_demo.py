"""The nanling demo reproduces the seed article's figures, tiles the county exactly, is
deterministic, and every case's row agrees with its log."""

import hashlib
import json
from datetime import timedelta

import shapely
from shapely.geometry import shape
from sqlalchemy import func, select, text

from dashboard.domain import lifecycle
from dashboard.figures import metrics
from dashboard.domain import windows
from dashboard.store.db import make_engine
from dashboard.demo import seed
from dashboard.store.models import Area, Category, Department, Event, EventLog, Staff

from .conftest import AS_OF


def test_published_figures(demo_engine):
    s = metrics.summary(demo_engine, windows.Window.last_days(112, AS_OF))
    assert (s["accepted"], s["closed"], s["in_progress"], s["invalid"]) == (979, 917, 32, 30)
    assert s["closure_rate"] == 917 / 949
    assert (s["population"], s["houses"], s["grids"], s["grid_workers"]) == (166_329, 87_911, 211, 211)
    assert s["overdue"] > 0 and s["rework_rate"] > 0 and s["supervised"] > 0
    with demo_engine.connect() as c:
        levels = dict(c.execute(select(Area.level, func.count()).group_by(Area.level)).all())
        assert levels == {"county": 1, "town": 9, "community": 25, "grid": 211}
        assert c.scalar(select(func.count()).select_from(Department).where(Department.level == "county_department")) == 27
        households = c.execute(select(func.min(Area.households), func.max(Area.households)).where(Area.level == "grid")).one()
        assert 300 <= households[0] and households[1] <= 600
        lon, lat = c.execute(select(Area.centroid_lon, Area.centroid_lat).where(Area.level == "county")).one()
        assert 117.96 < lon < 118.51 and 30.64 < lat < 31.18  # Nanling's real location
        roles = dict(c.execute(select(Staff.role, func.count()).group_by(Staff.role)).all())
        assert roles["grid_worker"] == 211 and roles["grid_leader"] == 211
        assert sum(v for k, v in roles.items() if k not in ("grid_worker", "grid_leader")) > 211  # the N
        # a believable mix: every source, handler level and major category appears
        assert {r for (r,) in c.execute(select(Event.source).distinct())} == {"patrol", "public", "hotline", "video", "transfer"}
        assert {r for (r,) in c.execute(select(Event.handler_level).distinct()) if r} == {"grid", "community", "town",
                                                                                          "county_department"}
        assert c.scalar(select(func.count()).select_from(Event).where(Event.sendback_count > 0)) > 0


def test_grids_tile_the_county_without_gaps_or_overlaps(demo_engine):
    with demo_engine.connect() as c:
        rows = c.execute(select(Area.code, Area.level, Area.geometry)).all()
    geoms = {code: shape(json.loads(g)) for code, _, g in rows}
    grids = [geoms[code] for code, level, _ in rows if level == "grid"]
    county = next(geoms[code] for code, level, _ in rows if level == "county")
    assert all(g.is_valid for g in geoms.values())
    assert shapely.union_all(grids).symmetric_difference(county).area == 0.0
    tree = shapely.STRtree(grids)
    for i, g in enumerate(grids):
        for j in tree.query(g, predicate="intersects"):
            if j != i:
                assert g.intersection(grids[j]).area == 0.0
    # each level nests exactly in its parent
    for code, level, _ in rows:
        if level in ("town", "community"):
            kids = [geoms[k] for k, lv, _ in rows if lv != level and k.startswith(code) and len(k) == len(code) + 3]
            assert shapely.union_all(kids).symmetric_difference(geoms[code]).area == 0.0


def test_each_row_is_the_fold_of_its_log(demo_engine):
    with demo_engine.connect() as c:
        events = {e.id: e for e in c.execute(select(Event)).all()}
        limits = dict(c.execute(select(Category.code, Category.time_limit_hours)).all())
        depts = dict(c.execute(select(Department.code, Department.level)).all())
        logs = c.execute(select(EventLog).order_by(EventLog.event_id, EventLog.id)).all()
    by_event = {}
    for row in logs:
        by_event.setdefault(row.event_id, []).append(row)
    assert set(by_event) == set(events)
    for eid, rows in by_event.items():
        e = events[eid]
        assert rows[0].action == "report" and rows[0].at == e.reported_at
        state = lifecycle.new_state(e.reported_at)
        for r in rows[1:]:
            h = (r.handler_code, depts[r.handler_code]) if r.handler_code else None
            state = lifecycle.step(state, r.action, r.at, handler=h, time_limit_hours=limits[e.category_code])
            assert r.to_status == state["status"]
        for f in ("status", "accepted_at", "invalid_at", "closed_at", "deadline", "handler_code", "rework_count"):
            assert state[f] == getattr(e, f), (eid, f)
        assert e.reported_at <= AS_OF and (e.closed_at is None or e.closed_at <= AS_OF)


def _fingerprint(engine) -> str:
    h = hashlib.sha256()
    with engine.connect() as c:
        for table in ("areas", "staff", "events", "event_log", "patrols", "visits", "grid_stats"):
            cols = "*" if table != "areas" else "code, name, geometry, households, houses, population"
            for row in c.execute(text(f"SELECT {cols} FROM {table} ORDER BY 1, 2")):
                h.update(repr(tuple(row)).encode())
    return h.hexdigest()


def test_same_seed_same_data_other_seed_other_data(demo_engine, databases):
    again = make_engine(databases.new_url())
    seed(again, "nanling", 7, as_of=AS_OF)
    assert _fingerprint(again) == _fingerprint(demo_engine)
    other = make_engine(databases.new_url())
    seed(other, "nanling", 8, as_of=AS_OF)
    assert _fingerprint(other) != _fingerprint(demo_engine)
    s = metrics.summary(other, windows.Window.last_days(112, AS_OF))
    assert (s["accepted"], s["closed"], s["in_progress"], s["invalid"]) == (979, 917, 32, 30)
    again.dispose()
    other.dispose()


def test_city_profile_small_scale(databases):
    e = make_engine(databases.new_url())
    counts = seed(e, "city", 3, as_of=AS_OF, scale=0.01)
    assert counts["events"] == 10_000
    with e.connect() as c:
        assert c.scalar(select(func.count()).select_from(Area).where(Area.level == "grid")) == 190
        geoms = [shape(json.loads(g)) for (g,) in c.execute(select(Area.geometry).where(Area.level == "grid"))]
        root = shape(json.loads(c.scalar(select(Area.geometry).where(Area.level == "county"))))
    assert shapely.union_all(geoms).symmetric_difference(root).area == 0.0
    s = metrics.summary(e, windows.Window(AS_OF - timedelta(days=3650), AS_OF))
    assert s["reported"] == 10_000 and 0.95 < s["closure_rate"] < 1.0
    e.dispose()
