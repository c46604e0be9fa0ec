"""Warning levels for exports and the bulletin, behind one function.

The four-level warning engine is built on its own branch; until it lands, the levels are the ones
stored in the database (``mapdata.stored_levels``). On merge, point ``warning_levels`` at the
engine's evaluation — nothing else in ``export`` reads levels.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd

from .. import mapdata, warning_overview


def warning_levels(engine, at: datetime) -> pd.Series:
    """Warning level per grid code as of ``at``: 1 red … 4 blue, 0 normal."""
    return mapdata.stored_levels(engine, at)


def overview(engine, at: datetime, area: str | None = None, levels: pd.Series | None = None) -> dict:
    """Grids per level, each town's worst level and the red/orange grids with their reasons."""
    return warning_overview.overview(engine, at, area, levels=warning_levels(engine, at) if levels is None else levels)
