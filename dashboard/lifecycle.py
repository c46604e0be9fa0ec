"""The closed loop of an event: 上报 → 受理 → 派遣 → 处置 → 核查 → 结案, with rework (返工),
send-back (退单) and supervision (督办).

``step`` is the one definition of what an action does to a case; the ORM operations below, the
file import and the demo generator all go through it, so every path writes the same row and the
same log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from . import domain, strings
from .db import bump
from .models import Area, Category, Department, Event, EventLog, Supervision

STATE_FIELDS = (
    "status",
    "accepted_at",
    "invalid_at",
    "dispatched_at",
    "disposed_at",
    "closed_at",
    "deadline",
    "handler_code",
    "handler_level",
    "rework_count",
    "sendback_count",
    "updated_at",
)


class TransitionError(ValueError):
    """An action that the case's current status does not allow."""

    def __init__(self, status: str | None, action: str, message: str | None = None):
        self.status = status
        self.action = action
        self.allowed = domain.allowed_actions(status)
        super().__init__(message or f"状态“{status}”下不能执行“{action}”，允许的操作: {', '.join(self.allowed) or '无'}")


def new_state(reported_at: datetime) -> dict:
    return {
        "status": "reported",
        "reported_at": reported_at,
        "accepted_at": None,
        "invalid_at": None,
        "dispatched_at": None,
        "disposed_at": None,
        "closed_at": None,
        "deadline": None,
        "handler_code": None,
        "handler_level": None,
        "rework_count": 0,
        "sendback_count": 0,
        "updated_at": reported_at,
    }


def step(
    state: dict,
    action: str,
    at: datetime,
    *,
    handler: tuple[str, str] | None = None,
    time_limit_hours: float | None = None,
    deadline: datetime | None = None,
) -> dict:
    """The state after ``action`` at ``at``. ``handler`` is (code, level) for a dispatch; the
    deadline is set at acceptance from the category's time limit unless given."""
    if action not in domain.TRANSITIONS or action == "report":
        raise TransitionError(state["status"], action, f"未知操作“{action}”")
    sources, target = domain.TRANSITIONS[action]
    if state["status"] not in sources:
        raise TransitionError(state["status"], action)
    if at < state["updated_at"]:
        raise TransitionError(state["status"], action, f"操作时间 {at.isoformat()} 早于上一步 {state['updated_at'].isoformat()}")
    s = dict(state)
    s["status"] = target
    s["updated_at"] = at
    if action == "accept":
        s["accepted_at"] = at
        if deadline is not None:
            s["deadline"] = deadline
        elif time_limit_hours is not None:
            s["deadline"] = at + timedelta(hours=time_limit_hours)
        else:
            raise ValueError("受理需要类别的办理时限以确定截止时间")
    elif action == "invalidate":
        s["invalid_at"] = at
    elif action == "dispatch":
        if handler is None:
            raise TransitionError(state["status"], action, "派遣必须指定处置单位")
        s["handler_code"], s["handler_level"] = handler
        s["dispatched_at"] = at
    elif action == "dispose":
        s["disposed_at"] = at
    elif action == "verify_ok":
        s["closed_at"] = at
    elif action == "verify_fail":
        s["rework_count"] += 1
        s["dispatched_at"] = at
    elif action == "send_back":
        s["sendback_count"] += 1
    return s


# --- ORM operations ------------------------------------------------------------------------------


def _state_of(event: Event) -> dict:
    st = {f: getattr(event, f) for f in STATE_FIELDS}
    st["reported_at"] = event.reported_at
    return st


def report(
    session: Session,
    *,
    title: str,
    category_code: str,
    source: str,
    grid_code: str,
    at: datetime,
    actor: str,
    description: str = "",
    severity: str = "normal",
    lat: float | None = None,
    lon: float | None = None,
    reporter_staff_id: int | None = None,
    photo_url: str | None = None,
    ext_id: str | None = None,
    operator: str | None = None,
) -> Event:
    """上报: a new case in status 'reported', with its first log row. ``actor`` is who wrote it (an
    account, an API client); ``operator``, the API client's own operator, when it names one."""
    grid = session.get(Area, grid_code)
    if grid is None or grid.level != "grid":
        raise ValueError(f"未知网格 {grid_code!r}")
    if session.get(Category, category_code) is None:
        raise ValueError(f"未知事件类别 {category_code!r}")
    if source not in domain.SOURCES:
        raise ValueError(f"未知来源 {source!r}")
    if severity not in domain.SEVERITIES:
        raise ValueError(f"未知紧急程度 {severity!r}")
    anc = domain.ancestors(grid_code)
    state = new_state(at)
    event = Event(
        ext_id=ext_id,
        title=title,
        description=description,
        category_code=category_code,
        source=source,
        severity=severity,
        grid_code=grid_code,
        community_code=anc["community"],
        town_code=anc["town"],
        lat=lat,
        lon=lon,
        reporter_staff_id=reporter_staff_id,
        photo_url=photo_url,
        supervised=False,
        **{k: v for k, v in state.items() if k != "reported_at"},
        reported_at=at,
    )
    session.add(event)
    session.flush()
    session.add(EventLog(event_id=event.id, at=at, action="report", from_status=None, to_status="reported", actor=actor,
                         operator=operator))
    bump(session, "events")
    return event


def apply(session: Session, event: Event, action: str, *, at: datetime, actor: str,
          handler_code: str | None = None, note: str | None = None, operator: str | None = None) -> EventLog:
    """Move a case along its life cycle; refuses illegal moves with ``TransitionError``."""
    handler = None
    if action == "dispatch":
        if handler_code is None:
            raise TransitionError(event.status, action, "派遣必须指定处置单位")
        dept = session.get(Department, handler_code)
        if dept is None:
            raise ValueError(f"未知处置单位 {handler_code!r}")
        handler = (dept.code, dept.level)
    limit = None
    if action == "accept":
        limit = session.scalar(select(Category.time_limit_hours).where(Category.code == event.category_code))
    before = event.status
    state = step(_state_of(event), action, at, handler=handler, time_limit_hours=limit)
    for f in STATE_FIELDS:
        setattr(event, f, state[f])
    entry = EventLog(event_id=event.id, at=at, action=action, from_status=before, to_status=state["status"],
                     actor=actor, handler_code=handler[0] if handler else None, note=note, operator=operator)
    session.add(entry)
    bump(session, "events")
    return entry


# The same officer chasing the same case again within this window (a double click, a retry after
# a slow answer, a second desk tab) is the same supervision, not a second one: the score counts
# supervisions, so a duplicate would weigh on the department twice.
SUPERVISE_REPEAT_WINDOW = timedelta(minutes=10)


class SuperviseRefused(ValueError):
    """督办 refused for a reason the officer can fix (an empty note): the message says which, in
    words to show as they are. (Not a ``TransitionError``: the case's status allows it.)"""


@dataclass(frozen=True)
class Supervised:
    """The supervision a 督办 stands for; ``repeated``: it is an earlier one of the same officer
    (within ``SUPERVISE_REPEAT_WINDOW``), returned instead of writing a second (nothing changed, so
    nothing to audit)."""

    row: Supervision
    repeated: bool


def supervise(session: Session, event: Event, *, at: datetime, actor: str, note: str,
              operator: str | None = None) -> Supervised:
    """督办 an open, valid case, with a note saying what is asked (required). The first time sets the
    case's flag; each later one adds a row, unless it repeats the same officer's (``actor`` and
    ``operator``) within ``SUPERVISE_REPEAT_WINDOW``, which is returned as it is."""
    if event.status not in domain.OPEN_STATUSES:
        raise TransitionError(event.status, "supervise", strings.SUPERVISE_NOT_OPEN)
    note = (note or "").strip()
    if not note:
        raise SuperviseRefused(strings.SUPERVISE_NEED_NOTE)
    earlier = session.scalar(
        select(Supervision).where(Supervision.event_id == event.id, Supervision.actor == actor,
                                  Supervision.operator.is_(None) if operator is None else Supervision.operator == operator,
                                  Supervision.at > at - SUPERVISE_REPEAT_WINDOW, Supervision.at <= at)
        .order_by(Supervision.at.desc(), Supervision.id.desc()).limit(1))
    if earlier is not None:
        return Supervised(earlier, repeated=True)
    row = Supervision(event_id=event.id, at=at, actor=actor, note=note, operator=operator)
    session.add(row)
    if not event.supervised:
        event.supervised = True
        event.supervised_at = at
    event.updated_at = max(event.updated_at, at)
    bump(session, "events")
    return Supervised(row, repeated=False)
