"""GET /api/v1/events (filters, sorting, server-side paging) and GET /api/v1/events/<id>, on the
nanling demo: the answers agree with the database and with the indicator module."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dashboard.figures import metrics
from dashboard.domain import windows
from dashboard.store.models import Category, Event, EventLog, Supervision

from .conftest import AS_OF

FAR_PAST = AS_OF - timedelta(days=400)


def total(api, **query):
    r = api.get("/api/v1/events", query_string={"per_page": 1, **query})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["total"]


def db_count(engine, *where):
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(Event).where(*where))


def test_default_page_is_the_newest_fifty(api, demo_engine):
    j = api.get("/api/v1/events").get_json()
    assert j["total"] == db_count(demo_engine) and (j["page"], j["per_page"], j["sort"]) == (1, 50, "-reported_at")
    times = [e["reported_at"] for e in j["items"]]
    assert len(times) == 50 and times == sorted(times, reverse=True)
    assert "log" not in j["items"][0] and j["items"][0]["category_name"] and j["items"][0]["grid_name"]


def test_pages_cover_every_match_once(api, demo_engine):
    query = {"status": "in_progress,dispatched,disposed,accepted", "per_page": 7, "sort": "deadline"}
    seen, page = [], 1
    while True:
        j = api.get("/api/v1/events", query_string={**query, "page": page}).get_json()
        if not j["items"]:
            break
        seen += [e["id"] for e in j["items"]]
        page += 1
    assert len(seen) == len(set(seen)) == j["total"] == 32  # the demo's 32 open cases
    deadlines = [api.get(f"/api/v1/events/{i}").get_json()["deadline"] for i in seen[:10]]
    assert deadlines == sorted(deadlines)


def test_filters_agree_with_the_database(api, demo_engine):
    assert total(api, status="closed") == db_count(demo_engine, Event.status == "closed") == 917
    assert total(api, status="invalid,reported") == db_count(demo_engine, Event.status.in_(["invalid", "reported"]))
    town = "340223101"
    assert total(api, area=town) == db_count(demo_engine, Event.town_code == town) > 0
    grid = api.get("/api/v1/events", query_string={"area": town}).get_json()["items"][0]["grid"]
    assert total(api, area=grid) == db_count(demo_engine, Event.grid_code == grid) > 0
    assert total(api, area="340223") == db_count(demo_engine)
    assert total(api, handler="D03") == db_count(demo_engine, Event.handler_code == "D03") > 0
    assert total(api, source="hotline") == db_count(demo_engine, Event.source == "hotline") > 0
    assert total(api, severity="urgent") == db_count(demo_engine, Event.severity == "urgent") > 0
    assert total(api, supervised="true") == db_count(demo_engine, Event.supervised.is_(True)) > 0
    assert total(api, supervised="false") == db_count(demo_engine, Event.supervised.is_(False))


def test_a_top_level_category_includes_its_subcategories(api, demo_engine):
    with demo_engine.connect() as c:
        parent, child = c.execute(select(Category.parent_code, Category.code).where(Category.parent_code.is_not(None))).first()
        children = [k for k, in c.execute(select(Category.code).where(Category.parent_code == parent))]
    assert total(api, category=parent) == db_count(demo_engine, Event.category_code.in_(children + [parent])) > 0
    assert total(api, category=child) == db_count(demo_engine, Event.category_code == child)


def test_overdue_is_the_indicators_overdue(api, demo_engine):
    expected = metrics.summary(demo_engine, windows.Window(FAR_PAST, AS_OF))["overdue"]
    assert expected > 0
    assert total(api, overdue="true") == expected
    assert total(api, overdue="false") == db_count(demo_engine) - expected
    items = api.get("/api/v1/events", query_string={"overdue": "true"}).get_json()["items"]
    assert all(e["overdue"] for e in items)


def test_time_window(api, demo_engine):
    start, end = AS_OF - timedelta(days=3), AS_OF - timedelta(days=1)
    n = total(api, start=start.isoformat(), end=end.isoformat())
    assert n == db_count(demo_engine, Event.reported_at >= start, Event.reported_at < end) > 0
    # Bare dates are Beijing days; a bare end date includes that day.
    assert total(api, start="2026-11-20", end="2026-11-20") == metrics.summary(
        demo_engine, windows.Window.today(AS_OF))["reported"]


@pytest.mark.parametrize("sort", ["reported_at", "-reported_at", "updated_at", "-updated_at", "id", "-id", "-deadline"])
def test_sorting(api, sort):
    items = api.get("/api/v1/events", query_string={"sort": sort, "per_page": 100}).get_json()["items"]
    key = sort.lstrip("-")
    values = [e[key] for e in items if e[key] is not None]
    assert values == sorted(values, reverse=sort.startswith("-"))
    assert len(values) > 50


@pytest.mark.parametrize("query, field", [
    ({"status": "open"}, "status"),
    ({"status": "closed,"}, "status"),
    ({"area": "3402"}, "area"),
    ({"area": "999999"}, "area"),
    ({"category": "NOPE"}, "category"),
    ({"handler": "D99"}, "handler"),
    ({"overdue": "maybe"}, "overdue"),
    ({"page": "0"}, "page"),
    ({"per_page": "201"}, "per_page"),
    ({"per_page": "ten"}, "per_page"),
    ({"sort": "title"}, "sort"),
    ({"start": "yesterday"}, "start"),
    ({"start": "2026-11-20", "end": "2026-11-01"}, "end"),
    ({"severity": "critical"}, "severity"),
])
def test_bad_queries_are_400_naming_the_field(api, query, field):
    r = api.get("/api/v1/events", query_string=query)
    assert r.status_code == 400
    assert field in r.get_json()["fields"], r.get_json()


def test_one_case_with_its_log_and_supervisions(api, demo_engine):
    with demo_engine.connect() as c:
        eid = c.scalar(select(Supervision.event_id).order_by(Supervision.id))
        log = c.execute(select(EventLog.action).where(EventLog.event_id == eid).order_by(EventLog.at, EventLog.id)).scalars().all()
        ev = c.execute(select(Event).where(Event.id == eid)).one()
    j = api.get(f"/api/v1/events/{eid}").get_json()
    assert j["id"] == eid and j["status"] == ev.status and j["supervised"] is True
    assert [e["action"] for e in j["log"]] == log and log[0] == "report"
    assert j["log"][-1]["to_status"] == ev.status
    assert len(j["supervisions"]) >= 1 and j["supervisions"][0]["actor"]
    assert j["reported_at"].endswith("+08:00")


@pytest.mark.parametrize("path", ["/api/v1/events/99999999", f"/api/v1/events/{2**63}", "/api/v1/events/abc"])
def test_unknown_case_is_404(api, path):
    r = api.get(path)
    assert r.status_code == 404 and r.get_json()["error"]
