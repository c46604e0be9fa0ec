"""Alerts: what the big screen keeps in front of the room until a duty officer acknowledges it.

Two things raise one (``vocabulary.ALERT_KINDS``):

- ``case``: a new major or urgent report (``vocabulary.ALERT_SEVERITIES``) — reported within
  ``CASE_LOOKBACK`` and still unresolved when the runner looks (a case judged invalid or closed
  before anyone looked is no longer news). Level 1 for urgent, 2 for major.
- ``grid``: a grid entering Ⅰ or Ⅱ — unless only its major/urgent cases put it there and they
  raised alerts of their own (the same news is said once). The *episode* is the stored level change at which the grid
  entered the band it is in now (Ⅰ, or Ⅰ–Ⅱ): entering Ⅱ raises one, escalating Ⅱ→Ⅰ raises
  another, easing Ⅰ→Ⅱ raises none, and leaving for Ⅲ, Ⅳ or normal ends the episode (the next
  entry raises again).

Raising is the runner's (``run_forever``; screens only read) and idempotent: the table's unique
key (kind, subject, episode) stores each case and each episode once, however often or from how
many processes it is looked for. The words are made from the data when the alert is raised
(``strings.ALERT_TEXT``), plain text, never markup.

Acknowledging (``acknowledge``) is a duty officer's act: the first acknowledgement is stored (who,
when) and the caller's ``on_stored`` (the audit entry) runs in the same transaction; a second
click, from this screen or another at the same moment, finds it acknowledged and stores nothing.
Raising and acknowledging bump the ``warnings`` data version, so every open screen follows.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, insert, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from dashboard import strings, vocabulary
from dashboard.domain import areas, casestate
from dashboard.store import db
from dashboard.store.models import Alert, Area, Event, GridWarningState, WarningHistory
from dashboard.timeutil import now_utc, to_utc

log = logging.getLogger(__name__)

CASE_LOOKBACK = timedelta(hours=24)
CASE_LEVEL = {sev: i + 1 for i, sev in enumerate(vocabulary.ALERT_SEVERITIES)}  # urgent 1, major 2
GRID_LEVELS = (1, 2)
TEXT_MAX = 300
REASONS_SHOWN = 2  # a grid alert names its first reasons; the board and the grid page hold them all


def badge(kind: str, level: int) -> str:
    """The alert's level in a word: the case's severity (紧急, 重大) or the grid's level (Ⅰ级)."""
    if kind == "case":
        return strings.SEVERITY_LABELS[next(s for s, lv in CASE_LEVEL.items() if lv == level)]
    return strings.WARNING_LEVEL_NAMES[level]


def _severity(level: int) -> int:
    """A level's rank, normal last (0 is normal, 1 most severe)."""
    return level if level else 9


# --- raising -------------------------------------------------------------------------------------


def _place(town: str | None, grid: str | None) -> str:
    return strings.ALERT_PLACE.format(town=town or "", grid=grid or "")


def _new_cases(conn, now: datetime) -> list[dict]:
    c = casestate.Case(now)
    grid, town = aliased(Area), aliased(Area)
    stmt = (select(Event.id, Event.title, Event.severity, Event.grid_code, grid.name, town.name)
            .join(grid, grid.code == Event.grid_code)
            .join(town, town.code == Event.town_code, isouter=True)
            .where(Event.severity.in_(vocabulary.ALERT_SEVERITIES), Event.reported_at > now - CASE_LOOKBACK,
                   c.unresolved,
                   ~exists().where(Alert.kind == "case", Alert.event_id == Event.id))
            .order_by(Event.reported_at, Event.id))
    out = []
    for eid, title, severity, grid_code, grid_name, town_name in conn.execute(stmt):
        text = strings.ALERT_TEXT["case"].format(title=title, place=_place(town_name, grid_name))
        out.append({"kind": "case", "subject": str(eid), "episode": "", "grid_code": grid_code, "event_id": eid,
                    "level": CASE_LEVEL[severity], "text": text[:TEXT_MAX]})
    return out


def episode_start(history: list[tuple[int, int, int]], level: int) -> int | None:
    """The id of the level change at which a grid now at ``level`` entered its band: the latest
    of ``history`` — (id, old level, new level), oldest first — that went from outside the band
    (less severe, or normal) to inside it (``level`` or worse). None when no change is stored."""
    start = None
    for hid, old, new in history:
        if _severity(new) <= level < _severity(old):
            start = hid
    return start


def _new_grid_episodes(conn, now: datetime) -> list[dict]:
    grid, town = aliased(Area), aliased(Area)
    community = aliased(Area)
    # Grids in Ⅰ/Ⅱ whose level changed since their last alert (the others have theirs).
    raised_since = exists().where(Alert.kind == "grid", Alert.subject == GridWarningState.grid_code,
                                  Alert.raised_at >= GridWarningState.since)
    hot = conn.execute(
        select(GridWarningState.grid_code, GridWarningState.level, GridWarningState.since, GridWarningState.reasons,
               grid.name, town.name)
        .join(grid, grid.code == GridWarningState.grid_code)
        .join(community, community.code == grid.parent_code, isouter=True)
        .join(town, town.code == community.parent_code, isouter=True)
        .where(GridWarningState.level.in_(GRID_LEVELS), ~raised_since)).all()
    if not hot:
        return []
    history: dict[str, list] = {}
    for code, hid, old, new in conn.execute(
            select(WarningHistory.grid_code, WarningHistory.id, WarningHistory.old_level, WarningHistory.new_level)
            .where(WarningHistory.grid_code.in_([h[0] for h in hot]), WarningHistory.new_level.in_(GRID_LEVELS))
            .order_by(WarningHistory.at, WarningHistory.id)):
        history.setdefault(code, []).append((hid, old, new))
    # Grids whose major/urgent cases raised alerts of their own: a level due to those cases alone
    # is the same news, said once (the case names it; the grid pulses anyway).
    case_alerted = set(conn.execute(select(Alert.grid_code).where(
        Alert.kind == "case", Alert.grid_code.in_([h[0] for h in hot]),
        Alert.raised_at >= now - CASE_LOOKBACK)).scalars())
    out = []
    for code, level, since, reasons, grid_name, town_name in hot:
        try:
            items = [r for r in json.loads(reasons or "[]") if isinstance(r, dict)]
        except (TypeError, ValueError):
            items = []
        at_level = [r for r in items if r.get("level") == level]
        if code in case_alerted and at_level and all(r.get("signal") == "major" for r in at_level):
            continue
        start = episode_start(history.get(code, []), level)
        episode = f"h{start}" if start is not None else "s" + to_utc(since).strftime("%Y%m%dT%H%M%S")
        words = [str(r.get("text", "")) for r in items][:REASONS_SHOWN]
        text = strings.ALERT_TEXT["grid"].format(place=_place(town_name, grid_name),
                                                 level=strings.WARNING_LEVEL_LABELS[level],
                                                 reasons=strings.CLAUSE_SEP.join(words) or "—")
        out.append({"kind": "grid", "subject": code, "episode": episode, "grid_code": code, "event_id": None,
                    "level": int(level), "text": text[:TEXT_MAX]})
    return out


def _insert_once(session: Session, row: dict) -> bool:
    """Store ``row`` unless its (kind, subject, episode) is stored: True when this call stored it."""
    dialect = session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        else:
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        stmt = (dialect_insert(Alert).values(**row).on_conflict_do_nothing(index_elements=["kind", "subject", "episode"])
                .returning(Alert.id))
        return session.connection().execute(stmt).scalar() is not None
    try:
        with session.begin_nested():
            session.connection().execute(insert(Alert).values(**row))
        return True
    except IntegrityError:
        return False


def raise_due(engine: Engine, now: datetime | None = None) -> int:
    """Raise the alerts due as of ``now``: new major/urgent cases, grids that entered Ⅰ/Ⅱ.
    Returns how many this call stored (0 when all were stored already)."""
    now = to_utc(now or now_utc())
    stored = 0
    for find in (_new_cases, _new_grid_episodes):  # cases first: a grid's level due to them is theirs
        with engine.connect() as conn:
            rows = find(conn, now)
        if not rows:
            continue
        with db.transaction(engine) as s:
            n = sum(_insert_once(s, {**row, "raised_at": now}) for row in rows)
            if n:
                db.bump(s, "warnings")
        stored += n
    return stored


def run_forever(engine: Engine, every: float, *, clock: Callable[[], datetime] = now_utc,
                stop: threading.Event | None = None) -> None:
    """The runner's loop: look every ``every`` seconds when the events or the warnings moved."""
    stop = stop or threading.Event()
    seen = None
    while not stop.is_set():
        try:
            v = db.versions(engine)
            key = (v.get("events"), v.get("warnings"))
            if key != seen:
                raise_due(engine, clock())
                seen = (key[0], db.versions(engine).get("warnings"))
        except Exception:
            log.exception("raising alerts failed; trying again in %s s", every)
        stop.wait(every)


# --- reading and acknowledging -------------------------------------------------------------------


@dataclass(frozen=True)
class Shown:
    """Unacknowledged alerts as screens read them: ``items`` most severe first, then newest;
    ``total`` how many there are."""

    items: list[dict]
    total: int


def unacknowledged(engine: Engine, area: str | None = None, limit: int = 20) -> Shown:
    """The unacknowledged alerts inside ``area`` (None: everywhere): id, kind, level, text, grid,
    event id, raised at."""
    where = and_(Alert.acknowledged_at.is_(None), areas.within(area, Alert.grid_code))
    with engine.connect() as conn:
        total = conn.execute(select(func.count(Alert.id)).where(where)).scalar() or 0
        rows = conn.execute(select(Alert.id, Alert.kind, Alert.level, Alert.text, Alert.grid_code, Alert.event_id,
                                   Alert.raised_at)
                            .where(where).order_by(Alert.level, Alert.raised_at.desc(), Alert.id.desc())
                            .limit(limit)).mappings().all()
    return Shown([dict(r) for r in rows], int(total))


ACKNOWLEDGED, ALREADY, MISSING = "acknowledged", "already", "missing"


def acknowledge(engine: Engine, alert_id: int, by: str, now: datetime, *, area: str | None = None,
                on_stored: Callable[[Session, Alert], None] | None = None) -> str:
    """Acknowledge an alert inside ``area`` in ``by``'s name: ``ACKNOWLEDGED`` when this call
    stored it (``on_stored`` ran in its transaction), ``ALREADY`` when someone had (nothing
    stored), ``MISSING`` when there is no such alert in ``area``."""
    with db.transaction(engine) as s:
        # The write comes first: of two acknowledgements at once, the second waits for the first
        # and then finds nothing left to acknowledge.
        done = s.execute(update(Alert).where(Alert.id == alert_id, Alert.acknowledged_at.is_(None),
                                             areas.within(area, Alert.grid_code))
                         .values(acknowledged_at=to_utc(now), acknowledged_by=by[:64])
                         .execution_options(synchronize_session=False)).rowcount
        if done != 1:
            found = s.scalar(select(Alert.id).where(Alert.id == alert_id, areas.within(area, Alert.grid_code)))
            return MISSING if found is None else ALREADY
        db.bump(s, "warnings")
        if on_stored is not None:
            on_stored(s, s.get(Alert, alert_id))
    return ACKNOWLEDGED


def acknowledged(engine: Engine, alert_id: int) -> tuple[str | None, datetime | None]:
    """Who acknowledged an alert, and when (None, None while it stands)."""
    with engine.connect() as conn:
        row = conn.execute(select(Alert.acknowledged_by, Alert.acknowledged_at).where(Alert.id == alert_id)).first()
    return (row[0], row[1]) if row else (None, None)
