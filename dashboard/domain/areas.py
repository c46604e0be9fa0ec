"""Areas: looking them up (the root, an area, its children, its line of ancestors) and the one
SQL condition for "inside an area" — for code columns (``within``) and for cases
(``events_within``). An area is any level of the hierarchy: codes nest (a child's code begins with
its parent's), so an area holds exactly the codes that start with its own."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import literal, select
from sqlalchemy.engine import Engine

from dashboard import vocabulary
from dashboard.store.models import Area, Event


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


def within(code: str | None, column=None):
    """SQL condition: the codes in ``column`` (default ``areas.code``; a grid, scope or staff's
    grid column ...) that lie inside area ``code`` (None: everything)."""
    column = Area.code if column is None else column
    if not code:
        return literal(True)
    return column == code if len(code) == vocabulary.CODE_LENGTH["grid"] else column.startswith(code, autoescape=True)


# The case's own columns that name its community and town (denormalised at report time): an area
# of those levels is found through their indexes; any other level through the grid's code.
_EVENT_COLUMN = {"grid": Event.grid_code, "community": Event.community_code, "town": Event.town_code}


def events_within(code: str | None):
    """SQL condition: the cases inside area ``code`` (any level; None: every case)."""
    if not code:
        return literal(True)
    level = vocabulary.level_of_code(code)
    column = _EVENT_COLUMN.get(level)
    if column is not None:
        return column == code
    if not code.isdigit():
        raise ValueError(f"area code {code!r} is not a code")
    # Above a town (the county, a city's district): through the town's code, which every
    # rollup keeps, so all-time figures of a district or of the root read rollups too.
    prefixed = Event.town_code if len(code) <= vocabulary.CODE_LENGTH["town"] else Event.grid_code
    return prefixed.startswith(code, autoescape=True)
