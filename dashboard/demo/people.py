"""The 1+1+N teams, population and housing counts by tag, patrols and household visits."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import numpy as np

from dashboard.timeutil import local_midnight
from dashboard.demo.catalogue import GIVEN, SURNAMES
from dashboard.demo.geography import AreaRow, exact_split
from dashboard.demo.rhythm import ONLINE_SHARE_DAY

STAFF_COLUMNS = ("id", "grid_code", "name", "role", "phone_masked", "last_seen_at", "active")
STAT_COLUMNS = ("grid_code", "dimension", "tag", "count")
PATROL_COLUMNS = ("id", "staff_id", "grid_code", "started_at", "ended_at")
VISIT_COLUMNS = ("id", "staff_id", "grid_code", "visited_at", "household_no")

# The N in 1+1+N: (role, probability of one more such member), tried a few times per grid.
N_ROLES = [("police", 0.9), ("party_member", 0.8), ("party_member", 0.4), ("volunteer", 0.9), ("volunteer", 0.5),
           ("lawyer", 0.35), ("cadre", 0.7)]


def person_name(r: random.Random) -> str:
    return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2))))


def masked_phone(r: random.Random) -> str:
    return f"1{r.choice('3578')}{r.randint(0, 9)}****{r.randint(0, 9999):04d}"


def staff_rows(r: random.Random, grids: list[AreaRow], as_of: datetime, online_share: float = ONLINE_SHARE_DAY):
    """Staff rows and, per grid, its grid worker's (id, name). About three in four grid workers'
    apps were seen in the last ten minutes (Putuo's norm is ≥ 60 % online)."""
    rows, workers = [], {}
    sid = 0
    for g in grids:
        sid += 1
        rows.append((sid, g.code, person_name(r), "grid_leader", masked_phone(r), None, True))
        sid += 1
        name = person_name(r)
        if r.random() < online_share:
            seen = as_of - timedelta(minutes=r.uniform(0.2, 9.5))
        else:
            seen = as_of - timedelta(hours=r.uniform(0.3, 30))
        rows.append((sid, g.code, name, "grid_worker", masked_phone(r), seen, True))
        workers[g.code] = (sid, name)
        for role, p in N_ROLES:
            if r.random() < p:
                sid += 1
                rows.append((sid, g.code, person_name(r), role, masked_phone(r), None, True))
    return rows, workers


def stat_rows(rng: np.random.Generator, grids: list[AreaRow]):
    """Population by tag (户籍/流动, 党员, 低保, 五保, 独居老人 ...) and housing by use. Counts only."""
    rows = []
    for g in grids:
        migrant_share = rng.uniform(0.05, 0.22) if not g.rural else rng.uniform(0.02, 0.08)
        split = exact_split(rng, g.population, np.array([1 - migrant_share, migrant_share]))
        rows.append((g.code, "population", "registered", int(split[0])))
        rows.append((g.code, "population", "migrant", int(split[1])))
        rates = {
            "party_member": rng.uniform(0.04, 0.09),
            "dibao": rng.uniform(0.008, 0.03) * (1.6 if g.rural else 1.0),
            "wubao": rng.uniform(0.0, 0.004) * (2.0 if g.rural else 0.5),
            "elderly_alone": rng.uniform(0.01, 0.04) * (1.7 if g.rural else 1.0),
            "disabled": rng.uniform(0.01, 0.025),
            "left_behind_child": rng.uniform(0.0, 0.012) * (3.0 if g.rural else 0.4),
            "veteran": rng.uniform(0.005, 0.015),
        }
        for tag, rate in rates.items():
            rows.append((g.code, "population", tag, int(round(g.population * rate))))
        use = np.array([0.78, 0.13, 0.06, 0.03]) if not g.rural else np.array([0.86, 0.04, 0.08, 0.02])
        use = use * rng.uniform(0.8, 1.2, 4)
        for tag, n in zip(("self_occupied", "rented", "vacant", "commercial"), exact_split(rng, g.houses, use)):
            rows.append((g.code, "housing", tag, int(n)))
    return rows


def patrol_and_visit_rows(r: random.Random, grids: list[AreaRow], workers: dict, start: datetime, as_of: datetime):
    """Patrols of 1–3 h most working days (the norm is 10+ hours a week, a few workers fall short)
    and household visits at about the yearly norm of four per household."""
    patrols, visits = [], []
    days = (as_of - start).days
    first_day = local_midnight(start)
    pid = vid = 0
    year_share = days / 365.0
    for g in grids:
        sid, _ = workers[g.code]
        diligence = min(1.5, max(0.45, r.gauss(1.05, 0.22)))
        for d in range(days):
            day = first_day + timedelta(days=d)
            if r.random() < 0.72 * diligence:
                begin = day + timedelta(hours=r.uniform(8.0, 15.5))
                length = r.uniform(1.2, 3.2)
                end = min(begin + timedelta(hours=length), as_of)
                if end > begin:
                    pid += 1
                    patrols.append((pid, sid, g.code, begin, end))
        n_visits = int(g.households * 4 * year_share * min(1.4, max(0.5, r.gauss(1.0, 0.2))))
        span = (as_of - start).total_seconds()
        for _ in range(n_visits):
            at = start + timedelta(seconds=r.uniform(0, span))
            local_hour = (at.hour + 8) % 24
            if local_hour < 8 or local_hour > 19:  # visits happen in the day
                at -= timedelta(hours=12)
                if at < start:
                    at += timedelta(hours=24)
            vid += 1
            visits.append((vid, sid, g.code, at, r.randint(1, g.households)))
    return patrols, visits
