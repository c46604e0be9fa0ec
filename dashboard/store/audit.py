"""The audit log: who did what, when — logins (success and failure), logouts, exports,
manual warnings issued and lifted, alerts acknowledged, supervision (督办), API writes, and account changes made on the
command line. One table (``audit_log``), written through ``record``.

What goes in is about the *actor* and the *act*, never about residents: an export is recorded
with its path and filter, a supervision with the case number (not the note), a warning with its
scope and level (not the free-text reason). A failed login under a name that is no account is
recorded as unknown (people type their password into the name field).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from dashboard.store.db import transaction
from dashboard.store.models import AuditEntry
from dashboard.timeutil import now_utc

UNKNOWN_ACTOR = "?"
ACTIONS = ("login", "logout", "export", "warning.issue", "warning.lift", "alert.ack", "supervise", "api.write", "access",
           "user.add", "user.passwd", "user.disable", "user.enable", "user.revoke", "source.add", "source.remove")


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    actor: str
    actor_kind: str
    user_id: int | None
    action: str
    target: str | None
    outcome: str
    detail: dict | None
    remote_addr: str | None


def _row(*, action: str, actor: str, actor_kind: str, outcome: str = "ok", target: str | None = None,
         detail: dict | None = None, user_id: int | None = None, remote_addr: str | None = None,
         at: datetime | None = None) -> AuditEntry:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    return AuditEntry(at=at or now_utc(), actor=(actor or UNKNOWN_ACTOR)[:64], actor_kind=actor_kind[:8],
                      user_id=user_id, action=action, target=target[:300] if target else None, outcome=outcome,
                      detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
                      remote_addr=(remote_addr or None) and remote_addr[:64])


def record(where: Engine | Session, **fields) -> None:
    """Write one entry: in its own transaction (an engine), or inside the caller's (a session),
    so the entry of an API write is stored exactly when the write is."""
    row = _row(**fields)
    if isinstance(where, Session):
        where.add(row)
        return
    with transaction(where) as s:
        s.add(row)


def failures_by_target(engine: Engine, target: str, since: datetime, remote_addr: str | None = None) -> int:
    """Failed logins under one name (its hashed key, see ``auth.views.name_key``) since a moment,
    from one client address when given: the login brake, shared by every worker because it is in
    the database."""
    conditions = [AuditEntry.action == "login", AuditEntry.target == target, AuditEntry.outcome == "failed",
                  AuditEntry.at >= since]
    if remote_addr is not None:
        conditions.append(AuditEntry.remote_addr == remote_addr)
    with Session(engine) as s:
        return s.scalar(select(func.count(AuditEntry.id)).where(*conditions)) or 0


def recent(engine: Engine, limit: int = 50, action: str | None = None, actor: str | None = None) -> list[Entry]:
    with Session(engine) as s:
        stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
        if action:
            stmt = stmt.where(AuditEntry.action == action)
        if actor:
            stmt = stmt.where(AuditEntry.actor == actor)
        return [Entry(r.id, r.at, r.actor, r.actor_kind, r.user_id, r.action, r.target, r.outcome,
                      json.loads(r.detail) if r.detail else None, r.remote_addr) for r in s.scalars(stmt)]
