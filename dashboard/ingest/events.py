"""Import of events from CSV or XLSX, one row per event.

Columns: event_id, title, category_code, grid_code, lat, lon, source, severity, reported_at,
accepted_at, invalid_at, dispatched_at, handler_code, deadline, disposed_at, closed_at,
rework_count. Empty cells for stages not reached; naive times are Asia/Shanghai. The event log is
built from the stage columns through ``lifecycle.step``. Re-importing is idempotent on
``event_id``: unchanged rows are skipped, rows that reached later stages are extended, and rows
that contradict what is stored are refused.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import shapely
from shapely.geometry import Point
from sqlalchemy import select
from sqlalchemy.engine import Engine

from .. import geo, lifecycle
from ..vocab import SEVERITY, SOURCE
from ..db import bump, transaction
from ..models import Area, Category, Department, Event
from ..timeutil import now_utc, parse_time
from . import ImportFailed, ImportReport, RowError, read_table

COLUMNS = ["event_id", "title", "category_code", "grid_code", "lat", "lon", "source", "severity", "reported_at",
           "accepted_at", "invalid_at", "dispatched_at", "handler_code", "deadline", "disposed_at", "closed_at",
           "rework_count"]
STAGES = ["reported_at", "accepted_at", "invalid_at", "dispatched_at", "deadline", "disposed_at", "closed_at"]
ACTOR = "数据导入"
MAX_TITLE = 200
# Reports may not come from the future (allowing for clock drift between systems).
FUTURE_SLACK = timedelta(minutes=5)


def _plan(rec: dict, limit: float | None, handler: tuple[str, str] | None) -> list[tuple]:
    """The life-cycle actions a row describes, in order."""
    acts = []
    if rec["invalid_at"]:
        acts.append(("invalidate", rec["invalid_at"], {}))
        return acts
    if rec["accepted_at"]:
        acts.append(("accept", rec["accepted_at"], {"time_limit_hours": limit, "deadline": rec["deadline"]}))
    if rec["dispatched_at"]:
        acts.append(("dispatch", rec["dispatched_at"], {"handler": handler}))
    if rec["disposed_at"]:
        acts.append(("dispose", rec["disposed_at"], {}))
    if rec["closed_at"]:
        acts.append(("verify_ok", rec["closed_at"], {}))
    return acts


def import_events(engine: Engine, path: str | Path, now: datetime | None = None) -> ImportReport:
    now = now or now_utc()
    df = read_table(path, COLUMNS)
    errors: list[RowError] = []
    with engine.connect() as conn:
        grids = {c: g for c, g in conn.execute(select(Area.code, Area.geometry).where(Area.level == "grid"))}
        areas = dict(conn.execute(select(Area.code, Area.level)).all())
        cats = dict(conn.execute(select(Category.code, Category.time_limit_hours)).all())
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
            bad("event_id", "不能为空")
        elif len(eid) > 64:
            bad("event_id", "超过64个字符")
        elif eid in seen:
            bad("event_id", f"与第{seen[eid]}行重复")
        else:
            seen[eid] = row
        rec["event_id"] = eid
        if not r["title"]:
            bad("title", "不能为空")
        elif len(r["title"]) > MAX_TITLE:
            bad("title", f"超过{MAX_TITLE}个字符")
        rec["title"] = r["title"]
        if r["category_code"] not in cats:
            bad("category_code", f"事件类别 {r['category_code'] or '（空）'} 不存在")
        rec["category_code"] = r["category_code"]
        if r["grid_code"] not in grids:
            bad("grid_code", f"网格 {r['grid_code'] or '（空）'} 不存在")
        rec["grid_code"] = r["grid_code"]
        rec["lat"] = rec["lon"] = None
        if r["lat"] or r["lon"]:
            try:
                lat, lon = float(r["lat"]), float(r["lon"])
            except ValueError:
                bad("lat" if not _is_float(r["lat"]) else "lon", "不是数字（十进制经纬度）")
            else:
                if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    bad("lat", f"经纬度超出范围: {lat}, {lon}")
                elif county is not None and not county.contains(Point(lon, lat)):
                    bad("lat", f"位置 ({lon}, {lat}) 不在本县范围内")
                else:
                    rec["lat"], rec["lon"] = lat, lon
        src = SOURCE.code(r["source"])
        if src is None:
            bad("source", f"“{r['source']}”不是有效来源，应为 {SOURCE.choices()}")
        rec["source"] = src
        sev = SEVERITY.code(r["severity"] or "normal")
        if sev is None:
            bad("severity", f"“{r['severity']}”不是有效紧急程度，应为 {SEVERITY.choices()}")
        rec["severity"] = sev
        for col in STAGES:
            rec[col] = None
            if r[col]:
                try:
                    rec[col] = parse_time(r[col])
                except ValueError as exc:
                    bad(col, str(exc))
        if not r["reported_at"]:
            bad("reported_at", "不能为空")
        try:
            rec["rework_count"] = int(r["rework_count"] or 0)
            if rec["rework_count"] < 0:
                raise ValueError
        except ValueError:
            bad("rework_count", f"“{r['rework_count']}”不是非负整数")
        handler = None
        if r["handler_code"]:
            if r["handler_code"] in depts:
                handler = (r["handler_code"], depts[r["handler_code"]])
            elif r["handler_code"] in areas and areas[r["handler_code"]] != "county":
                handler = (r["handler_code"], areas[r["handler_code"]])
            else:
                bad("handler_code", f"处置单位 {r['handler_code']} 既不是部门也不是区域")
        rec["handler"] = handler
        if len(errors) == e:
            _check_stages(rec, handler, now, bad)
        if len(errors) == e:
            rec["plan"] = _plan(rec, cats[rec["category_code"]], handler)
            try:  # the life cycle itself is the final judge of the order of stages
                st = lifecycle.new_state(rec["reported_at"])
                for action, at, kw in rec["plan"]:
                    st = lifecycle.step(st, action, at, **kw)
            except (lifecycle.TransitionError, ValueError) as exc:
                bad(None, str(exc))
        if len(errors) == e:
            records.append(rec)
    if errors:
        raise ImportFailed(errors, "事件文件")
    return _write(engine, records)


def _is_float(v) -> bool:
    try:
        float(v)
        return True
    except ValueError:
        return False


def _check_stages(rec, handler, now, bad):
    t = {k: rec[k] for k in STAGES}
    if t["accepted_at"] and t["invalid_at"]:
        bad("invalid_at", "同一事件不能既受理又判为无效")
    for col in STAGES:
        if t[col] and col != "deadline" and t[col] > now + FUTURE_SLACK:
            bad(col, "时间晚于当前时间")
    chain = ["reported_at", "accepted_at", "dispatched_at", "disposed_at", "closed_at"]
    for i, col in enumerate(chain[1:], start=1):
        if t[col] and not t[chain[i - 1]]:
            bad(col, f"缺少前一环节 {chain[i - 1]}")
        prev = next((t[c] for c in reversed(chain[:i]) if t[c]), None)
        if t[col] and prev and t[col] < prev:
            bad(col, "早于前一环节的时间")
    if t["invalid_at"] and t["reported_at"] and t["invalid_at"] < t["reported_at"]:
        bad("invalid_at", "早于上报时间")
    if t["invalid_at"] and any(t[c] for c in ("dispatched_at", "disposed_at", "closed_at")):
        bad("invalid_at", "无效事件不应有派遣、处置或结案时间")
    if t["dispatched_at"] and handler is None:
        bad("handler_code", "已派遣的事件必须有处置单位")
    if t["deadline"] and t["accepted_at"] and t["deadline"] < t["accepted_at"]:
        bad("deadline", "截止时间早于受理时间")
    if t["deadline"] and not t["accepted_at"]:
        bad("deadline", "未受理的事件不应有截止时间")


STAGE_OF_ACTION = {"accept": "accepted_at", "invalidate": "invalid_at", "dispatch": "dispatched_at",
                   "dispose": "disposed_at", "verify_ok": "closed_at"}


def _write(engine: Engine, records: list[dict]) -> ImportReport:
    report = ImportReport("事件")
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
                todo = [p for p in rec["plan"] if getattr(ev, STAGE_OF_ACTION[p[0]]) is None]
                if not todo and ev.rework_count == rec["rework_count"]:
                    report.unchanged += 1
                    continue
                report.updated += 1
            for action, at, kw in todo:
                if action == "dispatch":
                    lifecycle.apply(s, ev, action, at=at, actor=ACTOR, handler_code=kw["handler"][0])
                else:
                    lifecycle.apply(s, ev, action, at=at, actor=ACTOR)
                if action == "accept" and rec["deadline"]:
                    ev.deadline = rec["deadline"]  # the county's own deadline wins over the category's limit
            if rec["rework_count"] != ev.rework_count:
                # The file carries the count, not the times, of failed verifications.
                ev.rework_count = rec["rework_count"]
        if conflicts:
            raise ImportFailed(conflicts, "事件文件")
        bump(s, "events", "catalog")
    return report


def _conflict(ev: Event, rec: dict) -> tuple[str, str] | None:
    """A stored case may only be extended by a re-import, never rewritten."""
    fixed = {"title": ev.title, "category_code": ev.category_code, "grid_code": ev.grid_code}
    for col, stored in fixed.items():
        if rec[col] != stored:
            return col, f"与已导入的事件 {ev.ext_id} 不一致（已存为“{stored}”）"
    stored_times = {"reported_at": ev.reported_at, "accepted_at": ev.accepted_at, "invalid_at": ev.invalid_at,
                    "disposed_at": ev.disposed_at, "closed_at": ev.closed_at}
    for col, stored in stored_times.items():
        if stored is not None and rec[col] != stored:
            return col, f"与已导入的事件 {ev.ext_id} 的时间不一致（已存为 {stored.isoformat()}）"
    if ev.accepted_at is not None and rec["deadline"] is not None and rec["deadline"] != ev.deadline:
        return "deadline", f"与已导入的事件 {ev.ext_id} 的截止时间不一致（已存为 {ev.deadline.isoformat()}）"
    return None
