"""Geometry for the maps, served once per areas version: GeoJSON by level, cached in the process,
with an ETag so browsers revalidate instead of downloading again. Gaode/Tencent tiles are in
GCJ-02: when the tile layer says so, coordinates are shifted here, once."""

from __future__ import annotations

import gzip
import hashlib
import json
import threading

from flask import Response, request

from dashboard import strings
from dashboard.web import access
from dashboard.store import db
from dashboard import vocabulary
from dashboard.figures.geometry import DETAILS, compact_collection, feature_collection, labels
from dashboard.web.runtime import current
from dashboard.web.api import ApiError, blueprint

_cache: dict[tuple, tuple[str, bytes]] = {}
_lock = threading.Lock()


def _level(level: str) -> None:
    if level not in vocabulary.AREA_LEVELS:
        raise ApiError(404, strings.API_NO_GEO_LEVEL.format(level=level), {"level": strings.API_GEO_LEVELS})


def _within() -> str | None:
    within = request.args.get("within") or None
    if within is not None and vocabulary.level_of_code(within) is None:
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
