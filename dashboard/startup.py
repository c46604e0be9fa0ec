"""Getting the configured database ready for a process: the schema at the head revision (its
rollups built), and the
embedded demo database seeded with the demo county the first time (the web app and the commands
that write call it before anything else)."""

from __future__ import annotations

import logging
import time
from typing import Callable

from sqlalchemy.engine import Engine

from dashboard.demo import seed
from dashboard.domain import rollups
from dashboard.store import db

log = logging.getLogger(__name__)


def prepare(settings, say: Callable[[str], None] | None = None) -> Engine:
    """Engine for the configured database, schema upgraded; the embedded demo database is
    seeded with the demo county the first time. ``say`` tells a person at a terminal what is
    happening (the first start takes a minute)."""
    from dashboard import strings

    say = say or (lambda _text: None)
    engine = db.engine_for(settings.database_url)
    db.upgrade(engine)
    rollups.ensure(engine)  # once, for a database the rollups' migration just reached
    if settings.embedded and db.is_empty(engine):
        log.info("embedded database is empty: seeding the %s demo", settings.demo_profile)
        say(strings.SERVE_CLI["seeding"].format(profile=settings.demo_profile))
        started = time.monotonic()
        seed(engine, profile=settings.demo_profile, seed=settings.demo_seed)
        say(strings.SERVE_CLI["seeded"].format(seconds=time.monotonic() - started))
    return engine


def read_engine(settings, engine: Engine) -> Engine:
    """The engine the screens' figures and the version poll read through: a read-only pool on
    ``GRIDSCREEN_READ_DATABASE_URL`` (a hot standby), or ``engine`` itself when none is set."""
    if not settings.read_database_url or settings.read_database_url == settings.database_url:
        return engine
    return db.engine_for(settings.read_database_url, read_only=True)
