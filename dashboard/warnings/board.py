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

from dashboard import strings, vocabulary
from dashboard.domain import areas
from dashboard.store.models import Area
from dashboard.timeutil import to_utc
from dashboard.warnings import read as W
from dashboard.warnings import signals


GROUP_ALL_UP_TO = 2000  # red and orange grids read whole to fold area warnings into one row (a county's all)


def overview(engine, area: str | None = None, at: datetime | None = None, limit: int | None = None,
             alerting: set[str] | frozenset = frozenset()) -> dict:
    """The board: grids per level, each town's worst, and the red and orange rows — most severe
    first, then those with an unacknowledged alert (``alerting``: grid codes), then the longest
    standing. A manual warning on a town, community or the county that is the only reason of the
    grids it floors is one row for them all ("三里镇（14个网格）"), not one per grid.
    ``limit``: at most that many rows; ``more`` says how many red and orange grids are not shown."""
    county = W.county_rollup(engine, area, at)
    towns = W.rollup(engine, "town", area, at)
    total = county["counts"][1] + county["counts"][2]
    grids = W.top_grids(engine, (1, 2), area, limit=None if total <= GROUP_ALL_UP_TO else limit, at=at)
    rows = _rows(engine, grids, at or county["evaluated_at"], alerting)
    shown = rows if limit is None else rows[:limit]
    return {
        "alerts_total": total,
        "more": total - sum(r["n"] for r in shown),
        "counts": county["counts"],
        "evaluated_at": county["evaluated_at"],
        "towns": [{"code": r.code, "name": r.name, "level": int(r.worst), "n": int(r.grids - r.n0)}
                  for r in towns.itertuples()],
        "alerts": shown,
    }


def _rows(engine, grids: pd.DataFrame, at: datetime | None, alerting) -> list[dict]:
    rows = []
    covered: dict[str, dict] = {}
    if len(grids) and at is not None:
        for w in signals.manual_in_force(engine, to_utc(at)).itertuples():
            if len(w.scope_code) >= vocabulary.CODE_LENGTH["grid"] or w.level not in (1, 2):
                continue
            for g in grids.itertuples():
                if g.code in covered or g.level != w.level or not g.code.startswith(w.scope_code):
                    continue
                at_level = [r for r in g.reasons if r["level"] == g.level]
                if at_level and all(r["signal"] == "manual" for r in at_level):
                    covered[g.code] = {"scope": w.scope_code, "level": int(w.level), "since": w.issued_at,
                                       "reason": at_level[0]["text"]}
    groups: dict[str, list[str]] = {}
    for code, c in covered.items():
        groups.setdefault(c["scope"], []).append(code)
    groups = {scope: codes for scope, codes in groups.items() if len(codes) > 1}
    for scope, codes in groups.items():
        c = covered[codes[0]]
        info = areas.get(engine, scope)
        level = vocabulary.LEVEL_OF_LENGTH.get(len(scope))
        rows.append({"code": scope, "name": strings.BOARD_AREA_ROW.format(name=info.name if info else scope, n=len(codes)),
                     "level": c["level"], "reasons": [c["reason"]], "n": len(codes), "area": True,
                     "alerting": any(x in alerting for x in codes), "since": c["since"],
                     "href": f"/{level}/{scope}" if level in ("town", "community") else "/warnings"})
    grouped = {x for codes in groups.values() for x in codes}
    for g in grids.itertuples():
        if g.code in grouped:
            continue
        rows.append({"code": g.code, "name": g.name, "level": int(g.level), "reasons": [x["text"] for x in g.reasons],
                     "n": 1, "area": False, "alerting": g.code in alerting, "since": g.since, "href": f"/grid/{g.code}"})
    far = pd.Timestamp.max.tz_localize("UTC")
    rows.sort(key=lambda r: (r["level"], not r["alerting"], _ts(r["since"], far), r["code"]))
    for r in rows:
        r.pop("since")
    return rows


def _ts(t, default):
    return default if t is None or pd.isna(t) else pd.Timestamp(t)


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
