"""Idempotency keys: a retried write gets the first answer instead of writing twice.

Semantics follow the IETF draft "The Idempotency-Key HTTP Header Field": a key is scoped to the
client that sent it; the same key with the same request replays the stored response; the same key
with a different request is refused. Only successful writes are stored (a refused request writes
nothing, so retrying it corrected is a new request).

The key row is inserted **first** in the write's transaction. That one insert is the lock: on
PostgreSQL a concurrent request with the same key blocks on the unique index until the first one
commits or rolls back, then fails and replays; on SQLite the insert takes the database's write lock,
so everything the write reads afterwards is current. Keys older than ``RETENTION`` are pruned.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from dashboard.store.models import IdempotencyKey

RETENTION = timedelta(hours=24)
# Visible ASCII, 1-128 characters: UUIDs, ULIDs and the like.
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,128}")
PRUNE_EVERY_SECONDS = 600
_last_prune: list[float | None] = [None]


class KeyTaken(Exception):
    """The key is already stored for this client (raised out of the transaction that tried it)."""


@dataclass(frozen=True)
class Stored:
    method: str
    path: str
    fingerprint: str
    status: int
    body: dict
    location: str | None


def valid_key(key: str | None) -> bool:
    return key is not None and KEY_PATTERN.fullmatch(key) is not None


def fingerprint(method: str, path: str, body) -> str:
    """SHA-256 of the request: method, path and the body as canonical JSON (so key order and
    whitespace do not make two equal requests different)."""
    canonical = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{method} {path}\n{canonical}".encode("utf-8", "surrogatepass")).hexdigest()


def claim(session: Session, client_id: int, key: str, method: str, path: str, fp: str, now: datetime) -> IdempotencyKey:
    """Insert the key as the transaction's first write; ``KeyTaken`` when it is already stored."""
    row = IdempotencyKey(client_id=client_id, key=key, method=method, path=path[:200], fingerprint=fp, status_code=0,
                         response_body="", created_at=now)
    session.add(row)
    try:
        session.flush()
    except IntegrityError:
        raise KeyTaken(key) from None
    return row


def finish(row: IdempotencyKey, status: int, body: dict, location: str | None = None) -> None:
    row.status_code = status
    row.response_body = json.dumps(body, ensure_ascii=False)
    row.response_location = location


def lookup(engine: Engine, client_id: int, key: str) -> Stored | None:
    with Session(engine) as s:
        row = s.scalar(select(IdempotencyKey).where(IdempotencyKey.client_id == client_id, IdempotencyKey.key == key))
        if row is None:
            return None
        body = json.loads(row.response_body) if row.response_body else {}
        return Stored(row.method, row.path, row.fingerprint, row.status_code, body, row.response_location)


def prune(session: Session, now: datetime, force: bool = False) -> int:
    """Forget keys older than ``RETENTION`` (at most once per ``PRUNE_EVERY_SECONDS`` per process)."""
    last = _last_prune[0]
    if not force and last is not None and time.monotonic() - last < PRUNE_EVERY_SECONDS:
        return 0
    _last_prune[0] = time.monotonic()
    result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < now - RETENTION))
    return result.rowcount or 0
