"""GET /api/v1/summary: the indicator module's figures over HTTP, with clear 4xx for bad input."""

import pytest

from dashboard.figures import metrics
from dashboard.domain import windows

from .conftest import AS_OF


def test_seed_window_gives_the_published_figures(api):
    r = api.get("/api/v1/summary?start=2026-08-01&end=2026-11-20")
    assert r.status_code == 200
    j = r.get_json()
    assert (j["accepted"], j["closed"], j["in_progress"], j["invalid"]) == (979, 917, 32, 30)
    assert j["closure_rate"] == 917 / 949
    assert (j["population"], j["houses"], j["grids"], j["grid_workers"]) == (166329, 87911, 211, 211)
    assert j["area"] == "340223" and j["area_name"] == "南陵县"
    assert j["start"] == "2026-08-01T00:00:00+08:00" and j["end"] == "2026-11-21T00:00:00+08:00"
    for field in metrics.EVENT_FIELDS:
        assert field in j


def test_area_and_department_scopes_match_the_module(api, demo_engine):
    w = windows.Window.last_days(30, AS_OF)
    r = api.get("/api/v1/summary", query_string={"start": w.start.isoformat(), "end": w.end.isoformat(), "area": "340223100"})
    assert r.status_code == 200
    expected = metrics.summary(demo_engine, w, metrics.Scope(area="340223100"))
    assert {k: r.get_json()[k] for k in expected} == expected
    r = api.get("/api/v1/summary", query_string={"start": w.start.isoformat(), "end": w.end.isoformat(), "department": "D03"})
    j = r.get_json()
    assert j["department_name"] == "县城市管理局"
    assert j["valid"] == metrics.summary(demo_engine, w, metrics.Scope(department="D03"))["valid"]
    assert j["score"] is not None and j["population"] is None


def test_stocks_and_the_handlers_clock_sit_beside_the_cohort(api, demo_engine):
    """当前在办 / 当前超期 count what stands open at the window's end, whatever the report time:
    over one day they exceed the day's own cohort; a department's answer has its clock's figures."""
    day = {"start": "2026-11-20", "end": "2026-11-20"}
    j = api.get("/api/v1/summary", query_string=day).get_json()
    for field in metrics.STOCK_FIELDS + metrics.HANDLER_FIELDS:
        assert field in j, field
    week = api.get("/api/v1/summary", query_string={"start": "2026-11-14", "end": "2026-11-20"}).get_json()
    assert j["open_now"] == week["open_now"] > j["in_progress"]  # the same stock, whatever the window
    assert j["overdue_now"] >= j["overdue"]
    d = api.get("/api/v1/summary", query_string={**day, "department": "D03"}).get_json()
    assert d["handler_overdue_now"] <= d["overdue_now"] <= d["open_now"]
    s = metrics.summary(demo_engine, windows.Window.of(*[windows.parse_bounds("2026-11-20", "2026-11-20")][0]),
                        metrics.Scope(department="D03"))
    assert {f: d[f] for f in metrics.HANDLER_FIELDS + metrics.STOCK_FIELDS} == {
        f: s[f] for f in metrics.HANDLER_FIELDS + metrics.STOCK_FIELDS}


def test_default_window_is_today_as_of_now(api, demo_engine):
    j = api.get("/api/v1/summary").get_json()
    assert j["end"] == "2026-11-21T00:00:00+08:00" and j["start"] == "2026-11-20T00:00:00+08:00"
    assert j["reported"] == metrics.summary(demo_engine, windows.Window.today(AS_OF))["reported"] > 0


@pytest.mark.parametrize("query, status, field", [
    ({"start": "yesterday"}, 400, "start"),
    ({"end": "2026-02-30"}, 400, "end"),
    ({"start": "2026-11-20", "end": "2026-11-01"}, 400, "end"),
    ({"area": "999999"}, 404, "area"),
    ({"area": "abc"}, 404, "area"),
    ({"department": "NOPE"}, 404, "department"),
    ({"area": "340223", "department": "D01"}, 400, "department"),
])
def test_bad_requests_name_the_field(api, query, status, field):
    r = api.get("/api/v1/summary", query_string=query)
    assert r.status_code == status
    j = r.get_json()
    assert j["error"] and field in j["fields"]


def test_version_endpoint(api):
    j = api.get("/api/v1/version").get_json()
    assert set(j["version"]) == {"events", "staff", "warnings", "areas", "catalog"}


@pytest.mark.parametrize("path", ["/api/v1/summary?area=34%00", "/api/v1/explorer/events.csv?category=a%00b",
                                  "/api/v1/events?q=%01", "/api/v1/warnings?area=%00"])
def test_control_characters_in_a_query_are_the_clients_mistake(api, path):
    r = api.get(path)
    assert r.status_code == 400
    assert r.get_json()["fields"]
