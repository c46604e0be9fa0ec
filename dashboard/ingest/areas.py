"""Import of areas from GeoJSON: features with ``code``, ``name``, ``level``
(county|town|community|grid), ``parent_code`` and, for grids, optional ``households``, ``houses``,
``population``. Geometry is WGS-84 / CGCS2000 longitude-latitude (Polygon or MultiPolygon).

The file is checked whole before anything is written, and refused whole with every bad feature
named (feature number, property, reason):
- codes, levels and parents follow the national pattern and the hierarchy;
- grids do not overlap ("不交叉重叠");
- every town, community and grid lies within its parent (the parent from the same file, else the
  stored one), and a re-imported parent still holds its stored children: a grid drawn near
  Beijing under a Nanling community would otherwise send the reports at that point to Nanling.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import shapely
from shapely.geometry import shape
from shapely.validation import explain_validity
from sqlalchemy import select
from sqlalchemy.engine import Engine

from dashboard import strings
from dashboard import vocabulary
from dashboard.domain import geo
from dashboard.store.db import bump, transaction
from dashboard.store.models import Area, Department
from dashboard.ingest import ImportFailed, ImportReport, RowError

# Overlap between two grids above this (square degrees, about 10 m²) breaks "不交叉重叠".
OVERLAP_TOLERANCE = 1e-9
# A parent whose grids leave more than this share of it uncovered gets a warning ("不留空白").
GAP_WARNING_SHARE = 0.001
# A child must lie within its parent's outline widened by this many metres. Outlines of a parent
# and of its children are often drawn separately (a community from the civil-affairs map, its
# grids by the street office), so a shared edge may differ by a few metres; 20 m is less than a
# street is wide, so a child may follow its parent's edge loosely but never reach into the
# neighbouring area. Measured in metres on a local projection (see ``_metres``), so it means the
# same at every latitude.
EDGE_TOLERANCE_M = 20.0
# What lies outside the widened outline must be nothing but rounding dust (square metres).
OUTSIDE_MAX_M2 = 1.0
# Metres per degree of latitude, and of longitude at the equator (WGS-84, good to 0.5 %).
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LON = 111_320.0
E = strings.IMPORT_AREA_ERRORS


def _error(n: int | None, field: str | None, reason: str) -> RowError:
    return RowError(n, field, reason, feature=True)


def _int(props, key, row, errors):
    v = props.get(key)
    if v is None or v == "":
        return 0
    try:
        n = int(v)
        if n < 0 or float(v) != n:
            raise ValueError
        return n
    except (TypeError, ValueError):
        errors.append(_error(row, key, E["not_integer"].format(value=v)))
        return 0


def import_areas(engine: Engine, path: str | Path) -> ImportReport:
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ImportFailed([_error(None, None, E["no_file"].format(path=path))]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed([_error(None, None, E["not_json"].format(error=exc))]) from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise ImportFailed([_error(None, None, E["not_collection"])])

    errors: list[RowError] = []
    with engine.connect() as conn:
        stored = {a.code: a for a in conn.execute(select(Area.code, Area.level, Area.name)).all()}
    items = []
    seen: dict[str, int] = {}
    for n, feat in enumerate(doc["features"], start=1):
        props = (feat or {}).get("properties") or {}
        code = str(props.get("code") or "").strip()
        name = str(props.get("name") or "").strip()
        level = str(props.get("level") or "").strip()
        parent = str(props.get("parent_code") or "").strip() or None
        if not code:
            errors.append(_error(n, "code", E["empty"]))
            continue
        if code in seen:
            errors.append(_error(n, "code", E["duplicate"].format(n=seen[code])))
            continue
        seen[code] = n
        if level not in vocabulary.AREA_LEVELS:
            errors.append(_error(n, "level", E["level"].format(level=level)))
            continue
        if not code.isdigit() or len(code) != vocabulary.CODE_LENGTH[level]:
            errors.append(_error(n, "code", E["code_length"].format(level=level, n=vocabulary.CODE_LENGTH[level])))
        if not name:
            errors.append(_error(n, "name", E["empty"]))
        elif len(name) > 64:
            errors.append(_error(n, "name", E["name_long"]))
        if level == "county":
            if parent:
                errors.append(_error(n, "parent_code", E["county_parent"]))
        elif not parent:
            errors.append(_error(n, "parent_code", E["empty"]))
        elif parent != code[:-3]:
            errors.append(_error(n, "parent_code", E["parent_code"].format(code=code[:-3])))
        try:
            geom = shape(feat["geometry"]) if feat.get("geometry") else None
        except Exception as exc:
            errors.append(_error(n, "geometry", E["bad_geometry"].format(error=exc)))
            geom = None
        if geom is None:
            errors.append(_error(n, "geometry", E["no_geometry"]))
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            errors.append(_error(n, "geometry", E["geometry_type"].format(kind=geom.geom_type)))
            geom = None
        elif not geom.is_valid:
            errors.append(_error(n, "geometry", E["invalid"].format(why=explain_validity(geom))))
            geom = None
        else:
            minx, miny, maxx, maxy = geom.bounds
            if not (73 <= minx and maxx <= 136 and 3 <= miny and maxy <= 54):
                errors.append(_error(n, "geometry", E["outside_china"]))
                geom = None
        figures = {k: _int(props, k, n, errors) for k in ("households", "houses", "population")}
        items.append(dict(n=n, code=code, name=name, level=level, parent=parent, geom=geom, **figures))

    levels = {c: a.level for c, a in stored.items()}
    levels.update({i["code"]: i["level"] for i in items})
    for i in items:
        if i["parent"] and i["level"] != "county":
            want = vocabulary.PARENT_LEVEL[i["level"]]
            if i["parent"] not in levels:
                errors.append(_error(i["n"], "parent_code", E["parent_missing"].format(code=i["parent"])))
            elif levels[i["parent"]] != want:
                errors.append(_error(i["n"], "parent_code", E["parent_level"].format(code=i["parent"], level=want)))
    roots = {c for c, lvl in levels.items() if lvl == "county"}
    if len(roots) > 1:
        errors.append(_error(None, None, E["two_counties"].format(codes=sorted(roots))))

    grids = [i for i in items if i["level"] == "grid" and i["geom"] is not None]
    if grids:
        errors.extend(_overlaps(engine, grids))
    errors.extend(_outside_parents(engine, items))
    if errors:
        raise ImportFailed(errors, strings.IMPORT_AREA_FILE)

    report = ImportReport(strings.IMPORT_AREA_KIND)
    report.warnings.extend(_gaps(items))
    order = {lvl: k for k, lvl in enumerate(vocabulary.AREA_LEVELS)}
    with transaction(engine) as s:
        existing = {a.code: a for a in s.scalars(select(Area))}
        depts = set(s.scalars(select(Department.code)))
        for i in sorted(items, key=lambda i: order[i["level"]]):
            cx, cy = geo.centroid(i["geom"])
            values = dict(name=i["name"], level=i["level"], parent_code=i["parent"], geometry=geo.to_geojson(i["geom"]),
                          centroid_lon=cx, centroid_lat=cy, households=i["households"], houses=i["houses"],
                          population=i["population"])
            a = existing.get(i["code"])
            if a is None:
                s.add(Area(code=i["code"], **values))
                s.flush()
                report.created += 1
            elif any(getattr(a, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(a, k, v)
                report.updated += 1
            else:
                report.unchanged += 1
            # Every town, community and grid can handle cases itself (小事一格办理).
            if i["level"] != "county" and i["code"] not in depts:
                s.add(Department(code=i["code"], name=i["name"], level=i["level"], area_code=i["code"]))
                depts.add(i["code"])
        bump(s, "areas", "catalog")
    return report


def _overlaps(engine: Engine, grids: list[dict]) -> list[RowError]:
    """Grids may share edges but not area: with each other and with stored grids not replaced."""
    codes = [g["code"] for g in grids]
    geoms = [g["geom"] for g in grids]
    with engine.connect() as conn:
        for code, text in conn.execute(select(Area.code, Area.geometry).where(Area.level == "grid")):
            if code not in set(codes) and text:
                codes.append(code)
                geoms.append(geo.from_geojson(text))
    tree = shapely.STRtree(geoms)
    errors = []
    for i, g in enumerate(grids):
        for j in tree.query(g["geom"], predicate="intersects"):
            j = int(j)
            if j == i or (i < j < len(grids)):  # each pair once, on the later feature of the file
                continue
            area = g["geom"].intersection(geoms[j]).area
            if area > OVERLAP_TOLERANCE:
                errors.append(_error(g["n"], "geometry", E["overlap"].format(code=g["code"], other=codes[j], m2=f"{area * 1.1e10:.0f}")))
    return errors


def _gaps(items: list[dict]) -> list[str]:
    kids: dict[str, list] = {}
    for i in items:
        if i["parent"] and i["geom"] is not None:
            kids.setdefault(i["parent"], []).append(i["geom"])
    out = []
    for i in items:
        if i["code"] in kids and i["geom"] is not None and i["geom"].area > 0:
            uncovered = i["geom"].difference(shapely.union_all(kids[i["code"]])).area / i["geom"].area
            if uncovered > GAP_WARNING_SHARE:
                out.append(strings.IMPORT_AREA_GAP.format(name=i["name"], code=i["code"], share=f"{uncovered:.1%}"))
    return out


# --- children within their parents ---------------------------------------------------------------


def _metres(geom, lon0: float, lat0: float):
    """``geom`` in metres on a local equirectangular projection around (lon0, lat0): good to a
    fraction of a percent across a county, which is all a tolerance of metres needs."""
    kx = M_PER_DEG_LON * math.cos(math.radians(lat0))
    return shapely.transform(geom, lambda xy: (xy - (lon0, lat0)) * (kx, M_PER_DEG_LAT))


class _Outline:
    """A parent's outline in metres, widened by ``EDGE_TOLERANCE_M``, built once per parent."""

    def __init__(self, geom):
        c = geom.centroid
        self.lon0, self.lat0 = c.x, c.y
        self.widened = _metres(geom, self.lon0, self.lat0).buffer(EDGE_TOLERANCE_M)
        shapely.prepare(self.widened)

    def outside(self, child) -> tuple[float, float]:
        """(square metres of ``child`` beyond the widened outline, the child's square metres)."""
        c = _metres(child, self.lon0, self.lat0)
        if self.widened.covers(c):
            return 0.0, c.area
        return c.difference(self.widened).area, c.area


def _outside_parents(engine: Engine, items: list[dict]) -> list[RowError]:
    """Every child of the file within its parent (from the file, else stored); every stored child
    of a parent in the file (not itself re-imported) within the parent's new outline."""
    in_file = {i["code"]: i for i in items}
    want_parents = {i["parent"] for i in items if i["parent"] and i["parent"] not in in_file and i["geom"] is not None}
    parents = {c: dict(code=c, name=i["name"], level=i["level"], geom=i["geom"]) for c, i in in_file.items()}
    with engine.connect() as conn:
        if want_parents:
            for a in conn.execute(select(Area.code, Area.name, Area.level, Area.geometry).where(Area.code.in_(want_parents))):
                if a.geometry:
                    parents[a.code] = dict(code=a.code, name=a.name, level=a.level, geom=geo.from_geojson(a.geometry))
        holders = [c for c, i in in_file.items() if i["level"] != "grid" and i["geom"] is not None]  # grids have no children
        stored_children = [] if not holders else conn.execute(
            select(Area.code, Area.name, Area.level, Area.parent_code, Area.geometry)
            .where(Area.parent_code.in_(holders))).all()
    outlines: dict[str, _Outline] = {}

    def outline(code: str) -> _Outline:
        if code not in outlines:
            outlines[code] = _Outline(parents[code]["geom"])
        return outlines[code]

    def share(out: float, total: float) -> str:
        return f"{out / total:.1%}" if total > 0 else "100%"

    levels = strings.LEVEL_LABELS
    errors = []
    for i in items:
        p = parents.get(i["parent"]) if i["parent"] else None
        if i["geom"] is None or p is None or p["geom"] is None:
            continue
        out, total = outline(p["code"]).outside(i["geom"])
        if out > OUTSIDE_MAX_M2:
            errors.append(_error(i["n"], "geometry", E["outside_parent"].format(
                level=levels[i["level"]], name=i["name"], code=i["code"], share=share(out, total), m2=f"{out:,.0f}",
                parent_level=levels[p["level"]], parent_name=p["name"], parent=p["code"], tol=f"{EDGE_TOLERANCE_M:g}")))
    for a in stored_children:
        parent = in_file[a.parent_code]
        if a.code in in_file or parent["geom"] is None or not a.geometry:
            continue
        out, total = outline(parent["code"]).outside(geo.from_geojson(a.geometry))
        if out > OUTSIDE_MAX_M2:
            errors.append(_error(parent["n"], "geometry", E["child_outside"].format(
                level=levels[a.level], name=a.name, code=a.code, share=share(out, total), m2=f"{out:,.0f}",
                tol=f"{EDGE_TOLERANCE_M:g}")))
    return errors
