"""Every rollup kept in the same transaction as the write that changes a case.

ORM writes (``lifecycle.report``, ``apply``, ``supervise``, the connector's field changes) are seen
by the session hooks below: a changed case is taken out of the rollups as the database still holds
it, before the flush, and put back as it is after it; a new case is added after the flush. Core
bulk inserts (``lifecycle.record``) call ``add``. ``rebuild`` makes every rollup again from
``events`` (``gridscreen db rebuild-rollups``; the demo generator calls it); ``ensure`` builds
them once for a database migrated to them.

The rollups: ``settled`` (all-time counts of cases that no longer change) and ``daycounts``
(reports and closures per local day).
"""

from __future__ import annotations

from sqlalchemy import event, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from dashboard.domain import daycounts, settled
from dashboard.store.models import DAY_ROLLUPS, Event

# What a day count depends on; a settled case's counts depend on any column.
_DAY_COLUMNS = ("reported_at", "closed_at", "town_code", "category_code")
_PENDING = "gridscreen.rollups.pending"


def _apply(conn: Connection, settled_ids: list[int], day_ids: list[int], sign: int) -> None:
    if settled_ids:
        settled.apply(conn, settled_ids, sign)
    if day_ids:
        daycounts.apply(conn, day_ids, sign)


def add(session: Session, ids: list[int], settled_ids: list[int]) -> None:
    """Count new cases written by Core statements (the hooks do not see them): ``ids`` all of
    them, ``settled_ids`` those among them that are settled."""
    _apply(session.connection(), list(settled_ids), list(ids), 1)


def rebuild(conn: Connection) -> None:
    settled.rebuild(conn)
    daycounts.rebuild(conn)


def ensure(engine: Engine) -> bool:
    """Build the rollups of a database that has cases but no rollups yet (the migration that adds
    them leaves the building to this, called by ``startup.prepare`` and ``gridscreen db upgrade``,
    so a schema step never imports the rules it would count by). True when it built them."""
    marker = DAY_ROLLUPS["hour_counts"]  # every case adds its report here: empty means unbuilt
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # two processes starting at once build them once
            conn.execute(text(f"LOCK TABLE {marker.name} IN EXCLUSIVE MODE"))
        if conn.execute(select(Event.id).limit(1)).first() is None:
            return False
        if conn.execute(select(marker.c.day).limit(1)).first() is not None:
            return False
        rebuild(conn)
        return True


def _changes(obj) -> tuple[bool, bool, bool]:
    """(whether the case was settled, whether it is now, whether its day counts change) for a case
    whose row changes in this flush; all False for anything else. (Cases are never deleted: their
    log is append-only.)"""
    if not isinstance(obj, Event) or obj.id is None:
        return False, False, False
    now = obj.settled_at  # loads the attribute if it was expired, so its history is known
    state = inspect(obj)
    if not state.modified:
        return False, False, False
    hist = state.attrs.settled_at.history
    was = any(v is not None for v in (*hist.deleted, *hist.unchanged))
    days = any(state.attrs[c].history.has_changes() for c in _DAY_COLUMNS)
    return was, now is not None, days


@event.listens_for(Session, "before_flush")
def _take_out(session: Session, _ctx, _instances) -> None:
    out_settled, back_settled, days = [], [], []
    for obj in session.dirty:
        was, now, d = _changes(obj)
        if was:
            out_settled.append(obj.id)
        if was or now:
            back_settled.append(obj.id)  # put back after the flush if it is settled then
        if d:
            days.append(obj.id)
    if out_settled or days:
        _apply(session.connection(), out_settled, days, -1)
    if back_settled or days:
        pending = session.info.setdefault(_PENDING, (set(), set()))
        pending[0].update(back_settled)
        pending[1].update(days)


@event.listens_for(Session, "after_flush")
def _put_back(session: Session, _ctx) -> None:
    settled_ids, day_ids = session.info.pop(_PENDING, (set(), set()))
    for obj in session.new:
        if isinstance(obj, Event):
            day_ids.add(obj.id)
            if obj.settled_at is not None:
                settled_ids.add(obj.id)
    # the settled ones among them (``settled.apply`` reads only settled rows)
    if settled_ids or day_ids:
        _apply(session.connection(), sorted(settled_ids), sorted(day_ids), 1)
