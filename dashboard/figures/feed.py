"""The rolling feed of latest activity: newest reports and closures, for the big screen."""

from __future__ import annotations

from dashboard.domain import areas

from datetime import datetime

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import aliased

from dashboard.store.models import Area, Category, Event, EventLog
from dashboard.timeutil import to_utc

FEED_ACTIONS = ("report", "verify_ok")


def latest(engine, at: datetime, area: str | None = None, limit: int = 24) -> pd.DataFrame:
    """The ``limit`` newest reports and closures up to ``at`` (inside ``area``), newest first:
    event id, time, action, status now, category name, grid name, title."""
    grid = aliased(Area)
    stmt = (
        select(EventLog.event_id.label("id"), EventLog.at, EventLog.action, Event.status, Event.title,
               Category.name.label("category"), grid.name.label("grid"), Event.severity)
        .join(Event, Event.id == EventLog.event_id)
        .join(Category, Category.code == Event.category_code)
        .join(grid, grid.code == Event.grid_code)
        .where(EventLog.action.in_(FEED_ACTIONS), EventLog.at <= to_utc(at), areas.events_within(area))
        .order_by(EventLog.at.desc(), EventLog.id.desc())
        .limit(limit)
    )
    with engine.connect() as conn:
        return pd.DataFrame(conn.execute(stmt).mappings().all(),
                            columns=["id", "at", "action", "status", "title", "category", "grid", "severity"])
