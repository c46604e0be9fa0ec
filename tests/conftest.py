"""Test fixtures: a fresh database per test on SQLite or PostgreSQL, the demo county once per
session, and a real Chromium for browser tests.

Choose the database with ``--db sqlite|postgresql`` (or GRIDSCREEN_TEST_DB). PostgreSQL needs
GRIDSCREEN_TEST_PG_URL, an admin URL of a server on loopback (``scripts/pg-server`` starts one);
when PostgreSQL is asked for and cannot be reached the session fails: it never skips.
"""

from __future__ import annotations

import os
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import text

from dashboard.settings import Settings
from dashboard.store import db as dbmod

# The demo's as-of in tests: the end of 20 November 2026 in Nanling (UTC 16:00 = 24:00 local).
AS_OF = datetime(2026, 11, 20, 16, 0, tzinfo=timezone.utc)


def pytest_addoption(parser):
    parser.addoption("--db", choices=["sqlite", "postgresql"], default=os.environ.get("GRIDSCREEN_TEST_DB", "sqlite"),
                     help="database the suite runs against")


def pytest_report_header(config):
    return f"gridscreen database: {config.getoption('--db')}"


class Databases:
    """Creates and drops throwaway databases of one kind."""

    def __init__(self, kind: str, tmp_root):
        self.kind = kind
        self.tmp_root = tmp_root
        self.created: list[str] = []
        if kind == "postgresql":
            url = os.environ.get("GRIDSCREEN_TEST_PG_URL")
            if not url:
                pytest.exit("--db postgresql needs GRIDSCREEN_TEST_PG_URL (scripts/pg-server prints one)", returncode=3)
            self.admin = dbmod.make_engine(url, isolation_level="AUTOCOMMIT")
            try:
                with self.admin.connect() as c:
                    c.execute(text("select 1"))
            except Exception as exc:
                pytest.exit(f"PostgreSQL at {url} is not reachable: {exc}", returncode=3)

    def new_url(self) -> str:
        name = f"gs_{uuid.uuid4().hex[:12]}"
        if self.kind == "sqlite":
            return f"sqlite:///{self.tmp_root / (name + '.sqlite3')}"
        with self.admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        self.created.append(name)
        return self.admin.url.set(database=name).render_as_string(hide_password=False)

    def remove(self, url: str) -> None:
        """The database goes away under whoever uses it: the SQLite file is moved aside (every new
        connection finds no tables), the PostgreSQL database dropped (connections end, new ones
        are refused)."""
        if self.kind == "sqlite":
            path = Path(url.removeprefix("sqlite:///"))
            path.rename(path.with_suffix(".gone"))
            return
        name = url.rsplit("/", 1)[-1]
        with self.admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def drop_all(self):
        if self.kind != "postgresql":
            return
        for name in self.created:
            with self.admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def databases(request, tmp_path_factory):
    d = Databases(request.config.getoption("--db"), tmp_path_factory.mktemp("db"))
    yield d
    d.drop_all()


@pytest.fixture
def db_url(databases):
    return databases.new_url()


@pytest.fixture
def engine(db_url):
    """A fresh, empty database at the head revision."""
    e = dbmod.make_engine(db_url)
    dbmod.upgrade(e)
    yield e
    e.dispose()


@pytest.fixture(scope="session")
def demo_url(databases):
    """The nanling demo, seeded once per session at AS_OF. Tests must not change it."""
    from dashboard.demo import seed

    url = databases.new_url()
    e = dbmod.make_engine(url)
    seed(e, "nanling", 7, as_of=AS_OF)
    e.dispose()
    return url


@pytest.fixture(scope="session")
def demo_engine(demo_url):
    e = dbmod.make_engine(demo_url)
    yield e
    e.dispose()


@pytest.fixture
def demo_copy(databases):
    """A nanling demo a test may change (seeded afresh: a few seconds)."""
    from dashboard.demo import seed

    url = databases.new_url()
    e = dbmod.make_engine(url)
    seed(e, "nanling", 7, as_of=AS_OF)
    yield e
    e.dispose()


def settings_for(url: str, **changes) -> Settings:
    """Settings for a test app on ``url``, its clock frozen at AS_OF. Without login
    (GRIDSCREEN_AUTH=off, loopback only) unless ``auth=True`` is given: accounts and scopes have
    their own tests (tests/test_auth_*.py, tests/test_access_*.py)."""
    base = Settings(database_url=url, embedded=False, frozen_now=AS_OF, refresh_ms=500, auth=False,
                    secret_key="test-secret-key-not-for-production")
    return base.with_(**changes)


@pytest.fixture(scope="session")
def demo_app(demo_url):
    from app import create_app

    return create_app(settings_for(demo_url))


@pytest.fixture
def api(demo_app):
    return demo_app.server.test_client()


# --- browser ------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def chrome():
    from .browser import make_driver

    d = make_driver()
    yield d
    d.quit()


@pytest.fixture(scope="session")
def demo_server(demo_app):
    from .browser import LiveServer

    s = LiveServer(demo_app.server)
    yield s
    s.stop()


@pytest.fixture
def page(chrome, demo_server):
    from .browser import Page

    chrome.get_log("browser")  # start each test with an empty console
    return Page(chrome, demo_server.url).viewport(1920, 1080)
