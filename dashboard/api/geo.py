"""Geometry for the maps, served once per areas version: GeoJSON by level, cached in the process,
with an ETag so browsers revalidate instead of downloading again. Gaode/Tencent tiles are in
GCJ-02: when the tile layer says so, coordinates are shifted here, once."""

from __future__ import annotations

import gzip
import hashlib
import json
import threading

from flask import Response, request
from sqlalchemy import select

from .. import access, db, domain, geo, strings
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


def _level(level: str) -> None:
    if level not in domain.AREA_LEVELS:
        raise ApiError(404, strings.API_NO_GEO_LEVEL.format(level=level), {"level": strings.API_GEO_LEVELS})


def _within() -> str | None:
    within = request.args.get("within") or None
    if within is not None and domain.level_of_code(within) is None:
        raise ApiError(400, strings.API_BAD_AREA_CODE, {"within": strings.API_AREA_CODE_FORM})
    return within


def _scoped(level: str, within: str | None) -> str | None:
    """A town's account gets its town's geometry only (the county outline is not its)."""
    town = access.limit()
    if town is None:
        return within
    if level == "county" or (within is not None and not within.startswith(town) and not town.startswith(within)):
        raise ApiError(404, strings.API_NO_GEO_LEVEL.format(level=level), {"within": strings.API_MISSING})
    return town if within is None or town.startswith(within) else within


def _body(rt, key: tuple, build) -> tuple[str, bytes, bytes]:
    """(etag, body, gzipped body) of one geometry answer for the current areas version: built
    once per process, and once for every worker and restart when the shared cache is Redis or
    files (a city's 19,000 grids take seconds to encode)."""
    version = db.versions(rt.engine).get("areas", 0)
    key = (rt.settings.database_url, rt.settings.tile_crs) + key
    # Stable across worker processes (unlike hash()), so any worker can answer 304.
    etag = '"%s-%s"' % (version, hashlib.sha1(repr(key).encode()).hexdigest()[:12])
    with _lock:
        hit = _cache.get(key)
    if hit is None or hit[0] != etag:
        def make():
            body = build(rt)
            return gzip.compress(body, 6)

        gz = rt.cache.memo(rt.cache.key("geo", key, version), make, timeout=0)
        hit = (etag, None, gz)
        with _lock:
            _cache[key] = hit
    return hit


def _serve(key: tuple, mimetype: str, build) -> Response:
    """One body per areas version, kept gzipped (gzipping 6 MB of city geometry on
    every request cost ~130 ms of CPU), with an ETag for 304s."""
    rt = current()
    version = db.versions(rt.engine).get("areas", 0)
    etag_key = (rt.settings.database_url, rt.settings.tile_crs) + key
    etag = '"%s-%s"' % (version, hashlib.sha1(repr(etag_key).encode()).hexdigest()[:12])
    if request.headers.get("If-None-Match") == etag:
        return Response(status=304, headers={"ETag": etag})
    etag, _, gz = _body(rt, key, build)
    headers = {"ETag": etag, "Cache-Control": "no-cache", "Vary": "Accept-Encoding"}
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        resp = Response(gz, mimetype=mimetype, headers={**headers, "Content-Encoding": "gzip"})
    else:
        resp = Response(gzip.decompress(gz), mimetype=mimetype, headers=headers)
    resp.direct_passthrough = True  # already compressed: Flask-Compress leaves it alone
    return resp


@blueprint.get("/geo/<level>.geojson")
def geojson(level: str):
    """``/api/v1/geo/grid.geojson`` (or town, community, county); ``?within=CODE`` for a subtree,
    ``?labels=1`` for centroid points."""
    _level(level)
    asked = _within()
    within = _scoped(level, asked)
    as_labels = request.args.get("labels") in ("1", "true")
    detail = request.args.get("detail") or None
    if detail is not None:  # the big screen's compact features (c, n, i), simplified per view
        if detail not in DETAILS or asked or as_labels:
            raise ApiError(400, strings.API_BAD_DETAIL, {"detail": strings.API_DETAIL_FORM_ALONE})
        return _serve((level, "json", detail, access.limit()), "application/geo+json",
                      _compact_json_builder(level, detail, access.limit()))

    def build(rt):
        fn = labels if as_labels else feature_collection
        return json.dumps(fn(rt.engine, level, within, rt.settings.tile_crs), ensure_ascii=False,
                          separators=(",", ":")).encode()

    return _serve((level, within, as_labels), "application/geo+json", build)


def _compact_json_builder(level: str, detail: str, within: str | None = None):
    def build(rt):
        return json.dumps(compact_collection(rt.engine, level, detail, rt.settings.tile_crs, within), ensure_ascii=False,
                          separators=(",", ":")).encode()

    return build


# --- compact geometry for the big screen ---------------------------------------------------------
DETAILS = ("full", "overview")
OVERVIEW_PIXELS = 1000  # the county-wide map is about this many pixels across (1920×1080 design)


def overview_tolerance(bounds: tuple[float, float, float, float], pixels: int = OVERVIEW_PIXELS) -> float:
    """Half a pixel, in degrees, when the whole extent fills ``pixels``: what the eye cannot see."""
    minx, miny, maxx, maxy = bounds
    return 0.5 * max(maxx - minx, maxy - miny) / pixels


def compact_collection(engine, level: str, detail: str = "full", crs: str = "wgs84", within: str | None = None) -> dict:
    """Areas of one level with only what the big screen reads (``c`` code, ``n`` name and, for
    grids, ``i`` their position in ``mapdata.grid_index``, which the colours are aligned with).
    ``detail="overview"`` simplifies the whole coverage at once (``shapely.coverage_simplify``:
    shared edges stay shared, so the grids still tile with no gaps or overlaps) to half a pixel
    of the county-wide view. ``within``: only that town's areas (a town's account); the
    positions ``i`` stay the county's, so the shared colour arrays still line up."""
    import numpy as np
    import shapely

    from ..mapdata import grid_index

    fc = feature_collection(engine, level, within, crs)
    feats = fc["features"]
    if feats:
        geoms = shapely.from_geojson([json.dumps(f["geometry"]) for f in feats])
        if detail == "overview":
            tol = overview_tolerance(tuple(shapely.total_bounds(geoms)))
            geoms = shapely.coverage_simplify(geoms, tol, simplify_boundary=True)
        # 1e-6° (about 0.1 m), as geobuf stores them: a third of the JSON to send and to parse.
        geoms = shapely.transform(geoms, lambda xy: np.round(xy, 6))
        for f, g in zip(feats, shapely.to_geojson(geoms)):
            f["geometry"] = json.loads(g)
    position = grid_index(engine).position if level == "grid" else {}
    for f in feats:
        p = f["properties"]
        f["properties"] = {"c": p["c"], "n": p["n"], **({"i": position[p["c"]]} if p["c"] in position else {})}
    return fc


@blueprint.get("/geo/<level>.pbf")
def geobuf_collection(level: str):
    """``/api/v1/geo/grid.pbf?detail=overview``: the same compact areas as geobuf (protocol
    buffers, coordinates as integer deltas at 1e-6°), for clients that want the fewest bytes.
    The big screen reads the JSON (``grid.geojson?detail=overview``): gzipped it is only ~10%
    larger, and the browser's native JSON.parse paints 19,000 grids about a second sooner than
    decoding geobuf in JavaScript (measured)."""
    _level(level)
    detail = request.args.get("detail") or "full"
    if detail not in DETAILS:
        raise ApiError(400, strings.API_BAD_DETAIL, {"detail": strings.API_DETAIL_FORM})

    _scoped(level, None)
    town = access.limit()
    return _serve((level, "pbf", detail, town), "application/x-protobuf", _geobuf_builder(level, detail, town))


def _geobuf_builder(level: str, detail: str, within: str | None = None):
    def build(rt):
        import geobuf

        return geobuf.encode(compact_collection(rt.engine, level, detail, rt.settings.tile_crs, within), 6)

    return build


def warm(runtime, background: bool = True) -> threading.Thread | None:
    """Build the big screen's geometry when the app starts, so the first screen after a deploy or
    an import does not wait for it (the shared cache keeps it). ``background=False`` builds it in
    the caller's thread: a server that forks workers must (a lock held by a warm-up thread at the
    moment of the fork would stay held in that worker for ever, and hang every request for it)."""
    def run():
        try:
            # the county's key (no town limit): what ``geojson`` asks for a county-wide screen
            _body(runtime, ("grid", "json", "overview", None), _compact_json_builder("grid", "overview"))
        except Exception as exc:  # noqa: BLE001 - a cold cache is slower, never broken
            import logging

            logging.getLogger(__name__).warning("geometry warm-up failed: %s", exc)

    if not background:
        run()
        return None
    t = threading.Thread(target=run, name="gridscreen-geo-warm", daemon=True)
    t.start()
    return t
