"""Looking up areas: the root county, an area, its children, its line of ancestors."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine

from dashboard import vocabulary
from dashboard.store.models import Area


@dataclass(frozen=True)
class AreaInfo:
    code: str
    name: str
    level: str
    parent_code: str | None
    centroid_lon: float | None
    centroid_lat: float | None


_COLS = (Area.code, Area.name, Area.level, Area.parent_code, Area.centroid_lon, Area.centroid_lat)


def root(engine: Engine) -> AreaInfo | None:
    with engine.connect() as conn:
        row = conn.execute(select(*_COLS).where(Area.level == "county")).first()
    return AreaInfo(*row) if row else None


def get(engine: Engine, code: str | None) -> AreaInfo | None:
    if not code or vocabulary.level_of_code(code) is None:
        return None
    with engine.connect() as conn:
        row = conn.execute(select(*_COLS).where(Area.code == code)).first()
    return AreaInfo(*row) if row else None


def children(engine: Engine, code: str) -> list[AreaInfo]:
    with engine.connect() as conn:
        rows = conn.execute(select(*_COLS).where(Area.parent_code == code).order_by(Area.code)).all()
    return [AreaInfo(*r) for r in rows]


def lineage(engine: Engine, code: str) -> list[AreaInfo]:
    """The area and its ancestors, county first (for breadcrumbs)."""
    codes = list(vocabulary.ancestors(code).values())
    with engine.connect() as conn:
        rows = {r.code: AreaInfo(*r) for r in conn.execute(select(*_COLS).where(Area.code.in_(codes)))}
    return [rows[c] for c in codes if c in rows]


def names(engine: Engine, level: str | None = None) -> dict[str, str]:
    stmt = select(Area.code, Area.name)
    if level:
        stmt = stmt.where(Area.level == level)
    with engine.connect() as conn:
        return dict(conn.execute(stmt).all())
