"""What the maps colour: one value per grid for a chosen measure, its classes and legend, and the
server-side heat layer (events aggregated into H3 hexagons, so it works offline and stays small).

Geometry is sent once by URL (``api/geo``); a refresh sends only these values (the map's hideout).
"""

from __future__ import annotations

import math

import h3
import numpy as np
import pandas as pd
from sqlalchemy import and_, select

from . import charts, geo, metrics, strings
from . import warnings as W
from .models import Area, Event, Staff
from .timeutil import to_utc

MEASURES = ("level", "density", "open", "closure", "online")
MEASURE_LABELS = {
    "level": "预警等级",
    "density": "事件密度（件/千户）",
    "open": "在办事件",
    "closure": "办结率",
    "online": "网格员在线",
}
NO_DATA_COLOR = "#3b4a66"
SEQUENTIAL = ["#1e3a6e", "#2563eb", "#38bdf8", "#facc15", "#f97316", "#ef4444"]
CLOSURE_COLORS = ["#ef4444", "#f97316", "#facc15", "#4ade80", "#16a34a"]
ONLINE_COLORS = {1: "#2ed47a", 0: "#64748b"}
HEAT_RESOLUTION = 8  # H3 cells of about 0.7 km²


def grids(engine, area: str | None) -> pd.DataFrame:
    with engine.connect() as conn:
        return pd.DataFrame(
            conn.execute(select(Area.code, Area.name, Area.households).where(
                and_(Area.level == "grid", metrics.grid_area_filter(area)))).all(),
            columns=["code", "name", "households"])


def _nice(x: float) -> float:
    if x <= 0:
        return 0
    p = 10 ** math.floor(math.log10(x))
    for m in (1, 2, 2.5, 5, 10):
        if x <= m * p:
            return m * p
    return 10 * p


def _classes(values: pd.Series, k: int = 5) -> list[float]:
    """Upper bounds of ``k`` classes from nicely rounded quantiles of the positive values."""
    v = values[values > 0]
    if v.empty:
        return []
    qs = sorted({_nice(float(np.quantile(v, q))) for q in np.linspace(1 / k, 1, k)})
    return qs


def grid_values(engine, window: metrics.Window, measure: str, area: str | None = None) -> dict:
    """The map's hideout for one measure: values and open counts per grid, colours and legend."""
    if measure not in MEASURES:
        raise ValueError(f"unknown map measure {measure!r}")
    g = grids(engine, area).set_index("code")
    ev = metrics.by_group(engine, window, "grid", metrics.Scope(area=area)).set_index("code")
    open_n = ev["in_progress"].reindex(g.index).fillna(0).astype(int)
    out = {"measure": measure, "label": MEASURE_LABELS[measure], "open": open_n.to_dict()}
    if measure == "level":
        # The warning engine's stored levels (kept current by its runner), not a second judgement.
        lv = pd.Series(W.levels_by_grid(engine, area), dtype="int64").reindex(g.index).fillna(0).astype(int)
        out.update(mode="category", values=lv.to_dict(),
                   colors={str(k): charts.LEVEL_COLORS[k] for k in (0, 1, 2, 3, 4)},
                   legend=[(charts.LEVEL_COLORS[k], strings.WARNING_LEVEL_LABELS[k]) for k in (1, 2, 3, 4, 0)],
                   text={str(k): strings.WARNING_LEVEL_LABELS[k] for k in (0, 1, 2, 3, 4)})
    elif measure == "online":
        cutoff = to_utc(window.end) - metrics.ONLINE_WINDOW
        with engine.connect() as conn:
            rows = conn.execute(select(Staff.grid_code, Staff.last_seen_at).where(
                Staff.role == "grid_worker", Staff.active.is_(True), metrics.grid_area_filter(area, Staff.grid_code))).all()
        online = {}
        for code, seen in rows:
            online[code] = max(online.get(code, 0), int(seen is not None and cutoff < seen <= to_utc(window.end)))
        out.update(mode="category", values={c: online.get(c) for c in g.index},
                   colors={str(k): v for k, v in ONLINE_COLORS.items()},
                   legend=[(ONLINE_COLORS[1], "在线"), (ONLINE_COLORS[0], "离线"), (NO_DATA_COLOR, "无网格员")],
                   text={"1": "在线", "0": "离线"})
    elif measure == "closure":
        rate = ev["closure_rate"].reindex(g.index)
        breaks = [0.8, 0.9, 0.95, 0.99, 1.0001]
        out.update(mode="scale", values={c: (None if pd.isna(v) else round(float(v), 4)) for c, v in rate.items()},
                   breaks=breaks, colors=CLOSURE_COLORS, fmt="rate",
                   legend=[(CLOSURE_COLORS[0], "< 80%"), (CLOSURE_COLORS[1], "80–90%"), (CLOSURE_COLORS[2], "90–95%"),
                           (CLOSURE_COLORS[3], "95–99%"), (CLOSURE_COLORS[4], "≥ 99%"), (NO_DATA_COLOR, "无有效事件")])
    else:
        if measure == "density":
            reported = ev["reported"].reindex(g.index).fillna(0)
            vals = (reported / g["households"].where(g["households"] > 0) * 1000).round(2)
            unit = ""
        else:
            vals = open_n.astype(float)
            unit = "件"
        bounds = _classes(vals.fillna(0))
        colors = SEQUENTIAL[-len(bounds):] if bounds else []
        legend, lo = [], 0
        for b, col in zip(bounds, colors):
            legend.append((col, f"{_fmt_num(lo)}–{_fmt_num(b)}{unit}"))
            lo = b
        legend.append((NO_DATA_COLOR, "0" + unit))
        out.update(mode="scale", values={c: (None if pd.isna(v) else float(v)) for c, v in vals.items()},
                   breaks=bounds, colors=colors, fmt="number", zero_color=NO_DATA_COLOR, legend=legend)
    out["no_data"] = NO_DATA_COLOR
    return out


def _fmt_num(x: float) -> str:
    return f"{x:g}"


def heat_cells(engine, window: metrics.Window, area: str | None = None, resolution: int = HEAT_RESOLUTION,
               crs: str = "wgs84") -> dict:
    """Events reported in the window counted per H3 hexagon, as GeoJSON with ``n`` and ``share``
    (shifted to GCJ-02 when the tiles are)."""
    with engine.connect() as conn:
        pts = conn.execute(select(Event.lat, Event.lon).where(
            Event.reported_at >= window.start, Event.reported_at < window.end, Event.lat.is_not(None),
            metrics.area_filter(area))).all()
    counts: dict[str, int] = {}
    for lat, lon in pts:
        cell = h3.latlng_to_cell(lat, lon, resolution)
        counts[cell] = counts.get(cell, 0) + 1
    top = max(counts.values()) if counts else 1
    feats = []
    for cell, n in counts.items():
        ring = [[lng, lat] for lat, lng in h3.cell_to_boundary(cell)]
        ring.append(ring[0])
        feats.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                      "properties": {"n": n, "share": round(n / top, 3)}})
    fc = {"type": "FeatureCollection", "features": feats}
    return geo.transform_geojson_coords(fc, geo.wgs84_to_gcj02) if crs == "gcj02" else fc
