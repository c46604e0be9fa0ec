"""Accounts and their sessions. No Flask here: the web layer (``dashboard.auth``) and the
command line (``gridscreen user ...``) both call these functions.

Passwords are hashed with argon2id (argon2-cffi's defaults, RFC 9106 "low memory" profile), and
re-hashed at the next login when those parameters change. A session is a random token in the
browser's signed cookie; only its SHA-256 is stored (the token is high-entropy random, so a fast
hash is enough), which makes every session revocable and lets the server decide when it ends:

- people: ``session_hours`` after the login (one shift), whatever the cookie says;
- wall screens (``display``): ``display_session_days`` after the screen last asked, so a screen
  that keeps running stays logged in until someone revokes it (``gridscreen user revoke``).

Changing a password or disabling an account ends its sessions.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from dashboard import strings
from dashboard import vocabulary
from dashboard.store.db import transaction
from dashboard.store.models import Area, User, UserSession
from dashboard.timeutil import now_utc

ROLES = vocabulary.USER_ROLES
USERNAME = re.compile(r"^[A-Za-z0-9._-]{2,64}$")
PASSWORD_MIN = 10
PASSWORD_MAX = 256  # argon2 takes any length; this only bounds the work a request can ask for
# How often a session's ``last_seen_at`` (and a wall screen's expiry) is written: not on every poll.
TOUCH_EVERY = timedelta(minutes=5)

_hasher = PasswordHasher()
# Verified against when the username is unknown, so a wrong name costs as much time as a wrong
# password and the answer time does not tell which accounts exist.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


class AccountError(ValueError):
    """Bad input for an account: ``field`` names what was wrong, the message says it in Chinese."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: str
    area_code: str | None  # the area the account is limited to (None: everything)
    active: bool
    created_at: datetime
    password_changed_at: datetime


@dataclass(frozen=True)
class SessionInfo:
    id: int
    user: UserInfo
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime
    revoked_at: datetime | None
    sliding: bool
    renewed: bool = False  # this look slid the expiry forward: the cookie's expiry follows


def _user(row: User) -> UserInfo:
    return UserInfo(row.id, row.username, row.display_name, row.role, row.area_code, row.active, row.created_at,
                    row.password_changed_at)


def _session(row: UserSession, user: User) -> SessionInfo:
    return SessionInfo(row.id, _user(user), row.created_at, row.expires_at, row.last_seen_at, row.revoked_at,
                       row.sliding)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# --- accounts -------------------------------------------------------------------------------------


def _check_password(password: str) -> None:
    if len(password or "") < PASSWORD_MIN:
        raise AccountError("password", strings.USER_ERRORS["password_short"].format(n=PASSWORD_MIN))
    if len(password) > PASSWORD_MAX:
        raise AccountError("password", strings.USER_ERRORS["password_long"].format(n=PASSWORD_MAX))


def _check_area(s: Session, role: str, area: str | None) -> str | None:
    area = (area or "").strip() or None
    if role == "town_officer" and area is None:
        raise AccountError("area", strings.USER_ERRORS["area_needed"])
    if area is not None:
        row = s.get(Area, area)
        # Only area officers and wall screens belong to an area (below the root: the root is everything).
        if row is None or row.parent_code is None or role not in ("town_officer", "display"):
            raise AccountError("area", strings.USER_ERRORS["area"].format(code=area))
    return area


def add_user(engine: Engine, username: str, password: str, role: str, *, display_name: str | None = None,
             area: str | None = None, now: datetime | None = None) -> UserInfo:
    username = (username or "").strip()
    if not USERNAME.match(username):
        raise AccountError("username", strings.USER_ERRORS["username"])
    if role not in ROLES:
        raise AccountError("role", strings.USER_ERRORS["role"])
    name = (display_name or username).strip()
    if not name or len(name) > 64:
        raise AccountError("name", strings.USER_ERRORS["name"])
    _check_password(password)
    now = now or now_utc()
    with transaction(engine) as s:
        area = _check_area(s, role, area)
        if s.scalar(select(User.id).where(User.username == username)) is not None:
            raise AccountError("username", strings.USER_ERRORS["taken"].format(username=username))
        row = User(username=username, display_name=name, role=role, area_code=area,
                   password_hash=_hasher.hash(password), active=True, created_at=now, password_changed_at=now)
        s.add(row)
        s.flush()
        return _user(row)


def _get(s: Session, username: str) -> User:
    row = s.scalar(select(User).where(User.username == (username or "").strip()))
    if row is None:
        raise AccountError("username", strings.USER_ERRORS["unknown"].format(username=username))
    return row


def get_user(engine: Engine, username: str) -> UserInfo | None:
    with Session(engine) as s:
        row = s.scalar(select(User).where(User.username == (username or "").strip()))
        return _user(row) if row is not None else None


def set_password(engine: Engine, username: str, password: str, now: datetime | None = None) -> int:
    """A new password; every session of the account ends (returns how many)."""
    _check_password(password)
    now = now or now_utc()
    with transaction(engine) as s:
        row = _get(s, username)
        row.password_hash = _hasher.hash(password)
        row.password_changed_at = now
        return _revoke(s, row.id, now)


def set_active(engine: Engine, username: str, active: bool, now: datetime | None = None) -> int:
    """Enable or disable an account; disabling ends its sessions (returns how many)."""
    now = now or now_utc()
    with transaction(engine) as s:
        row = _get(s, username)
        row.active = active
        return 0 if active else _revoke(s, row.id, now)


def list_users(engine: Engine) -> list[UserInfo]:
    with Session(engine) as s:
        return [_user(r) for r in s.scalars(select(User).order_by(User.id))]


def authenticate(engine: Engine, username: str, password: str) -> UserInfo | None:
    """The active account with this name and password, or None (unknown, wrong, disabled)."""
    username = (username or "").strip()
    password = password or ""
    if not username or len(username) > 64 or len(password) > PASSWORD_MAX:
        _verify(_DUMMY_HASH, password[:PASSWORD_MAX])
        return None
    with Session(engine) as s:
        row = s.scalar(select(User).where(User.username == username))
        if row is None:
            _verify(_DUMMY_HASH, password)
            return None
        if not _verify(row.password_hash, password) or not row.active:
            return None
        stored = row.password_hash
    if _hasher.check_needs_rehash(stored):
        with transaction(engine) as s:
            s.execute(update(User).where(User.id == row.id, User.password_hash == stored)
                      .values(password_hash=_hasher.hash(password)))
    return _user(row)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


# --- sessions -------------------------------------------------------------------------------------


def start_session(engine: Engine, user: UserInfo, *, hours: int, display_days: int,
                  now: datetime | None = None) -> tuple[str, SessionInfo]:
    """A new session for ``user``: the token (for the cookie, never stored) and its record."""
    now = now or now_utc()
    token = secrets.token_urlsafe(32)
    sliding = user.role == "display"
    expires = now + (timedelta(days=display_days) if sliding else timedelta(hours=hours))
    with transaction(engine) as s:
        row = UserSession(token_hash=hash_token(token), user_id=user.id, created_at=now, expires_at=expires,
                          last_seen_at=now, sliding=sliding)
        s.add(row)
        s.flush()
        return token, _session(row, s.get(User, user.id))


def load_session(engine: Engine, token: str | None, *, display_days: int,
                 now: datetime | None = None) -> SessionInfo | None:
    """The live session behind a cookie's token: None when unknown, revoked, expired, or its
    account is disabled. A wall screen's expiry slides forward as it keeps asking."""
    if not token or len(token) > 200:
        return None
    now = now or now_utc()
    with Session(engine) as s:
        hit = s.execute(select(UserSession, User).join(User, User.id == UserSession.user_id)
                        .where(UserSession.token_hash == hash_token(token))).first()
        if hit is None:
            return None
        row, user = hit
        if row.revoked_at is not None or row.expires_at <= now or not user.active:
            return None
        info = _session(row, user)
    if now - info.last_seen_at >= TOUCH_EVERY:
        values = {"last_seen_at": now}
        if info.sliding:
            values["expires_at"] = now + timedelta(days=display_days)
            info = dataclasses.replace(info, expires_at=values["expires_at"], renewed=True)
        with transaction(engine) as s:
            s.execute(update(UserSession).where(UserSession.id == info.id).values(**values))
    return info


def end_session(engine: Engine, token: str | None, now: datetime | None = None) -> None:
    """Logout: the session stops working at once, whoever holds a copy of the cookie."""
    if not token:
        return
    with transaction(engine) as s:
        s.execute(update(UserSession).where(UserSession.token_hash == hash_token(token),
                                            UserSession.revoked_at.is_(None)).values(revoked_at=now or now_utc()))


def _revoke(s: Session, user_id: int, now: datetime) -> int:
    res = s.execute(update(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None),
                                              UserSession.expires_at > now).values(revoked_at=now))
    return res.rowcount or 0


def revoke_sessions(engine: Engine, username: str, now: datetime | None = None) -> int:
    """End every live session of an account (e.g. a wall screen that was moved or lost)."""
    now = now or now_utc()
    with transaction(engine) as s:
        return _revoke(s, _get(s, username).id, now)


def list_sessions(engine: Engine, username: str | None = None, now: datetime | None = None) -> list[SessionInfo]:
    """Live sessions (all accounts, or one), newest first."""
    now = now or now_utc()
    with Session(engine) as s:
        stmt = (select(UserSession, User).join(User, User.id == UserSession.user_id)
                .where(UserSession.revoked_at.is_(None), UserSession.expires_at > now, User.active.is_(True))
                .order_by(UserSession.id.desc()))
        if username is not None:
            stmt = stmt.where(User.username == username)
        return [_session(r, u) for r, u in s.execute(stmt)]
