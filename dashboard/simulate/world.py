"""What the simulator knows about the county: grids with their grid worker, handlers, categories.

Read from the database (``--via db``) or from GET /api/v1/catalog (``--via api``), so the
simulator can drive a server whose database it cannot reach.
"""

from __future__ import annotations

import random
import statistics
from dataclasses import dataclass, field

import shapely
from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import aliased

from dashboard.domain import places
from dashboard.demo.cases import Category, GridInfo, category_table
from dashboard.store.models import Area, Category as CategoryRow, Department, Staff


class WorldError(RuntimeError):
    pass


@dataclass
class World:
    grids: list[GridInfo]
    dept_names: dict[str, str]
    categories: list[Category]  # the demo catalogue's categories this database knows
    workers: list[int]  # active grid workers' staff ids
    points: dict[str, object] = field(default_factory=dict, repr=False)  # grid code -> polygon (db mode)
    centroids: dict[str, tuple[float, float]] = field(default_factory=dict)

    def grid(self, code: str) -> GridInfo | None:
        return next((g for g in self.grids if g.code == code), None)

    def point(self, rnd: random.Random, grid: GridInfo) -> tuple[float, float] | None:
        """(lon, lat) of a report in ``grid``: a random point inside it when its outline is known,
        else its centroid (always inside)."""
        geom = self.points.get(grid.code)
        if geom is not None:
            minx, miny, maxx, maxy = geom.bounds
            for _ in range(50):
                x, y = rnd.uniform(minx, maxx), rnd.uniform(miny, maxy)
                if shapely.contains_xy(geom, x, y):
                    return round(x, 6), round(y, 6)
        return self.centroids.get(grid.code)


def _usable_categories(known: set[str], dept_names: dict[str, str]) -> list[Category]:
    """The demo catalogue's categories that exist here and whose county handlers exist here (the
    simulator's timing and titles come from that catalogue)."""
    out = [c for c in category_table()
           if c.code in known and all(t in ("grid", "community", "town") or t in dept_names for t, _ in c.handlers)]
    if not out:
        raise WorldError("the database has none of the demo catalogue's event categories: "
                         "the simulator drives a demo county (gridscreen seed --profile nanling)")
    return out


def _rural(sizes: dict[str, float]) -> set[str]:
    """Grids larger than the median: the countryside (titles say 村/组 there, 小区/栋 in town)."""
    if not sizes:
        return set()
    median = statistics.median(sizes.values())
    return {c for c, a in sizes.items() if a > median}


def from_db(engine: Engine) -> World:
    community, town = aliased(Area), aliased(Area)
    with engine.connect() as conn:
        workers = {}
        for sid, name, grid in conn.execute(select(Staff.id, Staff.name, Staff.grid_code)
                                            .where(Staff.role == "grid_worker", Staff.active.is_(True))
                                            .order_by(Staff.id)):
            workers.setdefault(grid, (sid, name))
        rows = conn.execute(
            select(Area.code, Area.name, community.code, community.name, town.code, town.name, Area.centroid_lon,
                   Area.centroid_lat)
            .join(community, community.code == Area.parent_code).join(town, town.code == community.parent_code)
            .where(Area.level == "grid").order_by(Area.code)).all()
        dept_names = dict(conn.execute(select(Department.code, Department.name)).all())
        known = {c for c, in conn.execute(select(CategoryRow.code))}
    p = places.places(engine)
    rural = _rural(p.area_km2)
    grids = [GridInfo(code, name, ccode, cname, tcode, tname, *workers[code], code in rural)
             for code, name, ccode, cname, tcode, tname, _, _ in rows if code in workers]
    if not grids:
        raise WorldError("no grid with a grid worker: seed the database first (gridscreen seed)")
    return World(grids, dept_names, _usable_categories(known, dept_names), [g.worker_id for g in grids],
                 points=dict(zip(p.index.codes, p.index.geoms)),
                 centroids={r[0]: (r[6], r[7]) for r in rows if r[6] is not None})


def from_catalog(catalog: dict) -> World:
    rural = _rural({g["code"]: g["area_km2"] for g in catalog["grids"] if g.get("area_km2") is not None})
    grids = [GridInfo(g["code"], g["name"], g["community"], g["community_name"], g["town"], g["town_name"],
                      g["worker"]["id"], g["worker"]["name"], g["code"] in rural)
             for g in catalog["grids"] if g.get("worker")]
    if not grids:
        raise WorldError("the server's catalogue has no grid with a grid worker")
    dept_names = {h["code"]: h["name"] for h in catalog["handlers"]}
    known = {c["code"] for c in catalog["categories"]}
    return World(grids, dept_names, _usable_categories(known, dept_names), [g.worker_id for g in grids],
                 centroids={g["code"]: (g["centroid_lon"], g["centroid_lat"]) for g in catalog["grids"]
                            if g.get("centroid_lon") is not None})
