"""Store an evaluation: hold time, current state, history, computed episodes. Idempotent.

``apply`` is the one place where levels change. Per grid, the engine's own level (``auto_level``)
rises at once and falls only after the lower level has held for ``hold_hours``; the shown level
is the worse of it and the manual floor, which starts and ends exactly with the manual warning.
Only what changed is written: a state row per grid above normal, a history row per change of the
shown level, and one ``warnings`` row (``kind='computed'``) per stretch of the engine's level,
lifted when that level changes. The ``warnings`` data version moves only when something changed.

Several web workers may call ``run_once`` at the same moment: on PostgreSQL a transaction-scoped
advisory lock lets one store while the others skip; on SQLite the first statement takes the
database's write lock, so the second waits and then finds the state already current.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from dashboard import strings
from dashboard.store import db
from dashboard.store.models import GridWarningState, Warning, WarningHistory, WarningRun
from dashboard.timeutil import fmt_local, to_utc
from dashboard.warnings.evaluate import Evaluation, evaluate, reason, reasons_json, sort_reasons
from dashboard.warnings.rules import Rules

# Any 64-bit number unique to this lock; "GSWARN" in ASCII.
ADVISORY_LOCK_KEY = 0x475357_41524E


@dataclass
class StoreResult:
    as_of: datetime
    stored: bool  # False: skipped (another worker holds the lock, or a later moment is stored)
    changed_grids: int = 0
    history_rows: int = 0
    counts: dict[int, int] = field(default_factory=dict)
    skipped_reason: str = ""

    @property
    def changed(self) -> bool:
        return self.changed_grids > 0 or self.history_rows > 0


def _lock(session: Session) -> bool:
    """Serialise writers. False: another process is storing right now (PostgreSQL only)."""
    if session.bind.dialect.name == "postgresql":
        return bool(session.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY}).scalar())
    # SQLite: a write as the first statement takes the database's write lock for the transaction.
    session.execute(update(WarningRun).where(WarningRun.id == 1).values(id=1))
    return True


def _loads(s: str | None) -> list:
    try:
        return json.loads(s or "[]")
    except ValueError:
        return []


def _hold_note(level: int, until: datetime, to_level: int) -> dict:
    return reason("hold", level, strings.REASON_HOLD.format(until=fmt_local(until, "%m-%d %H:%M"),
                                                            level=strings.WARNING_LEVEL_LABELS[to_level]))


def apply(session: Session, ev: Evaluation, events_version: int | None = None) -> StoreResult:
    """Fold ``ev`` into the stored state inside ``session``'s transaction (lock already held)."""
    t = ev.as_of
    hold = timedelta(hours=ev.rules.hold_hours)
    # Plain rows, not ORM objects: at city scale thousands of grids may be above normal.
    prev = {r.grid_code: r for r in session.execute(select(*GridWarningState.__table__.c))}
    df = ev.grids
    hot_df = df[(df["auto_level"] > 0) | (df["manual_level"] > 0)]
    auto_of = dict(zip(hot_df.index, hot_df["auto_level"].tolist()))
    manual_of = dict(zip(hot_df.index, hot_df["manual_level"].tolist()))
    result = StoreResult(t, True)

    for code in sorted(set(auto_of) | set(prev)):
        p = prev.get(code)
        # grids no longer above normal (or gone from the map) read as 0
        a, m = int(auto_of.get(code, 0)), int(manual_of.get(code, 0))
        a_reasons = ev.auto_reasons.get(code, [])
        prev_auto = p.auto_level if p else 0
        pending_level = pending_since = None
        auto_since = p.auto_since if p else None
        if a != 0 and (prev_auto == 0 or a <= prev_auto):  # as severe or worse: at once
            held, held_reasons = a, a_reasons
        elif prev_auto != 0:  # less severe: wait out the hold time
            started = p.pending_since or t
            if t - started >= hold:
                held, held_reasons = a, a_reasons
            else:
                held = prev_auto
                held_reasons = [r for r in _loads(p.auto_reasons) if r.get("signal") != "hold"]
                held_reasons.append(_hold_note(held, started + hold, a))
                pending_level, pending_since = a, started
        else:
            held, held_reasons = 0, []
        if held != prev_auto:
            auto_since = t if held else None
        level = min(held, m) if held and m else (held or m)
        auto_json = reasons_json(held_reasons)
        manual_reasons = ev.manual_reasons.get(code, [])
        reasons = reasons_json(held_reasons + manual_reasons) if manual_reasons else auto_json

        # The engine's episode in ``warnings``: one row per stretch of its level.
        warning_id = p.computed_warning_id if p else None
        if held != prev_auto:
            if warning_id is not None:
                session.execute(update(Warning).where(Warning.id == warning_id).values(lifted_at=t))
                warning_id = None
            if held:
                warning_id = session.execute(
                    insert(Warning).values(scope_code=code, level=held, kind="computed", reasons=json.dumps(
                        [r["text"] for r in sort_reasons(held_reasons)], ensure_ascii=False), issued_at=t,
                        issued_by=strings.WARNING_ENGINE_ACTOR).returning(Warning.id)).scalar_one()
        elif warning_id is not None and p.auto_reasons != auto_json:
            session.execute(update(Warning).where(Warning.id == warning_id).values(
                reasons=json.dumps([r["text"] for r in sort_reasons(held_reasons)], ensure_ascii=False)))

        old_level = p.level if p else 0
        if level != old_level:
            session.add(WarningHistory(grid_code=code, at=t, old_level=old_level, new_level=level, reasons=reasons))
            result.history_rows += 1
        if level == 0:
            if p is not None:
                session.execute(delete(GridWarningState).where(GridWarningState.grid_code == code))
                result.changed_grids += 1
            continue
        values = dict(level=level, reasons=reasons, auto_level=held, auto_since=auto_since, auto_reasons=auto_json,
                      manual_level=m, pending_level=pending_level, pending_since=pending_since,
                      computed_warning_id=warning_id)
        if p is None:
            session.add(GridWarningState(grid_code=code, since=t, updated_at=t, **values))
            result.changed_grids += 1
        elif any(getattr(p, k) != v for k, v in values.items()):
            if level != old_level:
                values["since"] = t
            session.execute(update(GridWarningState).where(GridWarningState.grid_code == code).values(updated_at=t, **values))
            result.changed_grids += 1

    session.execute(update(WarningRun).where(WarningRun.id == 1).values(
        evaluated_at=t, rules_digest=ev.rules.digest,
        **({"events_version": events_version} if events_version is not None else {})))
    if result.changed:
        db.bump(session, "warnings")
    session.flush()
    result.counts = ev.counts()
    return result


def last_run(engine: Engine) -> WarningRun | None:
    with Session(engine) as s:
        return s.get(WarningRun, 1)


def run_once(engine: Engine, rules: Rules, as_of: datetime) -> StoreResult:
    """Evaluate every grid as of ``as_of`` and store what changed. Safe to call from several
    processes; a moment earlier than the one already stored is refused (skipped), since the
    hold-time bookkeeping only moves forward."""
    t = to_utc(as_of)
    events_version = db.versions(engine).get("events")
    ev = evaluate(engine, rules, t)
    with db.transaction(engine) as s:
        if not _lock(s):
            return StoreResult(t, False, skipped_reason="locked")
        run = s.get(WarningRun, 1)
        if run is not None and run.evaluated_at is not None and run.evaluated_at > t:
            return StoreResult(t, False, skipped_reason="stale")
        return apply(s, ev, events_version)


def replay(engine: Engine, rules: Rules, start: datetime, end: datetime, step: timedelta) -> list[StoreResult]:
    """Store evaluations at ``start``, ``start + step`` … ``end`` (inclusive): fills history as if
    the engine had been running (used by the demo seed)."""
    out = []
    t = to_utc(start)
    end = to_utc(end)
    while t < end:
        out.append(run_once(engine, rules, t))
        t += step
    out.append(run_once(engine, rules, end))
    return out
