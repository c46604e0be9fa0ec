"""Idempotency-Key: a retried write never writes twice; a reused key with another request is refused."""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from dashboard.web import apiclients
from dashboard.store import db
from dashboard.web import idempotency
from dashboard.store.models import Event, EventLog, IdempotencyKey

from .apisupport import client, county, snapshot  # noqa: F401  (fixtures)
from .conftest import AS_OF
from .factories import DEPT, GRID_A

REPORT = {"category": "SQ01", "title": "重试上报", "grid": GRID_A, "reporter": 1}


def count(engine, model, *where):
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(model).where(*where))


def test_a_retried_report_creates_one_event_and_replays_the_answer(client):
    first = client.post("/events", REPORT, key="report-1")
    assert first.status_code == 201 and "Idempotent-Replayed" not in first.headers
    before = snapshot(client.engine)
    again = client.post("/events", REPORT, key="report-1")
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first.get_json() and again.headers["Location"] == first.headers["Location"]
    assert count(client.engine, Event) == 1
    assert snapshot(client.engine) == before


def test_equal_json_is_the_same_request_whatever_the_key_order_and_spacing(client):
    client.post_raw("/events", b'{"category": "SQ01", "title": "t", "grid": "340223100001001", "reporter": 1}', key="k")
    r = client.post_raw("/events", b'{"reporter":1,"grid":"340223100001001","title":"t","category":"SQ01"}', key="k")
    assert r.status_code == 201 and r.headers["Idempotent-Replayed"] == "true"
    assert count(client.engine, Event) == 1


def test_a_retried_transition_is_applied_once(client):
    eid = client.report()["id"]
    client.move(eid, "accept")
    r1 = client.post(f"/events/{eid}/transitions", {"action": "dispatch", "handler": DEPT}, key="dispatch-1")
    r2 = client.post(f"/events/{eid}/transitions", {"action": "dispatch", "handler": DEPT}, key="dispatch-1")
    assert r1.status_code == r2.status_code == 200 and r2.headers["Idempotent-Replayed"] == "true"
    assert r1.get_json() == r2.get_json()
    assert count(client.engine, EventLog, EventLog.event_id == eid, EventLog.action == "dispatch") == 1
    # A new attempt (new key) at the same move is a new request, refused as the case moved on.
    r3 = client.post(f"/events/{eid}/transitions", {"action": "dispatch", "handler": DEPT}, key="dispatch-2")
    assert r3.status_code == 409


def test_a_retried_supervision_adds_one_supervision(client):
    eid = client.report()["id"]
    client.move(eid, "accept")
    for _ in range(3):
        assert client.post(f"/events/{eid}/transitions", {"action": "supervise", "note": "请加快"}, key="sup").status_code == 200
    assert client.get(f"/events/{eid}").get_json()["supervisions"].__len__() == 1


def test_a_retried_heartbeat_replays(client):
    v = db.versions(client.engine)["staff"]
    r1 = client.post("/staff/1/heartbeat", key="hb-1")
    r2 = client.post("/staff/1/heartbeat", key="hb-1")
    assert r1.get_json() == r2.get_json() and r2.headers["Idempotent-Replayed"] == "true"
    assert db.versions(client.engine)["staff"] == v + 1


def test_the_same_key_with_another_body_or_path_is_refused(client):
    client.post("/events", REPORT, key="k1")
    before = snapshot(client.engine)
    r = client.post("/events", dict(REPORT, title="另一件事"), key="k1")
    assert r.status_code == 422
    j = r.get_json()
    assert "Idempotency-Key" in j["fields"] and "/api/v1/events" in j["error"]
    r = client.post("/staff/1/heartbeat", key="k1")
    assert r.status_code == 422
    assert snapshot(client.engine) == before


def test_missing_or_malformed_keys_are_400(client):
    before = snapshot(client.engine)
    for key in (None, "", "有中文", "a b", "x" * 129):
        r = client.post("/events", REPORT, key=key)
        assert r.status_code == 400, key
        assert "Idempotency-Key" in r.get_json()["error"]
    assert snapshot(client.engine) == before


def test_a_refused_request_stores_no_key_so_the_corrected_retry_goes_through(client):
    r = client.post("/events", dict(REPORT, grid="340223999999999"), key="fix-me")
    assert r.status_code == 422
    assert count(client.engine, IdempotencyKey) == 0
    r = client.post("/events", REPORT, key="fix-me")
    assert r.status_code == 201 and "Idempotent-Replayed" not in r.headers


def test_keys_belong_to_their_client(client):
    _, other = apiclients.create(client.engine, "另一个客户端")
    client.post("/events", REPORT, key="shared")
    r = client.post("/events", REPORT, key="shared", token=other)
    assert r.status_code == 201 and "Idempotent-Replayed" not in r.headers
    assert count(client.engine, Event) == 2


def test_concurrent_retries_write_once(client):
    """The same request sent four times at once (a client retrying on a slow network)."""
    results = []
    barrier = threading.Barrier(4)

    def send():
        http = client.app.server.test_client()
        barrier.wait()
        r = http.post("/api/v1/events", json=REPORT, headers=client.headers(key="race"))
        results.append((r.status_code, r.get_json()["id"] if r.status_code == 201 else r.get_json()))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert count(client.engine, Event) == 1
    assert {r for r in results} == {(201, 1)}


def test_old_keys_are_pruned(client):
    client.post("/events", REPORT, key="old")
    with db.transaction(client.engine) as s:
        assert idempotency.prune(s, AS_OF + idempotency.RETENTION + timedelta(minutes=1), force=True) == 1
    assert count(client.engine, IdempotencyKey) == 0
