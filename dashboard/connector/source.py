"""Reading a county platform's database: its engine, its queries, and its values made ours.

Any database SQLAlchemy reaches can be a source (MySQL/MariaDB through PyMySQL, PostgreSQL,
Oracle, 达梦 or 人大金仓 through their dialects). The URL may be ``env:NAME``: the real URL is then
read from that environment variable when the source is opened, so the password stays out of
GridScreen's own database. Nothing here writes to the source.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timezone
from decimal import Decimal
from typing import Iterator

from sqlalchemy import bindparam, create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError

from dashboard.strings import SYNC_SOURCE_ERRORS as E
from dashboard.timeutil import UTC

ENV_PREFIX = "env:"
CONNECT_TIMEOUT = 10  # seconds before a platform that does not answer counts as down


class SourceDown(Exception):
    """The platform's database cannot be reached or refused a query: the run fails, recorded."""


def resolve_url(url: str) -> str:
    if url.startswith(ENV_PREFIX):
        name = url[len(ENV_PREFIX):]
        value = os.environ.get(name)
        if not value:
            raise SourceDown(E["env_missing"].format(name=name))
        return value
    return url


def shown_url(url: str) -> str:
    """The URL without its password (for lists, messages and logs)."""
    if url.startswith(ENV_PREFIX):
        return url
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return E["unknown_url"]


def check_url(url: str) -> str | None:
    """Why ``url`` cannot name a source database, or None."""
    if url.startswith(ENV_PREFIX):
        return None if url[len(ENV_PREFIX):].strip() else E["env_name"]
    try:
        u = make_url(url)
        u.get_dialect()
    except ArgumentError:
        return E["bad_url"]
    except NoSuchModuleError:
        return E["no_dialect"].format(scheme=url.split(":", 1)[0])
    return None


def open_engine(url: str) -> Engine:
    real = resolve_url(url)
    try:
        u = make_url(real)
    except ArgumentError:
        raise SourceDown(E["bad_url"]) from None
    args = {}
    if u.get_backend_name() in ("mysql", "mariadb", "postgresql"):
        args["connect_timeout"] = CONNECT_TIMEOUT
    try:
        # The source's values never reach logs or error texts; one connection at a time is enough.
        return create_engine(u, hide_parameters=True, pool_pre_ping=True, pool_size=2, max_overflow=2,
                             connect_args=args) if u.get_backend_name() != "sqlite" else \
            create_engine(u, hide_parameters=True)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise SourceDown(E["cannot_open"].format(error=exc)) from None


def reason(exc: BaseException) -> str:
    """A database error in a line (the driver's own message, without the statement)."""
    orig = getattr(exc, "orig", None) or exc
    text_ = " ".join(str(orig).split())
    return text_ if len(text_) <= 300 else text_[:299] + "…"


def ping(engine: Engine) -> None:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        raise SourceDown(E["down"].format(url=shown_url(engine.url.render_as_string(hide_password=True)),
                                          error=reason(exc))) from None


def stream(engine: Engine, query: str, params: dict, batch: int, entity: str) -> Iterator[list[dict]]:
    """The query's rows as dicts, ``batch`` at a time, read from a server-side cursor."""
    try:
        with engine.connect() as conn:
            result = conn.execution_options(stream_results=True, max_row_buffer=batch).execute(text(query), params)
            for part in result.mappings().partitions(batch):
                yield [dict(r) for r in part]
    except DBAPIError as exc:
        raise SourceDown(E["query"].format(entity=entity, error=reason(exc))) from None


def fetch_for_keys(engine: Engine, query: str, keys: list, entity: str) -> list[dict]:
    """Every row of a query that binds ``:keys`` (a list, expanded to IN (...))."""
    if not keys:
        return []
    stmt = text(query).bindparams(bindparam("keys", expanding=True))
    try:
        with engine.connect() as conn:
            return [dict(r) for r in conn.execute(stmt, {"keys": list(keys)}).mappings()]
    except DBAPIError as exc:
        raise SourceDown(E["query"].format(entity=entity, error=reason(exc))) from None


# --- values -------------------------------------------------------------------------------------


def as_text(value) -> str | None:
    """A source value as text: None and blanks are None; 12.0 is "12"; bytes are UTF-8."""
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Decimal):
        value = value.normalize()
        value = format(value, "f")
    if isinstance(value, (datetime, date)):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    s = str(value).strip()
    return s or None


def as_utc(value, zone) -> datetime:
    """A source time as aware UTC. Naive values are the platform's local time (``zone``); text
    is read as ISO ("2026-11-20 08:30:00", "2026/11/20 08:30")."""
    if isinstance(value, str):
        s = value.strip().replace("/", "-")
        value = datetime.fromisoformat(s.replace("Z", "+00:00"))
    elif isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    if not isinstance(value, datetime):
        raise ValueError
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone)
    return value.astimezone(UTC)


# --- watermarks: stored as the source gives them, bound back the same way ------------------------


def watermark_text(value) -> str:
    import json

    if isinstance(value, bool):
        raise TypeError
    if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
        return json.dumps({"kind": "int", "value": int(value)})
    if isinstance(value, datetime):
        return json.dumps({"kind": "time", "value": value.isoformat()})
    if isinstance(value, date):
        return json.dumps({"kind": "time", "value": datetime(value.year, value.month, value.day).isoformat()})
    return json.dumps({"kind": "text", "value": str(value)}, ensure_ascii=False)


def watermark_value(stored: str):
    import json

    d = json.loads(stored)
    if d["kind"] == "int":
        return int(d["value"])
    if d["kind"] == "time":
        return datetime.fromisoformat(d["value"])
    return d["value"]


def comparable(value):
    """Watermark values of one column compare with each other (ints with Decimals, naive with
    naive times); aware times are compared in UTC."""
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(timezone.utc)
    return value
