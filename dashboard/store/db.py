"""Engine, sessions, schema upgrade, and the data-version counters."""

from __future__ import annotations

import logging
import os
import weakref
from contextlib import contextmanager
import threading
from pathlib import Path

from sqlalchemy import create_engine, event, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from dashboard.store.models import DataVersion
from dashboard.timeutil import now_utc

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Channels of the data version; screens poll them (see ``versions``).
VERSION_CHANNELS = ("events", "staff", "warnings", "areas", "catalog")


def _sqlite_pragmas(dbapi_connection, _record):
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    # WAL lets the screens read while the API, the simulator or an import writes.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=15000")
    cur.close()


# gunicorn builds the app once and then forks its workers;
# a connection opened before the fork must never be used by two processes (their queries interleave
# on one socket: ProgrammingError, OperationalError). Every engine forgets its pooled connections
# in a forked child, without closing them under the parent's feet (SQLAlchemy's recipe).
_ENGINES: "weakref.WeakSet[Engine]" = weakref.WeakSet()


def _forget_pools_after_fork() -> None:
    for engine in list(_ENGINES):
        engine.dispose(close=False)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pools_after_fork)


def make_engine(url: str, **kwargs) -> Engine:
    engine = _make_engine(url, **kwargs)
    _ENGINES.add(engine)
    return engine


def _make_engine(url: str, **kwargs) -> Engine:
    # statement parameters (names, titles, descriptions ...) never reach logs or error
    # texts; the statement itself stays for diagnosis.
    kwargs.setdefault("hide_parameters", True)
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


_engines: dict[tuple[str, bool], Engine] = {}
_engines_lock = threading.Lock()


def engine_for(url: str, read_only: bool = False) -> Engine:
    """One engine (one pool) per URL per process. ``read_only``: every transaction of it is
    read-only (PostgreSQL's ``default_transaction_read_only``), so a write sent to the screens'
    read engine fails loudly even where that engine reaches the primary."""
    key = (url, read_only)
    with _engines_lock:
        if key not in _engines:
            kwargs = {}
            if read_only and url.startswith("postgresql"):
                kwargs["connect_args"] = {"options": "-c default_transaction_read_only=on"}
            _engines[key] = make_engine(url, **kwargs)
        return _engines[key]


def after_fork() -> None:
    """In a forked worker: drop the connections inherited from the parent (they stay the
    parent's) so that each process opens its own."""
    with _engines_lock:
        for engine in _engines.values():
            engine.dispose(close=False)


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(engine: Engine):
    """A session whose work is committed together or not at all."""
    with Session(engine, expire_on_commit=False) as session:
        with session.begin():
            yield session


def alembic_config(engine: Engine | None = None):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision`` with Alembic (the only way the schema is created)."""
    from alembic import command

    _migrate(engine, lambda cfg: command.upgrade(cfg, revision))


def downgrade(engine: Engine, revision: str = "base") -> None:
    from alembic import command

    _migrate(engine, lambda cfg: command.downgrade(cfg, revision))


def _migrate(engine: Engine, run) -> None:
    """Run migrations in one transaction. SQLite changes a column by rebuilding its table, which
    fails while other tables' keys point at it: there, keys are checked once, after the
    migrations and before the commit (Alembic's advice; the pragma only works outside a
    transaction)."""
    cfg = alembic_config(engine)
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                run(cfg)
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left rows whose keys point nowhere: {broken[:5]}")
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def is_empty(engine: Engine) -> bool:
    from dashboard.store.models import Area

    with Session(engine) as s:
        return s.scalar(select(Area.code).limit(1)) is None


def bump(session: Session, *channels: str) -> None:
    """Mark data as changed; call inside the transaction that changes it."""
    unknown = set(channels) - set(VERSION_CHANNELS)
    if unknown:
        raise ValueError(f"unknown data-version channels {sorted(unknown)}")
    session.execute(
        update(DataVersion)
        .where(DataVersion.name.in_(channels))
        .values(version=DataVersion.version + 1, changed_at=now_utc())
    )


def versions(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {n: v for n, v in conn.execute(select(DataVersion.name, DataVersion.version))}


def data_time(engine: Engine):
    """When the data last changed (any channel), aware UTC or None."""
    from sqlalchemy import func

    with engine.connect() as conn:
        return conn.execute(select(func.max(DataVersion.changed_at))).scalar()
