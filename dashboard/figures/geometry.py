"""The areas' outlines as the maps draw them: GeoJSON features by level with short properties,
label points, and the compact, simplified coverage the big screen loads once (shifted to GCJ-02
when the tile layer is). Served by ``api/geo`` and drawn into exported maps by the chart
catalogue; no web framework here.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sqlalchemy import select

from dashboard.domain import geo
from dashboard.store import db
from dashboard.store.models import Area


# The map's grids in code order: a city's 19,000 grids (and their households) are read once per
# ``areas`` data version, never on a refresh; the colours travel as arrays aligned with this order
# (``api/geo`` serves grids with ``i`` = position).
@dataclass(frozen=True)
class GridIndex:
    """Every grid of the database ordered by code: the order of the map's features."""

    codes: tuple[str, ...]
    households: np.ndarray
    position: dict
    lookup: pd.Index = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "lookup", pd.Index(self.codes, dtype=object))

    def __len__(self):
        return len(self.codes)

    def positions(self, codes) -> np.ndarray:
        """Position of each of ``codes`` in this index (-1 for a code that is not a grid of it)."""
        return self.lookup.get_indexer(pd.Index(codes, dtype=object)).astype(np.int64)

    def within(self, area: str | None) -> np.ndarray:
        """Positions of the grids inside ``area`` (a code prefix; None = all)."""
        if not area:
            return np.arange(len(self.codes))
        return np.flatnonzero(self.lookup.str.startswith(area)).astype(np.int64)


_index_cache: dict = {}
_index_lock = threading.Lock()


def grid_index(engine, areas_version: int | None = None) -> GridIndex:
    """The grids in code order, read once per ``areas`` data version (imports bump it)."""
    if areas_version is None:
        areas_version = db.versions(engine).get("areas", 0)
    key = (engine.url.render_as_string(hide_password=True), areas_version)
    with _index_lock:
        hit = _index_cache.get(key)
    if hit is not None:
        return hit
    with engine.connect() as conn:
        rows = conn.execute(select(Area.code, Area.households).where(Area.level == "grid").order_by(Area.code)).all()
    codes = tuple(r[0] for r in rows)
    idx = GridIndex(codes=codes, households=np.array([r[1] or 0 for r in rows], dtype="float64"),
                    position={c: i for i, c in enumerate(codes)})
    with _index_lock:
        for k in [k for k in _index_cache if k[0] == key[0]]:
            del _index_cache[k]
        _index_cache[key] = idx
    return idx


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


DETAILS = ("full", "overview")
OVERVIEW_PIXELS = 1000  # the county-wide map is about this many pixels across (1920×1080 design)


def overview_tolerance(bounds: tuple[float, float, float, float], pixels: int = OVERVIEW_PIXELS) -> float:
    """Half a pixel, in degrees, when the whole extent fills ``pixels``: what the eye cannot see."""
    minx, miny, maxx, maxy = bounds
    return 0.5 * max(maxx - minx, maxy - miny) / pixels


def compact_collection(engine, level: str, detail: str = "full", crs: str = "wgs84", within: str | None = None) -> dict:
    """Areas of one level with only what the big screen reads (``c`` code, ``n`` name and, for
    grids, ``i`` their position in ``grid_index``, which the colours are aligned with).
    ``detail="overview"`` simplifies the whole coverage at once (``shapely.coverage_simplify``:
    shared edges stay shared, so the grids still tile with no gaps or overlaps) to half a pixel
    of the county-wide view. ``within``: only that town's areas (a town's account); the
    positions ``i`` stay the county's, so the shared colour arrays still line up."""
    import numpy as np
    import shapely

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
