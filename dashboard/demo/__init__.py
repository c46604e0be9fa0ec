"""Demo data generator: ``gridscreen seed --profile nanling|city``.

``nanling`` reproduces the seed article's published figures exactly (9 towns/zones, 25
communities, 211 grids, 166,329 people, 87,911 houses, 27 departments, and for the 112 days ending
at as-of 979 accepted events: 917 closed, 32 in progress, 30 invalid). ``city`` is Zhengzhou-scale
for the performance work. Both are deterministic for a given ``seed`` and ``as_of``.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import Callable

import numpy as np
from sqlalchemy.engine import Engine

from dashboard.store import db
from dashboard.domain import geo, rollups
from dashboard.timeutil import LOCAL_TZ, now_utc, to_utc
from dashboard.demo import bulk, rhythm
from dashboard.demo.catalogue import DEPARTMENTS, NANLING, TOP_CATEGORIES
from dashboard.demo.cases import Case, CaseFactory, GridInfo, category_table
from dashboard.demo.geography import AreaRow
from dashboard.demo.people import (PATROL_COLUMNS, STAFF_COLUMNS, STAT_COLUMNS, VISIT_COLUMNS, patrol_and_visit_rows, stat_rows,
                     staff_rows)

PROFILES = ("nanling", "city")
EVENT_COLUMNS = (
    "id", "ext_id", "title", "description", "category_code", "source", "severity", "grid_code", "community_code",
    "town_code", "lat", "lon", "reporter_staff_id", "photo_url", "status", "reported_at", "accepted_at", "invalid_at",
    "dispatched_at", "disposed_at", "closed_at", "deadline", "handler_code", "handler_level", "rework_count",
    "sendback_count", "supervised", "supervised_at", "updated_at", "settled_at",
)
LOG_COLUMNS = ("id", "event_id", "at", "action", "from_status", "to_status", "actor", "handler_code", "note")
SUPERVISION_COLUMNS = ("id", "event_id", "at", "actor", "note")


class SeedError(RuntimeError):
    pass


def default_as_of() -> datetime:
    """Now, to the minute: the demo's last 112 days end at the moment it is created."""
    return now_utc().replace(second=0, microsecond=0)


def seed(engine: Engine, profile: str = "nanling", seed: int = 7, as_of: datetime | None = None,
         reset: bool = False, scale: float = 1.0, progress: Callable[[str, int, int], None] | None = None) -> dict:
    """Fill an empty database with a demo profile. Returns counts of what was written."""
    if profile not in PROFILES:
        raise SeedError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    db.upgrade(engine)
    if not db.is_empty(engine):
        if not reset:
            raise SeedError("the database already holds data; use --reset to wipe it first")
        db.downgrade(engine, "base")
        db.upgrade(engine)
    as_of = to_utc(as_of) if as_of else default_as_of()
    builder = NanlingBuilder if profile == "nanling" else CityBuilder
    counts = builder(engine, seed, as_of, scale, progress).run()
    # --- warnings: the engine fills its state (and, for the county demo, its recent history) ---
    from dashboard.demo import warning_demo

    if profile == "nanling":
        from dashboard.demo.catalogue import NANLING

        warning_demo.manual_warnings(engine, as_of, NANLING["county_code"], NANLING["county_code"] + "104")
    warning_demo.run(engine, as_of, replay_days=warning_demo.REPLAY_DAYS if profile == "nanling" else 0)
    return counts


class _Builder:
    days = 112

    def __init__(self, engine, seed, as_of, scale, progress):
        self.engine = engine
        self.seed = seed
        self.as_of = as_of
        self.scale = scale
        self.rng = np.random.default_rng(seed)
        self.r = random.Random(seed)
        self.progress = progress or (lambda stage, done, total: None)
        self.counts: dict[str, int] = {}

    # --- shared pieces ---------------------------------------------------------------------------

    def write_static(self, conn, areas: list[AreaRow]):
        level_order = {"county": 0, "town": 1, "community": 2, "grid": 3}
        areas = sorted(areas, key=lambda a: level_order[a.level])
        rows = []
        for a in areas:
            cx, cy = geo.centroid(a.geom)
            rows.append((a.code, a.name, a.level, a.parent, geo.to_geojson(a.geom), cx, cy, a.households, a.houses,
                         a.population))
        self.counts["areas"] = bulk.insert_rows(conn, "areas", ("code", "name", "level", "parent_code", "geometry",
                                                                 "centroid_lon", "centroid_lat", "households", "houses",
                                                                 "population"), rows)
        depts = [(c, n, "county_department", None) for c, n in DEPARTMENTS]
        depts += [(a.code, a.name, a.level, a.code) for a in areas if a.level != "county"]
        bulk.insert_rows(conn, "departments", ("code", "name", "level", "area_code"), depts)
        self.dept_names = {d[0]: d[1] for d in depts}
        cats = [(c, n, None, major, dispute, max(x.limit for x in category_table() if x.parent == c), None)
                for c, n, _, major, dispute in TOP_CATEGORIES]
        for c in category_table():
            default = next((t for t, _ in c.handlers if t.startswith("D")), None)
            cats.append((c.code, c.name, c.parent, c.is_major, c.is_dispute, c.limit, default))
        bulk.insert_rows(conn, "categories", ("code", "name", "parent_code", "is_major", "is_dispute",
                                              "time_limit_hours", "default_handler_code"), cats)

    def grid_infos(self, areas: list[AreaRow], workers: dict) -> list[GridInfo]:
        names = {a.code: a.name for a in areas}
        out = []
        for a in areas:
            if a.level == "grid":
                wid, wname = workers[a.code]
                out.append(GridInfo(a.code, a.name, a.parent, names[a.parent], a.code[:9], names[a.code[:9]], wid, wname,
                                    a.rural))
        return out

    def report_times(self, n: int, start: datetime, end: datetime, ramp_days: float = 20.0) -> list[datetime]:
        """``n`` report times in [start, end): a ramp-up after launch, quieter weekends, and the
        working-day rhythm in local time (peaks mid-morning and mid-afternoon, little at night)."""
        from dashboard.timeutil import local_midnight

        base = local_midnight(start)
        days = (end - base).days + 1
        d = np.arange(days)
        weekday = np.array([(base + timedelta(days=int(i), hours=12)).astimezone(LOCAL_TZ).weekday() for i in d])
        lam = (np.minimum(1.0, 0.45 + d / ramp_days) * np.where(weekday >= 5, rhythm.WEEKEND_FACTOR, 1.0)
               * self.rng.gamma(12, 1 / 12, days))
        hours = np.array(rhythm.HOURLY_WEIGHTS)
        latest = end - timedelta(minutes=2)
        out: list[datetime] = []
        while len(out) < n:
            m = int((n - len(out)) * 1.3) + 16
            day = self.rng.choice(days, size=m, p=lam / lam.sum())
            hour = self.rng.choice(24, size=m, p=hours / hours.sum())
            minute = self.rng.uniform(0, 60, size=m)
            for dd, hh, mm in zip(day, hour, minute):
                t = base + timedelta(days=int(dd), hours=int(hh), minutes=float(mm))
                if start <= t <= latest:
                    out.append(t)
        out = out[:n]
        out.sort()
        return out

    def write_cases(self, conn, cases: list[Case], first_id: int = 1, first_log: int = 1, first_sup: int = 1):
        events, logs, sups = [], [], []
        lid, sid = first_log, first_sup
        for i, c in enumerate(cases, start=first_id):
            e = c.event
            events.append(tuple(i if k == "id" else e.get(k) for k in EVENT_COLUMNS))
            for at, action, frm, to, actor, handler, note in c.log:
                logs.append((lid, i, at, action, frm, to, actor, handler, note))
                lid += 1
            for at, actor, note in c.supervisions:
                sups.append((sid, i, at, actor, note))
                sid += 1
        bulk.insert_rows(conn, "events", EVENT_COLUMNS, events)
        bulk.insert_rows(conn, "event_log", LOG_COLUMNS, logs)
        bulk.insert_rows(conn, "supervisions", SUPERVISION_COLUMNS, sups)
        return lid, sid

    def finish(self, conn):
        bulk.reset_sequences(conn, ["staff", "events", "event_log", "supervisions", "patrols", "visits", "warnings"])
        from sqlalchemy.orm import Session

        rollups.rebuild(conn)
        with Session(bind=conn) as s:
            db.bump(s, *db.VERSION_CHANNELS)
            s.flush()

    def place_points(self, grid_geoms: dict, cases: list[Case]):
        by_grid: dict[str, list[Case]] = {}
        for c in cases:
            by_grid.setdefault(c.event["grid_code"], []).append(c)
        for code, items in by_grid.items():
            pts = geo.random_points_in(self.rng, grid_geoms[code], len(items))
            for c, (x, y) in zip(items, pts):
                c.event["lon"], c.event["lat"] = round(float(x), 6), round(float(y), 6)


class NanlingBuilder(_Builder):
    def run(self) -> dict:
        from dashboard.demo.geography import nanling

        self.progress("geography", 0, 1)
        areas = nanling(self.rng)
        grids = [a for a in areas if a.level == "grid"]
        start = self.as_of - timedelta(days=self.days)
        with self.engine.begin() as conn:
            self.write_static(conn, areas)
            staff, workers = staff_rows(self.r, grids, self.as_of)
            self.counts["staff"] = bulk.insert_rows(conn, "staff", STAFF_COLUMNS, staff)
            bulk.insert_rows(conn, "grid_stats", STAT_COLUMNS, stat_rows(self.rng, grids))
            infos = self.grid_infos(areas, workers)
            cases = self.plan_cases(infos, start)
            self.place_points({g.code: g.geom for g in grids}, cases)
            cases.sort(key=lambda c: c.event["reported_at"])
            self.write_cases(conn, cases)
            self.counts["events"] = len(cases)
            patrols, visits = patrol_and_visit_rows(self.r, grids, workers, start, self.as_of)
            self.counts["patrols"] = bulk.insert_rows(conn, "patrols", PATROL_COLUMNS, patrols)
            self.counts["visits"] = bulk.insert_rows(conn, "visits", VISIT_COLUMNS, visits)
            self.finish(conn)
        self.progress("done", 1, 1)
        return self.counts

    def plan_cases(self, grids: list[GridInfo], start: datetime) -> list[Case]:
        f = CaseFactory(self.r, self.dept_names, self.as_of)
        n = NANLING["accepted"]
        times = self.report_times(n, start, self.as_of, ramp_days=18)
        weights = [1.6 if not g.rural else 1.0 for g in grids]
        grid_of = self.r.choices(grids, weights, k=n)
        age = [(self.as_of - t).total_seconds() / 3600 for t in times]
        taken: dict[int, tuple] = {}  # index -> (fate, stage, category, pace)

        def pick(lo_h, hi_h, avoid=()):
            cands = [i for i in range(n) if lo_h <= age[i] <= hi_h and i not in taken and i not in avoid]
            if not cands:
                raise SeedError(f"no report between {lo_h} and {hi_h} hours old to shape the demo")
            return self.r.choice(cands)

        # The 32 open cases, shaped so the warning engine has real signals to find:
        # an open major event, ageing disputes, a few stuck and overdue cases, and recent work.
        major = [c for c in f.categories if c.is_major and c.code != "ZD02"]
        taken[pick(3, 20)] = ("open", "in_progress", self.r.choice(major), 1.0)
        disputes = [c for c in f.categories if c.is_dispute]
        for days_old in (4, 9, 13):
            taken[pick(24 * days_old - 12, 24 * days_old + 12)] = ("open", "in_progress", self.r.choice(disputes), 1.5)
        for _ in range(6):
            taken[pick(24 * 8, 24 * 40)] = ("open", self.r.choice(["in_progress", "disposed", "dispatched"]), None, 4.0)
        recent = [i for i in range(n) if age[i] <= 24 * 5 and i not in taken]
        rec_w = [np.exp(-age[i] / 40.0) for i in recent]
        while sum(1 for v in taken.values() if v[0] == "open") < NANLING["in_progress"]:
            i = self.r.choices(recent, rec_w)[0]
            if i in taken:
                continue
            stage = "accepted" if age[i] < 2 else self.r.choices(["dispatched", "in_progress", "disposed"], [3, 5, 2])[0]
            taken[i] = ("open", stage, f.pick_category(major_ok=False), 1.0)
        rest = [i for i in range(n) if i not in taken and age[i] > 1.0]
        for i in self.r.sample(rest, NANLING["invalid"]):
            taken[i] = ("invalid", None, None, 1.0)

        # Surges: a few grids that suddenly report much more than usual in the last days.
        surge_grids = self.r.sample([g for g in grids if not g.rural], 2) + self.r.sample([g for g in grids if g.rural], 1)
        last_week = [i for i in range(n) if age[i] <= 24 * 7 and i not in taken]
        self.r.shuffle(last_week)
        k = 0
        for g, extra in zip(surge_grids, (9, 6, 5)):
            for i in last_week[k:k + extra]:
                grid_of[i] = g
            k += extra

        cases = []
        for i, t in enumerate(times):
            fate, stage, cat, pace = taken.get(i, ("closed", None, None, 1.0))
            if fate == "closed" and cat is None:
                cat = f.pick_category()
            cases.append(f.build(t, grid_of[i], fate, stage=stage, category=cat, pace=pace))
        # A handful of reports from the last hour and a half, not yet accepted (待受理).
        for _ in range(4):
            t = self.as_of - timedelta(minutes=self.r.uniform(5, 95))
            cases.append(f.build(t, self.r.choices(grids, weights)[0], "pending", category=f.pick_category(False)))
        return cases


class CityBuilder(_Builder):
    """Zhengzhou scale: ~19,000 grids, ~1,000,000 events over 3.6 years (280,000 a year)."""

    events_per_year = 280_000

    def run(self) -> dict:
        from dashboard.demo.geography import city

        n_grids = max(20, int(19_000 * self.scale))
        n_events = max(200, int(1_000_000 * self.scale))
        years = 1_000_000 / self.events_per_year
        days = int(round(365 * years))
        start = self.as_of - timedelta(days=days)

        done = [0]

        def geo_progress(k):
            done[0] += k
            self.progress("geography", done[0], n_grids)

        areas = city(self.rng, n_grids, progress=geo_progress)
        grids = [a for a in areas if a.level == "grid"]
        with self.engine.begin() as conn:
            self.write_static(conn, areas)
            staff, workers = staff_rows(self.r, grids, self.as_of)
            self.counts["staff"] = bulk.insert_rows(conn, "staff", STAFF_COLUMNS, staff)
            bulk.insert_rows(conn, "grid_stats", STAT_COLUMNS, stat_rows(self.rng, grids))
            infos = self.grid_infos(areas, workers)
            f = CaseFactory(self.r, self.dept_names, self.as_of)
            times = self.report_times(n_events, start, self.as_of, ramp_days=60)
            weights = self.rng.gamma(2.0, 1.0, len(infos))
            grid_idx = self.rng.choice(len(infos), size=n_events, p=weights / weights.sum())
            centroids = {g.code: geo.centroid(g.geom) for g in grids}
            batch = 20_000
            lid = sid = 1
            for b in range(0, n_events, batch):
                cases = []
                for i in range(b, min(n_events, b + batch)):
                    t = times[i]
                    age_h = (self.as_of - t).total_seconds() / 3600
                    g = infos[grid_idx[i]]
                    u = self.r.random()
                    # Almost everything older than a few weeks is closed (97.9 % in Zhengzhou).
                    p_open = 0.6 if age_h < 24 else (0.25 if age_h < 24 * 7 else (0.04 if age_h < 24 * 60 else 0.004))
                    if age_h < 0.5:
                        fate, stage = "pending", None
                    elif u < 0.03:
                        fate, stage = "invalid", None
                    elif u < 0.03 + p_open:
                        fate = "open"
                        stage = self.r.choices(["accepted", "dispatched", "in_progress", "disposed"], [1, 3, 5, 2])[0]
                    else:
                        fate, stage = "closed", None
                    cat = f.pick_category(major_ok=fate != "open" or self.r.random() < 0.02)
                    cx, cy = centroids[g.code]
                    c = f.build(t, g, fate, stage=stage, category=cat,
                                lat=round(cy + self.r.uniform(-0.0015, 0.0015), 6),
                                lon=round(cx + self.r.uniform(-0.0015, 0.0015), 6))
                    cases.append(c)
                lid, sid = self.write_cases(conn, cases, first_id=b + 1, first_log=lid, first_sup=sid)
                self.progress("events", min(n_events, b + batch), n_events)
            self.counts["events"] = n_events
            # Patrols and visits for the last four weeks only: enough for every figure on screen.
            recent = self.as_of - timedelta(days=28)
            patrols, visits = patrol_and_visit_rows(self.r, grids, workers, recent, self.as_of)
            self.counts["patrols"] = bulk.insert_rows(conn, "patrols", PATROL_COLUMNS, patrols)
            self.counts["visits"] = bulk.insert_rows(conn, "visits", VISIT_COLUMNS, visits)
            self.finish(conn)
        self.progress("done", 1, 1)
        return self.counts
