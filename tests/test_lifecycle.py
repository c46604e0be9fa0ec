"""The closed loop of an event: every status reachable, illegal moves refused, log append-only."""

from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from dashboard import vocabulary
from dashboard.domain import lifecycle
from dashboard.store.db import transaction, versions
from dashboard.store.models import Event, EventLog, Supervision

from .factories import CLOSE, DEPT, DEPT2, GRID_A, case, event, small_county

T0 = datetime(2026, 11, 1, 1, 0, tzinfo=timezone.utc)


@pytest.fixture
def county(engine):
    small_county(engine)
    return engine


def log_of(engine, event_id):
    with engine.connect() as c:
        return c.execute(select(EventLog.action, EventLog.from_status, EventLog.to_status)
                         .where(EventLog.event_id == event_id).order_by(EventLog.id)).all()


def test_full_loop_reaches_every_status_and_logs_each_step(county):
    eid = case(county, T0, [("accept", 1), ("dispatch", 2, DEPT), ("start", 3), ("dispose", 5), ("verify_fail", 6),
                            ("start", 7), ("dispose", 8), ("verify_ok", 9)])
    ev = event(county, eid)
    assert ev.status == "closed"
    assert ev.rework_count == 1
    assert ev.deadline == T0 + lifecycle.timedelta(hours=1 + 24)  # accepted + the category's 24 h limit
    assert ev.closed_at == T0 + lifecycle.timedelta(hours=9)
    statuses = [r.to_status for r in log_of(county, eid)]
    assert statuses == ["reported", "accepted", "dispatched", "in_progress", "disposed", "dispatched", "in_progress",
                        "disposed", "closed"]
    reached = set(statuses)
    eid2 = case(county, T0, [("invalidate", 1)])
    reached.add(event(county, eid2).status)
    assert reached == set(vocabulary.STATUSES)


def test_send_back_and_redispatch_changes_handler(county):
    eid = case(county, T0, [("accept", 1), ("dispatch", 2, DEPT), ("send_back", 3), ("dispatch", 4, DEPT2)])
    ev = event(county, eid)
    assert (ev.status, ev.handler_code, ev.sendback_count) == ("dispatched", DEPT2, 1)
    assert [r.action for r in log_of(county, eid)] == ["report", "accept", "dispatch", "send_back", "dispatch"]


@pytest.mark.parametrize("steps, bad", [
    ([], "dispatch"),  # not accepted yet
    ([], "verify_ok"),
    ([("accept", 1)], "accept"),
    ([("accept", 1)], "invalidate"),
    ([("accept", 1)], "dispose"),
    ([("invalidate", 1)], "accept"),
    ([("accept", 1), ("dispatch", 2, DEPT)], "verify_ok"),
    (CLOSE, "verify_fail"),
    (CLOSE, "send_back"),
])
def test_illegal_transitions_are_refused_with_the_allowed_ones(county, steps, bad):
    eid = case(county, T0, steps)
    before = log_of(county, eid)
    with pytest.raises(lifecycle.TransitionError) as err:
        with transaction(county) as s:
            ev = s.get(Event, eid)
            lifecycle.apply(s, ev, bad, at=T0 + lifecycle.timedelta(hours=20), actor="x", handler_code=DEPT)
    assert err.value.allowed == vocabulary.allowed_actions(event(county, eid).status)
    assert log_of(county, eid) == before  # nothing written


def test_dispatch_needs_a_handler_and_time_cannot_run_backwards(county):
    eid = case(county, T0, [("accept", 2)])
    with pytest.raises(lifecycle.TransitionError):
        with transaction(county) as s:
            lifecycle.apply(s, s.get(Event, eid), "dispatch", at=T0 + lifecycle.timedelta(hours=3), actor="x")
    with pytest.raises(lifecycle.TransitionError, match="早于上一步"):
        with transaction(county) as s:
            lifecycle.apply(s, s.get(Event, eid), "dispatch", at=T0 + lifecycle.timedelta(hours=1), actor="x",
                            handler_code=DEPT)


def test_supervision_is_a_flag_with_its_own_log(county):
    eid = case(county, T0, [("accept", 1), ("dispatch", 2, DEPT), ("supervise", 40), ("supervise", 50)])
    ev = event(county, eid)
    assert ev.supervised and ev.supervised_at == T0 + lifecycle.timedelta(hours=40)
    assert ev.status == "dispatched"  # not a status
    with county.connect() as c:
        assert c.execute(select(Supervision).where(Supervision.event_id == eid)).all().__len__() == 2
    with pytest.raises(lifecycle.TransitionError):
        closed = case(county, T0, CLOSE)
        with transaction(county) as s:
            lifecycle.supervise(s, s.get(Event, closed), at=T0 + lifecycle.timedelta(hours=30), actor="x", note="x")


def test_event_log_is_append_only(county):
    eid = case(county, T0, CLOSE)
    for sql in (f"UPDATE event_log SET actor = 'x' WHERE event_id = {eid}", f"DELETE FROM event_log WHERE event_id = {eid}"):
        with pytest.raises(DBAPIError, match="append-only"):
            with county.begin() as c:
                c.execute(text(sql))
    assert len(log_of(county, eid)) == 6


def test_every_write_bumps_the_events_version(county):
    before = versions(county)["events"]
    case(county, T0, [("accept", 1)])
    assert versions(county)["events"] == before + 2


def test_unknown_grid_or_category_is_refused(county):
    with pytest.raises(ValueError, match="未知网格"):
        with transaction(county) as s:
            lifecycle.report(s, title="x", category_code="SQ01", source="patrol", grid_code="340223100001999", at=T0,
                             actor="x")
    with pytest.raises(ValueError, match="未知事件类别"):
        with transaction(county) as s:
            lifecycle.report(s, title="x", category_code="NOPE", source="patrol", grid_code=GRID_A, at=T0, actor="x")
