"""Fixtures of the connector's tests: 平安通 (tests/platform) on a real MariaDB and on a real
PostgreSQL, GridScreen's own database being the usual test engine (``--db``).

The MariaDB server is ``scripts/mariadb-server`` (GRIDSCREEN_TEST_MARIADB_URL), the PostgreSQL
source a database of its own on the suite's shared server (GRIDSCREEN_TEST_PG_URL). When either is
asked for and cannot be reached the session fails: these tests never skip.
"""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from sqlalchemy import create_engine, func, select, text

from dashboard.connector import runs, sync
from dashboard.timeutil import to_utc

from .platform import MAPPINGS, STAGE_MAPPINGS, Platform

# The moment the tests' syncs run (local 18:00 on the day the platform's cases were reported).
NOW = to_utc(datetime(2026, 11, 20, 18, 0))
ENV = {"mariadb": "GRIDSCREEN_TEST_MARIADB_URL", "postgresql": "GRIDSCREEN_TEST_PG_URL"}
_reachable: set[str] = set()


def admin_url(kind: str) -> str:
    url = os.environ.get(ENV[kind])
    if not url:
        pytest.exit(f"the connector's tests need {ENV[kind]} (scripts/test starts the servers; "
                    f"scripts/{'mariadb' if kind == 'mariadb' else 'pg'}-server prints the URL)", returncode=3)
    if kind not in _reachable:
        e = create_engine(url)
        try:
            with e.connect() as c:
                c.execute(text("SELECT 1"))
        except Exception as exc:  # noqa: BLE001
            pytest.exit(f"{kind} at {url} is not reachable: {exc}", returncode=3)
        finally:
            e.dispose()
        _reachable.add(kind)
    return url


@pytest.fixture(params=["mariadb", "postgresql"])
def platform(request):
    """平安通's database, empty (the vendor's schema only), on MariaDB and then on PostgreSQL."""
    p = Platform(request.param, admin_url(request.param))
    yield p
    p.drop()


@pytest.fixture
def mariadb_platform():
    p = Platform("mariadb", admin_url("mariadb"))
    yield p
    p.drop()


def connect(engine, platform: Platform, *, stages: bool = False, name: str = "pingan", text_: str | None = None):
    """Add the platform as source ``name`` with its mapping (the status-log one, or by stage times)."""
    path = (STAGE_MAPPINGS if stages else MAPPINGS)[platform.kind]
    runs.add_source(engine, name, platform.url, text_ if text_ is not None else path.read_text(encoding="utf-8"),
                    path.name)


def run(engine, name: str = "pingan", now=NOW) -> sync.RunReport:
    return sync.sync(engine, name, now=now)


def counts(report: sync.RunReport) -> dict:
    return {n: (e.read, e.written, e.refused) for n, e in report.entities.items()}


def refused(engine, report: sync.RunReport) -> dict[str, str]:
    """{source key: reason} of every row the run refused."""
    return {r["source_key"]: r["reason"] for r in runs.refusals(engine, report.run_id, None)}


def scalar(engine, stmt):
    with engine.connect() as c:
        return c.execute(stmt).scalar()


def rows(engine, stmt):
    with engine.connect() as c:
        return c.execute(stmt).all()


def count(engine, model, *where):
    return scalar(engine, select(func.count()).select_from(model).where(*where))
