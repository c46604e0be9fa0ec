"""Hand-built data for tests: a tiny county with two grids, and cases driven through the real
life-cycle operations."""

from __future__ import annotations

from datetime import datetime, timedelta

from shapely.geometry import box

from dashboard.domain import geo
from dashboard.domain import lifecycle
from dashboard.store.db import bump, transaction
from dashboard.store.models import Area, Category, Department, Event, Staff

COUNTY = "340223"
TOWN = "340223100"
TOWN2 = "340223101"
COMMUNITY = "340223100001"
COMMUNITY2 = "340223101001"
GRID_A = "340223100001001"
GRID_B = "340223100001002"
GRID_C = "340223101001001"
DEPT = "D01"
DEPT2 = "D02"

H = timedelta(hours=1)


def small_county(engine) -> None:
    """County 340223 (0..3 × 0..1 degrees, shifted to Nanling), two towns, three grids."""
    def sq(x0, x1):
        return box(118.0 + x0, 30.8, 118.0 + x1, 30.9)

    shapes = {
        COUNTY: ("测试县", "county", None, sq(0, 0.3)),
        TOWN: ("甲镇", "town", COUNTY, sq(0, 0.2)),
        TOWN2: ("乙镇", "town", COUNTY, sq(0.2, 0.3)),
        COMMUNITY: ("甲社区", "community", TOWN, sq(0, 0.2)),
        COMMUNITY2: ("乙社区", "community", TOWN2, sq(0.2, 0.3)),
        GRID_A: ("甲社区第1网格", "grid", COMMUNITY, sq(0, 0.1)),
        GRID_B: ("甲社区第2网格", "grid", COMMUNITY, sq(0.1, 0.2)),
        GRID_C: ("乙社区第1网格", "grid", COMMUNITY2, sq(0.2, 0.3)),
    }
    figures = {GRID_A: (400, 380, 800), GRID_B: (500, 450, 1000), GRID_C: (300, 310, 600)}
    with transaction(engine) as s:
        for code, (name, level, parent, g) in shapes.items():
            cx, cy = geo.centroid(g)
            hh, houses, pop = figures.get(code, (0, 0, 0))
            s.add(Area(code=code, name=name, level=level, parent_code=parent, geometry=geo.to_geojson(g),
                       centroid_lon=cx, centroid_lat=cy, households=hh, houses=houses, population=pop))
            s.flush()
        s.add(Department(code=DEPT, name="县公安局", level="county_department"))
        s.add(Department(code=DEPT2, name="县住建局", level="county_department"))
        for code, (name, level, _, _) in shapes.items():
            if level != "county":
                s.add(Department(code=code, name=name, level=level, area_code=code))
        s.add(Category(code="SQ", name="社区管理类", time_limit_hours=48))
        s.flush()
        s.add(Category(code="SQ01", name="公共设施损坏", parent_code="SQ", time_limit_hours=24, default_handler_code=DEPT))
        s.add(Category(code="JF", name="矛盾纠纷类", time_limit_hours=168, is_dispute=True))
        s.flush()
        s.add(Category(code="JF01", name="邻里纠纷", parent_code="JF", time_limit_hours=168, is_dispute=True))
        s.add(Category(code="ZD", name="重大突发类", time_limit_hours=4, is_major=True))
        s.flush()
        s.add(Category(code="ZD01", name="重大安全事故险情", parent_code="ZD", time_limit_hours=4, is_major=True))
        for i, grid in enumerate((GRID_A, GRID_B, GRID_C)):
            s.add(Staff(grid_code=grid, name=f"网格员{i}", role="grid_worker", phone_masked="138****0000"))
            s.add(Staff(grid_code=grid, name=f"网格长{i}", role="grid_leader", phone_masked="139****0000"))
        bump(s, "areas", "catalog", "staff")


def case(engine, reported: datetime, steps: list[tuple], *, grid: str = GRID_A, category: str = "SQ01",
         severity: str = "normal") -> int:
    """Report a case at ``reported`` and apply ``steps``: (action, hours after report[, handler])."""
    with transaction(engine) as s:
        ev = lifecycle.report(s, title="测试事件", category_code=category, source="patrol", grid_code=grid,
                              at=reported, actor="网格员", severity=severity)
        for st in steps:
            action, hours = st[0], st[1]
            at = reported + H * hours
            if action == "supervise":
                lifecycle.supervise(s, ev, at=at, actor="值班员", note="督办")
            else:
                lifecycle.apply(s, ev, action, at=at, actor="测试", handler_code=st[2] if len(st) > 2 else None)
        return ev.id


CLOSE = [("accept", 1), ("dispatch", 2, DEPT), ("start", 3), ("dispose", 5), ("verify_ok", 6)]


def event(engine, event_id: int) -> Event:
    with transaction(engine) as s:
        return s.get(Event, event_id)
