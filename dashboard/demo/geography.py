"""Synthetic but plausible area hierarchies for the demo profiles."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from shapely.ops import unary_union
from shapely.geometry import Point

from dashboard.domain import geo
from dashboard.demo.catalogue import NANLING, NANLING_TOWNS


@dataclass
class AreaRow:
    code: str
    name: str
    level: str
    parent: str | None
    geom: object = field(repr=False, default=None)
    rural: bool = False
    households: int = 0
    houses: int = 0
    population: int = 0


def exact_split(rng: np.random.Generator, total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to ``weights`` that sum exactly to ``total`` (largest remainder)."""
    raw = weights / weights.sum() * total
    base = np.floor(raw).astype(int)
    short = total - base.sum()
    order = np.argsort(-(raw - base) + rng.uniform(0, 1e-9, len(raw)))
    base[order[:short]] += 1
    return base


def split_counts(rng: np.random.Generator, total: int, parts: int, minimum: int, concentration: float = 4.0) -> list[int]:
    w = rng.dirichlet(np.full(parts, concentration))
    extra = exact_split(rng, total - minimum * parts, w)
    return [int(minimum + e) for e in extra]


def _inside(region, x, y):
    """``(x, y)`` pulled towards the region's interior until it lies inside."""
    c = region.representative_point()
    for k in range(20):
        p = Point(c.x + (x - c.x) * (1 - k / 20), c.y + (y - c.y) * (1 - k / 20))
        if region.contains(p):
            return p.x, p.y
    return c.x, c.y


def _regions(rng, region, n: int, hub, spread: float, relax: int) -> list:
    """``n`` regions roughly dividing ``region`` (a plan for where children go, not geometry)."""
    if n == 1:
        return [region]
    return geo.partition(region, _points(rng, region, n, hub, spread, relax))


def _points(rng, region, n: int, hub, spread: float, relax: int) -> np.ndarray:
    pts = geo.sample_points(rng, region, n, hubs=[(hub[0], hub[1], 1.0)] if hub is not None else None, spread=spread)
    if relax and n > 1:
        pts = geo.relax(pts, region, relax)
    return pts


def _tile_grids(outline, grids: list[AreaRow], points: list) -> None:
    """One exact tiling of the whole outline by the grids' generator points."""
    cells = geo.tile(outline, np.array(points))
    for g, cell in zip(grids, cells):
        g.geom = cell


def _finish(rows: list[AreaRow]) -> list[AreaRow]:
    """Every level above the grids is the union of its children, so the hierarchy nests exactly."""
    by_parent: dict[str, list[AreaRow]] = {}
    for r in rows:
        if r.parent:
            by_parent.setdefault(r.parent, []).append(r)
    for level in ("community", "town", "county"):
        for r in rows:
            if r.level == level:
                kids = by_parent[r.code]
                r.geom = unary_union([k.geom for k in kids])
                r.households = sum(k.households for k in kids)
                r.houses = sum(k.houses for k in kids)
                r.population = sum(k.population for k in kids)
    return rows


def _fill_grid_figures(rng, grids: list[AreaRow], houses_total: int | None, population_total: int | None):
    hh = rng.integers(300, 601, len(grids))  # 网格一般在300-600户
    houses_w = hh * rng.uniform(0.8, 1.05, len(grids))
    pop_w = hh * rng.uniform(1.45, 2.15, len(grids))
    houses = exact_split(rng, houses_total, houses_w) if houses_total else np.round(houses_w).astype(int)
    pop = exact_split(rng, population_total, pop_w) if population_total else np.round(pop_w).astype(int)
    for g, a, b, c in zip(grids, hh, houses, pop):
        g.households, g.houses, g.population = int(a), int(b), int(c)


def nanling(rng: np.random.Generator) -> list[AreaRow]:
    """南陵县: 9 towns/zones, 25 communities, 211 grids, on the county's real location."""
    code = NANLING["county_code"]
    county = geo.outline(rng, NANLING["center"], rx=0.2, ry=0.205, roughness=0.14)
    rows = [AreaRow(code, NANLING["county_name"], "county", None, county)]
    seats = np.array([_inside(county, *t[3]) for t in NANLING_TOWNS])
    town_regions = geo.partition(county, seats)
    grids: list[AreaRow] = []
    points: list = []
    for (suffix, name, _kind, _seat, n_grids, communities), region, seat in zip(NANLING_TOWNS, town_regions, seats):
        tcode = code + suffix
        rural = suffix not in ("100", "400")
        rows.append(AreaRow(tcode, name, "town", code, None, rural))
        comm_regions = _regions(rng, region, len(communities), seat, 0.02, relax=1)
        counts = split_counts(rng, n_grids, len(communities), minimum=4 if rural else 6, concentration=6.0)
        for i, (cname, cregion, k) in enumerate(zip(communities, comm_regions, counts), start=1):
            ccode = f"{tcode}{i:03d}"
            rows.append(AreaRow(ccode, cname, "community", tcode, None, rural))
            hub = cregion.representative_point()
            for j, p in enumerate(_points(rng, cregion, k, (hub.x, hub.y), 0.01, relax=2), start=1):
                g = AreaRow(f"{ccode}{j:03d}", f"{cname}第{j}网格", "grid", ccode, None, rural)
                grids.append(g)
                rows.append(g)
                points.append(p)
    assert len(grids) == NANLING["grids"], len(grids)
    _tile_grids(county, grids, points)
    _fill_grid_figures(rng, grids, NANLING["houses"], NANLING["population"])
    return _finish(rows)


CITY_DISTRICTS = ["中原区", "二七区", "管城回族区", "金水区", "上街区", "惠济区", "巩义市", "荥阳市", "新密市",
                  "新郑市", "登封市", "中牟县", "郑东新区", "经开区", "高新区", "航空港区"]
STREET_WORDS = ["建设路", "人民路", "花园路", "文化路", "经八路", "丰产路", "东风路", "南阳路", "未来路", "大学路",
                "嵩山路", "航海路", "淮河路", "陇海路", "桐柏路", "秦岭路", "长江路", "黄河路", "商都路", "农业路"]
COMMUNITY_WORDS = ["幸福", "和谐", "阳光", "锦绣", "光明", "振兴", "民安", "长兴", "康宁", "翠园", "金桥", "春晖",
                   "绿城", "凤凰", "龙湖", "文博", "育才", "兴华", "新村", "明珠"]


def city(rng: np.random.Generator, grids_target: int = 19_000, progress=None) -> list[AreaRow]:
    """A Zhengzhou-scale city: ~19,000 grids under ~2,400 communities in ~200 streets/towns."""
    code = "410100"
    root = geo.outline(rng, (113.62, 34.72), rx=0.55, ry=0.42, roughness=0.12, n=240)
    rows = [AreaRow(code, "郑州市", "county", None, root)]
    n_towns = max(2, round(grids_target / 95))
    town_regions = _regions(rng, root, n_towns, (113.66, 34.76), 0.12, relax=1)
    per_town = split_counts(rng, grids_target, n_towns, minimum=4, concentration=3.0)
    grids: list[AreaRow] = []
    points: list = []
    for t, (tregion, n_grids) in enumerate(zip(town_regions, per_town), start=1):
        tcode = f"{code}{t:03d}"
        district = CITY_DISTRICTS[(t - 1) % len(CITY_DISTRICTS)]
        street = STREET_WORDS[(t - 1) // len(CITY_DISTRICTS) % len(STREET_WORDS)]
        rows.append(AreaRow(tcode, f"{district}{street}{'街道' if t % 5 else '镇'}", "town", code))
        n_comm = max(1, round(n_grids / 8))
        comm_counts = split_counts(rng, n_grids, n_comm, minimum=1, concentration=5.0)
        for c, (cregion, k) in enumerate(zip(_regions(rng, tregion, n_comm, None, 0.0, relax=1), comm_counts), start=1):
            ccode = f"{tcode}{c:03d}"
            cname = f"{COMMUNITY_WORDS[(t + c) % len(COMMUNITY_WORDS)]}{'社区' if c % 4 else '村'}"
            rows.append(AreaRow(ccode, cname, "community", tcode))
            for j, p in enumerate(_points(rng, cregion, k, None, 0.0, relax=1), start=1):
                g = AreaRow(f"{ccode}{j:03d}", f"{cname}第{j}网格", "grid", ccode)
                grids.append(g)
                rows.append(g)
                points.append(p)
        if progress:
            progress(n_grids)
    _tile_grids(root, grids, points)
    _fill_grid_figures(rng, grids, None, None)
    return _finish(rows)
