"""A grid's profile: its 1+1+N team (phones masked, app presence), households, houses and
population by tag (counts only, never names), and its events as map points. No Dash here.
"""

from __future__ import annotations

from dashboard.domain import areas

from datetime import datetime

from sqlalchemy import or_, select

from dashboard.domain import casestate
from dashboard import vocabulary
from dashboard.domain import geo
from dashboard.figures import metrics
from dashboard.domain import windows
from dashboard.store.models import Area, Event, GridStat, Staff

# Team order: the two 1s first, then the N.
ROLE_ORDER = {r: i for i, r in enumerate(vocabulary.STAFF_ROLES)}


def team(engine, grid: str, at: datetime) -> list[dict]:
    """Active members of the grid's 1+1+N team: role, name, masked phone and, for members with
    the app (grid workers), whether it is online at ``at`` (``casestate.is_online``)."""
    with engine.connect() as conn:
        rows = conn.execute(select(Staff.id, Staff.name, Staff.role, Staff.phone_masked, Staff.last_seen_at)
                            .where(Staff.grid_code == grid, Staff.active.is_(True))).mappings().all()
    out = []
    for r in rows:
        seen = r["last_seen_at"]
        online = casestate.is_online(seen, at)
        out.append({**r, "online": online, "has_app": r["role"] == "grid_worker" or seen is not None})
    out.sort(key=lambda r: (ROLE_ORDER.get(r["role"], 99), r["id"]))
    return out


def stats(engine, grid: str) -> dict:
    """Households, houses, population, and counts by tag under ``tags``:
    {"population": {tag: n}, "housing": {tag: n}}."""
    with engine.connect() as conn:
        area = conn.execute(select(Area.households, Area.houses, Area.population).where(Area.code == grid)).first()
        rows = conn.execute(select(GridStat.dimension, GridStat.tag, GridStat.count)
                            .where(GridStat.grid_code == grid)).all()
    by: dict[str, dict[str, int]] = {d: {} for d in vocabulary.STAT_DIMENSIONS}
    for dim, tag, n in rows:
        by.setdefault(dim, {})[tag] = int(n)
    order = {"population": vocabulary.POPULATION_TAGS, "housing": vocabulary.HOUSING_TAGS}
    for dim, tags in order.items():
        by[dim] = {t: by[dim][t] for t in tags if t in by[dim]} | {t: n for t, n in by[dim].items() if t not in tags}
    return {"households": int(area[0] or 0) if area else 0, "houses": int(area[1] or 0) if area else 0,
            "population": int(area[2] or 0) if area else 0, "tags": by}


def event_points(engine, area: str, window: windows.Window, now: datetime, crs: str = "wgs84",
                 limit: int = 2000) -> dict:
    """Events inside ``area`` reported in the window, plus every case open at ``now``, as GeoJSON
    points with id, title, status and ``kind`` (``casestate.KINDS``: overdue, open, closed ...),
    shifted to GCJ-02 when the tiles are."""
    st = casestate.Case(now)
    with engine.connect() as conn:
        rows = conn.execute(select(Event.id, Event.title, Event.status, st.kind().label("kind"), Event.lat, Event.lon)
                            .where(areas.events_within(area), or_(metrics.in_window(window), st.open),
                                   st.reported, Event.lat.is_not(None))
                            .order_by(Event.reported_at.desc()).limit(limit)).all()
    feats = []
    for eid, title, status, kind, lat, lon in rows:
        if crs == "gcj02":
            lon, lat = geo.wgs84_to_gcj02(lon, lat)
        feats.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                      "properties": {"id": eid, "title": title, "status": status, "kind": kind,
                                     "overdue": kind == "overdue"}})
    return {"type": "FeatureCollection", "features": feats}


def bounds(engine, code: str, crs: str = "wgs84") -> list[list[float]] | None:
    """The area's bounding box as Leaflet bounds [[south, west], [north, east]]."""
    with engine.connect() as conn:
        g = conn.execute(select(Area.geometry).where(Area.code == code)).scalar()
    if not g:
        return None
    minx, miny, maxx, maxy = geo.from_geojson(g).bounds
    if crs == "gcj02":
        minx, miny = geo.wgs84_to_gcj02(minx, miny)
        maxx, maxy = geo.wgs84_to_gcj02(maxx, maxy)
    return [[miny, minx], [maxy, maxx]]
