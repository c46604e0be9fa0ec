"""Geometry for the maps, served once per areas version: GeoJSON by level, cached in the process,
with an ETag so browsers revalidate instead of downloading again. Gaode/Tencent tiles are in
GCJ-02: when the tile layer says so, coordinates are shifted here, once."""

from __future__ import annotations

import hashlib
import json
import threading

from flask import Response, request
from sqlalchemy import select

from .. import access, db, domain, geo
from ..models import Area
from ..runtime import current
from . import ApiError, blueprint

_cache: dict[tuple, tuple[str, bytes]] = {}
_lock = threading.Lock()


def feature_collection(engine, level: str, within: str | None = None, crs: str = "wgs84") -> dict:
    """Areas of one level as GeoJSON features with short properties: c code, n name, p parent."""
    stmt = select(Area.code, Area.name, Area.parent_code, Area.geometry, Area.centroid_lon, Area.centroid_lat).where(
        Area.level == level)
    if within:
        stmt = stmt.where(Area.code.startswith(within, autoescape=True))
    feats = []
    with engine.connect() as conn:
        for code, name, parent, g, lon, lat in conn.execute(stmt.order_by(Area.code)):
            if not g:
                continue
            feats.append({"type": "Feature", "geometry": json.loads(g),
                          "properties": {"c": code, "n": name, "p": parent, "lon": lon, "lat": lat}})
    fc = {"type": "FeatureCollection", "features": feats}
    if crs == "gcj02":
        geo.transform_geojson_coords(fc, geo.wgs84_to_gcj02)
        for f in feats:
            f["properties"]["lon"], f["properties"]["lat"] = geo.wgs84_to_gcj02(f["properties"]["lon"], f["properties"]["lat"])
    return fc


def labels(engine, level: str, within: str | None = None, crs: str = "wgs84") -> dict:
    """Label points (centroids) of one level, for names drawn on the map."""
    fc = feature_collection(engine, level, within, crs)
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [f["properties"]["lon"], f["properties"]["lat"]]},
         "properties": {"c": f["properties"]["c"], "n": f["properties"]["n"]}} for f in fc["features"]]}


@blueprint.get("/geo/<level>.geojson")
def geojson(level: str):
    """``/api/v1/geo/grid.geojson`` (or town, community, county); ``?within=CODE`` for a subtree,
    ``?labels=1`` for centroid points."""
    if level not in domain.AREA_LEVELS:
        raise ApiError(404, f"没有“{level}”级的地图数据", {"level": "应为 county、town、community 或 grid"})
    rt = current()
    within = request.args.get("within") or None
    if within is not None and domain.level_of_code(within) is None:
        raise ApiError(400, "区域编码有误", {"within": "应为6-15位数字编码"})
    # issue 8: a town's account gets its town's geometry (the county outline is not its)
    town = access.limit()
    if town is not None:
        if level == "county" or (within is not None and not within.startswith(town) and not town.startswith(within)):
            raise ApiError(404, f"没有“{level}”级的地图数据", {"within": "不存在"})
        if within is None or town.startswith(within):
            within = town
    as_labels = request.args.get("labels") in ("1", "true")
    version = db.versions(rt.engine).get("areas", 0)
    key = (rt.settings.database_url, level, within, as_labels, rt.settings.tile_crs)
    # Stable across worker processes (unlike hash()), so any worker can answer 304.
    etag = '"%s-%s"' % (version, hashlib.sha1(repr(key).encode()).hexdigest()[:12])
    if request.headers.get("If-None-Match") == etag:
        return Response(status=304, headers={"ETag": etag})
    with _lock:
        hit = _cache.get(key)
    if hit is None or hit[0] != etag:
        build = labels if as_labels else feature_collection
        body = json.dumps(build(rt.engine, level, within, rt.settings.tile_crs), ensure_ascii=False,
                          separators=(",", ":")).encode()
        hit = (etag, body)
        with _lock:
            _cache[key] = hit
    return Response(hit[1], mimetype="application/geo+json",
                    headers={"ETag": etag, "Cache-Control": "no-cache"})
