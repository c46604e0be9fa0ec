"""Import of events from CSV or XLSX, one row per event.

Columns: event_id, title, category_code, grid_code, lat, lon, source, severity, reported_at,
accepted_at, invalid_at, dispatched_at, handler_code, deadline, disposed_at, closed_at,
rework_count. Empty cells for stages not reached; naive times are Asia/Shanghai. The event log is
built from the stage columns through ``lifecycle.step``. Re-importing is idempotent on
``event_id``: unchanged rows are skipped, rows that reached later stages are extended, and rows
that contradict what is stored are refused.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import shapely
from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.engine import Engine

from dashboard import strings
from dashboard.domain import categories
from dashboard.domain import geo
from dashboard.domain import lifecycle
from dashboard.vocabulary import SEVERITY, SOURCE
from dashboard.store.db import bump, transaction
from dashboard.store.models import Area, Department, Event
from dashboard.timeutil import now_utc, parse_time
from dashboard.ingest import ImportFailed, ImportReport, RowError, read_table

COLUMNS = ["event_id", "title", "category_code", "grid_code", "lat", "lon", "source", "severity", "reported_at",
           "accepted_at", "invalid_at", "dispatched_at", "handler_code", "deadline", "disposed_at", "closed_at",
           "rework_count"]
ACTOR = strings.IMPORT_ACTOR
MAX_TITLE = 200
E = strings.IMPORT_ROW_ERRORS


def import_events(engine: Engine, path: str | Path, now: datetime | None = None) -> ImportReport:
    now = now or now_utc()
    df = read_table(path, COLUMNS)
    errors: list[RowError] = []
    with engine.connect() as conn:
        grids = {c: g for c, g in conn.execute(select(Area.code, Area.geometry).where(Area.level == "grid"))}
        areas = dict(conn.execute(select(Area.code, Area.level)).all())
        cats = categories.effective_limits(categories.stored_catalogue(conn))
        depts = {c: lvl for c, lvl in conn.execute(select(Department.code, Department.level))}
        county_geom = conn.execute(select(Area.geometry).where(Area.level == "county")).scalar()
    county = geo.from_geojson(county_geom).buffer(0.01) if county_geom else None
    if county is not None:
        shapely.prepare(county)

    records = []
    seen: dict[str, int] = {}
    for r in df.to_dict("records"):
        row = r["row"]
        e = len(errors)
        rec = {"row": row}

        def bad(col, reason):
            errors.append(RowError(row, col, reason))

        eid = r["event_id"]
        if not eid:
            bad("event_id", E["empty"])
        elif len(eid) > 64:
            bad("event_id", E["too_long"].format(n=64))
        elif eid in seen:
            bad("event_id", E["duplicate"].format(n=seen[eid]))
        else:
            seen[eid] = row
        rec["event_id"] = eid
        if not r["title"]:
            bad("title", E["empty"])
        elif len(r["title"]) > MAX_TITLE:
            bad("title", E["too_long"].format(n=MAX_TITLE))
        rec["title"] = r["title"]
        if r["category_code"] not in cats:
            bad("category_code", E["no_category"].format(code=r["category_code"] or E["blank"]))
        rec["category_code"] = r["category_code"]
        if r["grid_code"] not in grids:
            bad("grid_code", E["no_grid"].format(code=r["grid_code"] or E["blank"]))
        rec["grid_code"] = r["grid_code"]
        rec["lat"] = rec["lon"] = None
        if r["lat"] or r["lon"]:
            try:
                lat, lon = float(r["lat"]), float(r["lon"])
            except ValueError:
                bad("lat" if not _is_float(r["lat"]) else "lon", E["not_degrees"])
            else:
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    bad("lat", E["lat_lon_range"].format(lat=lat, lon=lon))
                elif county is not None and not county.contains(Point(lon, lat)):
                    bad("lat", E["outside_county"].format(lat=lat, lon=lon))
                else:
                    rec["lat"], rec["lon"] = lat, lon
        src = SOURCE.code(r["source"])
        if src is None:
            bad("source", E["source"].format(value=r["source"], choices=SOURCE.choices()))
        rec["source"] = src
        sev = SEVERITY.code(r["severity"] or "normal")
        if sev is None:
            bad("severity", E["severity"].format(value=r["severity"], choices=SEVERITY.choices()))
        rec["severity"] = sev
        for col in lifecycle.STAGE_COLUMNS:
            rec[col] = None
            if r[col]:
                try:
                    rec[col] = parse_time(r[col])
                except ValueError as exc:
                    bad(col, str(exc))
        if not r["reported_at"]:
            bad("reported_at", E["empty"])
        try:
            rec["rework_count"] = int(r["rework_count"] or 0)
            if rec["rework_count"] < 0:
                raise ValueError
        except ValueError:
            bad("rework_count", E["not_count"].format(value=r["rework_count"]))
        handler = None
        if r["handler_code"]:
            if r["handler_code"] in depts:
                handler = (r["handler_code"], depts[r["handler_code"]])
            elif r["handler_code"] in areas and areas[r["handler_code"]] != "county":
                handler = (r["handler_code"], areas[r["handler_code"]])
            else:
                bad("handler_code", E["handler"].format(code=r["handler_code"]))
        rec["handler"] = handler
        if len(errors) == e:
            for col, reason in lifecycle.stage_problems(rec, handler, now):
                bad(col, reason)
        if len(errors) == e:
            rec["plan"] = lifecycle.plan_from_stages(rec, handler)
            try:  # the life cycle itself is the final judge of the order of stages
                lifecycle.replay(rec["reported_at"], rec["plan"], cats[rec["category_code"]])
            except (lifecycle.TransitionError, ValueError) as exc:
                bad(None, str(exc))
        if len(errors) == e:
            records.append(rec)
    if errors:
        raise ImportFailed(errors, strings.IMPORT_FILES["events"])
    return _write(engine, records)


def _is_float(v) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return False


def _write(engine: Engine, records: list[dict]) -> ImportReport:
    report = ImportReport(strings.IMPORT_KINDS["events"])
    with transaction(engine) as s:
        existing = {e.ext_id: e for e in s.scalars(select(Event).where(Event.ext_id.in_([r["event_id"] for r in records])))}
        known = set(s.scalars(select(Department.code)))
        conflicts = []
        for rec in records:
            if rec["handler"] and rec["handler"][0] not in known:
                code = rec["handler"][0]
                name = s.scalar(select(Area.name).where(Area.code == code))
                s.add(Department(code=code, name=name, level=rec["handler"][1], area_code=code))
                known.add(code)
            ev = existing.get(rec["event_id"])
            if ev is None:
                ev = lifecycle.report(s, title=rec["title"], category_code=rec["category_code"], source=rec["source"],
                                      grid_code=rec["grid_code"], at=rec["reported_at"], actor=ACTOR,
                                      severity=rec["severity"], lat=rec["lat"], lon=rec["lon"], ext_id=rec["event_id"])
                report.created += 1
                todo = rec["plan"]
            else:
                msg = _conflict(ev, rec)
                if msg:
                    conflicts.append(RowError(rec["row"], msg[0], msg[1]))
                    continue
                # Stages already stored are skipped; later ones extend the case.
                todo = lifecycle.pending(ev, rec["plan"])
                if not todo and ev.rework_count == rec["rework_count"]:
                    report.unchanged += 1
                    continue
                report.updated += 1
            lifecycle.extend(s, ev, todo, actor=ACTOR)  # the county's own deadline wins over the category's limit
            if rec["rework_count"] != ev.rework_count:
                # The file carries the count, not the times, of failed verifications.
                ev.rework_count = rec["rework_count"]
        if conflicts:
            raise ImportFailed(conflicts, strings.IMPORT_FILES["events"])
        bump(s, "events", "catalog")
    return report


def _conflict(ev: Event, rec: dict) -> tuple[str, str] | None:
    """A stored case may only be extended by a re-import, never rewritten."""
    fixed = {"title": ev.title, "category_code": ev.category_code, "grid_code": ev.grid_code}
    for col, stored in fixed.items():
        if rec[col] != stored:
            return col, E["stored"].format(ext_id=ev.ext_id, stored=stored)
    return lifecycle.stage_conflict(ev, rec)
