"""SQLAlchemy 2.x models: the governance database.

Times are stored as naive UTC (``UTCDateTime``) so SQLite and PostgreSQL hold the same values and
SQL bucketing into Asia/Shanghai days is a fixed +8 h (see ``sqlfuncs``). The schema itself is
created by Alembic (``dashboard/migrations``); a test checks that the migrations and these models
agree.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from dashboard import vocabulary

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, naive UTC in the database, aware UTC out."""

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: give an aware datetime (UTC or Asia/Shanghai)")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):  # raw SQLite text from an aggregate such as max()
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=timezone.utc)


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Area(Base):
    """County, town (镇/街道/开发区), community (社区/村) or grid (网格).

    Codes follow the national pattern: a child's code is its parent's code plus three digits
    (county 6, town 9, community 12, grid 15 digits), so ``code LIKE 'town%'`` selects a subtree.
    """

    __tablename__ = "areas"
    __table_args__ = (CheckConstraint(_in("level", vocabulary.AREA_LEVELS), name="level"),)

    code: Mapped[str] = mapped_column(String(15), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(12), index=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"), index=True)
    # GeoJSON geometry (Polygon or MultiPolygon), WGS-84 / CGCS2000 longitude-latitude.
    geometry: Mapped[str | None] = mapped_column(Text)
    centroid_lon: Mapped[float | None] = mapped_column(Float)
    centroid_lat: Mapped[float | None] = mapped_column(Float)
    # Grid-level aggregates; upper levels are sums over their grids.
    households: Mapped[int] = mapped_column(Integer, default=0)
    houses: Mapped[int] = mapped_column(Integer, default=0)
    population: Mapped[int] = mapped_column(Integer, default=0)


class GridStat(Base):
    """Population and housing counts of one grid by tag. Counts only: never residents' names."""

    __tablename__ = "grid_stats"
    __table_args__ = (CheckConstraint(_in("dimension", vocabulary.STAT_DIMENSIONS), name="dimension"),)

    grid_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True)
    dimension: Mapped[str] = mapped_column(String(12), primary_key=True)
    tag: Mapped[str] = mapped_column(String(24), primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


class Staff(Base):
    """A member of a grid's 1+1+N team. Phones are stored masked only."""

    __tablename__ = "staff"
    __table_args__ = (CheckConstraint(_in("role", vocabulary.STAFF_ROLES), name="role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    name: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(16), index=True)
    phone_masked: Mapped[str | None] = mapped_column(String(16))
    # Last heartbeat of the mobile app (grid workers); online = seen within the last 10 minutes.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # The member's key in the county's grid platform (connector sources); unique when given.
    ext_id: Mapped[str | None] = mapped_column(String(64), unique=True)


class Department(Base):
    """A handler: one of the county departments, or a town / community / grid handling a case itself.

    Area handlers carry the area's code and ``area_code``; county departments have their own codes.
    """

    __tablename__ = "departments"
    __table_args__ = (CheckConstraint(_in("level", vocabulary.HANDLER_LEVELS), name="level"),)

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(20), index=True)
    area_code: Mapped[str | None] = mapped_column(ForeignKey("areas.code"), index=True)


class Category(Base):
    __tablename__ = "categories"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("categories.code"))
    # Major (重大) categories: their open events are a red-level warning signal.
    is_major: Mapped[bool] = mapped_column(Boolean, default=False)
    # Disputes (矛盾纠纷): open and ageing ones are a warning signal.
    is_dispute: Mapped[bool] = mapped_column(Boolean, default=False)
    # Hours from acceptance to the deadline. None for a major category (大类) whose minor
    # categories (小类) carry the limits: its cases run on the nearest ancestor's (``categories``).
    time_limit_hours: Mapped[float | None] = mapped_column(Float)
    default_handler_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"))


class Event(Base):
    """One case. ``status`` and the stage times are a projection of the append-only event log,
    kept on the row so that indicators are plain aggregates (see ``metrics``).

    Stage times are the first acceptance / invalidation, the latest dispatch and disposal, and the
    closure; reworks only happen before closure, so for closed cases the row replays exactly.
    """

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(_in("status", vocabulary.STATUSES), name="status"),
        CheckConstraint(_in("source", vocabulary.SOURCES), name="source"),
        CheckConstraint(_in("severity", vocabulary.SEVERITIES), name="severity"),
        Index("ix_events_town_reported", "town_code", "reported_at"),
        Index("ix_events_community_reported", "community_code", "reported_at"),
        Index("ix_events_grid_reported", "grid_code", "reported_at"),
        Index("ix_events_handler_reported", "handler_code", "reported_at"),
        # filters and sorts that would otherwise scan
        Index("ix_events_category_reported", "category_code", "reported_at"),
        Index("ix_events_deadline", "deadline"),
        Index("ix_events_supervised_at", "supervised_at"),
        # what the all-time rollups leave to the events table: the unsettled and the late-settled
        Index("ix_events_settled_at", "settled_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The county's own case number (import ``event_id``) or an API client's id; unique when given.
    ext_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category_code: Mapped[str] = mapped_column(ForeignKey("categories.code"), index=True)
    source: Mapped[str] = mapped_column(String(12))
    severity: Mapped[str] = mapped_column(String(12), default="normal")
    grid_code: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    community_code: Mapped[str] = mapped_column(String(12))
    town_code: Mapped[str] = mapped_column(String(9))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    reporter_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    photo_url: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[str] = mapped_column(String(12), index=True)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    invalid_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disposed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    handler_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"))
    handler_level: Mapped[str | None] = mapped_column(String(20))
    rework_count: Mapped[int] = mapped_column(Integer, default=0)
    sendback_count: Mapped[int] = mapped_column(Integer, default=0)
    supervised: Mapped[bool] = mapped_column(Boolean, default=False)
    supervised_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # When a closed or invalid case stopped changing (its latest stage time); NULL while it is
    # neither. From then on every flag of ``casestate`` is final, so the case is counted in the
    # settled rollups below.
    settled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class EventLog(Base):
    """Append-only log of every transition of an event's life cycle (a trigger refuses edits)."""

    __tablename__ = "event_log"
    __table_args__ = (
        CheckConstraint(_in("action", vocabulary.ACTIONS), name="action"),
        Index("ix_event_log_event_at", "event_id", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(12))
    to_status: Mapped[str] = mapped_column(String(12))
    actor: Mapped[str] = mapped_column(String(64))
    handler_code: Mapped[str | None] = mapped_column(ForeignKey("departments.code"))
    note: Mapped[str | None] = mapped_column(Text)
    # The API client's own operator (its user id or name), beside ``actor`` = the client's name.
    operator: Mapped[str | None] = mapped_column(String(64))


class Supervision(Base):
    """督办: a flag on the case with its own log (not a status)."""

    __tablename__ = "supervisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(Text, default="")
    operator: Mapped[str | None] = mapped_column(String(64))  # as in ``EventLog``


class Warning(Base):
    """A warning episode on a scope (grid, town or county).

    ``kind='manual'``: issued by a duty officer for a key period, a floor for every grid in scope.
    ``kind='computed'``: raised by the warning engine; lifted when the level drops.
    """

    __tablename__ = "warnings"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level"),
        CheckConstraint(_in("kind", vocabulary.WARNING_KINDS), name="kind"),
        Index("ix_warnings_scope_issued", "scope_code", "issued_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope_code: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    level: Mapped[int] = mapped_column(Integer)  # 1 red … 4 blue (national convention)
    kind: Mapped[str] = mapped_column(String(10))
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of reasons in words
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    lifted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    issued_by: Mapped[str] = mapped_column(String(64), default="")


class Patrol(Base):
    __tablename__ = "patrols"
    __table_args__ = (Index("ix_patrols_grid_started", "grid_code", "started_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    grid_code: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Visit(Base):
    """A household visit (入户走访). The household is an anonymous number within the grid."""

    __tablename__ = "visits"
    __table_args__ = (Index("ix_visits_grid_at", "grid_code", "visited_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    grid_code: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    visited_at: Mapped[datetime] = mapped_column(UTCDateTime)
    household_no: Mapped[int] = mapped_column(Integer)


# --- rollups: settled cases' counts, kept by every write ----------------------------------------

# The counting columns of ``domain.casecounts`` a rollup row holds (sums over its cases).
ROLLUP_COUNTS = ("reported", "accepted", "invalid", "closed", "closed_on_time", "due_open", "overdue", "reworked",
                 "supervised", "supervised_open", "disposed", "disposed_on_time", "disposal_due", "handler_overdue",
                 "verified")
ROLLUP_SUMS = ("hours_sum", "verify_hours_sum")
# Each rollup: its table and its key columns (names of ``events`` columns). A NULL key (an invalid
# case has no handler) is stored as '' so the key can be a primary key.
ROLLUP_KEYS = {
    "settled_by_grid": ("grid_code", "community_code", "town_code"),
    "settled_by_handler": ("town_code", "handler_code", "handler_level"),
    "settled_by_category": ("town_code", "category_code"),
    "settled_by_source": ("town_code", "source"),
}


def _rollup_table(name: str, keys: tuple[str, ...]) -> Table:
    # Widths of the events columns (the foreign keys' own types are resolved late: named here).
    width = {"grid_code": 15, "community_code": 12, "town_code": 9, "category_code": 32, "handler_code": 32,
             "handler_level": 20, "source": 12}
    return Table(
        name, Base.metadata,
        *[Column(k, String(width[k]), primary_key=True) for k in keys],
        *[Column(c, Integer, nullable=False, default=0) for c in ROLLUP_COUNTS],
        *[Column(c, Float, nullable=False, default=0.0) for c in ROLLUP_SUMS],
    )


ROLLUPS: dict[str, Table] = {name: _rollup_table(name, keys) for name, keys in ROLLUP_KEYS.items()}

# Reports and closures per local day ('YYYY-MM-DD', as ``sqlfuncs.local_day``) and one more key:
# the case's town or category, or the local hour of the report / closure.
DAY_ROLLUP_KEYS = {
    "day_counts_by_town": "town_code",
    "day_counts_by_category": "category_code",
    "hour_counts": "hour",
}


def _day_table(name: str, key: str) -> Table:
    width = {"town_code": 9, "category_code": 32}
    key_col = Column(key, Integer, primary_key=True, autoincrement=False) if key == "hour" else \
        Column(key, String(width[key]), primary_key=True)
    return Table(name, Base.metadata, Column("day", String(10), primary_key=True), key_col,
                 Column("reported", Integer, nullable=False, default=0),
                 Column("closed", Integer, nullable=False, default=0))


DAY_ROLLUPS: dict[str, Table] = {name: _day_table(name, key) for name, key in DAY_ROLLUP_KEYS.items()}


class DataVersion(Base):
    """Counters bumped in the same transaction as every write, so screens can poll one cheap row
    and recompute only when something changed."""

    __tablename__ = "data_versions"

    name: Mapped[str] = mapped_column(String(16), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


# --- warnings ------------------------------


class GridWarningState(Base):
    """The current warning level of a grid, kept only while it is above normal (no row = normal).

    ``level`` is what the screens show: the worse of the engine's held level (``auto_level``) and
    the manual floor (``manual_level``). Downgrades of ``auto_level`` wait out the rules' hold time:
    ``pending_level``/``pending_since`` say what it would drop to and since when.
    """

    __tablename__ = "warning_state"
    __table_args__ = (
        CheckConstraint("level BETWEEN 1 AND 4", name="level"),
        CheckConstraint("auto_level BETWEEN 0 AND 4", name="auto_level"),
        CheckConstraint("manual_level BETWEEN 0 AND 4", name="manual_level"),
        Index("ix_warning_state_level", "level"),
    )

    grid_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), primary_key=True)
    level: Mapped[int] = mapped_column(Integer)
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of {signal, level, text}
    auto_level: Mapped[int] = mapped_column(Integer, default=0)
    auto_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    auto_reasons: Mapped[str] = mapped_column(Text, default="[]")
    manual_level: Mapped[int] = mapped_column(Integer, default=0)
    pending_level: Mapped[int | None] = mapped_column(Integer)
    pending_since: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The open ``kind='computed'`` episode in ``warnings`` for the current auto level.
    computed_warning_id: Mapped[int | None] = mapped_column(ForeignKey("warnings.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class WarningHistory(Base):
    """Every change of a grid's shown level, written once, with the reasons at that moment."""

    __tablename__ = "warning_history"
    __table_args__ = (
        Index("ix_warning_history_grid_at", "grid_code", "at"),
        Index("ix_warning_history_at", "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    grid_code: Mapped[str] = mapped_column(ForeignKey("areas.code"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    old_level: Mapped[int] = mapped_column(Integer)
    new_level: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(Text, default="[]")


class WarningRun(Base):
    """One row (id 1): the moment the engine's stored state was last evaluated as of, and the
    ``events`` data version it saw, so several web workers share one throttle."""

    __tablename__ = "warning_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    evaluated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    events_version: Mapped[int] = mapped_column(Integer, default=0)
    rules_digest: Mapped[str] = mapped_column(String(64), default="")

class Alert(Base):
    """Something nobody in the room may miss, until a duty officer acknowledges it: a new
    major/urgent case (``kind='case'``, ``subject`` its id) or a grid entering Ⅰ/Ⅱ (``kind='grid'``,
    ``subject`` its code, ``episode`` the moment it entered). One row per case and per episode
    (the unique key), however often the runner looks. ``text`` is plain words made from the data
    when raised; ``level`` is on the warning scale (1 most severe)."""

    __tablename__ = "alerts"
    __table_args__ = (
        CheckConstraint(_in("kind", vocabulary.ALERT_KINDS), name="kind"),
        CheckConstraint("level BETWEEN 1 AND 4", name="level"),
        UniqueConstraint("kind", "subject", "episode"),
        Index("ix_alerts_acknowledged_raised", "acknowledged_at", "raised_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(String(32))
    episode: Mapped[str] = mapped_column(String(40), default="")
    grid_code: Mapped[str] = mapped_column(ForeignKey("areas.code"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id"))
    level: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(String(300))
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(64))


# --- api clients ---------------------------------------------------------


class ApiClient(Base):
    """A system allowed to write through the REST API (the grid workers' app, the 12345 hotline
    bridge, the simulator). Only a SHA-256 of the token is stored; revoked clients keep their row
    so the log of who wrote what stays readable."""

    __tablename__ = "api_clients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), index=True)
    # The token's first characters, shown by ``gridscreen token list`` to tell tokens apart.
    token_prefix: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A token of one area's system (a town's) reads and writes that area only (None: everything).
    area_code: Mapped[str | None] = mapped_column(String(15))
    # What the client may write: comma-separated ``vocabulary.API_PERMISSIONS``.
    permissions: Mapped[str] = mapped_column(String(100), server_default=",".join(vocabulary.API_DEFAULT_PERMISSIONS))


class IdempotencyKey(Base):
    """The stored outcome of one write, so a retried request with the same ``Idempotency-Key``
    gets the same answer instead of writing twice. Written in the same transaction as the write."""

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("client_id", "key", name="uq_idempotency_keys_client_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("api_clients.id"))
    key: Mapped[str] = mapped_column(String(128))
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(200))
    # SHA-256 of method, path and the canonical JSON body: the same key with another request is refused.
    fingerprint: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str] = mapped_column(Text)
    response_location: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


# --- accounts, their sessions, and the audit log ------------------------------------------------


class User(Base):
    """A person (or a wall screen) who logs in. Passwords are argon2id hashes; users are disabled,
    never deleted, so the audit log keeps saying who did what."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(_in("role", vocabulary.USER_ROLES), name="role"),
        # An area officer is always tied to an area; the other roles may be (a town's wall screen).
        CheckConstraint("role <> 'town_officer' OR area_code IS NOT NULL", name="area_officer_area"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    # The area the account is limited to (a town today); no foreign key, so areas can be re-imported.
    area_code: Mapped[str | None] = mapped_column(String(15))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime)


class UserSession(Base):
    """A login. The browser's signed cookie holds a random token; only its SHA-256 is stored, so
    a session can be revoked (logout, password change, disabling, ``user revoke``) and expires on
    the server whatever the cookie says."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Wall screens: the expiry slides forward while the screen keeps asking.
    sliding: Mapped[bool] = mapped_column(Boolean, default=False)


class AuditEntry(Base):
    """Who did what, when: logins (success and failure), exports, warnings issued and lifted,
    supervision, API writes. ``actor`` is an account or API client name, never personal data
    about residents; ``detail`` is short JSON."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_action_target_at", "action", "target", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    actor_kind: Mapped[str] = mapped_column(String(8))  # user | token | cli | open (no login) | anon
    user_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str | None] = mapped_column(String(300))
    outcome: Mapped[str] = mapped_column(String(8))  # ok | failed | denied
    detail: Mapped[str | None] = mapped_column(Text)
    remote_addr: Mapped[str | None] = mapped_column(String(64))


# --- connector: the county's grid platform read directly (dashboard/connector) ------------------


class SyncSource(Base):
    """A county platform's database GridScreen reads: its SQLAlchemy URL and the mapping file
    (kept whole, so the runner needs no file of its own). The URL may name an environment
    variable (``env:NAME``) to keep the password out of this database."""

    __tablename__ = "sync_sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    url: Mapped[str] = mapped_column(String(500))
    mapping_name: Mapped[str] = mapped_column(String(200))  # the file's name, for messages
    mapping_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SyncWatermark(Base):
    """How far each entity of a source has been read: the largest update time or id seen, as the
    source gives it (JSON: ``{"kind": "int"|"time"|"text", "value": ...}``)."""

    __tablename__ = "sync_watermarks"

    source_id: Mapped[int] = mapped_column(ForeignKey("sync_sources.id", ondelete="CASCADE"), primary_key=True)
    entity: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SyncRun(Base):
    """One sync of a source: when, how it ended, and what it read, wrote and refused."""

    __tablename__ = "sync_runs"
    __table_args__ = (
        CheckConstraint("status IN ('running', 'ok', 'failed')", name="status"),
        Index("ix_sync_runs_source_started", "source_id", "started_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sync_sources.id", ondelete="CASCADE"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(8))
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_written: Mapped[int] = mapped_column(Integer, default=0)
    rows_refused: Mapped[int] = mapped_column(Integer, default=0)
    # Per entity: {"events": {"read": n, "written": n, "refused": n, "watermark": ...}, ...} (JSON)
    detail: Mapped[str] = mapped_column(Text, default="{}")
    error: Mapped[str | None] = mapped_column(Text)


class SyncRefusal(Base):
    """A source row a run could not take: its entity, its key in the source, and why (Chinese)."""

    __tablename__ = "sync_refusals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("sync_runs.id", ondelete="CASCADE"), index=True)
    entity: Mapped[str] = mapped_column(String(16))
    source_key: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
