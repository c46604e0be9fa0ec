"""Warning levels, reasons and history as the drill-down pages read them.

``warnings_for`` is the only place the desk pages learn about warnings. Today it reads what is
stored in the ``warnings`` table (as ``mapdata.stored_levels`` and ``warning_overview`` do); when
the four-level engine (``dashboard.warnings``) lands, point this one function at its read side
(``grid_levels`` for levels and reasons, ``grid_history``/``list_warnings`` for the history) and
every page follows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from sqlalchemy import or_, select

from . import domain, mapdata, metrics
from .models import Area, Warning
from .timeutil import to_utc

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
    """Levels and reasons of every grid in ``area`` in force at ``at``, and the history of the
    warnings concerning it (on the area, inside it, or on an area containing it)."""
    t = to_utc(at)
    levels = mapdata.stored_levels(engine, t)
    levels = levels[levels.index.str.startswith(area)]
    ancestors = [c for c in domain.ancestors(area).values() if c != area]
    concerns = or_(metrics.grid_area_filter(area, Warning.scope_code), Warning.scope_code.in_(ancestors))
    with engine.connect() as conn:
        rows = conn.execute(
            select(Warning.scope_code, Area.name, Warning.level, Warning.kind, Warning.reasons, Warning.issued_at,
                   Warning.expires_at, Warning.lifted_at, Warning.issued_by)
            .join(Area, Area.code == Warning.scope_code)
            .where(concerns, Warning.issued_at <= t)
            .order_by(Warning.issued_at.desc(), Warning.id.desc()).limit(history_limit)).all()
    reasons: dict[str, list[str]] = {}
    history = []
    for scope, name, lv, kind, text, issued, expires, lifted, by in rows:
        words = _words(text)
        ends = [x for x in (expires, lifted) if x is not None]
        ended = min(ends) if ends else None
        in_force = ended is None or ended > t
        if in_force:
            for code in levels.index[levels.index.str.startswith(scope)]:
                if levels[code] > 0:
                    reasons.setdefault(code, []).extend(w for w in words if w not in reasons.get(code, []))
        history.append({"at": issued, "level": int(lv), "kind": kind, "reasons": words,
                        "ended_at": ended if ended is not None and ended <= t else None, "by": by or "",
                        "scope_code": scope, "scope_name": name})
    return WarningInfo(levels=levels, reasons=reasons, history=pd.DataFrame(history, columns=HISTORY_COLUMNS))


def _words(text: str | None) -> list[str]:
    try:
        items = json.loads(text or "[]")
    except ValueError:
        return [text] if text else []
    # The engine stores {signal, level, text}; manual warnings plain words.
    return [i["text"] if isinstance(i, dict) else str(i) for i in items]
