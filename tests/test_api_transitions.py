"""POST /api/v1/events/<id>/transitions: the closed loop over HTTP, and illegal moves refused with 409."""

import pytest
from sqlalchemy import func, select

from dashboard.store.models import Event, EventLog, Supervision

from .apisupport import client, county, snapshot  # noqa: F401  (fixtures)
from .factories import DEPT, DEPT2, GRID_A


def statuses(j):
    return [e["to_status"] for e in j["log"]]


def test_full_loop_with_rework_to_closed(client):
    eid = client.report()["id"]
    steps = [("accept", {}), ("dispatch", {"handler": DEPT}), ("start", {}), ("dispose", {"note": "已更换井盖"}),
             ("verify_fail", {"note": "井盖不稳"}), ("start", {}), ("dispose", {}), ("verify_ok", {})]
    for action, extra in steps:
        r = client.move(eid, action, **extra)
        assert r.status_code == 200, (action, r.get_json())
    j = r.get_json()
    assert j["status"] == "closed" and j["rework_count"] == 1 and j["allowed_actions"] == []
    assert j["handler"] == DEPT and j["handler_name"] == "县公安局" and j["handler_level"] == "county_department"
    assert statuses(j) == ["reported", "accepted", "dispatched", "in_progress", "disposed", "dispatched", "in_progress",
                           "disposed", "closed"]
    assert j["log"][4]["note"] == "已更换井盖" and j["log"][1]["actor"] == "测试App"
    assert j["deadline"] == "2026-11-22T00:00:00+08:00"  # accepted at the server's clock + SQ01's 24 h


def test_send_back_and_redispatch_and_operator(client):
    eid = client.report()["id"]
    client.move(eid, "accept")
    client.move(eid, "dispatch", handler=DEPT2)
    r = client.move(eid, "send_back", note="非本单位职责", operator="县住建局值班员")
    assert r.status_code == 200
    j = r.get_json()
    assert j["status"] == "accepted" and j["sendback_count"] == 1
    assert (j["log"][-1]["actor"], j["log"][-1]["operator"]) == ("测试App", "县住建局值班员")
    j = client.move(eid, "dispatch", handler=GRID_A).get_json()  # handled within the grid itself
    assert (j["handler"], j["handler_level"]) == (GRID_A, "grid")


def test_invalidate_is_final(client):
    eid = client.report()["id"]
    j = client.move(eid, "invalidate", note="重复上报").get_json()
    assert j["status"] == "invalid" and j["allowed_actions"] == []


def test_supervision_goes_through_lifecycle(client):
    eid = client.report()["id"]
    client.move(eid, "accept")
    r = client.move(eid, "supervise", note="请加快办理")
    assert r.status_code == 200
    j = r.get_json()
    assert j["supervised"] is True and j["status"] == "accepted"
    assert [(s["actor"], s["note"]) for s in j["supervisions"]] == [("测试App", "请加快办理")]
    with client.engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(Supervision).where(Supervision.event_id == eid)) == 1


@pytest.mark.parametrize("done, action, allowed", [
    ([], "dispatch", ["accept", "invalidate"]),
    ([], "supervise", ["accept", "invalidate"]),
    (["accept"], "verify_ok", ["dispatch", "supervise"]),
    (["invalidate"], "accept", []),
])
def test_illegal_moves_are_refused_with_the_allowed_actions(client, done, action, allowed):
    eid = client.report()["id"]
    for a in done:
        assert client.move(eid, a).status_code == 200
    before = snapshot(client.engine)
    r = client.move(eid, action, **({"handler": DEPT} if action == "dispatch" else {}))
    assert r.status_code == 409
    j = r.get_json()
    assert j["allowed"] == allowed
    assert j["status"] == ("reported" if not done else {"accept": "accepted", "invalidate": "invalid"}[done[-1]])
    assert j["error"]
    assert snapshot(client.engine) == before


def test_closed_case_cannot_be_supervised_or_moved(client):
    eid = client.report()["id"]
    for action, extra in [("accept", {}), ("dispatch", {"handler": DEPT}), ("dispose", {}), ("verify_ok", {})]:
        assert client.move(eid, action, **extra).status_code == 200
    for action in ("supervise", "start", "verify_fail"):
        r = client.move(eid, action)
        assert r.status_code == 409 and r.get_json()["allowed"] == []


@pytest.mark.parametrize("body, field", [
    ({"action": "dispatch"}, "handler"),
    ({"action": "dispatch", "handler": "NOPE"}, "handler"),
    ({"action": "accept", "handler": DEPT}, "handler"),
    ({"action": "close"}, "action"),
    ({}, "action"),
    ({"action": "accept", "note": "x" * 1001}, "note"),
    ({"action": "accept", "actor": ""}, "actor"),
    ({"action": "accept", "when": "now"}, "when"),
])
def test_bad_transition_bodies_name_the_field(client, body, field):
    eid = client.report()["id"]
    if body.get("action") == "dispatch":
        client.move(eid, "accept")
    before = snapshot(client.engine)
    r = client.post(f"/events/{eid}/transitions", body)
    assert r.status_code == 422
    assert field in r.get_json()["fields"], r.get_json()
    assert snapshot(client.engine) == before


@pytest.mark.parametrize("path", ["/events/999/transitions", f"/events/{2**40}/transitions"])
def test_unknown_event_is_404(client, path):
    before = snapshot(client.engine)
    r = client.post(path, {"action": "accept"})
    assert r.status_code == 404 and "不存在" in r.get_json()["error"]
    assert snapshot(client.engine) == before


def test_event_row_agrees_with_its_log_after_api_moves(client):
    eid = client.report()["id"]
    for action, extra in [("accept", {}), ("dispatch", {"handler": DEPT}), ("start", {})]:
        client.move(eid, action, **extra)
    with client.engine.connect() as c:
        ev = c.execute(select(Event.status, Event.dispatched_at, Event.accepted_at).where(Event.id == eid)).one()
        last = c.execute(select(EventLog.to_status).where(EventLog.event_id == eid).order_by(EventLog.id.desc())).first()
    assert ev.status == last.to_status == "in_progress"
    assert ev.accepted_at is not None and ev.dispatched_at is not None
