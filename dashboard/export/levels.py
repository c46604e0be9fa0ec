"""Warning levels for exports and the bulletin, behind one function: the warning engine's levels
as of the moment a chart or bulletin is about (replayed from its history for past weeks)."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from sqlalchemy import select

from dashboard.warnings import board
from dashboard import warnings as W
from dashboard.store.models import Area


def warning_levels(engine, at: datetime) -> pd.Series:
    """Warning level per grid code as of ``at``: 1 red … 4 blue, 0 normal."""
    with engine.connect() as conn:
        codes = [c for (c,) in conn.execute(select(Area.code).where(Area.level == "grid").order_by(Area.code))]
    return pd.Series(W.levels_by_grid(engine, at=at), dtype="int64").reindex(codes).fillna(0).astype("int64")


def overview(engine, at: datetime, area: str | None = None) -> dict:
    """Grids per level, each town's worst level and the red/orange grids with their reasons."""
    return board.overview(engine, area, at)
