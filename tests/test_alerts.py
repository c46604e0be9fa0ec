"""Alerts: raised once per new major/urgent case and per grid entering Ⅰ/Ⅱ, whatever how often
the runner looks; acknowledged once, even by two screens at the same moment."""

import threading
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard import warnings as W
from dashboard.domain import lifecycle
from dashboard.store import audit, db
from dashboard.store.models import Alert, Area, AuditEntry, Event
from dashboard.warnings import alerts

from .conftest import AS_OF


def report(engine, severity, at, title="测试事件", grid=None):
    with db.transaction(engine) as s:
        grid = grid or s.scalar(select(Area.code).where(Area.level == "grid").order_by(Area.code))
        ev = lifecycle.report(s, title=title, category_code="SQ01", source="hotline", grid_code=grid, at=at,
                              actor="test", severity=severity)
        db.bump(s, "events")
        return ev.id


def alerts_of(engine, **where):
    with Session(engine) as s:
        return list(s.scalars(select(Alert).filter_by(**where).order_by(Alert.id)))


def test_a_new_urgent_case_raises_one_alert_however_often_the_runner_looks(demo_copy):
    alerts.raise_due(demo_copy, AS_OF)  # what the seeded county already holds
    title = "化工厂<b>泄漏</b>=1+1"
    eid = report(demo_copy, "urgent", AS_OF - timedelta(minutes=5), title=title)
    version = db.versions(demo_copy)["warnings"]
    assert alerts.raise_due(demo_copy, AS_OF) == 1
    assert db.versions(demo_copy)["warnings"] == version + 1  # every open screen follows
    assert alerts.raise_due(demo_copy, AS_OF) == 0
    assert alerts.raise_due(demo_copy, AS_OF + timedelta(minutes=1)) == 0
    (a,) = alerts_of(demo_copy, kind="case", event_id=eid)
    assert (a.level, a.subject, a.acknowledged_at) == (1, str(eid), None)
    assert a.text.startswith(title + "（")  # words from the data, stored as plain text
    assert alerts.badge(a.kind, a.level) == "紧急"
    shown = alerts.unacknowledged(demo_copy)
    assert shown.items[0]["id"] == a.id  # most severe, newest first


def test_major_raises_level_2_and_normal_old_or_closed_cases_raise_none(demo_copy):
    alerts.raise_due(demo_copy, AS_OF)
    major = report(demo_copy, "major", AS_OF - timedelta(minutes=3))
    report(demo_copy, "normal", AS_OF - timedelta(minutes=2))
    report(demo_copy, "urgent", AS_OF - alerts.CASE_LOOKBACK - timedelta(minutes=1))  # not new any more
    invalid = report(demo_copy, "urgent", AS_OF - timedelta(minutes=1))
    with db.transaction(demo_copy) as s:
        lifecycle.apply(s, s.get(Event, invalid), "invalidate", at=AS_OF - timedelta(seconds=30), actor="test")
    assert alerts.raise_due(demo_copy, AS_OF) == 1
    (a,) = alerts_of(demo_copy, kind="case", event_id=major)
    assert a.level == 2 and alerts.badge(a.kind, a.level) == "重大"


def test_the_episode_rule():
    start = alerts.episode_start
    assert start([], 2) is None
    assert start([(1, 0, 2)], 2) == 1  # entered Ⅱ from normal
    assert start([(1, 3, 2)], 2) == 1  # from Ⅲ
    assert start([(1, 0, 2), (2, 2, 1)], 1) == 2  # escalated to Ⅰ: a new episode of the Ⅰ band
    assert start([(1, 0, 2), (2, 2, 1), (3, 1, 2)], 2) == 1  # eased back to Ⅱ: still the first
    assert start([(1, 0, 1), (2, 1, 2)], 2) == 1  # entered at Ⅰ, eased to Ⅱ: the same episode
    assert start([(1, 0, 2), (2, 2, 3), (3, 3, 2)], 2) == 3  # left and entered again


def test_a_grid_entering_orange_then_red_raises_one_alert_per_entry(demo_copy):
    rules = W.load_rules()
    alerts.raise_due(demo_copy, AS_OF)
    levels = W.levels_by_grid(demo_copy)
    with demo_copy.connect() as c:
        grid = next(code for (code,) in c.execute(select(Area.code).where(Area.level == "grid").order_by(Area.code))
                    if levels.get(code, 0) == 0)
    t = AS_OF

    def step(minutes):
        nonlocal t
        t = t + timedelta(minutes=minutes)
        W.run_once(demo_copy, rules, t)
        return alerts.raise_due(demo_copy, t)

    orange = W.issue(demo_copy, scope=grid, level=2, reason="汛期", until=None, issued_by="test", at=t + timedelta(seconds=1))
    assert step(1) == 1
    assert step(1) == 0
    red = W.issue(demo_copy, scope=grid, level=1, reason="险情", until=None, issued_by="test", at=t + timedelta(seconds=1))
    assert step(1) == 1  # Ⅱ -> Ⅰ: worse, raised again
    W.lift(demo_copy, red.id, t + timedelta(seconds=1))
    assert step(1) == 0  # Ⅰ -> Ⅱ: still the same episode
    W.lift(demo_copy, orange.id, t + timedelta(seconds=1))
    step(1)
    assert W.levels_by_grid(demo_copy).get(grid, 0) == 0
    W.issue(demo_copy, scope=grid, level=2, reason="再次", until=None, issued_by="test", at=t + timedelta(seconds=1))
    assert step(1) == 1  # a new episode
    rows = alerts_of(demo_copy, kind="grid", subject=grid)
    assert [r.level for r in rows] == [2, 1, 2]
    assert len({r.episode for r in rows}) == 3
    assert all(r.text.split("：")[0].endswith(lv) for r, lv in zip(rows, ("Ⅱ级（橙色）", "Ⅰ级（红色）", "Ⅱ级（橙色）")))


def test_acknowledged_once_even_by_two_screens_at_once(demo_copy):
    report(demo_copy, "urgent", AS_OF - timedelta(minutes=1))
    alerts.raise_due(demo_copy, AS_OF)
    target = alerts.unacknowledged(demo_copy).items[0]
    results = []
    barrier = threading.Barrier(2)

    def click(who):
        barrier.wait()
        results.append(alerts.acknowledge(
            demo_copy, target["id"], who, AS_OF,
            on_stored=lambda s, a: audit.record(s, action="alert.ack", actor=who, actor_kind="user",
                                                target=f"alert:{a.id}")))

    threads = [threading.Thread(target=click, args=(n,)) for n in ("duty1", "duty2")]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert sorted(results) == [alerts.ACKNOWLEDGED, alerts.ALREADY]
    (a,) = alerts_of(demo_copy, id=target["id"])
    assert a.acknowledged_by in ("duty1", "duty2") and a.acknowledged_at == AS_OF
    with demo_copy.connect() as c:
        n = c.execute(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "alert.ack")).scalar()
    assert n == 1
    assert target["id"] not in [x["id"] for x in alerts.unacknowledged(demo_copy).items]
    # outside the acknowledging officer's area: as if it did not exist
    report(demo_copy, "urgent", AS_OF - timedelta(seconds=10), title="另一件")
    alerts.raise_due(demo_copy, AS_OF)
    other = alerts.unacknowledged(demo_copy).items[0]
    assert alerts.acknowledge(demo_copy, other["id"], "town1", AS_OF, area="999999999") == alerts.MISSING
    assert alerts.acknowledge(demo_copy, 10**9, "x", AS_OF) == alerts.MISSING


def test_a_grid_raised_only_by_an_alerted_case_is_not_announced_twice(demo_copy):
    rules = W.load_rules()
    alerts.raise_due(demo_copy, AS_OF)
    levels = W.levels_by_grid(demo_copy)
    with demo_copy.connect() as c:
        grid = next(code for (code,) in c.execute(select(Area.code).where(Area.level == "grid").order_by(Area.code))
                    if levels.get(code, 0) == 0)
    report(demo_copy, "urgent", AS_OF + timedelta(minutes=1), grid=grid)
    t = AS_OF + timedelta(minutes=2)
    W.run_once(demo_copy, rules, t)
    assert W.levels_by_grid(demo_copy).get(grid) in alerts.GRID_LEVELS  # the open urgent case warns the grid
    assert alerts.raise_due(demo_copy, t) == 1
    assert [a.kind for a in alerts_of(demo_copy, grid_code=grid)] == ["case"]
    assert alerts.raise_due(demo_copy, t + timedelta(minutes=1)) == 0
