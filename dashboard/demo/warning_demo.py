"""The demo's warnings: two manual warnings a duty officer would plausibly have issued, and the
engine replayed over the last days so the stored state, the history and the computed episodes
look as if the engine had been running all along.

The levels themselves come from the engine reading the generated cases (``plan_cases`` shapes an
open major event, ageing disputes, stuck overdue cases and three surge grids); nothing here sets
a grid's level directly.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy.engine import Engine

from dashboard.store import db
from dashboard.store.models import Warning
from dashboard.warnings import load_rules, replay, run_once

DUTY_OFFICER = "县综治中心值班长"
# Replay the engine over the last days, every few hours: enough for a readable history without
# slowing the seed (each step is one evaluation of the county).
REPLAY_DAYS = 7
REPLAY_STEP = timedelta(hours=4)


def manual_warnings(engine: Engine, as_of: datetime, county: str, town: str) -> None:
    """A blue warning for a hilly town's forest-fire season (in force) and an ended county-wide
    one from an earlier busy period (for the list's history)."""
    with db.transaction(engine) as s:
        s.add(Warning(scope_code=town, level=4, kind="manual",
                      reasons=json.dumps(["秋冬森林防火关键期，山林地区网格加强巡查，严防野外用火"], ensure_ascii=False),
                      issued_at=as_of - timedelta(days=2, hours=5), expires_at=as_of + timedelta(days=12),
                      issued_by=DUTY_OFFICER))
        s.add(Warning(scope_code=county, level=4, kind="manual",
                      reasons=json.dumps(["秋收农忙期土地、劳资纠纷易发，各网格加强矛盾排查化解"], ensure_ascii=False),
                      issued_at=as_of - timedelta(days=40), expires_at=as_of - timedelta(days=30),
                      issued_by=DUTY_OFFICER))
        db.bump(s, "warnings")


def run(engine: Engine, as_of: datetime, *, replay_days: int = REPLAY_DAYS, rules=None) -> None:
    rules = rules or load_rules()
    if replay_days > 0:
        replay(engine, rules, as_of - timedelta(days=replay_days), as_of, REPLAY_STEP)
    else:
        run_once(engine, rules, as_of)
