"""The rollups: an all-time figure read from the settled rollups, and a trend or heatmap read from
the day counts, equal the same figure counted over every event, for the present and for past
moments; every write path keeps the rollups equal to a rebuild from ``events``; the migration
builds them for a database that had none."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from dashboard.domain import areas, lifecycle, rollups, settled, windows
from dashboard.figures import metrics
from dashboard.store import db as dbmod
from dashboard.store.models import DAY_ROLLUPS, ROLLUPS, Department, Event

from .conftest import AS_OF

# The present, and moments to replay: a few days back, and before most of the history.
MOMENTS = {"now": AS_OF, "3 days back": AS_OF - timedelta(days=3), "40 days back": AS_OF - timedelta(days=40),
           "100 days back": AS_OF - timedelta(days=100)}


def _all_time(engine, t):
    return windows.window_for("all", t, first=windows.first_report(engine))


def _figures(engine, window) -> dict:
    town = engine.connect().execute(select(Event.town_code).limit(1)).scalar()
    dept = engine.connect().execute(select(Department.code).where(Department.level == "county_department")
                                    .limit(1)).scalar()
    root = areas.root(engine).code
    out = {
        "county": metrics.summary(engine, window),
        "root": metrics.summary(engine, window, metrics.Scope(area=root)),
        "root's ranking": metrics.department_ranking(engine, window, metrics.Scope(area=root))
        .drop(columns=["name"]).to_dict("records"),
        "town": metrics.summary(engine, window, metrics.Scope(area=town)),
        "department": metrics.summary(engine, window, metrics.Scope(department=dept)),
        "department in town": metrics.summary(engine, window, metrics.Scope(department=dept, area=town)),
        "ranking": metrics.department_ranking(engine, window).drop(columns=["name"]).to_dict("records"),
        "town's ranking": metrics.department_ranking(engine, window, metrics.Scope(area=town))
        .drop(columns=["name"]).to_dict("records"),
    }
    for group in ("town", "community", "grid", "handler", "handler_level", "category", "source"):
        df = metrics.by_group(engine, window, group).sort_values("code", na_position="first")
        out[group] = df.to_dict("records")
    return out


def _same(a, b, path="") -> None:
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for k in a:
            _same(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float) and a == a and b == b:
        assert a == pytest.approx(b, rel=1e-9, abs=1e-9), path
    elif isinstance(a, float) and a != a:
        assert isinstance(b, float) and b != b, path  # NaN on both sides
    else:
        assert a == b, path


@pytest.fixture
def used(monkeypatch):
    """The rollups each query was answered from (None: the events table)."""
    seen = []
    covering = settled.covering

    def spy(*exprs):
        table = covering(*exprs)
        seen.append(table)
        return table

    monkeypatch.setattr(settled, "covering", spy)
    return seen


def _by_scanning(monkeypatch, engine, window) -> dict:
    with monkeypatch.context() as m:
        m.setattr(settled, "covering", lambda *exprs: None)
        return _figures(engine, window)


@pytest.mark.parametrize("moment", MOMENTS)
def test_all_time_figures_from_the_rollups_equal_counting_every_event(demo_engine, monkeypatch, used, moment):
    window = _all_time(demo_engine, MOMENTS[moment])
    fast = _figures(demo_engine, window)
    assert None not in used and {t.name for t in used} == set(ROLLUPS)  # all from rollups, each used
    slow = _by_scanning(monkeypatch, demo_engine, window)
    _same(fast, slow)
    assert fast["county"]["reported"] > 0


def test_a_window_after_the_first_report_counts_events(demo_engine, used):
    first = windows.first_report(demo_engine)
    metrics.summary(demo_engine, windows.Window(first + timedelta(seconds=1), AS_OF))
    metrics.summary(demo_engine, windows.window_for("30d", AS_OF))
    assert used and all(t is not None for t in used)  # a rollup could hold them ...
    # ... but the cohort starts after the first report, so the events were counted: the result
    # differs from the all-time one by exactly the first case.
    late = metrics.summary(demo_engine, windows.Window(first + timedelta(seconds=1), AS_OF))["reported"]
    everything = metrics.summary(demo_engine, _all_time(demo_engine, AS_OF))["reported"]
    with demo_engine.connect() as conn:
        firsts = conn.execute(select(Event.id).where(Event.reported_at == first)).all()
    assert everything - late == len(firsts)


DAY_WINDOWS = {
    "all": lambda e: _all_time(e, AS_OF),
    "all, 40 days back": lambda e: _all_time(e, AS_OF - timedelta(days=40)),
    "30d": lambda e: windows.window_for("30d", AS_OF),
    "7d, 10 days back": lambda e: windows.window_for("7d", AS_OF - timedelta(days=10, hours=5)),
    "today": lambda e: windows.Window.today(AS_OF),
    "custom days": lambda e: windows.window_for("custom", AS_OF, start="2026-10-01", end="2026-10-20"),
}


def _day_figures(engine, window, town):
    out = {}
    root = areas.root(engine).code
    for scope in (metrics.Scope(), metrics.Scope(area=root), metrics.Scope(area=town)):
        out[f"trend {scope.area}"] = metrics.daily_trend(engine, window, scope).to_dict("records")
        out[f"heatmap {scope.area}"] = (metrics.category_day_matrix(engine, window, scope)
                                        .sort_values(["category", "day"]).to_dict("records"))
        out[f"rhythm {scope.area}"] = (metrics.hour_weekday_matrix(engine, window, scope)
                                       .sort_values(["weekday", "hour"]).to_dict("records"))
        out[f"raw heatmap {scope.area}"] = (metrics.category_day_matrix(engine, window, scope, top_level=False)
                                            .sort_values(["category", "day"]).to_dict("records"))
    if window.end - window.start <= timedelta(days=3):
        out["hourly"] = metrics.hourly_trend(engine, window).to_dict("records")
    return out


@pytest.mark.parametrize("name", DAY_WINDOWS)
def test_trends_and_heatmaps_from_the_day_counts_equal_counting_every_event(demo_engine, monkeypatch, name):
    window = DAY_WINDOWS[name](demo_engine)
    town = demo_engine.connect().execute(select(Event.town_code).limit(1)).scalar()
    used = []
    day_counts = metrics._day_counts

    def spy(*args):
        df = day_counts(*args)
        used.append(df is not None)
        return df

    monkeypatch.setattr(metrics, "_day_counts", spy)
    fast = _day_figures(demo_engine, window, town)
    # the county's four (asked with no area and with the root's) and the town's trend from the day
    # counts (the town's heatmaps from events)
    assert used[:12] == [True] * 8 + [True, False, False, False]
    monkeypatch.setattr(metrics, "_day_counts", lambda *args: None)
    slow = _day_figures(demo_engine, window, town)
    _same(fast, slow)
    assert sum(r["reported"] for r in fast["trend None"]) > 0


def _rows(engine) -> dict:
    """Every rollup's rows without the all-zero ones (a case taken out leaves its key at zero)."""
    out = {}
    with engine.connect() as conn:
        for name, table in {**ROLLUPS, **DAY_ROLLUPS}.items():
            keys = [c.name for c in table.primary_key.columns]
            rows = {}
            for r in conn.execute(select(table)).mappings():
                # hours are floats added and taken out again: equal to the micro-hour
                counts = {k: round(v, 6) if isinstance(v, float) else v for k, v in r.items() if k not in keys}
                if any(counts.values()):
                    rows[tuple(r[k] for k in keys)] = counts
            out[name] = rows
    return out


def _rebuilt(engine) -> dict:
    with engine.begin() as conn:
        rollups.rebuild(conn)
    return _rows(engine)


def test_every_write_keeps_the_rollups_equal_to_a_rebuild(demo_copy):
    engine = demo_copy
    before = _rows(engine)
    Session = dbmod.session_factory(engine)
    t = AS_OF + timedelta(minutes=5)
    with Session.begin() as s:
        grid = s.scalar(select(Event.grid_code).limit(1))
        handler = s.scalar(select(Department.code).where(Department.level == "county_department").limit(1))
        # a new case through its whole life, closing it: it enters the rollups
        ev = lifecycle.report(s, title="rollup", category_code=s.scalar(select(Event.category_code).limit(1)),
                              source="hotline", grid_code=grid, at=t, actor="test")
        for i, action in enumerate(("accept", "dispatch", "dispose", "verify_ok")):
            lifecycle.apply(s, ev, action, at=t + timedelta(minutes=i + 1), actor="test",
                            handler_code=handler if action == "dispatch" else None)
        # another judged invalid
        bad = lifecycle.report(s, title="rollup bad", category_code=ev.category_code, source="hotline",
                               grid_code=grid, at=t, actor="test")
        lifecycle.apply(s, bad, "invalidate", at=t + timedelta(minutes=1), actor="test")
        # a settled case whose row changes (a platform correcting its rework count, its grid)
        closed = s.scalars(select(Event).where(Event.status == "closed", Event.grid_code != grid).limit(2)).all()
        closed[0].rework_count += 2
        closed[1].grid_code, closed[1].community_code, closed[1].town_code = grid, ev.community_code, ev.town_code
        s.flush()
        # cases recorded with their whole life at once (imports, the connector)
        plan = [lifecycle.Step("accept", t + timedelta(hours=1)),
                lifecycle.Step("dispatch", t + timedelta(hours=2), handler=(handler, "county_department")),
                lifecycle.Step("dispose", t + timedelta(hours=3)), lifecycle.Step("verify_ok", t + timedelta(hours=4))]
        fields = dict(title="recorded", category_code=ev.category_code, source="hotline", grid_code=grid)
        lifecycle.record(s, [lifecycle.NewCase(fields, t, plan, time_limit_hours=48),
                             lifecycle.NewCase(fields, t, plan[:2], time_limit_hours=48)], actor="test")
    after = _rows(engine)
    assert after != before
    assert after == _rebuilt(engine)


def test_a_write_that_fails_leaves_the_rollups_as_they_were(demo_copy):
    engine = demo_copy
    before = _rows(engine)
    Session = dbmod.session_factory(engine)
    with pytest.raises(RuntimeError):
        with Session.begin() as s:
            closed = s.scalars(select(Event).where(Event.status == "closed").limit(1)).one()
            closed.rework_count += 1
            s.flush()
            raise RuntimeError("the request failed after the flush")
    assert _rows(engine) == before == _rebuilt(engine)


def test_upgrading_a_database_with_cases_builds_its_rollups(demo_copy):
    engine = demo_copy
    built = _rows(engine)
    with engine.connect() as conn:
        settled_at = dict(conn.execute(select(Event.id, Event.settled_at)).all())
    dbmod.downgrade(engine, "0009")
    from click.testing import CliRunner

    from dashboard.cli import main

    result = CliRunner().invoke(main, ["db", "upgrade"], env={"DATABASE_URL": engine.url.render_as_string(
        hide_password=False)}, catch_exceptions=False)
    assert result.exit_code == 0 and "rollups built" in result.output, result.output
    assert _rows(engine) == built
    with engine.connect() as conn:
        assert dict(conn.execute(select(Event.id, Event.settled_at)).all()) == settled_at
    assert sum(v is not None for v in settled_at.values()) > 900


def test_the_rebuild_command_mends_rollups_written_around(demo_copy):
    from click.testing import CliRunner
    from sqlalchemy import update

    from dashboard.cli import main

    engine = demo_copy
    built = _rows(engine)
    table = ROLLUPS["settled_by_source"]
    with engine.begin() as conn:  # something wrote around the application
        conn.execute(update(table).values(closed=table.c.closed + 5))
    assert _rows(engine) != built
    result = CliRunner().invoke(main, ["db", "rebuild-rollups"], env={"DATABASE_URL": engine.url.render_as_string(
        hide_password=False)}, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert _rows(engine) == built
