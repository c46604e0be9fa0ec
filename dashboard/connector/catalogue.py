"""Upserting what cases refer to: areas, departments (handlers), categories and staff.

Each source row is written in its own savepoint: a refused row (bad code, unknown parent, a
category left without a time limit ...) changes nothing and never blocks the rows after it. A
row equal to what is stored writes nothing. The same rules as the file imports apply: the
national area-code pattern, every town, community and grid as a handler of its own cases, a
minor category running on its parent's time limit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from dashboard.domain import categories
from dashboard import vocabulary
from dashboard.domain import geo
from dashboard.store.models import Area, Category, Department, Staff
from dashboard.strings import SYNC_REFUSALS as R
from dashboard.connector.rows import Refused, Row
from dashboard.connector.source import reason


@dataclass
class Known:
    """What is stored, loaded once per entity and kept current as rows are written."""

    areas: dict[str, str] = field(default_factory=dict)  # code -> level
    departments: dict[str, str] = field(default_factory=dict)  # code -> handler level
    catalogue: dict[str, tuple] = field(default_factory=dict)  # category code -> (parent, own limit)
    staff: dict[str, int] = field(default_factory=dict)  # ext_id -> id

    @classmethod
    def load(cls, session: Session) -> "Known":
        return cls(
            areas=dict(session.execute(select(Area.code, Area.level)).all()),
            departments=dict(session.execute(select(Department.code, Department.level)).all()),
            catalogue=categories.stored_catalogue(session),
            staff=dict(session.execute(select(Staff.ext_id, Staff.id).where(Staff.ext_id.is_not(None))).all()),
        )

    def limits(self) -> dict[str, float | None]:
        return categories.effective_limits(self.catalogue)


def write_each(session: Session, rows: list[Row], upsert, known: Known, now: datetime) -> tuple[int, list]:
    """Write rows one savepoint each: (rows that changed something, [(key, reason)] refused)."""
    written, refused = 0, []
    for row in rows:
        try:
            with session.begin_nested():
                if upsert(session, row, known, now):
                    written += 1
        except Refused as exc:
            refused.append((row.key, str(exc)))
        except DBAPIError as exc:
            refused.append((row.key, R["database"].format(error=reason(exc))))
    return written, refused


def _set(obj, values: dict) -> bool:
    changed = False
    for k, v in values.items():
        if getattr(obj, k) != v:
            setattr(obj, k, v)
            changed = True
    return changed


def _delete(session: Session, *objects) -> bool:
    """Delete what is stored (nothing to do when nothing is); refused while anything refers to it."""
    objects = [o for o in objects if o is not None]
    if not objects:
        return False
    try:
        for o in objects:
            session.delete(o)
            session.flush()
    except DBAPIError:
        raise Refused(R["still_used"]) from None
    return True


# --- areas --------------------------------------------------------------------------------------


def area_order(row: Row) -> int:
    return len(row.values.get("code") or "")


def upsert_area(session: Session, row: Row, known: Known, now: datetime) -> bool:
    v = row.values
    code = v["code"]
    level = v.get("level") or vocabulary.level_of_code(code)
    if level is None or not code.isdigit() or len(code) != vocabulary.CODE_LENGTH[level]:
        rule = R["area_code_level"].format(level=level, n=vocabulary.CODE_LENGTH[level]) if level else R["area_code_any"]
        raise Refused(R["area_code"].format(code=code, rule=rule))
    stored = session.get(Area, code)
    if v.get("deleted"):
        handler = session.get(Department, code)
        done = _delete(session, handler, stored)
        known.areas.pop(code, None)
        known.departments.pop(code, None)
        return done
    parent = v.get("parent_code") or (code[:-3] if level != "county" else None)
    if level == "county":
        if parent:
            raise Refused(R["county_parent"])
        other = [c for c, lvl in known.areas.items() if lvl == "county" and c != code]
        if other:
            raise Refused(R["one_county"].format(code=other[0]))
    elif parent != code[:-3]:
        raise Refused(R["parent_code"].format(want=code[:-3], got=parent))
    elif known.areas.get(parent) != vocabulary.PARENT_LEVEL[level]:
        raise Refused(R["no_parent_area"].format(code=parent, level=vocabulary.PARENT_LEVEL[level]))
    values = {"name": v["name"], "level": level, "parent_code": parent}
    for k in ("households", "houses", "population"):
        if k in v and v[k] is not None:
            values[k] = v[k]
    if v.get("geometry"):
        try:
            geom = geo.area_shape(v["geometry"])
        except ValueError as exc:
            raise Refused(R["geometry"].format(reason=exc)) from None
        cx, cy = geo.centroid(geom)
        values.update(geometry=geo.to_geojson(geom), centroid_lon=cx, centroid_lat=cy)
    changed = False
    if stored is None:
        values.setdefault("households", 0)
        values.setdefault("houses", 0)
        values.setdefault("population", 0)
        session.add(Area(code=code, **values))
        session.flush()
        changed = True
    else:
        changed = _set(stored, values)
    known.areas[code] = level
    # Every town, community and grid can handle cases itself (小事一格办理), as in the file import.
    if level != "county" and code not in known.departments:
        session.add(Department(code=code, name=v["name"], level=level, area_code=code))
        known.departments[code] = level
        changed = True
    return changed


# --- departments --------------------------------------------------------------------------------


def upsert_department(session: Session, row: Row, known: Known, now: datetime) -> bool:
    v = row.values
    code, level = v["code"], v["level"]
    problem = categories.code_problem(code)
    if problem:
        raise Refused(R["code"].format(reason=problem))
    stored = session.get(Department, code)
    if v.get("deleted"):
        done = _delete(session, stored)
        known.departments.pop(code, None)
        return done
    if level in ("town", "community", "grid") and code in known.areas and known.areas[code] != level:
        raise Refused(R["area_level"].format(code=code, area=known.areas[code], level=level))
    area_code = code if code in known.areas and level != "county_department" else None
    values = {"name": v["name"], "level": level, "area_code": area_code}
    known.departments[code] = level
    if stored is None:
        session.add(Department(code=code, **values))
        return True
    return _set(stored, values)


# --- categories ---------------------------------------------------------------------------------


def category_order(rows: list[Row]) -> list[Row]:
    """Parents before children (within the rows; stored parents are there already)."""
    parent = {r.values.get("code"): r.values.get("parent_code") for r in rows}

    def depth(code):
        d, seen = 0, set()
        while parent.get(code) and code not in seen:
            seen.add(code)
            code, d = parent[code], d + 1
        return d

    return sorted(rows, key=lambda r: depth(r.values.get("code")))


def upsert_category(session: Session, row: Row, known: Known, now: datetime) -> bool:
    v = row.values
    code = v["code"]
    problem = categories.code_problem(code)
    if problem:
        raise Refused(R["code"].format(reason=problem))
    stored = session.get(Category, code)
    if v.get("deleted"):
        done = _delete(session, stored)
        known.catalogue.pop(code, None)
        return done
    parent_code = v.get("parent_code")
    parent = session.get(Category, parent_code) if parent_code else None
    if parent_code and parent is None:
        raise Refused(R["no_parent_category"].format(code=parent_code))
    if parent_code == code:
        raise Refused(R["self_parent"])
    limit = v.get("time_limit_hours")
    if limit is not None and not limit > 0:
        raise Refused(R["not_positive"].format(value=limit))
    handler = v.get("default_handler_code")
    if handler and handler not in known.departments:
        raise Refused(R["no_default_handler"].format(code=handler))
    # A cycle through stored categories (the source re-parented a parent under its child).
    c, seen = parent_code, set()
    while c and c not in seen:
        if c == code:
            raise Refused(R["cycle"])
        seen.add(c)
        c = known.catalogue.get(c, (None, None))[0]
    catalogue = dict(known.catalogue)
    catalogue[code] = (parent_code, limit)
    problem = categories.uninherited(catalogue, [code]).get(code)
    if problem:
        raise Refused(problem)
    # Major / dispute flags are inherited from the parent unless the row says otherwise (as in the import).
    major = v.get("is_major")
    dispute = v.get("is_dispute")
    values = {"name": v["name"], "parent_code": parent_code, "time_limit_hours": limit,
              "default_handler_code": handler,
              "is_major": major if major is not None else bool(parent and parent.is_major),
              "is_dispute": dispute if dispute is not None else bool(parent and parent.is_dispute)}
    known.catalogue[code] = (parent_code, limit)
    if stored is None:
        session.add(Category(code=code, **values))
        session.flush()
        return True
    return _set(stored, values)


# --- staff --------------------------------------------------------------------------------------


def masked_phone(phone: str | None) -> str | None:
    """Phones are stored masked only: 13812345678 -> 138****5678."""
    if not phone:
        return None
    if "*" in phone:
        return phone[:16]
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) < 7:
        return "****"
    return f"{digits[:3]}****{digits[-4:]}"


def upsert_staff(session: Session, row: Row, known: Known, now: datetime) -> bool:
    v, key = row.values, row.key
    stored = session.scalar(select(Staff).where(Staff.ext_id == key))
    if v.get("deleted"):
        if stored is None or not stored.active:
            return False
        stored.active = False  # kept: cases and patrols name their staff
        return True
    if known.areas.get(v["grid_code"]) != "grid":
        raise Refused(R["no_grid"].format(code=v["grid_code"]))
    values = {"name": v["name"], "grid_code": v["grid_code"], "role": v["role"]}
    if "phone" in v:
        values["phone_masked"] = masked_phone(v["phone"])
    if "active" in v:
        values["active"] = True if v["active"] is None else v["active"]
    if v.get("last_seen_at") is not None:
        values["last_seen_at"] = v["last_seen_at"]
    if stored is None:
        values.setdefault("active", True)
        staff = Staff(ext_id=key, **values)
        session.add(staff)
        session.flush()
        known.staff[key] = staff.id
        return True
    known.staff[key] = stored.id
    return _set(stored, values)
