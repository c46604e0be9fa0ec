"""Screens served from a real hot standby while the API writes to the primary.

``scripts/pg-replica`` starts a PostgreSQL primary and a streaming replica of it
(``pg_basebackup -R``, ``hot_standby=on``) on loopback. The app runs with ``DATABASE_URL`` on the
primary and ``GRIDSCREEN_READ_DATABASE_URL`` on the replica and login on: the login, the session
and the API's report are written to the primary, the big screen's and a desk page's figures and
the version poll are read from the replica, and a new event reaches the replica-served screen once
the replica has replayed it (replication is asynchronous: the test waits for the condition).

It runs in the PostgreSQL pass (the SQLite pass has no PostgreSQL to replicate). If the pair
cannot start, it fails with the script's words: it never skips in that pass.
"""

from __future__ import annotations

import subprocess
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from dashboard.demo import seed
from dashboard.store import db as dbmod
from dashboard.store.models import Area, Event, Staff, UserSession
from dashboard.web import apiclients

from .authsupport import add
from .browser import LiveServer, Page
from .conftest import AS_OF, settings_for
from .test_auth_browser import login
from .test_bigscreen import wait_loaded

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "pg-replica"
WRITES = ("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "DROP")


def wait_for(predicate, timeout: float, message: str, every: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(every)  # polling a condition, not waiting a fixed time for one
    raise AssertionError(message)


def replayed(primary, replica) -> bool:
    """Whether the replica has replayed everything the primary had written when asked."""
    with primary.connect() as p:
        lsn = p.scalar(text("select pg_current_wal_lsn()"))
    with replica.connect() as r:
        return r.scalar(text("select pg_last_wal_replay_lsn() >= cast(:lsn as pg_lsn)"), {"lsn": lsn})


class Statements:
    """The first word of every statement an engine runs (thread-safe: the server has threads)."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.seen: list[str] = []
        self.lock = threading.Lock()
        event.listen(engine, "before_cursor_execute", self._hook)

    def _hook(self, conn, cursor, statement, parameters, context, executemany):
        with self.lock:
            self.seen.append(statement.lstrip().split(None, 1)[0].upper())

    def count(self, *verbs) -> int:
        with self.lock:
            return sum(1 for s in self.seen if s in verbs)


@pytest.fixture(scope="module")
def pair(request):
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("a primary and its hot standby are PostgreSQL: this runs in the PostgreSQL pass")
    started = subprocess.run([str(SCRIPT), "start"], capture_output=True, text=True, timeout=180)
    assert started.returncode == 0, f"scripts/pg-replica could not start: {started.stderr.strip()}"
    primary_admin, replica_admin = started.stdout.split()
    name = f"gs_rep_{uuid.uuid4().hex[:10]}"
    admin = dbmod.make_engine(primary_admin, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    primary_url = admin.url.set(database=name).render_as_string(hide_password=False)
    replica_url = dbmod.make_engine(replica_admin).url.set(database=name).render_as_string(hide_password=False)
    primary = dbmod.make_engine(primary_url)
    seed(primary, "nanling", 7, as_of=AS_OF)
    add(primary, "wall1", "display")
    add(primary, "desk1", "duty_officer")
    _, token = apiclients.create(primary, "副本测试")
    replica = dbmod.make_engine(replica_url)
    wait_for(lambda: replayed(primary, replica), 120, "the replica never replayed the seeded county")
    with replica.connect() as r:
        assert r.scalar(text("select pg_is_in_recovery()")), "the read side is not a standby"
    yield {"primary": primary, "replica": replica, "primary_url": primary_url, "replica_url": replica_url,
           "token": token}
    primary.dispose()
    replica.dispose()
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_screens_read_the_replica_while_the_api_writes_the_primary(pair, chrome):
    from app import create_app
    from dashboard.web.runtime import EXTENSION_KEY

    app = create_app(settings_for(pair["primary_url"], auth=True, frozen_now=None,
                                  read_database_url=pair["replica_url"]))
    rt = app.server.extensions[EXTENSION_KEY]
    assert rt.read_engine is not rt.engine and rt.reads.engine is rt.read_engine
    on_primary, on_replica = Statements(rt.engine), Statements(rt.read_engine)
    server = LiveServer(app.server)
    try:
        page = Page(chrome, server.url).viewport(1920, 1080)
        chrome.get_log("browser")
        login(page, "wall1")  # the session is written to the primary
        wait_loaded(page)  # KPIs, the map's colours, charts, the feed: panels on the replica
        assert on_replica.count("SELECT") > 0
        with pair["primary"].connect() as c:
            assert c.scalar(select(func.count()).select_from(UserSession)) == 1

        # A desk page: a town's figures and map, from the replica too.
        with pair["primary"].connect() as c:
            town = c.scalar(select(Area.code).where(Area.level == "town").order_by(Area.code).limit(1))
            worker = c.scalar(select(Staff.id).where(Staff.role == "grid_worker", Staff.grid_code.like(f"{town}%"))
                              .order_by(Staff.id).limit(1))
            grid = c.scalar(select(Staff.grid_code).where(Staff.id == worker))
        login(page, "desk1")
        before = on_replica.count("SELECT")
        page.open(f"/town/{town}")
        page.wait(lambda: page.find_all("#ap-legend .legend-title")
                  and page.text("#ap-legend .legend-title") == "预警等级", timeout=60, message="the town page never drew its map")
        assert on_replica.count("SELECT") > before

        # The API reports a case: written to the primary, it reaches the replica-served screen.
        title = f"副本上报{uuid.uuid4().hex[:6]}"
        api = app.server.test_client()
        r = api.post("/api/v1/events", json={"category": "SQ01", "title": title, "grid": grid, "reporter": worker},
                     headers={"Authorization": f"Bearer {pair['token']}", "Idempotency-Key": uuid.uuid4().hex})
        assert r.status_code == 201, r.get_json()
        with pair["primary"].connect() as c:
            assert c.scalar(select(func.count()).select_from(Event).where(Event.title == title)) == 1
        login(page, "wall1")
        wait_loaded(page)
        page.wait(lambda: title in page.js("return Array.from(document.querySelectorAll('.feed-item'))"
                                           ".map(e => e.textContent).join('|')"),
                  timeout=60, message="the new event never reached the screen served from the replica")

        # Nothing was ever written through the read engine (a standby would have refused it);
        # the writes (sessions, audit, the report, idempotency) went to the primary.
        assert on_replica.count(*WRITES) == 0
        assert on_primary.count("INSERT") > 0
        assert page.console_errors() == []
    finally:
        server.stop()
