"""Import of areas from GeoJSON: features with ``code``, ``name``, ``level``
(county|town|community|grid), ``parent_code`` and, for grids, optional ``households``, ``houses``,
``population``. Geometry is WGS-84 / CGCS2000 longitude-latitude (Polygon or MultiPolygon).
"""

from __future__ import annotations

import json
from pathlib import Path

import shapely
from shapely.geometry import shape
from shapely.validation import explain_validity
from sqlalchemy import select
from sqlalchemy.engine import Engine

from .. import domain, geo
from ..db import bump, transaction
from ..models import Area, Department
from . import ImportFailed, ImportReport, RowError

# Overlap between two grids above this (square degrees, about 10 m²) breaks "不交叉重叠".
OVERLAP_TOLERANCE = 1e-9
# A parent whose grids leave more than this share of it uncovered gets a warning ("不留空白").
GAP_WARNING_SHARE = 0.001


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
        errors.append(RowError(row, key, f"“{v}”不是非负整数"))
        return 0


def import_areas(engine: Engine, path: str | Path) -> ImportReport:
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ImportFailed([RowError(None, None, f"找不到文件 {path}")]) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImportFailed([RowError(None, None, f"不是有效的 GeoJSON: {exc}")]) from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(doc.get("features"), list):
        raise ImportFailed([RowError(None, None, "应为 GeoJSON FeatureCollection")])

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
            errors.append(RowError(n, "code", "不能为空"))
            continue
        if code in seen:
            errors.append(RowError(n, "code", f"与第{seen[code]}个要素重复"))
            continue
        seen[code] = n
        if level not in domain.AREA_LEVELS:
            errors.append(RowError(n, "level", f"“{level}”不是有效层级，应为 county、town、community 或 grid"))
            continue
        if not code.isdigit() or len(code) != domain.CODE_LENGTH[level]:
            errors.append(RowError(n, "code", f"{level}级编码应为{domain.CODE_LENGTH[level]}位数字（县6位，其下每级加3位）"))
        if not name:
            errors.append(RowError(n, "name", "不能为空"))
        elif len(name) > 64:
            errors.append(RowError(n, "name", "超过64个字符"))
        if level == "county":
            if parent:
                errors.append(RowError(n, "parent_code", "县级区域不应有上级"))
        elif not parent:
            errors.append(RowError(n, "parent_code", "不能为空"))
        elif parent != code[:-3]:
            errors.append(RowError(n, "parent_code", f"上级编码应为本编码去掉末3位（{code[:-3]}）"))
        try:
            geom = shape(feat["geometry"]) if feat.get("geometry") else None
        except Exception as exc:
            errors.append(RowError(n, "geometry", f"几何无法解析: {exc}"))
            geom = None
        if geom is None:
            errors.append(RowError(n, "geometry", "缺少几何"))
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            errors.append(RowError(n, "geometry", f"应为 Polygon 或 MultiPolygon，而不是 {geom.geom_type}"))
            geom = None
        elif not geom.is_valid:
            errors.append(RowError(n, "geometry", f"几何无效: {explain_validity(geom)}"))
            geom = None
        else:
            minx, miny, maxx, maxy = geom.bounds
            if not (73 <= minx and maxx <= 136 and 3 <= miny and maxy <= 54):
                errors.append(RowError(n, "geometry", "坐标不在中国范围内（应为经度、纬度，WGS-84/CGCS2000）"))
                geom = None
        figures = {k: _int(props, k, n, errors) for k in ("households", "houses", "population")}
        items.append(dict(n=n, code=code, name=name, level=level, parent=parent, geom=geom, **figures))

    levels = {c: a.level for c, a in stored.items()}
    levels.update({i["code"]: i["level"] for i in items})
    for i in items:
        if i["parent"] and i["level"] != "county":
            want = domain.PARENT_LEVEL[i["level"]]
            if i["parent"] not in levels:
                errors.append(RowError(i["n"], "parent_code", f"上级区域 {i['parent']} 不存在"))
            elif levels[i["parent"]] != want:
                errors.append(RowError(i["n"], "parent_code", f"上级 {i['parent']} 应为{want}级"))
    roots = {c for c, lvl in levels.items() if lvl == "county"}
    if len(roots) > 1:
        errors.append(RowError(None, None, f"一个数据库只能有一个县级区域，现有 {sorted(roots)}"))

    grids = [i for i in items if i["level"] == "grid" and i["geom"] is not None]
    if grids:
        errors.extend(_overlaps(engine, grids))
    if errors:
        raise ImportFailed(errors, "区域文件")

    report = ImportReport("区域")
    report.warnings.extend(_gaps(items))
    order = {lvl: k for k, lvl in enumerate(domain.AREA_LEVELS)}
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
                errors.append(RowError(g["n"], "geometry", f"网格 {g['code']} 与网格 {codes[j]} 交叉重叠（约 {area * 1.1e10:.0f} 平方米）"))
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
                out.append(f"{i['name']}（{i['code']}）有 {uncovered:.1%} 的面积未被下级区域覆盖")
    return out
