"""The warning board's figures, read from the warning engine: grids per level, each town's worst
level, and the red and orange grids with their reasons — now (the stored state) or as of a past
moment (replayed from the level history, for bulletins). Never invents a level."""

from __future__ import annotations

from datetime import datetime

from . import warnings as W


def overview(engine, area: str | None = None, at: datetime | None = None, limit: int | None = None) -> dict:
    """``limit``: at most that many red and orange grids (most severe, longest standing first);
    ``alerts_total`` says how many there are (a city has thousands; issue 9)."""
    county = W.county_rollup(engine, area, at)
    towns = W.rollup(engine, "town", area, at)
    alerts = W.top_grids(engine, (1, 2), area, limit=limit, at=at)
    return {
        "alerts_total": county["counts"][1] + county["counts"][2],
        "counts": county["counts"],
        "evaluated_at": county["evaluated_at"],
        "towns": [{"code": r.code, "name": r.name, "level": int(r.worst), "n": int(r.grids - r.n0)}
                  for r in towns.itertuples()],
        "alerts": [{"code": r.code, "name": r.name, "level": int(r.level), "reasons": [x["text"] for x in r.reasons]}
                   for r in alerts.itertuples()],
    }
