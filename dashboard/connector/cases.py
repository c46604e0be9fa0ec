"""Upserting cases from a platform, their log rebuilt through ``lifecycle``.

A platform tells a case's life either by stage times on the case row (受理时间, 派遣时间 ...:
``lifecycle.plan_from_stages``) or by its own status log (one row per step, translated to our
actions). Either way the case's log here is only ever extended: the steps already stored must be
the first steps the platform tells, the later ones are applied with ``lifecycle.apply`` (new cases
are written with their whole log by ``lifecycle.record``), and a platform that contradicts what is
stored has that case refused with the reason, not rewritten.

Deletions and invalidations: a case the platform marks deleted that is still waiting for intake
is judged invalid here (无效, with a note); one already accepted is refused with the reason (a
case the screens have counted is never erased); a deleted case never seen is skipped. A case the
platform declares invalid (不予受理 ...) arrives as the invalidate step of its stages or log.

A batch of rows is checked in Python first, then written under one savepoint; should the
database refuse the batch, each row is written under its own savepoint and only the rows it
refuses are refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from dashboard import vocabulary
from dashboard.domain import lifecycle
from dashboard.store.db import bump
from dashboard.store.models import Event, EventLog
from dashboard.strings import ACTION_LABELS, CLAUSE_SEP, STATUS_LABELS
from dashboard.strings import SYNC_REFUSALS as R
from dashboard.timeutil import fmt_local
from dashboard.connector.catalogue import Known
from dashboard.connector.fields import IGNORE
from dashboard.connector.rows import Refused, Row
from dashboard.connector.source import as_utc, reason

DESCRIPTIVE = ("title", "description", "category_code", "grid_code", "source", "severity", "lat", "lon", "photo_url")


@dataclass
class LogEntry:
    action: str
    at: datetime
    handler_code: str | None = None
    actor: str | None = None
    note: str | None = None


@dataclass
class Decision:
    row: Row
    new: lifecycle.NewCase | None = None
    event: Event | None = None
    changes: dict = field(default_factory=dict)
    steps: list[lifecycle.Step] = field(default_factory=list)
    rework: int | None = None


def _when(t: datetime) -> str:
    return fmt_local(t, "%Y-%m-%d %H:%M:%S")


def _status_problem(said: str | None, life: str, stage_mode: bool) -> str | None:
    """The platform's status must be where the case's life leads (stage times cannot tell
    处置中 from 已派遣: there the two are one)."""
    if said is None or said == life or (stage_mode and said == "in_progress" and life == "dispatched"):
        return None
    return R["status"].format(said=STATUS_LABELS[said], told=R["told_stages"] if stage_mode else R["told_log"],
                              life=STATUS_LABELS[life])


class CaseWriter:
    def __init__(self, session: Session, known: Known, now: datetime, *, actor: str, zone, log_mode: bool):
        self.session = session
        self.known = known
        self.now = now
        self.actor = actor
        self.zone = zone
        self.log_mode = log_mode
        self.limits = known.limits()

    # --- deciding -------------------------------------------------------------------------------

    def write(self, rows: list[Row], logs: dict[str, list[LogEntry] | str] | None) -> tuple[int, list]:
        """(rows that changed something, [(key, reason)] refused) for one batch of rows."""
        by_key = {}
        for row in rows:  # a key twice in one batch: the later row (the newer one) counts
            by_key[row.key] = row
        rows = list(by_key.values())
        ext = {r.key: r.values.get("ext_id") or r.key for r in rows}
        existing = {e.ext_id: e for e in self.session.scalars(select(Event).where(Event.ext_id.in_(list(ext.values()))))}
        stored_logs: dict[int, list] = {}
        if self.log_mode and existing:
            for eid, action, at in self.session.execute(
                    select(EventLog.event_id, EventLog.action, EventLog.at)
                    .where(EventLog.event_id.in_([e.id for e in existing.values()]), EventLog.action != "report")
                    .order_by(EventLog.event_id, EventLog.at, EventLog.id)):
                stored_logs.setdefault(eid, []).append((action, at))
        decisions, refused = [], []
        for row in rows:
            try:
                d = self.decide(row, ext[row.key], existing.get(ext[row.key]), logs, stored_logs)
            except Refused as exc:
                refused.append((row.key, str(exc)))
                continue
            if d is not None:
                decisions.append(d)
        written, failed = self._write_all(decisions)
        return written, refused + failed

    def decide(self, row: Row, ext_id: str, event: Event | None, logs, stored_logs) -> Decision | None:
        v = row.values
        if v.get("deleted"):
            return self._deleted(row, event)
        if v["category_code"] not in self.known.catalogue:
            raise Refused(R["no_category"].format(code=v["category_code"]))
        if self.known.areas.get(v["grid_code"]) != "grid":
            raise Refused(R["no_grid"].format(code=v["grid_code"]))
        lat, lon = v.get("lat"), v.get("lon")
        if (lat is None) != (lon is None):
            raise Refused(R["lat_lon_pair"])
        if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise Refused(R["lat_lon_range"].format(lat=lat, lon=lon))
        # Only what the mapping maps; a mapped but empty severity or description means the default.
        fields = {k: v.get(k) for k in DESCRIPTIVE if k in v}
        if "severity" in fields and fields["severity"] is None:
            fields["severity"] = "normal"
        if "description" in fields and fields["description"] is None:
            fields["description"] = ""
        if "reporter" in v:
            fields["reporter_staff_id"] = self.known.staff.get(v["reporter"]) if v["reporter"] else None
        limit = self.limits.get(v["category_code"])
        if self.log_mode:
            steps, reporter = self._log_steps(row, logs)
        else:
            steps, reporter = self._stage_steps(row), None
        if event is None:
            try:
                life = lifecycle.replay(v["reported_at"], steps, limit)
            except ValueError as exc:  # TransitionError is one
                raise Refused(str(exc)) from None
            problem = _status_problem(v.get("status"), life["status"], not self.log_mode)
            if problem:
                raise Refused(problem)
            return Decision(row, new=lifecycle.NewCase(
                fields={"ext_id": ext_id, **fields}, reported_at=v["reported_at"], plan=steps, time_limit_hours=limit,
                reporter=reporter, rework_count=None if self.log_mode else v.get("rework_count")))
        return self._update(row, event, fields, steps, limit, stored_logs)

    def _deleted(self, row: Row, event: Event | None) -> Decision | None:
        if event is None or event.status == "invalid":
            return None
        if event.status != "reported":
            raise Refused(R["deleted_accepted"].format(status=STATUS_LABELS[event.status]))
        at = self.now
        if isinstance(row.mark, datetime):
            at = max(as_utc(row.mark, self.zone), event.updated_at)
        return Decision(row, event=event, steps=[lifecycle.Step("invalidate", min(at, self.now), note=R["deleted_note"])])

    def _stage_steps(self, row: Row) -> list[lifecycle.Step]:
        v = row.values
        handler = None
        if v.get("handler_code"):
            level = self.known.departments.get(v["handler_code"])
            if level is None:
                raise Refused(R["no_handler"].format(code=v["handler_code"]))
            handler = (v["handler_code"], level)
        problems = lifecycle.stage_problems(v, handler, self.now)
        if problems:
            raise Refused(CLAUSE_SEP.join(f"{col}: {why}" for col, why in problems))
        return lifecycle.plan_from_stages(v, handler)

    def _log_steps(self, row: Row, logs) -> tuple[list[lifecycle.Step], str | None]:
        entries = (logs or {}).get(row.key, [])
        if isinstance(entries, str):
            raise Refused(entries)
        steps, reporter = [], None
        for e in sorted(entries, key=lambda e: e.at):
            if e.action == IGNORE:
                continue
            if e.action == "report":
                reporter = e.actor
                continue
            handler = None
            if e.action == "dispatch":
                if not e.handler_code:
                    raise Refused(R["dispatch_nobody"].format(time=_when(e.at)))
                level = self.known.departments.get(e.handler_code)
                if level is None:
                    raise Refused(R["dispatch_unknown"].format(time=_when(e.at), code=e.handler_code))
                handler = (e.handler_code, level)
            steps.append(lifecycle.Step(e.action, e.at, handler=handler,
                                        deadline=row.values.get("deadline") if e.action == "accept" else None,
                                        actor=e.actor, note=e.note))
        return steps, reporter

    def _update(self, row: Row, event: Event, fields: dict, steps, limit, stored_logs) -> Decision | None:
        v = row.values
        if self.log_mode:
            if v["reported_at"] != event.reported_at:
                raise Refused(R["reported_differs"].format(time=_when(event.reported_at)))
            stored = stored_logs.get(event.id, [])
            for i, (action, at) in enumerate(stored):
                if i >= len(steps) or (steps[i].action, steps[i].at) != (action, at):
                    theirs = (R["log_step"].format(action=ACTION_LABELS[steps[i].action], at=_when(steps[i].at))
                              if i < len(steps) else R["log_missing"])
                    raise Refused(R["log_differs"].format(n=i + 1, stored=ACTION_LABELS[action], at=_when(at),
                                                          theirs=theirs))
            todo = steps[len(stored):]
            if v.get("deadline") is not None and event.accepted_at is not None and v["deadline"] != event.deadline:
                raise Refused(R["deadline_differs"].format(time=_when(event.deadline)))
            rework = None
        else:
            conflict = lifecycle.stage_conflict(event, v)
            if conflict:
                raise Refused(f"{conflict[0]}: {conflict[1]}")
            todo = lifecycle.pending(event, steps)
            rework = v.get("rework_count")
            rework = rework if rework is not None and rework != event.rework_count else None
        try:
            life = lifecycle.replay(event.reported_at, todo, limit, state=lifecycle.state_of(event))
        except ValueError as exc:
            raise Refused(str(exc)) from None
        problem = _status_problem(v.get("status"), life["status"], not self.log_mode)
        if problem:
            raise Refused(problem)
        changes = {k: val for k, val in fields.items() if getattr(event, k) != val}
        if "grid_code" in changes:
            anc = vocabulary.ancestors(changes["grid_code"])
            changes.update(community_code=anc["community"], town_code=anc["town"])
        if not changes and not todo and rework is None:
            return None
        return Decision(row, event=event, changes=changes, steps=todo, rework=rework)

    # --- writing --------------------------------------------------------------------------------

    def _write_all(self, decisions: list[Decision]) -> tuple[int, list]:
        if not decisions:
            return 0, []
        try:
            with self.session.begin_nested():
                self._write(decisions)
            return len(decisions), []
        except DBAPIError:
            pass  # find the rows the database refuses, and write the others
        written, refused = 0, []
        for d in decisions:
            try:
                with self.session.begin_nested():
                    self._write([d])
                written += 1
            except DBAPIError as exc:
                refused.append((d.row.key, R["database"].format(error=reason(exc))))
        return written, refused

    def _write(self, decisions: list[Decision]) -> None:
        news = [d.new for d in decisions if d.new is not None]
        if news:
            lifecycle.record(self.session, news, actor=self.actor)
        touched = False
        for d in decisions:
            if d.event is None:
                continue
            for k, val in d.changes.items():
                setattr(d.event, k, val)
                touched = True
            lifecycle.extend(self.session, d.event, d.steps, actor=self.actor)
            if d.rework is not None:
                d.event.rework_count = d.rework  # the platform gives the count, not the times, of failed checks
                touched = True
        if touched:
            bump(self.session, "events")
        self.session.flush()
