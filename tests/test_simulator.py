"""``gridscreen simulate``: a live stream that follows the daily rhythm, moves cases through their
whole life cycle through ``lifecycle`` or the REST API, and keeps grid workers' apps beating.

The simulator's clock is injected: a virtual clock runs hours of simulation in a moment, and the
same seed gives the same stream, so these tests are exact rather than timed.
"""

import re
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from dashboard import simulate
from dashboard.web import apiclients
from dashboard.store import db
from dashboard.domain import lifecycle
from dashboard.cli import main
from dashboard.demo.cases import DUTY_ACTOR
from dashboard.store.models import Event, EventLog, IdempotencyKey, Staff

from .apisupport import client, county  # noqa: F401  (fixtures)
from .factories import case

MORNING = datetime(2026, 11, 18, 2, 0, tzinfo=timezone.utc)  # 10:00 in Nanling, a Wednesday
NIGHT = datetime(2026, 11, 18, 19, 0, tzinfo=timezone.utc)  # 03:00


class VirtualClock:
    def __init__(self, start: datetime):
        self.t = start

    def now(self) -> datetime:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)


def run_db(engine, start, minutes, **kw):
    clock = VirtualClock(start)
    sim = simulate.Simulator(simulate.world_from_db(engine), simulate.DbWriter(engine, now=clock.now), now=clock.now,
                             sleep=clock.sleep, seed=kw.pop("seed", 3), **kw)
    return sim.run(minutes * 60), clock


def events(engine):
    with engine.connect() as c:
        return c.execute(select(Event).order_by(Event.id)).all()


def assert_rows_agree_with_logs(engine):
    with engine.connect() as c:
        for ev in c.execute(select(Event)).all():
            log = c.execute(select(EventLog.at, EventLog.from_status, EventLog.to_status)
                            .where(EventLog.event_id == ev.id).order_by(EventLog.id)).all()
            assert log[0].to_status == "reported" and log[-1].to_status == ev.status
            assert [r.at for r in log] == sorted(r.at for r in log)
            assert all(a.to_status == b.from_status for a, b in zip(log, log[1:]))


def test_db_mode_streams_reports_and_moves_them_through_the_whole_loop(county):
    stats, clock = run_db(county, MORNING, 60, rate=1.0, speed=600)
    rows = events(county)
    assert stats.reports == len(rows) >= 60  # 10:00–11:00 is about twice the day's mean rate
    assert all(MORNING <= e.reported_at <= clock.t for e in rows)  # stamped with the clock, not planned times
    by_status = {s: sum(e.status == s for e in rows) for s in {e.status for e in rows}}
    assert by_status.get("closed", 0) == stats.closed > 0
    assert stats.by_action.get("accept", 0) > 0 and stats.by_action.get("dispose", 0) > 0
    assert_rows_agree_with_logs(county)
    with county.connect() as c:
        actors = set(c.execute(select(EventLog.actor).where(EventLog.action == "accept")).scalars())
        assert actors == {DUTY_ACTOR}
        # Every report has a place inside its grid.
        assert c.scalar(select(func.count()).select_from(Event).where(Event.lat.is_(None))) == 0


def test_reports_follow_the_daily_rhythm(county):
    day, _ = run_db(county, MORNING, 60, rate=1.0, speed=600, heartbeats=False, floor=0)
    night, _ = run_db(county, NIGHT, 60, rate=1.0, speed=600, heartbeats=False, floor=0)
    assert night.reports * 5 < day.reports


def test_the_live_demo_stays_alive_at_night_and_keeps_the_days_shape(county):
    # 03:00 under the default floor: a report every couple of minutes, still well below 10:00's pace
    day, _ = run_db(county, MORNING, 60, rate=1.0, speed=600, heartbeats=False, seed=5)
    night, _ = run_db(county, NIGHT, 60, rate=1.0, speed=600, heartbeats=False, seed=5)
    assert night.reports >= 20
    assert night.reports * 2 < day.reports


def test_same_seed_same_stream(databases):
    from .factories import small_county

    streams = []
    for _ in range(2):
        e = db.make_engine(databases.new_url())
        db.upgrade(e)
        small_county(e)
        stats, _ = run_db(e, MORNING, 20, rate=1.0, speed=600, heartbeats=False, seed=11)
        streams.append((stats.reports, [(ev.title, ev.grid_code, ev.status) for ev in events(e)]))
        e.dispose()
    assert streams[0] == streams[1] and streams[0][0] > 0


def test_heartbeats_keep_grid_workers_online(county):
    before = db.versions(county)["staff"]
    stats, clock = run_db(county, MORNING, 15, rate=0, speed=600)
    assert stats.reports == 0 and stats.heartbeats > 0
    with county.connect() as c:
        seen = c.execute(select(Staff.last_seen_at).where(Staff.role == "grid_worker")).scalars().all()
    assert any(s is not None and clock.t - s < timedelta(minutes=2) for s in seen)
    assert db.versions(county)["staff"] > before


def test_pending_reports_are_picked_up(county):
    waiting = case(county, MORNING - timedelta(hours=3), [])
    run_db(county, MORNING, 60, rate=0, speed=600, heartbeats=False)
    with county.connect() as c:
        assert c.scalar(select(Event.status).where(Event.id == waiting)) != "reported"


def test_a_case_moved_by_someone_else_is_left_alone(county):
    eid = case(county, MORNING - timedelta(hours=1), [])
    clock = VirtualClock(MORNING)
    done = []

    class DutyOfficerFirst(simulate.DbWriter):
        """A duty officer invalidates the case just before the simulator's desk gets to it."""

        def move(self, event_id, action, **kw):
            if not done:
                done.append(event_id)
                with db.transaction(county) as s:
                    lifecycle.apply(s, s.get(Event, event_id), "invalidate", at=clock.now(), actor="值班员")
            return super().move(event_id, action, **kw)

    sim = simulate.Simulator(simulate.world_from_db(county), DutyOfficerFirst(county, now=clock.now), now=clock.now,
                             sleep=clock.sleep, seed=5, rate=0, speed=600, heartbeats=False)
    stats = sim.run(3600)
    assert stats.refused == 1 and stats.transitions == 0
    with county.connect() as c:
        assert c.scalar(select(func.count()).select_from(EventLog).where(EventLog.event_id == eid)) == 2


def test_api_mode_writes_through_the_rest_api(client):
    """The simulator against the real app over HTTP on loopback (its own clock virtual)."""
    from .browser import LiveServer

    server = LiveServer(client.app.server)
    try:
        writer = simulate.ApiWriter(server.url, client.token)
        world = simulate.world_from_catalog(writer.catalog())
        assert {g.code for g in world.grids} == {"340223100001001", "340223100001002", "340223101001001"}
        clock = VirtualClock(MORNING)
        stats = simulate.Simulator(world, writer, now=clock.now, sleep=clock.sleep, seed=2, rate=1.0,
                                   speed=600).run(30 * 60)
    finally:
        server.stop()
    assert stats.reports > 10 and stats.transitions > stats.reports and stats.heartbeats > 0
    assert_rows_agree_with_logs(client.engine)
    with client.engine.connect() as c:
        n_events = c.scalar(select(func.count()).select_from(Event))
        n_keys = c.scalar(select(func.count()).select_from(IdempotencyKey))
    assert n_events == stats.reports
    # Every write went through the API, each under its own idempotency key.
    assert n_keys == stats.reports + stats.transitions + stats.supervisions + stats.heartbeats
    assert apiclients.list_clients(client.engine)[0].last_used_at is not None


@pytest.mark.parametrize("text, per_minute", [("2", 2.0), ("2/min", 2.0), ("120/h", 2.0), ("0.5", 0.5)])
def test_rates(text, per_minute):
    assert simulate.parse_rate(text) == per_minute


def test_cli_refuses_what_it_cannot_do(db_url):
    runner = CliRunner()
    r = runner.invoke(main, ["simulate", "--via", "api"], env={"DATABASE_URL": db_url, "GRIDSCREEN_API_TOKEN": ""})
    assert r.exit_code == 2 and "--token" in r.output
    r = runner.invoke(main, ["simulate", "--rate", "fast"], env={"DATABASE_URL": db_url})
    assert r.exit_code == 2 and "--rate" in r.output
    r = runner.invoke(main, ["simulate", "--duration", "1"], env={"DATABASE_URL": db_url})
    assert r.exit_code == 1 and "seed" in r.output  # an empty database: nothing to simulate


def test_cli_runs_for_a_while(county, db_url):
    r = CliRunner().invoke(main, ["simulate", "--rate", "600/min", "--speed", "3600", "--duration", "3", "--seed", "1"],
                           env={"DATABASE_URL": db_url})
    assert r.exit_code == 0, r.output
    reported = int(re.search(r"上报 (\d+)", r.output).group(1))
    with county.connect() as c:
        assert c.scalar(select(func.count()).select_from(Event)) == reported
