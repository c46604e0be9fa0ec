"""POST /api/v1/events: reporting a case through the API, by grid or by coordinates."""

from sqlalchemy import func, select

from dashboard.store import db
from dashboard.store.models import Event, EventLog

from .apisupport import client, county, snapshot  # noqa: F401  (fixtures)
from .conftest import AS_OF
from .factories import GRID_A, GRID_B, GRID_C


def test_report_by_grid_creates_the_case_with_its_first_log_row(client):
    before = db.versions(client.engine)["events"]
    r = client.post("/events", {"category": "SQ01", "title": "和顺小区3栋井盖缺失", "description": "井盖被盗，有安全隐患",
                                "grid": GRID_A, "reporter": 1, "severity": "major",
                                "photo_url": "https://img.example.cn/a.jpg"})
    assert r.status_code == 201
    j = r.get_json()
    assert r.headers["Location"] == f"/api/v1/events/{j['id']}"
    assert (j["status"], j["grid"], j["community"], j["town"]) == ("reported", GRID_A, GRID_A[:12], GRID_A[:9])
    assert (j["category"], j["category_name"], j["severity"], j["source"]) == ("SQ01", "公共设施损坏", "major", "patrol")
    assert j["reported_at"] == "2026-11-21T00:00:00+08:00"  # the server's (frozen) clock, Beijing time
    assert j["allowed_actions"] == ["accept", "invalidate"]
    assert [e["action"] for e in j["log"]] == ["report"]
    # The actor is the client that wrote; the grid worker who reported is the case's reporter.
    assert (j["log"][0]["actor"], j["reporter"]) == ("测试App", 1)
    with client.engine.connect() as c:
        ev = c.execute(select(Event).where(Event.id == j["id"])).one()
        assert ev.reported_at == AS_OF and ev.photo_url == "https://img.example.cn/a.jpg"
        assert ev.reporter_staff_id == 1 and ev.description == "井盖被盗，有安全隐患"
    assert db.versions(client.engine)["events"] == before + 1


def test_the_grid_is_found_from_the_coordinates(client):
    # The small county's grids are 0.1° wide strips from 118.0 E: A, B, then C (in the other town).
    for lon, grid in ((118.05, GRID_A), (118.15, GRID_B), (118.25, GRID_C)):
        j = client.report(grid=None, lon=lon, lat=30.85)
        assert j["grid"] == grid and j["town"] == grid[:9]
        assert (j["lon"], j["lat"]) == (lon, 30.85)


def test_a_given_grid_wins_over_the_point_inside_the_county(client):
    j = client.report(grid=GRID_B, lon=118.05, lat=30.85)
    assert j["grid"] == GRID_B


def test_reports_without_a_reporter_from_other_sources(client):
    j = client.report(source="hotline", reporter=None)
    assert j["reporter"] is None
    assert j["log"][0]["actor"] == "测试App"  # the client speaks for the hotline


def test_client_event_numbers_are_unique(client):
    first = client.report(ext_id="APP-2026-0001")
    before = snapshot(client.engine)
    r = client.post("/events", {"category": "SQ01", "title": "重复编号", "grid": GRID_A, "reporter": 1,
                                "ext_id": "APP-2026-0001"})
    assert r.status_code == 409
    assert str(first["id"]) in r.get_json()["error"] and "ext_id" in r.get_json()["fields"]
    assert snapshot(client.engine) == before


def test_clients_cannot_choose_the_report_time(client):
    r = client.post("/events", {"category": "SQ01", "title": "补报", "grid": GRID_A, "reporter": 1,
                                "reported_at": "2026-01-01T00:00:00+08:00"})
    assert r.status_code == 422 and r.get_json()["fields"] == {"reported_at": "不允许的字段"}


def test_each_report_is_one_event_and_one_log_row(client):
    for i in range(3):
        client.report(title=f"第{i}件")
    with client.engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(Event)) == 3
        assert c.scalar(select(func.count()).select_from(EventLog)) == 3
