"""Where a report is: the grid containing a point, and each grid's size.

The grid polygons are parsed once per process and database, and again only when the ``areas``
data version moves (an area import), so locating a report costs one small query and an STRtree
lookup.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine

from dashboard.domain import geo
from dashboard.store.models import Area, DataVersion

_lock = threading.Lock()
_cache: dict[str, tuple[int | None, "Places"]] = {}


@dataclass(frozen=True)
class Places:
    index: geo.GridIndex
    area_km2: dict[str, float]

    def locate(self, lon: float, lat: float) -> str | None:
        """The grid containing the point; None outside every grid (the grids tile the county
        exactly, so that is outside the county)."""
        return self.index.locate(lon, lat)


def _km2(geom) -> float:
    """Area of a lon/lat polygon in km² (local equirectangular approximation: fine at county scale)."""
    lat = geom.centroid.y
    return geom.area * 111.32 * 111.32 * math.cos(math.radians(lat))


def _load(engine: Engine) -> Places:
    with engine.connect() as conn:
        rows = conn.execute(select(Area.code, Area.geometry).where(Area.level == "grid", Area.geometry.is_not(None))
                            .order_by(Area.code)).all()
    index = geo.GridIndex.from_rows(rows)
    return Places(index, {c: _km2(g) for c, g in zip(index.codes, index.geoms)})


def places(engine: Engine) -> Places:
    url = engine.url.render_as_string(hide_password=False)
    with engine.connect() as conn:
        version = conn.execute(select(DataVersion.version).where(DataVersion.name == "areas")).scalar()
    with _lock:
        hit = _cache.get(url)
        if hit is not None and hit[0] == version:
            return hit[1]
    loaded = _load(engine)
    with _lock:
        _cache[url] = (version, loaded)
    return loaded
