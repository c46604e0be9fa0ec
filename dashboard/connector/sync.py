"""One sync of a source: each entity read from its watermark on, written, and the run recorded.

Entities go in dependency order (areas, departments, categories, staff, events with their log).
Each reads only the rows changed since its watermark (``:since``), writes them idempotently (a
row equal to what is stored writes nothing and bumps no data version), refuses the rows it cannot
take with their source keys and reasons, and then stores its new watermark: the largest value of
the watermark column among the rows read, refused ones included (a refused row comes back when the
platform changes it again). Cases are written in batches, each in its own transaction, so a first
sync of a large platform shows progress on the screens and a crash loses at most a batch (the next
run reads it again from the old watermark; writing is idempotent).

A platform that cannot be reached, a query it refuses, or a mapping that names a column the query
does not return fails the run cleanly: what was written stays, the watermark of the entity being
read does not move, and the run is recorded as failed with the reason (``health`` shows it).
"""

from __future__ import annotations

import logging
import time as _time
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable

from sqlalchemy.engine import Engine

from dashboard.store.db import bump, transaction
from dashboard.strings import SYNC_REFUSALS, SYNC_SOURCE_ERRORS
from dashboard.timeutil import now_utc
from dashboard.connector import catalogue, runs
from dashboard.connector.cases import CaseWriter, LogEntry
from dashboard.connector.mapping import Entity, Mapping, MappingError, parse
from dashboard.connector.rows import MappingMismatch, Refused, Row, check_columns, convert
from dashboard.connector.source import (SourceDown, comparable, fetch_for_keys, open_engine, ping, stream, watermark_text,
                     watermark_value)

log = logging.getLogger(__name__)

UPSERTS = {"areas": catalogue.upsert_area, "departments": catalogue.upsert_department,
           "categories": catalogue.upsert_category, "staff": catalogue.upsert_staff}
CHANNELS = {"areas": ("areas", "catalog"), "departments": ("catalog",), "categories": ("catalog",),
            "staff": ("staff",)}
SHOWN_REFUSALS = 20


@dataclass
class EntityReport:
    read: int = 0
    written: int = 0
    refused: int = 0
    watermark: str | None = None  # as stored after the run (JSON text), None: no watermark


@dataclass
class RunReport:
    source: str
    run_id: int | None = None
    status: str = "running"
    started: datetime | None = None
    finished: datetime | None = None
    seconds: float = 0.0
    error: str | None = None
    entities: dict[str, EntityReport] = field(default_factory=dict)
    refusals: list[dict] = field(default_factory=list)  # the first few: entity, source_key, reason

    @property
    def read(self) -> int:
        return sum(e.read for n, e in self.entities.items() if n != "event_log")

    @property
    def written(self) -> int:
        return sum(e.written for e in self.entities.values())

    @property
    def refused(self) -> int:
        return sum(e.refused for e in self.entities.values())


def sync(engine: Engine, name: str, *, now: datetime | None = None,
         clock: Callable[[], datetime] = now_utc) -> RunReport:
    """Sync source ``name`` once. ``now`` is the run's moment (times after it are refused as
    being in the future; default the clock). Raises ``runs.SourceError`` for an unknown source
    and ``runs.AlreadyRunning`` while another sync of it runs; every other failure is recorded
    in the run and returned."""
    src = runs.source(engine, name)
    now = now or clock()
    report = RunReport(source=name, started=clock())
    t0 = _time.perf_counter()
    report.run_id = runs.begin_run(engine, src.id, report.started)
    source_engine = None
    try:
        mapping = parse(src.mapping_text, src.mapping_name)
        source_engine = open_engine(src.url)
        ping(source_engine)
        marks = runs.watermarks(engine, src.id)
        ctx = _Run(engine, source_engine, mapping, src.id, report, now, actor=mapping.source.actor or name)
        for entity, spec in mapping.entities():
            if entity != "event_log":
                ctx.entity(entity, spec, marks.get(entity))
        report.status = "ok"
    except (SourceDown, MappingMismatch, MappingError) as exc:
        report.status, report.error = "failed", str(exc)
    except Exception as exc:  # noqa: BLE001 -- recorded, never lost: the runner keeps going
        log.exception("sync of %s failed", name)
        report.status = "failed"
        report.error = SYNC_SOURCE_ERRORS["crashed"].format(error=f"{type(exc).__name__}: {exc}")
    finally:
        if source_engine is not None:
            source_engine.dispose()
        report.finished = clock()
        report.seconds = _time.perf_counter() - t0
        detail = {n: vars(e) for n, e in report.entities.items()}
        detail["seconds"] = round(report.seconds, 3)
        try:
            runs.finish_run(engine, report.run_id, status=report.status, finished=report.finished, read=report.read,
                            written=report.written, refused=report.refused, detail=detail, error=report.error)
            report.refusals = runs.refusals(engine, report.run_id, SHOWN_REFUSALS)
        except Exception:  # our own database went away: the run stays "running" until abandoned
            log.exception("could not record the end of sync run %s", report.run_id)
    return report


def _initial(value):
    return datetime(value.year, value.month, value.day) if isinstance(value, date) and not isinstance(value, datetime) \
        else value


class _Run:
    def __init__(self, engine: Engine, source_engine: Engine, mapping: Mapping, source_id: int, report: RunReport,
                 now: datetime, actor: str):
        self.engine = engine
        self.source = source_engine
        self.mapping = mapping
        self.source_id = source_id
        self.report = report
        self.now = now
        self.actor = actor

    def entity(self, entity: str, spec: Entity, stored_mark: str | None) -> None:
        rep = self.report.entities[entity] = EntityReport(watermark=stored_mark)
        params = {}
        if spec.watermark:
            params["since"] = watermark_value(stored_mark) if stored_mark else _initial(spec.initial)
        best = [None, None]  # comparable, raw
        batch = self.mapping.source.batch
        if entity == "events":
            self._events(spec, params, rep, best, batch)
        else:
            raws = [r for part in stream(self.source, spec.query, params, batch, entity) for r in part]
            rows, refused = self._convert(entity, spec, raws, rep, best)
            if entity == "areas":
                rows.sort(key=catalogue.area_order)
            elif entity == "categories":
                rows = catalogue.category_order(rows)
            with transaction(self.engine) as s:
                known = catalogue.Known.load(s)
                written, more = catalogue.write_each(s, rows, UPSERTS[entity], known, self.now)
                if written:
                    bump(s, *CHANNELS[entity])
                runs.add_refusals(s, self.report.run_id, entity, refused + more)
            rep.written += written
            rep.refused += len(refused) + len(more)
        if spec.watermark and best[1] is not None:
            value = watermark_text(best[1])
            with transaction(self.engine) as s:
                runs.store_watermark(s, self.source_id, entity, value, self.now)
            rep.watermark = value

    def _convert(self, entity: str, spec: Entity, raws: list[dict], rep: EntityReport, best: list):
        rows, refused = [], []
        if raws:
            check_columns(entity, spec, raws[0])
        for raw in raws:
            rep.read += 1
            if spec.watermark:
                mark = raw.get(spec.watermark)
                if mark is not None and (best[0] is None or comparable(mark) > best[0]):
                    best[0], best[1] = comparable(mark), mark
            try:
                rows.append(convert(entity, spec, self.mapping, raw))
            except Refused as exc:
                refused.append((Row.key_of(spec, raw), str(exc)))
        return rows, refused

    def _events(self, spec: Entity, params: dict, rep: EntityReport, best: list, batch: int) -> None:
        log_spec = self.mapping.event_log
        log_rep = None
        if log_spec is not None:
            log_rep = self.report.entities["event_log"] = EntityReport()
        with transaction(self.engine) as s:
            known = catalogue.Known.load(s)
        for raws in stream(self.source, spec.query, params, batch, "events"):
            rows, refused = self._convert("events", spec, raws, rep, best)
            logs = self._logs(log_spec, rows, log_rep) if log_spec is not None else None
            with transaction(self.engine) as s:
                writer = CaseWriter(s, known, self.now, actor=self.actor, zone=self.mapping.zone,
                                    log_mode=log_spec is not None)
                written, more = writer.write(rows, logs)
                runs.add_refusals(s, self.report.run_id, "events", refused + more)
            rep.written += written
            rep.refused += len(refused) + len(more)

    def _logs(self, spec: Entity, rows: list[Row], rep: EntityReport) -> dict[str, list[LogEntry] | str]:
        """The whole status log of each case in ``rows``: {case key: entries}, or the reason
        when one of its log rows cannot be read (the case is refused with it)."""
        raws = fetch_for_keys(self.source, spec.query, [r.raw_key for r in rows], "event_log")
        out: dict[str, list[LogEntry] | str] = {}
        if raws:
            check_columns("event_log", spec, raws[0])
        for raw in raws:
            rep.read += 1
            try:
                row = convert("event_log", spec, self.mapping, raw)
            except Refused as exc:
                case = Row.key_of(spec, raw, spec.columns["event"])
                if not isinstance(out.get(case), str):
                    out[case] = SYNC_REFUSALS["log_row"].format(column=spec.key, key=Row.key_of(spec, raw), reason=exc)
                continue
            v = row.values
            entries = out.setdefault(v["event"], [])
            if isinstance(entries, list):
                entries.append(LogEntry(v["action"], v["at"], v.get("handler_code"), v.get("actor"), v.get("note")))
        return out
