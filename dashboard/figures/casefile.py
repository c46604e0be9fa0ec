"""The case file (案卷) of one event: its details, the full timeline of the closed loop from the
append-only event log (with rework, send-backs and supervision), the time spent at each stage
against the deadline, and 督办 (supervising a case) for the desk. No Dash here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from dashboard import strings
from dashboard.domain import areas
from dashboard.domain import casestate
from dashboard import vocabulary
from dashboard.domain import lifecycle
from dashboard.store.db import transaction
from dashboard.store.models import Category, Department, Event, EventLog, Staff, Supervision
from dashboard.timeutil import to_utc

ACTOR_MAX = 64
NOTE_MAX = 500


@dataclass
class Stage:
    """One stage of the loop: first entered, last left (None while running), hours spent in it
    (all rounds), how many rounds, and who finished it."""

    stage: str
    start: datetime | None
    end: datetime | None
    hours: float
    rounds: int
    actor: str | None
    running: bool


def parse_id(text: str) -> int | None:
    """An event id from a URL segment: digits only, within the database's integer range."""
    if not text or not text.isdigit() or len(text) > 9:
        return None
    return int(text)


def case_file(engine, event_id: int, now: datetime) -> dict | None:
    """Everything the event page shows, or None for an unknown id. Times are aware UTC."""
    now = to_utc(now)
    with engine.connect() as conn:
        ev = conn.execute(select(Event.__table__).where(Event.id == event_id)).mappings().first()
        if ev is None:
            return None
        ev = dict(ev)
        log = [dict(r) for r in conn.execute(
            select(EventLog.id, EventLog.at, EventLog.action, EventLog.from_status, EventLog.to_status, EventLog.actor,
                   EventLog.handler_code, EventLog.note)
            .where(EventLog.event_id == event_id).order_by(EventLog.at, EventLog.id)).mappings()]
        sups = [dict(r) for r in conn.execute(
            select(Supervision.id, Supervision.at, Supervision.actor, Supervision.note)
            .where(Supervision.event_id == event_id).order_by(Supervision.at, Supervision.id)).mappings()]
        cat = conn.execute(select(Category.code, Category.name, Category.parent_code, Category.time_limit_hours)
                           .where(Category.code == ev["category_code"])).mappings().first()
        parent = None
        if cat and cat["parent_code"]:
            parent = conn.execute(select(Category.name).where(Category.code == cat["parent_code"])).scalar()
        handler_codes = {c for c in [ev["handler_code"]] + [r["handler_code"] for r in log] if c}
        handlers = dict(conn.execute(select(Department.code, Department.name)
                                     .where(Department.code.in_(handler_codes))).all()) if handler_codes else {}
        levels = dict(conn.execute(select(Department.code, Department.level)
                                   .where(Department.code.in_(handler_codes))).all()) if handler_codes else {}
        reporter = None
        if ev["reporter_staff_id"] is not None:
            reporter = conn.execute(select(Staff.name, Staff.role).where(Staff.id == ev["reporter_staff_id"])).first()
    for r in log:
        r["handler_name"] = handlers.get(r["handler_code"]) if r["handler_code"] else None
    status = ev["status"]
    st = casestate.state(ev, now)
    is_open = st.open
    deadline = ev["deadline"]
    overdue = st.overdue
    limit_hours = ((deadline - ev["accepted_at"]).total_seconds() / 3600) if deadline and ev["accepted_at"] else None
    if is_open and deadline is not None:
        remaining = (deadline - now).total_seconds() / 3600
    elif status == "closed" and deadline is not None:
        remaining = (deadline - ev["closed_at"]).total_seconds() / 3600
    else:
        remaining = None
    return {
        "event": ev,
        "category": cat["name"] if cat else ev["category_code"],
        "category_parent": parent,
        "lineage": areas.lineage(engine, ev["grid_code"]),
        "handler_name": handlers.get(ev["handler_code"]) if ev["handler_code"] else None,
        "handler_level": levels.get(ev["handler_code"]) if ev["handler_code"] else None,
        "reporter": reporter[0] if reporter else None,
        "log": log,
        "supervisions": sups,
        "timeline": timeline(log, sups),
        "stages": stages(log, now, status),
        "open": is_open,
        "overdue": overdue,
        "limit_hours": limit_hours,
        # Hours left to the deadline (open), or the margin it was closed with (closed);
        # negative = overdue / closed late.
        "remaining_hours": remaining,
        "now": now,
    }


def timeline(log: list[dict], supervisions: list[dict]) -> list[dict]:
    """The log and the supervisions in one time order: each item has ``kind`` ('log' or
    'supervise'), ``at``, ``action``, ``actor``, ``note`` and for log rows the statuses and handler."""
    items = [dict(r, kind="log") for r in log]
    items += [dict(s, kind="supervise", action="supervise", from_status=None, to_status=None, handler_code=None,
                   handler_name=None) for s in supervisions]
    # A supervision at the same moment as a transition comes after it (it reacts to the state).
    items.sort(key=lambda i: (i["at"], 0 if i["kind"] == "log" else 1, i["id"]))
    return items


def stages(log: list[dict], now: datetime, status: str) -> list[Stage]:
    """Time spent at each stage, from the log: each row's status lasts until the next row; the
    last one runs until ``now`` while the case is open (or still awaiting intake)."""
    spans: dict[str, list] = {s: [] for s in vocabulary.PHASES}
    rounds: dict[str, int] = dict.fromkeys(vocabulary.PHASES, 0)
    previous = None
    for i, row in enumerate(log):
        stage = vocabulary.PHASE_OF_STATUS.get(row["to_status"])
        if stage is not None and stage != previous:
            rounds[stage] += 1  # entering the stage again (after a send-back or a rework)
        previous = stage
        if stage is None:
            continue
        if i + 1 < len(log):
            end, finisher, running = log[i + 1]["at"], log[i + 1]["actor"], False
        elif status not in vocabulary.FINAL_STATUSES:
            end, finisher, running = now, None, True
        else:
            continue
        spans[stage].append((row["at"], end, finisher, running))
    out = []
    for s in vocabulary.PHASES:
        sp = spans[s]
        if not sp:
            continue
        hours = sum((e - b).total_seconds() for b, e, _, _ in sp) / 3600
        running = sp[-1][3]
        out.append(Stage(stage=s, start=sp[0][0], end=None if running else sp[-1][1], hours=hours, rounds=rounds[s],
                         actor=sp[-1][2], running=running))
    return out


def segments(log: list[dict], now: datetime, status: str) -> list[dict]:
    """Every stay in a stage as (stage, start, end, running), for the case's Gantt chart."""
    out = []
    for i, row in enumerate(log):
        stage = vocabulary.PHASE_OF_STATUS.get(row["to_status"])
        if stage is None:
            continue
        if i + 1 < len(log):
            out.append({"stage": stage, "start": row["at"], "end": log[i + 1]["at"], "running": False})
        elif status not in vocabulary.FINAL_STATUSES:
            out.append({"stage": stage, "start": row["at"], "end": to_utc(now), "running": True})
    return out


# --- 督办 ----------------------------------------------------------------------------------------


class SuperviseError(ValueError):
    """Why a supervision was refused, in words for the duty officer."""


def supervise(engine, event_id: int, *, actor: str, note: str, at: datetime) -> lifecycle.Supervised:
    """A duty officer supervises (督办) an open case: one ``supervisions`` row per act (the same
    officer's repeat within minutes is the same act: ``Supervised.repeated``); the case's flag and
    first time are set once, so the score counts the case once however often it is chased."""
    actor = (actor or "").strip()
    note = (note or "").strip()
    if not actor:
        raise SuperviseError(strings.SUPERVISE_NEED_ACTOR)
    if len(actor) > ACTOR_MAX:
        raise SuperviseError(strings.SUPERVISE_TOO_LONG.format(field=strings.SUPERVISE_ACTOR, n=ACTOR_MAX))
    if len(note) > NOTE_MAX:
        raise SuperviseError(strings.SUPERVISE_TOO_LONG.format(field=strings.SUPERVISE_NOTE, n=NOTE_MAX))
    with transaction(engine) as s:
        ev = s.get(Event, event_id)
        if ev is None:
            raise SuperviseError(strings.SUPERVISE_UNKNOWN)
        try:
            return lifecycle.supervise(s, ev, at=to_utc(at), actor=actor, note=note)
        except lifecycle.TransitionError:
            raise SuperviseError(strings.SUPERVISE_NOT_OPEN) from None
        except ValueError as exc:  # the life cycle's own refusal (an empty note ...), in its words
            raise SuperviseError(str(exc)) from None
