"""Who writes through the API: the token's client, never a name the request brings; what it may
write: the permissions granted to its token (督办 only when granted explicitly); and a 督办 that
carries a note and is not stored twice when the same officer repeats it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from dashboard.web import apiclients
from dashboard.store import db
from dashboard.domain import lifecycle
from dashboard.cli import main
from dashboard.store.db import transaction
from dashboard.store.models import AuditEntry, Event, EventLog, Supervision

from .apisupport import client, county, snapshot  # noqa: F401  (fixtures)
from .conftest import AS_OF
from .factories import DEPT, GRID_A, H, case, small_county

REPORT = {"category": "SQ01", "title": "井盖缺失", "grid": GRID_A, "reporter": 1}


def run(db_url, *args):
    return CliRunner().invoke(main, list(args), env={"DATABASE_URL": db_url}, catch_exceptions=False)


def count(engine, model, *where) -> int:
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(model).where(*where))


def accepted(client) -> int:
    eid = client.report()["id"]
    assert client.move(eid, "accept").status_code == 200
    return eid


# --- the actor is the client ---------------------------------------------------------------------


@pytest.mark.parametrize("path_of, body", [
    (lambda eid: f"/events/{eid}/transitions", {"action": "dispatch", "handler": DEPT, "actor": "县委书记"}),
    (lambda eid: f"/events/{eid}/transitions", {"action": "supervise", "note": "限期办结", "actor": "县委书记"}),
    (lambda eid: "/events", dict(REPORT, actor="县委书记")),
])
def test_a_request_cannot_name_its_own_actor(client, path_of, body):
    eid = accepted(client)
    before = snapshot(client.engine)
    r = client.post(path_of(eid), body)
    assert r.status_code == 422
    assert "operator" in r.get_json()["fields"]["actor"]  # says where the client's own operator goes
    assert snapshot(client.engine) == before
    assert count(client.engine, EventLog, EventLog.actor == "县委书记") == 0


def test_the_clients_operator_is_stored_beside_the_client_labelled(client):
    eid = client.post("/events", dict(REPORT, operator="12345-0087")).get_json()["id"]
    client.move(eid, "accept", operator="县委书记")
    j = client.move(eid, "supervise", note="限期办结", operator="县委书记").get_json()
    assert [(e["actor"], e["operator"]) for e in j["log"]] == [("测试App", "12345-0087"), ("测试App", "县委书记")]
    assert [(s["actor"], s["operator"], s["note"]) for s in j["supervisions"]] == [("测试App", "县委书记", "限期办结")]
    with client.engine.connect() as c:
        assert set(c.execute(select(EventLog.actor).where(EventLog.event_id == eid)).scalars()) == {"测试App"}
    r = client.move(eid, "dispatch", handler=DEPT, operator="\x00")
    assert r.status_code == 422 and "operator" in r.get_json()["fields"]


# --- permissions ---------------------------------------------------------------------------------


def test_supervise_needs_the_permission_and_is_refused_in_chinese(client, db_url):
    eid = accepted(client)
    _, plain = apiclients.create(client.engine, "12345热线接口")  # the default: no 督办
    before = snapshot(client.engine)
    r = client.post(f"/events/{eid}/transitions", {"action": "supervise", "note": "限期办结"}, token=plain)
    assert r.status_code == 403
    assert r.get_json()["error"] == "该 API 令牌无权督办（需要权限 supervise，请管理员用 gridscreen token permit 授予）"
    assert snapshot(client.engine) == before
    # The same token still moves cases; once granted, it may 督办.
    assert client.post(f"/events/{eid}/transitions", {"action": "dispatch", "handler": DEPT}, token=plain).status_code == 200
    r = run(db_url, "token", "permit", "12345热线接口", "--may", "report,transition", "--may", "supervise")
    assert r.exit_code == 0 and "supervise（督办）" in r.output and "heartbeat" not in r.output
    r = client.post(f"/events/{eid}/transitions", {"action": "supervise", "note": "限期办结"}, token=plain)
    assert r.status_code == 200 and r.get_json()["supervisions"][0]["actor"] == "12345热线接口"
    assert client.post("/staff/1/heartbeat", token=plain).status_code == 403  # no longer granted


@pytest.mark.parametrize("granted, path, body", [
    ("transition,heartbeat", "/events", REPORT),
    ("report,heartbeat", "/events/{eid}/transitions", {"action": "dispatch", "handler": DEPT}),
    ("report,transition", "/staff/1/heartbeat", {}),
    ("report,transition,heartbeat", "/events/{eid}/transitions", {"action": "supervise", "note": "请反馈"}),
])
def test_each_write_needs_its_permission(client, granted, path, body):
    eid = accepted(client)
    _, token = apiclients.create(client.engine, "受限App", permissions=granted)
    before = snapshot(client.engine)
    r = client.post(path.format(eid=eid), body, token=token)
    assert r.status_code == 403 and "无权" in r.get_json()["error"]
    assert snapshot(client.engine) == before


def test_token_commands_grant_and_show_permissions(client, db_url):
    r = run(db_url, "token", "create", "热线", "--may", "report,supervise")
    assert r.exit_code == 0, r.output
    token = r.stdout.strip().splitlines()[-1]
    assert "report（上报事件）、supervise（督办）" in r.output
    assert client.post("/staff/1/heartbeat", token=token).status_code == 403
    assert "可以：report（上报事件）、supervise（督办）" in run(db_url, "token", "list").output
    r = run(db_url, "token", "create", "坏", "--may", "everything")
    assert r.exit_code == 1 and "未知的权限：everything" in r.output
    r = run(db_url, "token", "create", "默认App")
    assert "report（上报事件）、transition（流转事件）、heartbeat（App 心跳）" in r.output and "督办" not in r.output
    assert run(db_url, "token", "permit", "没有这个", "--may", "report").exit_code == 1


def test_tokens_from_before_permissions_keep_their_writes_but_not_supervise(engine):
    db.downgrade(engine, "0005")
    with engine.begin() as c:
        c.execute(text("INSERT INTO api_clients (name, token_prefix, token_hash, created_at) "
                       "VALUES ('旧App', 'gs_old', :h, '2026-11-01 00:00:00')"), {"h": apiclients.hash_token("gs_old-token")})
    db.upgrade(engine)
    info = apiclients.authenticate(engine, "gs_old-token")
    assert {p for p in ("report", "transition", "heartbeat", "supervise") if info.may(p)} == {
        "report", "transition", "heartbeat"}
    # The operator column was added in place: the event log is still append-only.
    small_county(engine)
    eid = case(engine, AS_OF - 2 * H, [("accept", 1)])
    for sql in ("UPDATE event_log SET operator = 'x'", "DELETE FROM event_log"):
        with pytest.raises(DBAPIError, match="append-only"):
            with engine.begin() as c:
                c.execute(text(sql + f" WHERE event_id = {eid}"))


# --- 督办: a note, and one supervision per officer and moment --------------------------------------


@pytest.mark.parametrize("note", [None, "", "   ", "\n"])
def test_supervise_needs_a_note(client, note):
    eid = accepted(client)
    before = snapshot(client.engine)
    body = {"action": "supervise"} | ({} if note is None else {"note": note})
    r = client.post(f"/events/{eid}/transitions", body)
    assert r.status_code == 422 and r.get_json()["fields"]["note"] == "请填写督办意见（督办要求对方做什么、何时反馈）"
    assert snapshot(client.engine) == before


def test_a_repeated_supervise_is_one_supervision_and_one_audit_entry(client):
    eid = accepted(client)
    audits = count(client.engine, AuditEntry, AuditEntry.action == "api.write")
    first = client.move(eid, "supervise", note="请今日反馈").get_json()
    again = client.move(eid, "supervise", note="请今日反馈！").get_json()  # seconds later (same clock)
    assert again["supervisions"] == first["supervisions"] and len(first["supervisions"]) == 1
    assert count(client.engine, Supervision, Supervision.event_id == eid) == 1
    assert count(client.engine, AuditEntry, AuditEntry.action == "api.write") == audits + 1
    # Another operator of the same client is another officer: a second supervision.
    j = client.move(eid, "supervise", note="再次督办", operator="值班员乙").get_json()
    assert [(s["operator"], s["note"]) for s in j["supervisions"]] == [(None, "请今日反馈"), ("值班员乙", "再次督办")]


def test_lifecycle_supervise_needs_a_note_and_folds_repeats_within_the_window(county):
    eid = case(county, AS_OF - 48 * H, [("accept", 1)])
    at = AS_OF - 24 * H
    with transaction(county) as s:
        ev = s.get(Event, eid)
        with pytest.raises(lifecycle.SuperviseRefused, match="请填写督办意见"):
            lifecycle.supervise(s, ev, at=at, actor="李值班", note=" ")
        first = lifecycle.supervise(s, ev, at=at, actor="李值班", note="请反馈")
        s.flush()
        near = lifecycle.supervise(s, ev, at=at + lifecycle.SUPERVISE_REPEAT_WINDOW - timedelta(seconds=1),
                                   actor="李值班", note="请反馈")
        other = lifecycle.supervise(s, ev, at=at + timedelta(minutes=1), actor="王值班", note="请反馈")
        s.flush()
        later = lifecycle.supervise(s, ev, at=at + lifecycle.SUPERVISE_REPEAT_WINDOW + timedelta(minutes=1),
                                    actor="李值班", note="仍未反馈")
        assert not first.repeated and near.repeated and near.row.id == first.row.id
        assert not other.repeated and not later.repeated
    assert count(county, Supervision, Supervision.event_id == eid) == 3
