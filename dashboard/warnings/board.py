"""The warnings as screens and bulletins read them, built on ``read``: the board's figures (grids
per level, each town's worst, the red and orange grids with their reasons) and an area's view for
the desk pages (every grid's level and reasons, and the history of the warnings concerning it) —
now (the stored state) or as of a past moment (replayed from the level history). Never invents a
level.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from sqlalchemy import select

from dashboard.store.models import Area
from dashboard.timeutil import to_utc
from dashboard.warnings import read as W


def overview(engine, area: str | None = None, at: datetime | None = None, limit: int | None = None) -> dict:
    """``limit``: at most that many red and orange grids (most severe, longest standing first);
    ``alerts_total`` says how many there are (a city has thousands)."""
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


HISTORY_COLUMNS = ["at", "level", "kind", "reasons", "ended_at", "by", "scope_code", "scope_name"]


@dataclass
class WarningInfo:
    """``levels``: every grid in the area -> level (0 normal, 1 red … 4 blue); ``reasons``: grid ->
    reasons in words (grids above normal); ``history``: warnings concerning the area, newest
    first (columns ``HISTORY_COLUMNS``)."""

    levels: pd.Series
    reasons: dict[str, list[str]] = field(default_factory=dict)
    history: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=HISTORY_COLUMNS))

    def level_of(self, code: str) -> int:
        """The worst level among the grids inside ``code`` (a grid's own level for a grid)."""
        lv = self.levels[self.levels.index.str.startswith(code)]
        lv = lv[lv > 0]
        return int(lv.min()) if len(lv) else 0

    def counts(self, code: str | None = None) -> dict[int, int]:
        lv = self.levels if code is None else self.levels[self.levels.index.str.startswith(code)]
        return {k: int((lv == k).sum()) for k in (1, 2, 3, 4, 0)}


def warnings_for(engine, at: datetime, area: str, history_limit: int = 50) -> WarningInfo:
    """Levels and reasons of every grid in ``area`` (the warning engine's, as of ``at``: the stored
    state, or replayed from the level history for an earlier moment), and the history of the
    warnings concerning it (manual and computed, on the area, inside it or on an area containing it)."""
    t = to_utc(at)
    stored = W.evaluated_at(engine)
    as_of = t if stored is not None and t < stored else None
    df = W.grid_levels(engine, area, at=as_of)
    levels = pd.Series(df["level"].to_numpy(), index=df["code"].to_numpy(), dtype="int64")
    reasons = {r.code: [x["text"] for x in r.reasons] for r in df.itertuples() if r.level > 0}
    h = W.list_warnings(engine, t, area=area, status="all", limit=history_limit)
    ended = [min([x for x in (e, lf) if x is not None and not pd.isna(x)], default=None)
             for e, lf in zip(h["expires_at"], h["lifted_at"])]
    history = pd.DataFrame({
        "at": h["issued_at"], "level": h["level"], "kind": h["kind"], "reasons": h["reasons"],
        "ended_at": [x if x is not None and x <= t else None for x in ended], "by": h["issued_by"],
        "scope_code": h["scope_code"], "scope_name": h["scope_name"]}, columns=HISTORY_COLUMNS)
    return WarningInfo(levels=levels, reasons=reasons, history=history)


def warning_levels(engine, at: datetime) -> pd.Series:
    """Warning level per grid code as of ``at`` (1 red … 4 blue, 0 normal), every grid listed:
    what an exported map colours."""
    with engine.connect() as conn:
        codes = [c for (c,) in conn.execute(select(Area.code).where(Area.level == "grid").order_by(Area.code))]
    return pd.Series(W.levels_by_grid(engine, at=at), dtype="int64").reindex(codes).fillna(0).astype("int64")
