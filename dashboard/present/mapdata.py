"""What the maps colour: one value per grid for a chosen measure, its classes and legend, and the
server-side heat layer (events aggregated into H3 hexagons, so it works offline and stays small).

Geometry is sent once by URL (``api/geo``); a refresh sends only these values (the map's hideout).
"""

from __future__ import annotations

import math

import h3
import numpy as np
import pandas as pd
from sqlalchemy import case, func, select

from dashboard import strings
from dashboard import warnings as W
from dashboard.domain import areas, casestate, geo, windows
from dashboard.figures import metrics
from dashboard.figures.geometry import GridIndex, grid_index
from dashboard.present import plots
from dashboard.store.models import Event, Staff

MEASURES = ("level", "density", "open", "closure", "online")
NO_DATA_COLOR = "#3b4a66"
SEQUENTIAL = ["#1e3a6e", "#2563eb", "#38bdf8", "#facc15", "#f97316", "#ef4444"]
CLOSURE_COLORS = ["#ef4444", "#f97316", "#facc15", "#4ade80", "#16a34a"]
ONLINE_COLORS = {1: "#2ed47a", 0: "#64748b"}
HEAT_RESOLUTION = 8  # H3 cells of about 0.7 km²


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


# --- the map's colours at city scale ---------------------------------
# 19,000 grids: the list of grids (and their households) is read once per ``areas`` data version,
# never on a refresh; the big screen's colours travel as arrays aligned with the geometry's feature
# order (``api/geo`` serves grids ordered by code with ``i`` = position), not as {code: value} maps.



def _measure(engine, window: windows.Window, measure: str, area: str | None, index: GridIndex):
    """(values, open counts, style) for the grids of ``index`` (positions outside ``area`` are
    None / 0): the one place the map's measures and classes are worked out."""
    if measure not in MEASURES:
        raise ValueError(f"unknown map measure {measure!r}")
    n = len(index)
    pos = index.position
    ev = metrics.by_group(engine, window, "grid", metrics.Scope(area=area))
    at = np.array([pos.get(c, -1) for c in ev["code"]], dtype=np.int64)
    ok = at >= 0
    # Open cases now (the stock at the window's end), whatever their report time: a grid warned
    # for an overdue case shows that case beside its warning.
    open_n = np.zeros(n, dtype=np.int64)
    open_n[at[ok]] = ev["open_now"].to_numpy()[ok]
    inside = index.within(area)
    style = {"measure": measure, "label": strings.MAP_MEASURE_LABELS[measure]}
    values: list
    if measure == "level":
        # The warning engine's stored levels (kept current by its runner), not a second judgement.
        lv = np.zeros(n, dtype=np.int64)
        for code, level in W.levels_by_grid(engine, area).items():
            i = pos.get(code)
            if i is not None:
                lv[i] = level
        values = [None] * n
        for i in inside:
            values[i] = int(lv[i])
        style.update(mode="category", colors={str(k): plots.LEVEL_COLORS[k] for k in (0, 1, 2, 3, 4)},
                     legend=[(plots.LEVEL_COLORS[k], strings.WARNING_LEVEL_LABELS[k]) for k in (1, 2, 3, 4, 0)],
                     text={str(k): strings.WARNING_LEVEL_LABELS[k] for k in (0, 1, 2, 3, 4)})
    elif measure == "online":
        seen_now = func.max(case((casestate.online(window.end), 1), else_=0))
        with engine.connect() as conn:
            online = dict(conn.execute(select(Staff.grid_code, seen_now).where(
                Staff.role == "grid_worker", Staff.active.is_(True), areas.within(area, Staff.grid_code))
                .group_by(Staff.grid_code)).all())
        values = [None] * n
        for i in inside:
            values[i] = online.get(index.codes[i])
        style.update(mode="category", colors={str(k): v for k, v in ONLINE_COLORS.items()},
                     legend=[(ONLINE_COLORS[1], strings.MAP_ONLINE[1]), (ONLINE_COLORS[0], strings.MAP_ONLINE[0]),
                             (NO_DATA_COLOR, strings.MAP_NO_WORKER)],
                     text={"1": strings.MAP_ONLINE[1], "0": strings.MAP_ONLINE[0]})
    elif measure == "closure":
        rate = np.full(n, np.nan)
        rate[at[ok]] = ev["closure_rate"].to_numpy(dtype="float64", na_value=np.nan)[ok]
        values = [None] * n
        for i in inside:
            values[i] = None if np.isnan(rate[i]) else round(float(rate[i]), 4)
        style.update(mode="scale", breaks=[0.8, 0.9, 0.95, 0.99, 1.0001], colors=CLOSURE_COLORS, fmt="rate",
                     legend=[(CLOSURE_COLORS[0], "< 80%"), (CLOSURE_COLORS[1], "80–90%"), (CLOSURE_COLORS[2], "90–95%"),
                             (CLOSURE_COLORS[3], "95–99%"), (CLOSURE_COLORS[4], "≥ 99%"), (NO_DATA_COLOR, strings.MAP_NO_VALID)])
    else:
        if measure == "density":
            reported = np.zeros(n)
            reported[at[ok]] = ev["reported"].to_numpy(dtype="float64")[ok]
            with np.errstate(divide="ignore", invalid="ignore"):
                vals = np.where(index.households > 0, np.round(reported / index.households * 1000, 2), np.nan)
            unit = ""
        else:
            vals = open_n.astype("float64")
            unit = strings.UNITS["open_now"]
        bounds = _classes(pd.Series(np.nan_to_num(vals[inside], nan=0.0)))
        colors = SEQUENTIAL[-len(bounds):] if bounds else []
        legend, lo = [], 0
        for b, col in zip(bounds, colors):
            legend.append((col, f"{_fmt_num(lo)}–{_fmt_num(b)}{unit}"))
            lo = b
        legend.append((NO_DATA_COLOR, "0" + unit))
        values = [None] * n
        for i in inside:
            values[i] = None if np.isnan(vals[i]) else float(vals[i])
        style.update(mode="scale", breaks=bounds, colors=colors, fmt="number", zero_color=NO_DATA_COLOR, legend=legend)
    style["no_data"] = NO_DATA_COLOR
    return values, open_n, inside, style


def grid_values(engine, window: windows.Window, measure: str, area: str | None = None) -> dict:
    """The map's hideout for one measure, keyed by grid code (the area pages' maps): values and
    open counts per grid in ``area``, colours and legend."""
    index = grid_index(engine)
    values, open_n, inside, style = _measure(engine, window, measure, area, index)
    codes = index.codes
    out = {"measure": measure, "label": style["label"], "open": {codes[i]: int(open_n[i]) for i in inside}}
    out.update({k: v for k, v in style.items() if k not in ("measure", "label")})
    out["values"] = {codes[i]: values[i] for i in inside}
    return out


def grid_colours(engine, window: windows.Window, measure: str, index: GridIndex | None = None,
                 area: str | None = None) -> dict:
    """The big screen's colours for every grid, aligned with the geometry's features (position
    ``i``): ``v`` the value per grid, ``open`` open cases per grid, and the same classes, colours
    and legend as ``grid_values``. Plain JSON, about 4 bytes a grid."""
    index = index or grid_index(engine)
    values, open_n, _inside, style = _measure(engine, window, measure, area, index)
    return {**style, "n": len(index), "v": values, "open": open_n.tolist()}


def _fmt_num(x: float) -> str:
    return f"{x:g}"


def heat_cells(engine, window: windows.Window, area: str | None = None, resolution: int = HEAT_RESOLUTION,
               crs: str = "wgs84") -> dict:
    """Events reported in the window counted per H3 hexagon, as GeoJSON with ``n`` and ``share``
    (shifted to GCJ-02 when the tiles are)."""
    with engine.connect() as conn:
        pts = conn.execute(select(Event.lat, Event.lon).where(
            Event.reported_at >= window.start, Event.reported_at < window.end, Event.lat.is_not(None),
            areas.events_within(area))).all()
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
