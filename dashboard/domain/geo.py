"""Geometry: synthetic tilings for the demo profiles, GeoJSON in and out, and point-in-grid lookup.

A tiling is built top-down by Voronoi partition (county → towns → communities → grids): Voronoi
cells clipped to their parent cover it with no gaps and no overlaps ("不留空白、不交叉重叠"), and
each level above the grids is then re-derived as the union of its children so the hierarchy nests
exactly.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon, mapping, shape
from shapely.ops import unary_union

from dashboard import strings

PRECISION = 1e-6  # degrees (~0.1 m): coordinates are snapped to this grid


def outline(rng: np.random.Generator, center: tuple[float, float], rx: float, ry: float, roughness: float = 0.18,
            n: int = 160) -> Polygon:
    """An irregular, star-shaped region (smooth random radius) around ``center``."""
    t = np.linspace(0, 2 * math.pi, n, endpoint=False)
    r = np.ones_like(t)
    for k in range(2, 7):
        r += roughness / k * rng.normal() * np.cos(k * t + rng.uniform(0, 2 * math.pi))
    r = np.clip(r, 0.6, 1.35)
    xs = center[0] + rx * r * np.cos(t)
    ys = center[1] + ry * r * np.sin(t)
    return shapely.set_precision(Polygon(np.column_stack([xs, ys])), PRECISION)


def sample_points(rng: np.random.Generator, region, n: int, hubs: list[tuple[float, float, float]] | None = None,
                  spread: float = 0.0) -> np.ndarray:
    """``n`` distinct points inside ``region``; with ``hubs`` (x, y, weight) drawn towards them
    (Gaussian of std ``spread``), otherwise uniform."""
    minx, miny, maxx, maxy = region.bounds
    shapely.prepare(region)
    out: list[tuple[float, float]] = []
    weights = np.array([h[2] for h in hubs]) / sum(h[2] for h in hubs) if hubs else None
    while len(out) < n:
        m = max(64, (n - len(out)) * 4)
        if hubs:
            idx = rng.choice(len(hubs), size=m, p=weights)
            xs = np.array([hubs[i][0] for i in idx]) + rng.normal(0, spread, m)
            ys = np.array([hubs[i][1] for i in idx]) + rng.normal(0, spread, m)
            uniform = rng.random(m) < 0.35  # keep some spread over the whole region
            xs[uniform] = rng.uniform(minx, maxx, uniform.sum())
            ys[uniform] = rng.uniform(miny, maxy, uniform.sum())
        else:
            xs = rng.uniform(minx, maxx, m)
            ys = rng.uniform(miny, maxy, m)
        inside = shapely.contains_xy(region, xs, ys)
        out.extend(zip(xs[inside], ys[inside]))
    return np.array(out[:n])


def relax(points: np.ndarray, region, iterations: int = 2) -> np.ndarray:
    """Lloyd relaxation: move points to their cell's centroid so cells are rounder and even."""
    for _ in range(iterations):
        cells = partition(region, points)
        points = np.array([[c.centroid.x, c.centroid.y] for c in cells])
    return points


def partition(region, points: np.ndarray) -> list:
    """Voronoi cells of ``points`` clipped to ``region``, in the order of ``points``.

    Clipping a convex cell to a non-convex region can leave detached slivers; those are handed to
    the neighbouring cell they touch most, so every cell is one piece and the cover stays exact.
    """
    mp = MultiPoint([tuple(p) for p in points])
    cells = shapely.voronoi_polygons(mp, extend_to=region, ordered=True)
    parts = [shapely.set_precision(c.intersection(region), PRECISION) for c in cells.geoms]
    cells = _merge_fragments(parts, points)
    return cells


def _merge_fragments(cells: list, points: np.ndarray) -> list:
    cells = list(cells)
    orphans = []
    for i, c in enumerate(cells):
        if c.geom_type == "MultiPolygon" or c.geom_type == "GeometryCollection":
            polys = [g for g in getattr(c, "geoms", []) if g.geom_type == "Polygon" and g.area > 0]
            home = Point(points[i])
            keep = max(polys, key=lambda g: (g.contains(home), g.area))
            cells[i] = keep
            orphans.extend(g for g in polys if g is not keep)
    for frag in orphans:
        best, best_len = None, -1.0
        for j, c in enumerate(cells):
            if c.intersects(frag):
                shared = c.boundary.intersection(frag.boundary).length
                if shared > best_len:
                    best, best_len = j, shared
        if best is not None:
            merged = shapely.set_precision(unary_union([cells[best], frag]), PRECISION)
            cells[best] = merged
    return cells


def tile(region, points: np.ndarray) -> list:
    """An exact coverage of ``region`` by the Voronoi cells of ``points``, in the order of ``points``.

    All cells come from one noded, snap-rounded linework (Voronoi edges plus the region's
    boundary) that is polygonised once, so neighbours share identical edges: no gaps, and overlaps
    of exactly zero area. Faces holding no generator (clipping slivers) join the neighbour they
    share most boundary with.
    """
    mp = MultiPoint([tuple(p) for p in points])
    cells = shapely.get_parts(shapely.voronoi_polygons(mp, extend_to=region, ordered=True))
    # (``only_edges=True`` drops the unbounded edges, so the linework comes from the clipped cells.)
    linework = shapely.set_precision(shapely.union_all(shapely.boundary(shapely.intersection(cells, region))), PRECISION)
    faces = [f for f in shapely.get_parts(shapely.polygonize(shapely.get_parts(linework)))
             if region.contains(f.representative_point())]
    tree = shapely.STRtree(faces)
    owner = tree.query(shapely.points(points), predicate="intersects")
    cell_faces: list[list] = [[] for _ in range(len(points))]
    used = set()
    for p_idx, f_idx in zip(*owner):
        if f_idx not in used:
            cell_faces[p_idx].append(faces[f_idx])
            used.add(f_idx)
    for i, fs in enumerate(cell_faces):
        if not fs:
            raise ValueError(f"generator {i} fell outside the region")
    cells = [shapely.union_all(fs) if len(fs) > 1 else fs[0] for fs in cell_faces]
    cell_tree = shapely.STRtree(cells)
    for f_idx, face in enumerate(faces):
        if f_idx in used:
            continue
        best, best_len = None, 0.0
        for j in cell_tree.query(face, predicate="intersects"):
            shared = cells[j].boundary.intersection(face.boundary).length
            if shared > best_len:
                best, best_len = int(j), shared
        if best is not None:
            cells[best] = shapely.union_all([cells[best], face])
    return cells


def to_geojson(geom) -> str:
    return json.dumps(mapping(geom), separators=(",", ":"))


def from_geojson(text: str):
    return shape(json.loads(text))


# Longitude-latitude bounds of China: coordinates outside were given in another order or system.
CHINA_BOUNDS = (73.0, 3.0, 136.0, 54.0)


def area_shape(text: str):
    """An area's outline from GeoJSON or WKT text, or ``ValueError`` saying in Chinese why it
    cannot be one: unreadable, not a polygon, invalid, or not longitude-latitude in China."""
    from shapely.validation import explain_validity

    text = (text or "").strip()
    try:
        geom = from_geojson(text) if text.startswith("{") else shapely.from_wkt(text)
    except Exception as exc:  # GEOS and json name the problem
        raise ValueError(strings.GEOMETRY_ERRORS["unreadable"].format(error=exc)) from None
    if geom is None or geom.geom_type not in ("Polygon", "MultiPolygon"):
        raise ValueError(strings.GEOMETRY_ERRORS["not_polygon"].format(
            kind=getattr(geom, "geom_type", strings.GEOMETRY_ERRORS["nothing"])))
    if not geom.is_valid:
        raise ValueError(strings.GEOMETRY_ERRORS["invalid"].format(why=explain_validity(geom)))
    minx, miny, maxx, maxy = geom.bounds
    x0, y0, x1, y1 = CHINA_BOUNDS
    if not (x0 <= minx and maxx <= x1 and y0 <= miny and maxy <= y1):
        raise ValueError(strings.GEOMETRY_ERRORS["outside_china"])
    return geom


def centroid(geom) -> tuple[float, float]:
    """A point guaranteed inside the polygon (for labels and the grid's pin)."""
    c = geom.centroid
    if not geom.contains(c):
        c = geom.representative_point()
    return round(c.x, 6), round(c.y, 6)


def random_points_in(rng: np.random.Generator, geom, n: int) -> np.ndarray:
    """``n`` uniform random points inside ``geom`` (rejection sampling in its bounds)."""
    return sample_points(rng, geom, n)


@dataclass
class GridIndex:
    """Point → grid lookup over the grid polygons (an STRtree), for reports given as coordinates."""

    codes: list[str]
    geoms: list = field(repr=False)

    def __post_init__(self):
        self.tree = shapely.STRtree(self.geoms)

    @classmethod
    def from_rows(cls, rows) -> "GridIndex":
        codes, geoms = [], []
        for code, text in rows:
            codes.append(code)
            geoms.append(from_geojson(text))
        return cls(codes, geoms)

    def locate(self, lon: float, lat: float) -> str | None:
        hits = self.tree.query(Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        return self.codes[int(min(hits))]


# --- GCJ-02 (Gaode / Tencent tiles) ---------------------------------------------------------------

def wgs84_to_gcj02(lon: float, lat: float) -> tuple[float, float]:
    """Shift a WGS-84 / CGCS2000 point to GCJ-02 for tiles published in that datum."""
    import prcoords

    lat2, lon2 = prcoords.wgs_gcj((lat, lon))
    return lon2, lat2


def transform_geojson_coords(obj, fn):
    """Apply ``fn(lon, lat) -> (lon, lat)`` to every coordinate of a GeoJSON object, in place."""
    def walk(coords):
        if isinstance(coords[0], (int, float)):
            x, y = fn(coords[0], coords[1])
            return [round(x, 6), round(y, 6)]
        return [walk(c) for c in coords]

    if obj.get("type") == "FeatureCollection":
        for f in obj["features"]:
            transform_geojson_coords(f, fn)
    elif obj.get("type") == "Feature":
        if obj.get("geometry"):
            transform_geojson_coords(obj["geometry"], fn)
    elif "coordinates" in obj:
        obj["coordinates"] = walk(obj["coordinates"])
    return obj
