"""The warning board's figures: grids per level, each town's worst level, and the red and orange
grids with their reasons. Reads the levels the warning engine stores; never invents one."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select

from . import areas, mapdata
from .models import Area, Warning
from .timeutil import to_utc


def overview(engine, at: datetime, area: str | None = None, levels=None) -> dict:
    levels = mapdata.stored_levels(engine, at) if levels is None else levels
    if area:
        levels = levels[levels.index.str.startswith(area)]
    counts = {lv: int((levels == lv).sum()) for lv in (1, 2, 3, 4, 0)}
    towns = []
    for code, name in sorted(areas.names(engine, "town").items()):
        if area and not (code.startswith(area) or area.startswith(code)):
            continue
        lv = levels[levels.index.str.startswith(code)]
        worst = int(lv[lv > 0].min()) if (lv > 0).any() else 0
        towns.append({"code": code, "name": name, "level": worst, "n": int((lv > 0).sum())})
    t = to_utc(at)
    with engine.connect() as conn:
        names = dict(conn.execute(select(Area.code, Area.name).where(Area.level == "grid")).all())
        rows = conn.execute(select(Warning.scope_code, Warning.level, Warning.reasons).where(
            Warning.issued_at <= t, (Warning.expires_at.is_(None)) | (Warning.expires_at > t),
            (Warning.lifted_at.is_(None)) | (Warning.lifted_at > t))).all()
    reasons: dict[str, list[str]] = {}
    for scope, _lv, text in rows:
        for code in levels.index[levels.index.str.startswith(scope)]:
            reasons.setdefault(code, []).extend(json.loads(text or "[]"))
    alerts = [{"code": c, "name": names.get(c, c), "level": int(lv), "reasons": reasons.get(c, [])}
              for c, lv in levels.items() if lv in (1, 2)]
    alerts.sort(key=lambda a: (a["level"], a["code"]))
    return {"counts": counts, "towns": towns, "alerts": alerts}
