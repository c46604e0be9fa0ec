"""API clients and their tokens: who may write through the REST API.

A token is 32 random bytes (URL-safe base64) behind a ``gs_`` prefix, shown once when created.
Only its SHA-256 is stored: the token is high-entropy random, so a fast hash is enough (there is
nothing to brute-force) and a lookup by hash is a plain unique-index read. Revoking keeps the row,
so ``token list`` and the idempotency records still say who wrote what.

A client holds what it may write (``vocabulary.API_PERMISSIONS``) and may be limited to one town; the
API checks both on every write (``api.writes``, ``api.lookups``).
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from dashboard import strings
from dashboard.web import access
from dashboard import vocabulary
from dashboard.store.db import transaction
from dashboard.store.models import ApiClient
from dashboard.timeutil import now_utc

TOKEN_PREFIX = "gs_"
MAX_NAME = 64
MAX_TOKEN = 200
# ``last_used_at`` is refreshed at most this often, so busy clients do not rewrite their row on
# every request.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class ClientInfo:
    id: int
    name: str
    token_prefix: str
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None
    area_code: str | None = None  # the area a token is limited to (None: everything)
    permissions: frozenset[str] = frozenset(vocabulary.API_DEFAULT_PERMISSIONS)

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def may(self, permission: str) -> bool:
        return permission in self.permissions

    @property
    def principal(self) -> access.Principal:
        """Who the client is to ``access``: its name, and its area as the scope of all it reads and writes."""
        return access.Principal("token", "api", self.name, area=self.area_code)


class AuthError(Exception):
    """Why a request may not write: ``missing``, ``invalid`` (unknown token) or ``revoked``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _info(row: ApiClient) -> ClientInfo:
    return ClientInfo(row.id, row.name, row.token_prefix, row.created_at, row.revoked_at, row.last_used_at,
                      row.area_code, frozenset(p for p in (row.permissions or "").split(",") if p in vocabulary.API_PERMISSIONS))


def parse_permissions(text) -> frozenset[str]:
    """Permissions from ``report,transition`` (or an iterable of names); ``ValueError`` in words
    for an unknown one. Stored in ``vocabulary.API_PERMISSIONS`` order."""
    names = [p.strip() for p in (text.split(",") if isinstance(text, str) else text)]
    names = [p for p in names if p]
    unknown = [p for p in names if p not in vocabulary.API_PERMISSIONS]
    if unknown:
        raise ValueError(strings.TOKEN_UNKNOWN_PERMISSION.format(
            names=strings.LIST_SEP.join(unknown),
            choices=strings.LIST_SEP.join(strings.WITH_NOTE.format(text=p, note=strings.API_PERMISSION_LABELS[p])
                                          for p in vocabulary.API_PERMISSIONS)))
    return frozenset(names)


def _stored(permissions: frozenset[str]) -> str:
    return ",".join(p for p in vocabulary.API_PERMISSIONS if p in permissions)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create(engine: Engine, name: str, now: datetime | None = None, area: str | None = None,
           permissions=vocabulary.API_DEFAULT_PERMISSIONS) -> tuple[ClientInfo, str]:
    """A new client and its token (the only time the token is seen in clear); ``area``: the area
    (below the root: a town today) the token is limited to; ``permissions``: what it may write
    (names or ``a,b``)."""
    from dashboard.store.models import Area

    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise ValueError(strings.API_CLIENT_ERRORS["name"].format(n=MAX_NAME))
    granted = parse_permissions(permissions)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction(engine) as s:
        if area is not None:
            found = s.get(Area, area)
            if found is None or found.parent_code is None:
                raise ValueError(strings.USER_ERRORS["area"].format(code=area))
        row = ApiClient(name=name, token_prefix=token[:10], token_hash=hash_token(token), created_at=now or now_utc(),
                        area_code=area, permissions=_stored(granted))
        s.add(row)
        s.flush()
        return _info(row), token


def _active(name: str | None, client_id: int | None):
    """The active tokens of a client name (all of them) or one token by id."""
    if (name is None) == (client_id is None):
        raise ValueError("give a name or an id")
    stmt = select(ApiClient).where(ApiClient.revoked_at.is_(None))
    return stmt.where(ApiClient.name == name) if name is not None else stmt.where(ApiClient.id == client_id)


def revoke(engine: Engine, *, name: str | None = None, client_id: int | None = None,
           now: datetime | None = None) -> list[ClientInfo]:
    """Revoke the active tokens of a client name (all of them) or one token by id; returns them."""
    stmt = _active(name, client_id)
    with transaction(engine) as s:
        rows = s.scalars(stmt).all()
        for row in rows:
            row.revoked_at = now or now_utc()
        s.flush()
        return [_info(r) for r in rows]


def set_permissions(engine: Engine, permissions, *, name: str | None = None,
                    client_id: int | None = None) -> list[ClientInfo]:
    """Set exactly what the active tokens of a client name (or one token by id) may write."""
    stmt = _active(name, client_id)
    granted = _stored(parse_permissions(permissions))
    with transaction(engine) as s:
        rows = s.scalars(stmt).all()
        for row in rows:
            row.permissions = granted
        s.flush()
        return [_info(r) for r in rows]


def list_clients(engine: Engine) -> list[ClientInfo]:
    with Session(engine) as s:
        return [_info(r) for r in s.scalars(select(ApiClient).order_by(ApiClient.id))]


def authenticate(engine: Engine, token: str | None) -> ClientInfo:
    """The client a bearer token belongs to; ``AuthError`` when missing, unknown or revoked."""
    if not token:
        raise AuthError("missing")
    if len(token) > MAX_TOKEN:
        raise AuthError("invalid")
    with Session(engine) as s:
        row = s.scalar(select(ApiClient).where(ApiClient.token_hash == hash_token(token)))
        if row is None:
            raise AuthError("invalid")
        if row.revoked_at is not None:
            raise AuthError("revoked")
        return _info(row)


def touch(session: Session, client: ClientInfo, now: datetime) -> None:
    """Record that the client wrote, at most once per ``TOUCH_EVERY`` (inside the write's transaction)."""
    if client.last_used_at is not None and now - client.last_used_at < TOUCH_EVERY:
        return
    session.execute(update(ApiClient).where(ApiClient.id == client.id).values(last_used_at=now))
