"""What the maps colour: one value per grid for a chosen measure, its classes and legend, and the
server-side heat layer (events aggregated into H3 hexagons, so it works offline and stays small).

Geometry is sent once by URL (``api/geo``); a refresh sends only these values (the map's hideout).
"""

from __future__ import annotations

import math

import h3
import numpy as np
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


# --- classes of a measure's values ------------------------------------------
# Upper bounds on the 1-2-5 series (…, 0.5, 1, 2, 5, 10, 20, 50, …): every legend reads as round
# numbers, each band is wider than the one below it (the values are skewed: a few grids carry many
# events), no two bands share a bound, and every band holds at least one grid.
BAND_STEPS = (1, 2, 5)
MAX_BANDS = 5


def _ladder(lo: float, hi: float) -> np.ndarray:
    """The 1-2-5 numbers from below ``lo`` to above ``hi``, each rounded to its own precision (so
    0.2 is 0.2, not 0.20000000000000004, and the legend prints it as such)."""
    first, last = math.floor(math.log10(lo)) - 1, math.ceil(math.log10(hi)) + 1
    return np.array([round(m * 10.0 ** e, max(0, -e)) for e in range(first, last + 1) for m in BAND_STEPS])


def bands(values, k: int = MAX_BANDS) -> list[float]:
    """Upper bounds of at most ``k`` classes of the positive values (a value ``v`` falls in the
    first band whose bound is ``>= v``; zero and missing have a colour of their own).

    The top bound is the 1-2-5 number at or above the largest value; the lowest is the one at or
    above the ``1/k`` quantile, so the first band holds at least its share of the grids; the
    bounds between are spread evenly on the series between them (bands widen with the values). Bands left empty are merged
    into the next one. With fewer distinct values than ``k``, there are at most that many bands."""
    v = np.asarray(values, dtype="float64")
    v = v[np.isfinite(v) & (v > 0)]
    if v.size == 0:
        return []
    k = min(k, np.unique(v).size)
    top_value = float(v.max())
    ladder = _ladder(float(v.min()), top_value)
    top = float(ladder[np.searchsorted(ladder, top_value * (1 - 1e-12))])
    low_target = float(np.quantile(v, 1 / k, method="inverted_cdf")) if k > 1 else top_value
    below = ladder[ladder <= top]
    low = float(below[min(np.searchsorted(below, low_target * (1 - 1e-12)), below.size - 1)])
    candidates = below[below >= low]
    if candidates.size > k:
        candidates = candidates[np.unique(np.round(np.linspace(0, candidates.size - 1, k)).astype(int))]
    kept: list[float] = []
    prev = 0.0
    for b in candidates[:-1]:
        if np.any((v > prev) & (v <= b)):
            kept.append(float(b))
            prev = float(b)
    kept.append(top)  # holds the largest value, which lies above every bound below it
    return kept


# --- the map's colours at city scale ---------------------------------
# 19,000 grids: the list of grids (and their households) is read once per ``areas`` data version,
# never on a refresh; the big screen's colours travel as arrays aligned with the geometry's feature
# order (``api/geo`` serves grids ordered by code with ``i`` = position), not as {code: value} maps.
# Values stay numpy arrays until they leave as JSON lists.


def _json_values(values: np.ndarray, inside: np.ndarray, integers: bool = False) -> list:
    """A float array as the JSON list the map reads: the grids at ``inside`` their value (None when
    NaN; an ``int`` with ``integers``), every other grid None."""
    out = np.full(len(values), None, dtype=object)
    sel = values[inside]
    missing = np.isnan(sel)
    obj = (np.where(missing, 0, sel).astype(np.int64) if integers else sel).astype(object)
    obj[missing] = None
    out[inside] = obj
    return out.tolist()


def _round4(x: np.ndarray) -> np.ndarray:
    """``round(x, 4)`` element by element, as Python rounds (to the nearest, half to even on the
    exact binary value): numpy's ``round`` scales first, which moves values within a hair of a tie."""
    r = np.round(x, 4)
    scaled = x * 1e4
    near_tie = np.flatnonzero(np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6)
    for i in near_tie:  # a handful at most: ties need a denominator dividing 20,000
        r[i] = round(float(x[i]), 4)
    return r


def _measure(engine, window: windows.Window, measure: str, area: str | None, index: GridIndex):
    """(values, open counts, style) for the grids of ``index`` (positions outside ``area`` are
    None / 0): the one place the map's measures and classes are worked out."""
    if measure not in MEASURES:
        raise ValueError(f"unknown map measure {measure!r}")
    n = len(index)
    ev = metrics.by_group(engine, window, "grid", metrics.Scope(area=area))
    at = index.positions(ev["code"].to_numpy())
    ok = at >= 0
    at = at[ok]
    # Open cases now (the stock at the window's end), whatever their report time: a grid warned
    # for an overdue case shows that case beside its warning.
    open_n = np.zeros(n, dtype=np.int64)
    open_n[at] = ev["open_now"].to_numpy()[ok]
    inside = index.within(area)
    style = {"measure": measure, "label": strings.MAP_MEASURE_LABELS[measure]}
    if measure == "level":
        # The warning engine's stored levels (kept current by its runner), not a second judgement.
        stored = W.levels_by_grid(engine, area)
        lv = np.zeros(n, dtype="float64")
        where = index.positions(list(stored))
        lv[where[where >= 0]] = np.fromiter(stored.values(), dtype="float64", count=len(stored))[where >= 0]
        values = _json_values(lv, inside, integers=True)
        style.update(mode="category", colors={str(k): plots.LEVEL_COLORS[k] for k in (0, 1, 2, 3, 4)},
                     legend=[(plots.LEVEL_COLORS[k], strings.WARNING_LEVEL_LABELS[k]) for k in (1, 2, 3, 4, 0)],
                     text={str(k): strings.WARNING_LEVEL_LABELS[k] for k in (0, 1, 2, 3, 4)})
    elif measure == "online":
        seen_now = func.max(case((casestate.online(window.end), 1), else_=0))
        with engine.connect() as conn:
            rows = conn.execute(select(Staff.grid_code, seen_now).where(
                Staff.role == "grid_worker", Staff.active.is_(True), areas.within(area, Staff.grid_code))
                .group_by(Staff.grid_code)).all()
        online = np.full(n, np.nan)
        if rows:
            codes, seen = zip(*rows)
            where = index.positions(codes)
            online[where[where >= 0]] = np.asarray(seen, dtype="float64")[where >= 0]
        values = _json_values(online, inside, integers=True)
        style.update(mode="category", colors={str(k): v for k, v in ONLINE_COLORS.items()},
                     legend=[(ONLINE_COLORS[1], strings.MAP_ONLINE[1]), (ONLINE_COLORS[0], strings.MAP_ONLINE[0]),
                             (NO_DATA_COLOR, strings.MAP_NO_WORKER)],
                     text={"1": strings.MAP_ONLINE[1], "0": strings.MAP_ONLINE[0]})
    elif measure == "closure":
        rate = np.full(n, np.nan)
        rate[at] = ev["closure_rate"].to_numpy(dtype="float64", na_value=np.nan)[ok]
        values = _json_values(_round4(rate), inside)
        style.update(mode="scale", breaks=[0.8, 0.9, 0.95, 0.99, 1.0001], colors=CLOSURE_COLORS, fmt="rate",
                     legend=[(CLOSURE_COLORS[0], "< 80%"), (CLOSURE_COLORS[1], "80–90%"), (CLOSURE_COLORS[2], "90–95%"),
                             (CLOSURE_COLORS[3], "95–99%"), (CLOSURE_COLORS[4], "≥ 99%"), (NO_DATA_COLOR, strings.MAP_NO_VALID)])
    else:
        if measure == "density":
            reported = np.zeros(n)
            reported[at] = ev["reported"].to_numpy(dtype="float64")[ok]
            with np.errstate(divide="ignore", invalid="ignore"):
                vals = np.where(index.households > 0, np.round(reported / index.households * 1000, 2), np.nan)
            unit = ""
        else:
            vals = open_n.astype("float64")
            unit = strings.UNITS["open_now"]
        bounds = bands(vals[inside])
        colors = SEQUENTIAL[-len(bounds):] if bounds else []
        legend, lo = [], 0
        for b, col in zip(bounds, colors):
            legend.append((col, f"{_fmt_num(lo)}–{_fmt_num(b)}{unit}"))
            lo = b
        legend.append((NO_DATA_COLOR, "0" + unit))
        values = _json_values(vals, inside)
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
