"""Synthetic cases with full, consistent histories.

Each case is a list of life-cycle actions with realistic delays (night reports wait for the
morning, departments have their own pace, some cases are reworked or sent back), folded through
``lifecycle.step`` so the event row and its log agree exactly as they would through the API.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from dashboard.domain import lifecycle
from dashboard.vocabulary import OPEN_STATUSES
from dashboard.timeutil import to_local
from dashboard.demo.catalogue import CATEGORIES, DEPARTMENT_PACE, ESTATES, SOURCE_SHARES, TOP_CATEGORIES

H = timedelta(hours=1)
DUTY_ACTOR = "县综治中心受理员"
SUPERVISOR = "县综治中心值班长"
LATE_SUPERVISION_NOTE = "超期未办结，请加快办理"
SOURCE_ACTOR = {"public": "群众求助", "hotline": "12345热线", "video": "视频巡查平台", "transfer": "部门移交"}


@dataclass
class GridInfo:
    code: str
    name: str
    community: str
    community_name: str
    town: str
    town_name: str
    worker_id: int
    worker_name: str
    rural: bool


@dataclass
class Category:
    code: str
    parent: str
    name: str
    limit: float
    handlers: list
    titles: list
    is_major: bool
    is_dispute: bool
    weight: float


def category_table() -> list[Category]:
    tops = {c[0]: c for c in TOP_CATEGORIES}
    counts = {}
    for c in CATEGORIES:
        counts[c[1]] = counts.get(c[1], 0) + 1
    out = []
    for code, parent, name, limit, handlers, titles in CATEGORIES:
        _, _, share, major, dispute = tops[parent]
        out.append(Category(code, parent, name, float(limit), handlers, titles, major, dispute, share / counts[parent]))
    return out


@dataclass
class Plan:
    """A case's fate before it is written: who reports it, and each action with its time."""

    category: Category
    source: str
    reporter: str
    severity: str
    handler: tuple[str, str]
    steps: list  # (action, at, (handler code, level) or None)


@dataclass
class Case:
    event: dict
    log: list  # (at, action, from, to, actor, handler_code, note)
    supervisions: list  # (at, actor, note)


class CaseFactory:
    def __init__(self, rnd: random.Random, dept_names: dict[str, str], as_of: datetime,
                 categories: list[Category] | None = None):
        self.r = rnd
        self.dept_names = dept_names
        self.as_of = as_of
        self.categories = category_table() if categories is None else categories
        self.by_code = {c.code: c for c in self.categories}
        self._cat_weights = [c.weight for c in self.categories]
        self._sources = [s for s, _ in SOURCE_SHARES]
        self._source_w = [w for _, w in SOURCE_SHARES]

    # --- draws -------------------------------------------------------------------------------

    def pick_category(self, major_ok: bool = True) -> Category:
        while True:
            c = self.r.choices(self.categories, self._cat_weights)[0]
            if major_ok or not c.is_major:
                return c

    def _lognormal(self, median: float, sigma: float) -> float:
        return median * self.r.lognormvariate(0.0, sigma)

    def _handler(self, cat: Category, grid: GridInfo) -> tuple[str, str]:
        targets, weights = zip(*cat.handlers)
        t = self.r.choices(targets, weights)[0]
        if t == "grid":
            return grid.code, "grid"
        if t == "community":
            return grid.community, "community"
        if t == "town":
            return grid.town, "town"
        return t, "county_department"

    def _other_department(self, not_code: str) -> tuple[str, str]:
        codes = [c for c in self.dept_names if c != not_code and c.startswith("D")]
        return self.r.choice(codes), "county_department"

    def _accept_time(self, reported: datetime) -> datetime:
        local = to_local(reported)
        if local.hour < 8 or local.hour >= 21:  # the platform's desk is staffed 8:00–21:00
            morning = local.replace(hour=8, minute=0, second=0, microsecond=0)
            if local.hour >= 21:
                morning += timedelta(days=1)
            return morning + H * self.r.uniform(0.05, 1.2)
        return reported + H * min(6.0, self._lognormal(0.45, 0.8))

    @staticmethod
    def description(cat: Category, source: str, reporter: str) -> str:
        return f"{cat.name}：{'网格员巡查发现' if source == 'patrol' else reporter + '反映'}，请及时处置。"

    def title(self, cat: Category, grid: GridInfo) -> str:
        short = grid.community_name.removesuffix("社区")
        if grid.rural:
            place = f"{short}村{self.r.randint(1, 12)}组"
        else:
            place = f"{short}{self.r.choice(ESTATES)}{self.r.randint(1, 90)}栋"
        return self.r.choice(cat.titles).format(place=place)

    # --- a case ------------------------------------------------------------------------------

    def plan(self, reported: datetime, grid: GridInfo, fate: str, *, stage: str | None = None,
             category: Category | None = None, pace: float = 1.0, source: str | None = None) -> Plan:
        """What happens to a case reported at ``reported`` and when: the seeded history and the live
        simulator share this one source of realistic timing.

        ``fate``: 'pending' (not yet accepted), 'invalid', 'closed' or 'open' (at ``stage``)."""
        r = self.r
        cat = category or self.pick_category()
        source = source or r.choices(self._sources, self._source_w)[0]
        reporter = grid.worker_name if source == "patrol" else SOURCE_ACTOR[source]
        severity = "urgent" if cat.is_major else ("major" if r.random() < 0.03 else "normal")
        handler = self._handler(cat, grid)
        dept_pace = DEPARTMENT_PACE.get(handler[0], 1.0) * pace

        plan: list[tuple[str, datetime, tuple | None]] = []
        if fate == "invalid":
            plan.append(("invalidate", self._accept_time(reported), None))
        elif fate != "pending":
            t = self._accept_time(reported)
            plan.append(("accept", t, None))
            if r.random() < (0.04 if handler[1] == "county_department" else 0.0):
                # 退单: the first department sends it back as not theirs; re-dispatched elsewhere.
                first = self._other_department(handler[0])
                t += H * self._lognormal(0.6, 0.6)
                plan.append(("dispatch", t, first))
                t += H * self._lognormal(3.0, 0.7)
                plan.append(("send_back", t, None))
            t += H * (r.uniform(0.02, 0.2) if handler[1] == "grid" else self._lognormal(0.7, 0.7))
            plan.append(("dispatch", t, handler))
            reworks = 1 if r.random() < 0.06 else 0
            for k in range(reworks + 1):
                t += H * self._lognormal(1.2, 0.8) * dept_pace
                plan.append(("start", t, None))
                frac = self._lognormal(0.28 if k == 0 else 0.12, 0.65) * dept_pace
                t += H * max(0.2, cat.limit * frac)
                plan.append(("dispose", t, None))
                t += H * min(24.0, self._lognormal(2.5, 0.9))
                plan.append(("verify_fail" if k < reworks else "verify_ok", t, None))
            if fate == "open":
                plan = self._truncate(plan, stage)
        return Plan(cat, source, reporter, severity, handler, plan)

    def build(self, reported: datetime, grid: GridInfo, fate: str, *, stage: str | None = None,
              category: Category | None = None, pace: float = 1.0, source: str | None = None,
              lat: float | None = None, lon: float | None = None) -> Case:
        """A case with its full history, compressed to end before as-of (see ``plan``)."""
        p = self.plan(reported, grid, fate, stage=stage, category=category, pace=pace, source=source)
        cat, source, reporter, severity = p.category, p.source, p.reporter, p.severity
        plan = self._fit_before_as_of(reported, p.steps)
        state = lifecycle.new_state(reported)
        log = [(reported, "report", None, "reported", reporter, None, None)]
        for action, at, h in plan:
            before = state["status"]
            state = lifecycle.step(state, action, at, handler=h, time_limit_hours=cat.limit)
            log.append((at, action, before, state["status"], self.actor_of(action, state["handler_code"], grid),
                        h[0] if h else None, self.note_of(action)))

        supervisions = []
        if state["status"] in OPEN_STATUSES + ("closed",):
            supervisions = self._maybe_supervise(state)
        event = {
            "title": self.title(cat, grid),
            "description": self.description(cat, source, reporter),
            "category_code": cat.code,
            "source": source,
            "severity": severity,
            "grid_code": grid.code,
            "community_code": grid.community,
            "town_code": grid.town,
            "lat": lat,
            "lon": lon,
            "reporter_staff_id": grid.worker_id if source == "patrol" else None,
            **{k: state[k] for k in lifecycle.STATE_FIELDS},
            "reported_at": reported,
            "supervised": bool(supervisions),
            "supervised_at": supervisions[0][0] if supervisions else None,
        }
        if supervisions:
            event["updated_at"] = max(event["updated_at"], supervisions[-1][0])
        return Case(event, log, supervisions)

    def _truncate(self, plan, stage):
        """Keep the actions up to the moment the case (in its first round) reaches ``stage``."""
        target = {"accepted": "accept", "dispatched": "dispatch", "in_progress": "start", "disposed": "dispose"}[stage]
        first_start = next(i for i, p in enumerate(plan) if p[0] == "start")
        if target == "dispatch":  # the dispatch that stuck, after any send-back
            idx = max(i for i, p in enumerate(plan[:first_start]) if p[0] == "dispatch")
        else:
            idx = next(i for i, p in enumerate(plan) if p[0] == target)
        return plan[: idx + 1]

    def _fit_before_as_of(self, reported: datetime, plan):
        """Compress a history that would run past the as-of moment (cases reported recently)."""
        if not plan:
            return plan
        limit = self.as_of - timedelta(minutes=1)
        last = plan[-1][1]
        if last <= limit:
            return plan
        span = (last - reported).total_seconds()
        room = (limit - reported).total_seconds()
        k = max(0.0, room / span) * self.r.uniform(0.55, 0.95)
        return [(a, reported + timedelta(seconds=(t - reported).total_seconds() * k), h) for a, t, h in plan]

    def _maybe_supervise(self, state) -> list:
        deadline = state["deadline"]
        if deadline is None:
            return []
        r = self.r
        if state["status"] == "closed":
            at = self.late_supervision(deadline, state["closed_at"])
            return [(at, SUPERVISOR, LATE_SUPERVISION_NOTE)] if at else []
        if deadline < self.as_of - 2 * H and r.random() < 0.7:
            at = min(deadline + H * r.uniform(2, 48), self.as_of - H)
            return [(at, SUPERVISOR, "超期未办结，县综治中心督办")]
        return []

    def late_supervision(self, deadline: datetime, closed_at: datetime) -> datetime | None:
        """When the duty officer chases a case that is closed late (a quarter of them are), or None."""
        if not closed_at > deadline or self.r.random() > 0.25:
            return None
        at = deadline + H * self.r.uniform(1, 24)
        return at if at < closed_at else None

    def actor_of(self, action: str, handler_code: str | None, grid: GridInfo) -> str:
        """Who performs ``action``: the desk at intake, the grid worker at verification, else the handler."""
        if action in ("accept", "invalidate", "dispatch"):
            return DUTY_ACTOR
        if action in ("verify_ok", "verify_fail"):
            return grid.worker_name
        return self.dept_names.get(handler_code, "处置单位")

    @staticmethod
    def note_of(action: str) -> str | None:
        return {
            "invalidate": "重复上报或不属于受理范围",
            "send_back": "非本单位职责，申请退回重新派遣",
            "verify_fail": "核查未通过，问题仍然存在，返工",
            "verify_ok": "网格员现场核查，问题已解决",
        }.get(action)
