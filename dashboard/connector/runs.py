"""The connector's bookkeeping in GridScreen's database: the sources, how far each entity has been
read (watermarks), and every run with the rows it refused. ``health`` is what a screen asks."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from dashboard.store.db import transaction
from dashboard.store.models import SyncRefusal, SyncRun, SyncSource, SyncWatermark
from dashboard.strings import SOURCE_CLI, SYNC_SOURCE_ERRORS
from dashboard.timeutil import fmt_local, now_utc, to_local
from dashboard.connector import mapping as mapping_mod
from dashboard.connector.source import check_url, shown_url

NAME_MAX = 64
# A run still "running" this long after it began died with its process: another may start.
ABANDONED = timedelta(hours=2)


class SourceError(ValueError):
    """A source that cannot be added, found or removed; the message says why."""


# --- sources ------------------------------------------------------------------------------------


def add_source(engine: Engine, name: str, url: str, mapping_text: str, mapping_name: str, *,
               replace: bool = False, now: datetime | None = None) -> SyncSource:
    """Add a source (or, with ``replace``, give an existing one a new URL and mapping; its
    watermarks are kept). The mapping is validated first (``MappingError``)."""
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX or any(c.isspace() for c in name):
        raise SourceError(SOURCE_CLI["name"].format(n=NAME_MAX))
    problem = check_url(url)
    if problem:
        raise SourceError(problem)
    mapping_mod.parse(mapping_text, mapping_name)
    now = now or now_utc()
    with transaction(engine) as s:
        src = s.scalar(select(SyncSource).where(SyncSource.name == name))
        if src is not None and not replace:
            raise SourceError(SOURCE_CLI["exists"].format(name=name))
        if src is None:
            src = SyncSource(name=name, created_at=now)
            s.add(src)
        src.url, src.mapping_text, src.mapping_name, src.updated_at = url, mapping_text, mapping_name, now
    return src


def remove_source(engine: Engine, name: str) -> None:
    """Forget a source, its watermarks and its runs (the data it brought stays)."""
    with transaction(engine) as s:
        src = s.scalar(select(SyncSource).where(SyncSource.name == name))
        if src is None:
            raise SourceError(SOURCE_CLI["unknown"].format(name=name))
        runs = select(SyncRun.id).where(SyncRun.source_id == src.id)
        s.execute(delete(SyncRefusal).where(SyncRefusal.run_id.in_(runs)))
        s.execute(delete(SyncRun).where(SyncRun.source_id == src.id))
        s.execute(delete(SyncWatermark).where(SyncWatermark.source_id == src.id))
        s.delete(src)


def sources(engine: Engine) -> list[SyncSource]:
    with Session(engine, expire_on_commit=False) as s:
        return list(s.scalars(select(SyncSource).order_by(SyncSource.name)))


def source(engine: Engine, name: str) -> SyncSource:
    with Session(engine, expire_on_commit=False) as s:
        src = s.scalar(select(SyncSource).where(SyncSource.name == name))
    if src is None:
        raise SourceError(SOURCE_CLI["unknown"].format(name=name))
    return src


# --- watermarks ---------------------------------------------------------------------------------


def watermarks(engine: Engine, source_id: int) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(SyncWatermark.entity, SyncWatermark.value)
                                 .where(SyncWatermark.source_id == source_id)).all())


def store_watermark(session: Session, source_id: int, entity: str, value: str, now: datetime) -> bool:
    """Keep ``value`` as the entity's watermark; False when it was already that."""
    wm = session.get(SyncWatermark, (source_id, entity))
    if wm is None:
        session.add(SyncWatermark(source_id=source_id, entity=entity, value=value, updated_at=now))
        return True
    if wm.value == value:
        return False
    wm.value, wm.updated_at = value, now
    return True


# --- runs ---------------------------------------------------------------------------------------


class AlreadyRunning(Exception):
    """Another sync of the same source is under way."""


def begin_run(engine: Engine, source_id: int, now: datetime) -> int:
    """Record a run as begun; refuses while another of the same source runs (one that began
    longer than ``ABANDONED`` ago is taken for dead and closed as failed)."""
    with transaction(engine) as s:
        # Serialise the check and the insert between processes (a row lock on PostgreSQL).
        s.execute(select(SyncSource.id).where(SyncSource.id == source_id).with_for_update())
        running = s.scalars(select(SyncRun).where(SyncRun.source_id == source_id, SyncRun.status == "running")).all()
        for r in running:
            if now - r.started_at < ABANDONED:
                raise AlreadyRunning(SYNC_SOURCE_ERRORS["running"].format(since=fmt_local(r.started_at, "%Y-%m-%d %H:%M:%S")))
            r.status, r.finished_at, r.error = "failed", now, SYNC_SOURCE_ERRORS["abandoned"]
        run = SyncRun(source_id=source_id, started_at=now, status="running", detail="{}")
        s.add(run)
        s.flush()
        return run.id


def add_refusals(session: Session, run_id: int, entity: str, refusals: list[tuple[str, str]]) -> None:
    session.add_all([SyncRefusal(run_id=run_id, entity=entity, source_key=key[:200], reason=reason)
                     for key, reason in refusals])


def finish_run(engine: Engine, run_id: int, *, status: str, finished: datetime, read: int, written: int,
               refused: int, detail: dict, error: str | None) -> None:
    with transaction(engine) as s:
        s.execute(update(SyncRun).where(SyncRun.id == run_id).values(
            status=status, finished_at=finished, rows_read=read, rows_written=written, rows_refused=refused,
            detail=json.dumps(detail, ensure_ascii=False, default=str), error=error))


def refusals(engine: Engine, run_id: int, limit: int | None = 200) -> list[dict]:
    """The rows run ``run_id`` refused (the first ``limit``; None: all), in the order refused."""
    stmt = (select(SyncRefusal.entity, SyncRefusal.source_key, SyncRefusal.reason)
            .where(SyncRefusal.run_id == run_id).order_by(SyncRefusal.id))
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(stmt if limit is None else stmt.limit(limit)).mappings()]


def runs(engine: Engine, source_id: int, limit: int = 20) -> list[SyncRun]:
    with Session(engine, expire_on_commit=False) as s:
        return list(s.scalars(select(SyncRun).where(SyncRun.source_id == source_id)
                              .order_by(SyncRun.started_at.desc(), SyncRun.id.desc()).limit(limit)))


# --- health: what the screens show --------------------------------------------------------------


@dataclass(frozen=True)
class Health:
    name: str
    url: str  # without its password
    last_run_id: int | None
    last_started: datetime | None
    last_finished: datetime | None
    last_status: str | None  # running | ok | failed | None (never run)
    last_error: str | None
    rows_read: int
    rows_written: int
    rows_refused: int
    last_ok: datetime | None  # when the last successful run finished
    lag_seconds: float | None  # how old the data from this source may be: now - last_ok
    late: bool  # no successful run within the threshold
    detail: dict = field(default_factory=dict)


def health(engine: Engine, now: datetime, late_after_seconds: float) -> list[Health]:
    """Every source with its last run, the age of its data and whether it is late (no successful
    sync within ``late_after_seconds``; a source never synced is late from the start)."""
    with engine.connect() as conn:
        srcs = conn.execute(select(SyncSource.id, SyncSource.name, SyncSource.url).order_by(SyncSource.name)).all()
        if not srcs:
            return []
        last_id = dict(conn.execute(select(SyncRun.source_id, func.max(SyncRun.id)).group_by(SyncRun.source_id)).all())
        last_ok = dict(conn.execute(select(SyncRun.source_id, func.max(SyncRun.finished_at))
                                    .where(SyncRun.status == "ok").group_by(SyncRun.source_id)).all())
        rows = {r.id: r for r in conn.execute(select(SyncRun).where(SyncRun.id.in_(list(last_id.values()))))} \
            if last_id else {}
    out = []
    for sid, name, url in srcs:
        run = rows.get(last_id.get(sid))
        ok = last_ok.get(sid)
        lag = (now - ok).total_seconds() if ok else None
        out.append(Health(
            name=name, url=shown_url(url), last_run_id=run.id if run else None,
            last_started=run.started_at if run else None, last_finished=run.finished_at if run else None,
            last_status=run.status if run else None, last_error=run.error if run else None,
            rows_read=run.rows_read if run else 0, rows_written=run.rows_written if run else 0,
            rows_refused=run.rows_refused if run else 0, last_ok=ok, lag_seconds=lag,
            late=lag is None or lag > late_after_seconds,
            detail=json.loads(run.detail) if run and run.detail else {}))
    return out


def late(engine: Engine, now: datetime, late_after_seconds: float) -> list[Health]:
    return [h for h in health(engine, now, late_after_seconds) if h.late]


# The screens poll /api/v1/version twice a second each; the sources' lateness changes on a scale
# of minutes, so a process looks it up at most this often.
LATE_TTL_SECONDS = 5.0
_late_cache: dict[tuple, tuple[float, list[dict]]] = {}
_late_lock = threading.Lock()


def late_sources(engine: Engine, now: datetime, late_after_seconds: float) -> list[dict]:
    """[{name, since}] of the late sources (``since``: their last successful sync, local ISO, or
    None), for the big screen's banner. Cheap: looked up at most every ``LATE_TTL_SECONDS``."""
    key = (str(engine.url), late_after_seconds)
    mono = time.monotonic()
    with _late_lock:
        hit = _late_cache.get(key)
        if hit and mono - hit[0] < LATE_TTL_SECONDS:
            return hit[1]
    value = [{"name": h.name, "since": to_local(h.last_ok).isoformat() if h.last_ok else None}
             for h in late(engine, now, late_after_seconds)]
    with _late_lock:
        _late_cache[key] = (mono, value)
    return value
