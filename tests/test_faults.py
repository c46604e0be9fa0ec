"""Keeping working under faults, scripted against a real PostgreSQL that the tests stop
and start themselves — a throwaway cluster of their own (``scripts/pg-server`` with its own
directory and port), never the suite's shared server.

- the database stopped under an open wall screen: the stale banner, no error page, and recovery
  within one refresh of the database coming back (``GRIDSCREEN_FAULT_SECONDS``, default 5: the
  a 30 s outage is ``GRIDSCREEN_FAULT_SECONDS=30``; the mechanism is the same);
- API writes in flight when the database dies: each one stored whole or refused, never half;
- the app restarted: the open screen reconnects by itself, still logged in.

These run in the PostgreSQL pass (``--db postgresql``); on SQLite there is no server to stop.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select, text
from werkzeug.serving import make_server

from dashboard.web import apiclients
from dashboard.store import db as dbmod
from dashboard.demo import default_as_of, seed
from dashboard.store.models import AuditEntry, Event, EventLog, IdempotencyKey

from .authsupport import add
from .browser import Page
from .conftest import settings_for
from .test_auth_browser import login
from .test_bigscreen import KPI, wait_loaded

pytestmark = [pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
# How long an outage lasts, in the screen's own polls that found the database away.
POLLS_DURING_OUTAGE = int(os.environ.get("GRIDSCREEN_FAULT_POLLS", "10"))
REPORTED = KPI.format("reported")
BANNER = "#stale-banner"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster of these tests only: ``stop()`` is the database dying (immediate
    shutdown: connections cut, in-flight transactions lost), ``start()`` it coming back."""

    def __init__(self, tmp: Path):
        self.env = {**os.environ, "GRIDSCREEN_PG_DIR": str(tmp / "pg"), "GRIDSCREEN_PG_PORT": str(free_port()),
                    # durable commits: a crash may only lose what was never acknowledged
                    "GRIDSCREEN_PG_DURABLE": "1"}
        self.pgbin = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]

    def _script(self, cmd: str) -> str:
        return subprocess.run([str(ROOT / "scripts" / "pg-server"), cmd], env=self.env, check=True,
                              capture_output=True, text=True, timeout=120).stdout.strip()

    def start(self) -> str:
        return self._script("start")

    def stop(self) -> None:
        d = self.env["GRIDSCREEN_PG_DIR"]
        cmd = f"'{self.pgbin}/pg_ctl' -D '{d}' -m immediate -w stop"
        if os.getuid() == 0:
            subprocess.run(["su", "postgres", "-s", "/bin/bash", "-c", cmd], check=True, capture_output=True, timeout=60)
        else:
            subprocess.run(["bash", "-c", cmd], check=True, capture_output=True, timeout=60)

    def destroy(self) -> None:
        self._script("stop")


@pytest.fixture(scope="module")
def cluster(request, tmp_path_factory):
    if request.config.getoption("--db") != "postgresql":
        pytest.skip("fault tests stop and start a PostgreSQL server: they run in the PostgreSQL pass")
    # Under /tmp itself: the postgres user (root runs it as postgres) cannot enter pytest's tmp tree.
    tmp = Path(tempfile.mkdtemp(prefix="gs-faultpg-"))
    if os.getuid() == 0:
        subprocess.run(["chown", "postgres:postgres", str(tmp)], check=True)
    c = Cluster(tmp)
    admin = c.start()
    engine = dbmod.make_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text('CREATE DATABASE "gs_faults"'))
    engine.dispose()
    c.url = dbmod.make_engine(admin).url.set(database="gs_faults").render_as_string(hide_password=False)
    e = dbmod.make_engine(c.url)
    seed(e, "nanling", 7, as_of=default_as_of())
    add(e, "wall1", "display")
    e.dispose()
    yield c
    c.destroy()
    shutil.rmtree(tmp, ignore_errors=True)


class Served:
    """The app on a fixed loopback port in a thread (a restart is a new app on the same port)."""

    def __init__(self, url: str, port: int | None = None):
        from app import create_app

        self.port = port or free_port()
        self.app = create_app(settings_for(url, auth=True, frozen_now=None))
        self.httpd = make_server("127.0.0.1", self.port, self.app.server, threaded=True)
        self.url = f"http://127.0.0.1:{self.port}"
        # The screen's polls the server answered "database away" (503): what an outage is measured in.
        self.failed_polls = 0

        def count(response):
            from flask import request

            if request.path == "/api/v1/version" and response.status_code == 503:
                self.failed_polls += 1
            return response

        self.app.server.after_request(count)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def report(base: str, token: str, grid: dict, key: str | None = None, ext: str | None = None):
    return requests.post(f"{base}/api/v1/events", timeout=20,
                         headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key or uuid.uuid4().hex},
                         json={"category": "SQ01", "title": "故障测试事件", "grid": grid["code"],
                               "reporter": grid["worker"]["id"], **({"ext_id": ext} if ext else {})})


def catalog_grid(base: str, token: str) -> dict:
    cat = requests.get(f"{base}/api/v1/catalog", headers={"Authorization": f"Bearer {token}"}, timeout=10).json()
    return next(g for g in cat["grids"] if g.get("worker"))


def banner_shown(page) -> bool:
    return page.js(f"const b = document.querySelector('{BANNER}'); return !!b && !b.hidden;")


def outage_errors(page) -> list[str]:
    """Console errors other than the failed requests the outage itself causes."""
    return [m for m in page.console_errors() if "Failed to load resource" not in m and "503" not in m
            and "ERR_CONNECTION_REFUSED" not in m and "Failed to fetch" not in m
            and "the server did not respond" not in m]


def test_database_stopped_under_an_open_screen_then_back(cluster, chrome):
    served = Served(cluster.url)
    engine = dbmod.make_engine(cluster.url)
    _, token = apiclients.create(engine, "故障测试")
    try:
        page = Page(chrome, served.url).viewport(1920, 1080)
        chrome.get_log("browser")
        login(page, "wall1")
        wait_loaded(page)
        before = page.text(REPORTED)
        assert not banner_shown(page)

        cluster.stop()
        page.wait(lambda: banner_shown(page), timeout=10, message="no stale banner with the database stopped")
        assert "数据" in page.text(BANNER)
        # Through many of the screen's polls that found the database away (each one a refresh that
        # could have failed), the screen keeps its last data and shows no error page.
        seen = served.failed_polls

        def kept_through_the_outage():
            assert page.text(REPORTED) == before
            assert page.find_all(".not-found") == [] and page.find_all(".bs-title")
            assert banner_shown(page)
            return served.failed_polls - seen >= POLLS_DURING_OUTAGE

        page.wait(kept_through_the_outage, timeout=60, message="the screen stopped polling during the outage")

        cluster.start()
        page.wait(lambda: not banner_shown(page), timeout=15, message="the screen did not recover")
        # and it is live again: a new report reaches the open screen
        r = report(served.url, token, catalog_grid(served.url, token))
        assert r.status_code == 201, r.text
        n = int(before.replace(",", "")) + 1
        page.wait_text(REPORTED, lambda t: t.replace(",", "") == str(n), timeout=15)
        assert outage_errors(page) == []
    finally:
        served.stop()
        engine.dispose()


def test_api_writes_in_flight_when_the_database_dies_are_stored_whole_or_refused(cluster):
    served = Served(cluster.url)
    engine = dbmod.make_engine(cluster.url)
    _, token = apiclients.create(engine, "故障写入")
    grid = catalog_grid(served.url, token)
    run = uuid.uuid4().hex[:8]
    results: dict[str, tuple[str, int | None]] = {}
    stop_at = time.monotonic() + 1.0

    def writer(i: int):
        ext, key = f"F{run}-{i}", f"key-{run}-{i}"
        try:
            code = report(served.url, token, grid, key=key, ext=ext).status_code
        except requests.RequestException:
            code = None  # no answer: the client cannot know, and retries with the same key
        results[ext] = (key, code)

    try:
        with ThreadPoolExecutor(16) as pool:
            futures = []
            i = 0
            while time.monotonic() < stop_at + 0.5:
                futures.append(pool.submit(writer, i))
                i += 1
                if time.monotonic() >= stop_at and not getattr(cluster, "stopped", False):
                    cluster.stop()
                    cluster.stopped = True
                time.sleep(0.01)
            for f in futures:
                f.result()
        codes = [c for _, c in results.values()]
        assert 201 in codes and any(c != 201 for c in codes), codes  # some stored, some refused
        assert all(c in (201, 503, None) for c in codes), sorted(set(map(str, codes)))
        cluster.start()  # pg_ctl -w: it answers once started
        cluster.stopped = False

        def stored(ext):
            with engine.connect() as c:
                ids = c.execute(select(Event.id).where(Event.ext_id == ext)).scalars().all()
                if not ids:
                    return None
                (eid,) = ids
                logs = c.execute(select(func.count()).select_from(EventLog).where(EventLog.event_id == eid)).scalar()
                return eid, logs

        for ext, (key, code) in results.items():
            hit = stored(ext)
            if code == 201:
                assert hit is not None and hit[1] >= 1, ext  # stored whole: the case and its log
            elif code == 503:
                assert hit is None, ext  # refused: nothing of it
            if hit is None:  # refused or unanswered: the client retries with the same key
                r = report(served.url, token, grid, key=key, ext=ext)
                assert r.status_code == 201, (code, r.status_code, r.headers.get("Idempotent-Replayed"), r.text)
            else:
                r = report(served.url, token, grid, key=key, ext=ext)
                assert r.status_code in (201, 409), r.text  # replayed, or the ext_id is taken: never twice
            hit = stored(ext)
            assert hit is not None and hit[1] >= 1
        with engine.connect() as c:
            events = c.execute(select(func.count()).select_from(Event).where(Event.ext_id.like(f"F{run}-%"))).scalar()
            keys = c.execute(select(func.count()).select_from(IdempotencyKey)
                             .where(IdempotencyKey.key.like(f"key-{run}-%"))).scalar()
            audits = c.execute(select(func.count()).select_from(AuditEntry)
                               .where(AuditEntry.action == "api.write", AuditEntry.actor == "故障写入")).scalar()
        assert events == len(results) == keys
        assert audits >= events  # every stored write has its audit entry (written in the same transaction)
    finally:
        if getattr(cluster, "stopped", False):
            cluster.start()
        served.stop()
        engine.dispose()


def test_app_restarted_screens_reconnect_by_themselves(cluster, chrome):
    served = Served(cluster.url)
    port = served.port
    engine = dbmod.make_engine(cluster.url)
    _, token = apiclients.create(engine, "重启测试")
    try:
        page = Page(chrome, served.url).viewport(1920, 1080)
        chrome.get_log("browser")
        login(page, "wall1")
        wait_loaded(page)
        served.stop()
        page.wait(lambda: banner_shown(page), timeout=10, message="no stale banner with the app down")
        served = Served(cluster.url, port=port)  # a new process would do the same: same key, same database
        page.wait(lambda: not banner_shown(page), timeout=10, message="the screen did not reconnect")
        assert page.d.current_url.rstrip("/") == served.url  # still on the screen, not sent to the login
        before = page.text(REPORTED)
        # and its callbacks run again (the session and CSRF token survived the restart): new data arrives
        r = report(served.url, token, catalog_grid(served.url, token))
        assert r.status_code == 201, r.text
        n = int(before.replace(",", "")) + 1
        page.wait_text(REPORTED, lambda t: t.replace(",", "") == str(n), timeout=15)
        errs = outage_errors(page)
        assert errs == [], '\n'.join(e[90:400] for e in errs)
    finally:
        served.stop()
        engine.dispose()
