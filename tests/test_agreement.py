"""One figure, one answer, wherever it is read: for past windows of the demo county, the summary
API, the big screen's KPI strip, the case list (API and explorer), the map's open-case measure and
the warning engine's reasons must give the same numbers. Each reads the figure by its own path
(HTTP, a panel, a count query, the map's colour arrays, the engine's signals), so a rule copied
rather than shared shows up here as a disagreement."""

from __future__ import annotations

from datetime import timedelta

import pytest

from callbacks import bigscreen
from callbacks.panel import View
from dashboard import warnings as W
from dashboard.domain import windows
from dashboard.figures import caselist, metrics
from dashboard.present import mapdata
from dashboard.timeutil import to_local
from dashboard.web.runtime import Runtime
from layouts import bigscreen as big_layout

from .conftest import AS_OF, settings_for

# The windows a duty officer picks: today, the screen's ranges and custom spans in the past.
WINDOWS = {
    "today": windows.Window.today(AS_OF),
    "7d": windows.window_for("7d", AS_OF),
    "30d": windows.window_for("30d", AS_OF),
    "past-week": windows.Window(AS_OF - timedelta(days=21), AS_OF - timedelta(days=14)),
    "past-day": windows.Window(AS_OF - timedelta(days=40), AS_OF - timedelta(days=39)),
    # all time (read from the settled rollups), now and replayed
    "all": windows.Window(AS_OF - timedelta(days=3650), AS_OF),
    "all-until-past": windows.Window(AS_OF - timedelta(days=3650), AS_OF - timedelta(days=20)),
}


def _iso(t) -> str:
    return to_local(t).replace(tzinfo=None).isoformat(timespec="seconds")


@pytest.fixture(scope="module")
def runtime(demo_url, demo_engine):
    return Runtime(settings_for(demo_url), demo_engine)


@pytest.mark.parametrize("name", WINDOWS)
def test_the_summary_api_and_the_big_screens_kpis_agree(api, runtime, name):
    w = WINDOWS[name]
    r = api.get("/api/v1/summary", query_string={"start": _iso(w.start), "end": _iso(w.end)})
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    root = body["area"]
    view = View(area=root, window=w, now=w.end, root=root, selection=windows.Selection(w, "custom"))
    strip = bigscreen._kpis_data(runtime, view)["figures"]
    assert set(strip) == set(big_layout.KPI_FIELDS)
    assert {f: body[f] for f in strip} == strip
    assert body["reported"] > 0 or name == "past-day"


@pytest.mark.parametrize("name", WINDOWS)
def test_the_case_list_counts_what_the_summary_counts(demo_engine, name):
    w = WINDOWS[name]
    s = metrics.summary(demo_engine, w)
    cohort = dict(start=w.start, end=w.end)
    # flows: the cases reported in the window, states as of its end
    assert caselist.count(demo_engine, caselist.Filters(**cohort), w.end) == s["reported"]
    assert caselist.count(demo_engine, caselist.Filters(**cohort, overdue=True), w.end) == s["overdue"]
    assert caselist.count(demo_engine, caselist.Filters(**cohort, handler_overdue=True), w.end) == s["handler_overdue"]
    assert caselist.count(demo_engine, caselist.Filters(**cohort, supervised=True), w.end) == s["supervised"]
    # stocks: what stands at the window's end, whatever the report time
    assert caselist.count(demo_engine, caselist.Filters(statuses=(caselist.OPEN,)), w.end) == s["open_now"]
    assert caselist.count(demo_engine, caselist.Filters(overdue=True), w.end) == s["overdue_now"]
    assert caselist.count(demo_engine, caselist.Filters(handler_overdue=True), w.end) == s["handler_overdue_now"]


@pytest.mark.parametrize("name", ["today", "past-week", "all"])
def test_the_maps_open_cases_are_the_stock_of_open_cases(demo_engine, name):
    w = WINDOWS[name]
    colours = mapdata.grid_colours(demo_engine, w, "open")
    by_grid = metrics.by_group(demo_engine, w, "grid").set_index("code")["open_now"]
    assert sum(colours["open"]) == metrics.summary(demo_engine, w)["open_now"] > 0
    codes = mapdata.grid_index(demo_engine).codes
    assert {c: n for c, n in zip(codes, colours["open"]) if n} == {c: int(n) for c, n in by_grid.items() if n}


@pytest.mark.parametrize("days_back", [0, 10])
def test_a_warnings_overdue_reason_counts_the_grids_overdue_cases_now(demo_engine, days_back):
    at = AS_OF - timedelta(days=days_back)
    ev = W.evaluate(demo_engine, W.load_rules(), at)
    overdue_now = metrics.by_group(demo_engine, windows.Window.today(at), "grid").set_index("code")["overdue_now"]
    signal = ev.grids["overdue"]
    assert {c: int(n) for c, n in signal.items() if n} == {c: int(n) for c, n in overdue_now.items() if n}
    reasons = [(code, r) for code, rs in ev.auto_reasons.items() for r in rs if r["signal"] == "overdue"]
    assert reasons, "the demo county has grids warned for overdue cases"
    for code, r in reasons:
        assert f"超期未办结{int(overdue_now[code])}件" in r["text"]
