"""The closed loop of an event: 上报 → 受理 → 派遣 → 处置 → 核查 → 结案, with rework (返工),
send-back (退单) and supervision (督办).

``step`` is the one definition of what an action does to a case; the ORM operations below, the
file import, the database connector and the demo generator all go through it, so every path writes
the same row and the same log.

A case known only by the times it reached each stage (a file row, a platform's case table) is
turned into its actions by ``plan_from_stages``; ``pending`` keeps the actions a stored case has
not yet been through, ``extend`` applies them, and ``record`` writes new cases with their whole
log in one go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from dashboard import strings
from dashboard.domain import categories, rollups
from dashboard import vocabulary
from dashboard.store.db import bump
from dashboard.store.models import Area, Category, Department, Event, EventLog, Supervision

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
    "settled_at",
)


class TransitionError(ValueError):
    """An action that the case's current status does not allow."""

    def __init__(self, status: str | None, action: str, message: str | None = None):
        self.status = status
        self.action = action
        self.allowed = vocabulary.allowed_actions(status)
        super().__init__(message or strings.CASE_ERRORS["not_allowed"].format(
            status=status, action=action, allowed=", ".join(self.allowed) or strings.CASE_ERRORS["nothing_allowed"]))


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
        "settled_at": None,
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
    if action not in vocabulary.TRANSITIONS or action == "report":
        raise TransitionError(state["status"], action, strings.CASE_ERRORS["unknown_action"].format(action=action))
    sources, target = vocabulary.TRANSITIONS[action]
    if state["status"] not in sources:
        raise TransitionError(state["status"], action)
    if at < state["updated_at"]:
        raise TransitionError(state["status"], action, strings.CASE_ERRORS["before_last"].format(
            at=at.isoformat(), last=state["updated_at"].isoformat()))
    s = dict(state)
    s["status"] = target
    s["updated_at"] = at
    # A closing or invalidating step is the case's last: no stage time comes after it (``at`` is
    # never before the previous step), so from ``at`` on every flag of the case is final.
    s["settled_at"] = at if target in vocabulary.FINAL_STATUSES else None
    if action == "accept":
        s["accepted_at"] = at
        if deadline is not None:
            s["deadline"] = deadline
        elif time_limit_hours is not None:
            s["deadline"] = at + timedelta(hours=time_limit_hours)
        else:  # a major category (大类) without a limit, and no ancestor's to inherit
            raise TransitionError(state["status"], action, strings.CASE_ERRORS["no_time_limit"])
    elif action == "invalidate":
        s["invalid_at"] = at
    elif action == "dispatch":
        if handler is None:
            raise TransitionError(state["status"], action, strings.CASE_ERRORS["dispatch_nobody"])
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


def state_of(event: Event) -> dict:
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
        raise ValueError(strings.CASE_ERRORS["unknown_grid"].format(code=grid_code))
    if session.get(Category, category_code) is None:
        raise ValueError(strings.CASE_ERRORS["unknown_category"].format(code=category_code))
    if source not in vocabulary.SOURCES:
        raise ValueError(strings.CASE_ERRORS["unknown_source"].format(code=source))
    if severity not in vocabulary.SEVERITIES:
        raise ValueError(strings.CASE_ERRORS["unknown_severity"].format(code=severity))
    event = Event(**_event_values(dict(ext_id=ext_id, title=title, description=description, category_code=category_code,
                                       source=source, severity=severity, grid_code=grid_code, lat=lat, lon=lon,
                                       reporter_staff_id=reporter_staff_id, photo_url=photo_url), new_state(at)))
    session.add(event)
    session.flush()
    session.add(EventLog(event_id=event.id, at=at, action="report", from_status=None, to_status="reported", actor=actor,
                         operator=operator))
    bump(session, "events")
    return event


def _event_values(fields: dict, state: dict) -> dict:
    """The row of a case: its report fields and its life-cycle ``state``."""
    anc = vocabulary.ancestors(fields["grid_code"])
    return {**fields, "community_code": anc["community"], "town_code": anc["town"], "supervised": False, **state}


def apply(session: Session, event: Event, action: str, *, at: datetime, actor: str,
          handler_code: str | None = None, note: str | None = None, operator: str | None = None,
          deadline: datetime | None = None) -> EventLog:
    """Move a case along its life cycle; refuses illegal moves with ``TransitionError``. At
    acceptance the deadline comes from the category's time limit (its own or inherited) unless
    ``deadline`` gives the county's own."""
    handler = None
    if action == "dispatch":
        if handler_code is None:
            raise TransitionError(event.status, action, strings.CASE_ERRORS["dispatch_nobody"])
        dept = session.get(Department, handler_code)
        if dept is None:
            raise ValueError(strings.CASE_ERRORS["unknown_handler"].format(code=handler_code))
        handler = (dept.code, dept.level)
    limit = None
    if action == "accept" and deadline is None:
        limit = categories.limit_of(session, event.category_code)
    before = event.status
    state = step(state_of(event), action, at, handler=handler, time_limit_hours=limit, deadline=deadline)
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
    if event.status not in vocabulary.OPEN_STATUSES:
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


# --- cases described by stage times or by another system's log --------------------------------


@dataclass(frozen=True)
class Step:
    """One action of a case's life as another system tells it: a row of a file or of a grid
    platform's case table (stage times) or status log. ``handler`` is (code, level) for a
    dispatch; ``deadline`` the county's own deadline at acceptance."""

    action: str
    at: datetime
    handler: tuple[str, str] | None = None
    deadline: datetime | None = None
    actor: str | None = None
    note: str | None = None


# The stage-time column each action sets (the projection of the log kept on the row).
STAGE_OF_ACTION = {"accept": "accepted_at", "invalidate": "invalid_at", "dispatch": "dispatched_at",
                   "dispose": "disposed_at", "verify_ok": "closed_at"}


STAGE_COLUMNS = ("reported_at", "accepted_at", "invalid_at", "dispatched_at", "deadline", "disposed_at", "closed_at")
# Reports may not come from the future (allowing for clock drift between systems).
FUTURE_SLACK = timedelta(minutes=5)


def stage_problems(stages: dict, handler: tuple[str, str] | None, now: datetime) -> list[tuple[str, str]]:
    """(column, reason) for every way the stage times of one case cannot be a life: missing or
    out-of-order stages, times in the future, an invalid case that went on, a dispatch to nobody."""
    t = {k: stages.get(k) for k in STAGE_COLUMNS}
    says = strings.STAGE_PROBLEMS
    out = []
    if t["accepted_at"] and t["invalid_at"]:
        out.append(("invalid_at", says["accepted_and_invalid"]))
    for col in STAGE_COLUMNS:
        if t[col] and col != "deadline" and t[col] > now + FUTURE_SLACK:
            out.append((col, says["future"]))
    chain = ["reported_at", "accepted_at", "dispatched_at", "disposed_at", "closed_at"]
    for i, col in enumerate(chain[1:], start=1):
        if t[col] and not t[chain[i - 1]]:
            out.append((col, says["missing_before"].format(column=chain[i - 1])))
        prev = next((t[c] for c in reversed(chain[:i]) if t[c]), None)
        if t[col] and prev and t[col] < prev:
            out.append((col, says["before_previous"]))
    if t["invalid_at"] and t["reported_at"] and t["invalid_at"] < t["reported_at"]:
        out.append(("invalid_at", says["before_report"]))
    if t["invalid_at"] and any(t[c] for c in ("dispatched_at", "disposed_at", "closed_at")):
        out.append(("invalid_at", says["invalid_went_on"]))
    if t["dispatched_at"] and handler is None:
        out.append(("handler_code", says["dispatched_nobody"]))
    if t["deadline"] and t["accepted_at"] and t["deadline"] < t["accepted_at"]:
        out.append(("deadline", says["deadline_before_accept"]))
    if t["deadline"] and not t["accepted_at"]:
        out.append(("deadline", says["deadline_unaccepted"]))
    return out


def plan_from_stages(stages: dict, handler: tuple[str, str] | None) -> list[Step]:
    """The actions a case went through, from the times it reached each stage (``accepted_at``,
    ``invalid_at``, ``dispatched_at``, ``disposed_at``, ``closed_at``; None = not reached) and
    its deadline. An invalid case was judged at intake and goes no further."""
    if stages.get("invalid_at"):
        return [Step("invalidate", stages["invalid_at"])]
    plan = []
    if stages.get("accepted_at"):
        plan.append(Step("accept", stages["accepted_at"], deadline=stages.get("deadline")))
    if stages.get("dispatched_at"):
        plan.append(Step("dispatch", stages["dispatched_at"], handler=handler))
    if stages.get("disposed_at"):
        plan.append(Step("dispose", stages["disposed_at"]))
    if stages.get("closed_at"):
        plan.append(Step("verify_ok", stages["closed_at"]))
    return plan


def replay(reported_at: datetime, plan: list[Step], time_limit_hours: float | None,
           state: dict | None = None) -> dict:
    """The state after ``plan`` (from a new case reported at ``reported_at``, or from ``state``);
    raises ``TransitionError`` / ``ValueError`` in words when the plan is not a possible life."""
    st = state or new_state(reported_at)
    for p in plan:
        st = step(st, p.action, p.at, handler=p.handler, time_limit_hours=time_limit_hours, deadline=p.deadline)
    return st


def stage_conflict(event: Event, stages: dict) -> tuple[str, str] | None:
    """(column, reason) when stage times contradict what the stored case went through: its log is
    only ever extended, never rewritten."""
    stored = {"reported_at": event.reported_at, "accepted_at": event.accepted_at, "invalid_at": event.invalid_at,
              "disposed_at": event.disposed_at, "closed_at": event.closed_at}
    for col, value in stored.items():
        if value is not None and stages.get(col) != value:
            return col, strings.STAGE_PROBLEMS["stored_time"].format(ext_id=event.ext_id, stored=value.isoformat())
    if event.accepted_at is not None and stages.get("deadline") is not None and stages["deadline"] != event.deadline:
        return "deadline", strings.STAGE_PROBLEMS["stored_deadline"].format(ext_id=event.ext_id,
                                                                           stored=event.deadline.isoformat())
    return None


def pending(event: Event, plan: list[Step]) -> list[Step]:
    """The stage-time actions of ``plan`` the stored case has not yet been through."""
    return [p for p in plan if getattr(event, STAGE_OF_ACTION[p.action]) is None]


def extend(session: Session, event: Event, plan: list[Step], *, actor: str) -> None:
    """Apply ``plan`` to a stored case, one logged action after another."""
    for p in plan:
        apply(session, event, p.action, at=p.at, actor=p.actor or actor, note=p.note,
              handler_code=p.handler[0] if p.handler else None, deadline=p.deadline if p.action == "accept" else None)


@dataclass
class NewCase:
    """A case to record with its whole life at once: the report's fields (as ``report`` takes
    them, without ``at``), the report time, and the actions that followed."""

    fields: dict
    reported_at: datetime
    plan: list[Step] = field(default_factory=list)
    time_limit_hours: float | None = None
    reporter: str | None = None  # who reported it (the log's first actor), else ``actor``
    rework_count: int | None = None  # failed verifications when the source gives their count, not their times


def record(session: Session, cases: list[NewCase], *, actor: str) -> list[int]:
    """Write new cases, each with the row and the log that ``report`` and one ``apply`` per action
    would write, in two statements for the lot (imports and the connector write thousands), and
    return their ids. Grid, category and handler codes must have been checked by the caller; an
    impossible plan raises before anything is written."""
    rows, logs = [], []
    for c in cases:
        st = new_state(c.reported_at)
        log = [dict(at=c.reported_at, action="report", from_status=None, to_status="reported",
                    actor=c.reporter or actor, handler_code=None, note=None)]
        for p in c.plan:
            before = st["status"]
            st = step(st, p.action, p.at, handler=p.handler, time_limit_hours=c.time_limit_hours, deadline=p.deadline)
            log.append(dict(at=p.at, action=p.action, from_status=before, to_status=st["status"], actor=p.actor or actor,
                            handler_code=p.handler[0] if p.handler else None, note=p.note))
        if c.rework_count is not None:
            st["rework_count"] = c.rework_count
        rows.append(_event_values({"description": "", "severity": "normal", "ext_id": None, "lat": None, "lon": None,
                                   "reporter_staff_id": None, "photo_url": None, **c.fields}, st))
        logs.append(log)
    if not cases:
        return []
    # Core inserts of the tables: one multi-row statement each, every row with every column.
    events, log_table = Event.__table__, EventLog.__table__
    ids = list(session.scalars(insert(events).returning(events.c.id, sort_by_parameter_order=True), rows))
    session.execute(insert(log_table), [dict(entry, event_id=eid) for eid, log in zip(ids, logs) for entry in log])
    rollups.add(session, ids, [eid for eid, row in zip(ids, rows) if row["settled_at"] is not None])
    bump(session, "events")
    return ids
