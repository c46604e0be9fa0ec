"""A live county for demos: ``gridscreen simulate``.

New reports arrive as a Poisson process following the county's daily rhythm (``demo.rhythm``):
``rate`` is the mean number per minute over a working day, so 10:00 is busier and 03:00 quieter —
but never silent: at any hour at least ``floor`` of the peak rate arrives (``rhythm.LIVE_FLOOR``), so
a demo shown at night still moves.
Each report's fate and timing come from ``demo.cases.CaseFactory.plan`` — the same realistic
delays the seeded history was built with (night reports wait for the 8:00 desk, departments keep
their own pace, some cases are reworked, sent back or supervised) — played ``speed`` times faster.
Grid workers' apps beat every minute while they are online; how many are online follows the time
of day.

Everything is stamped with the server's clock: the simulator decides *when* to write, never what
time it is. Reports still waiting for intake when it starts are picked up too.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Callable

from dashboard import strings
from dashboard.demo import rhythm
from dashboard.demo.cases import LATE_SUPERVISION_NOTE, SUPERVISOR, CaseFactory, GridInfo
from dashboard.timeutil import now_utc
from dashboard.simulate.world import World, WorldError
from dashboard.simulate.world import from_catalog as world_from_catalog
from dashboard.simulate.world import from_db as world_from_db
from dashboard.simulate.writers import ApiError, ApiWriter, DbWriter, Refused

log = logging.getLogger(__name__)

__all__ = ["Simulator", "Stats", "World", "WorldError", "DbWriter", "ApiWriter", "ApiError", "Refused", "parse_rate",
           "world_from_db", "world_from_catalog"]

# Share of reports judged invalid at intake (the seed: 30 of 979).
INVALID_SHARE = 30 / 979
# Online workers go offline about once an hour; the chance to come online keeps the online share
# at ``rhythm.online_share`` for the time of day.
OFFLINE_PER_MINUTE = 1 / 60
MAX_HEARTBEATS_PER_SECOND = 20


def parse_rate(text: str) -> float:
    """'3', '3/min', '180/h' -> reports per minute."""
    text = str(text).strip().lower().replace(" ", "")
    per = 1.0
    for suffix, factor in (("/min", 1.0), ("/m", 1.0), ("/h", 60.0), ("/s", 1 / 60)):
        if text.endswith(suffix):
            text, per = text[: -len(suffix)], factor
            break
    value = float(text) / per
    if not value >= 0:
        raise ValueError("rate must be ≥ 0")
    return value


@dataclass
class Stats:
    reports: int = 0
    transitions: int = 0
    supervisions: int = 0
    heartbeats: int = 0
    refused: int = 0
    closed: int = 0
    by_action: dict = field(default_factory=dict)

    def line(self) -> str:
        return strings.SIMULATOR_LOG["stats"].format(reports=self.reports, transitions=self.transitions, closed=self.closed,
                                                     supervisions=self.supervisions, heartbeats=self.heartbeats,
                                                     refused=self.refused)


class Simulator:
    def __init__(self, world: World, writer, *, rate: float = 2.0, speed: float = 60.0, seed: int | None = None,
                 now: Callable[[], datetime] = now_utc, sleep: Callable[[float], None] = time.sleep,
                 heartbeat_every: float = 60.0, heartbeats: bool = True, adopt_pending: bool = True,
                 on_write: Callable[[str, dict], None] | None = None, floor: float = rhythm.LIVE_FLOOR):
        if speed <= 0:
            raise ValueError("speed must be > 0")
        self.world = world
        self.writer = writer
        self.rate = rate
        self.floor = floor  # the share of the peak rate that keeps arriving at night (rhythm.live_share)
        self.speed = speed
        self.now = now
        self.sleep = sleep
        self.r = random.Random(seed)
        self.factory = CaseFactory(self.r, world.dept_names, now(), categories=world.categories)
        self.stats = Stats()
        self.on_write = on_write or (lambda kind, info: None)
        self._queue: list = []
        self._seq = itertools.count()
        self._dead: set[int] = set()  # cases whose plan was abandoned
        self._handlers: dict[int, str] = {}  # each open case's handler (to name who starts and disposes)
        self._grid_weights = [1.0 if g.rural else 1.6 for g in world.grids]  # as the seeded history
        self._adopt = adopt_pending
        self._heartbeats = heartbeats
        # Beat at least every minute, but spread a large county's beats to keep the load bounded.
        self.heartbeat_every = max(heartbeat_every, len(world.workers) / MAX_HEARTBEATS_PER_SECOND)
        self._online: dict[int, bool] = {}

    # --- scheduling ----------------------------------------------------------------------------

    def _at(self, when: datetime, fn: Callable[[], None]) -> None:
        heapq.heappush(self._queue, (when, next(self._seq), fn))

    def _after(self, seconds: float, fn: Callable[[], None]) -> None:
        self._at(self.now() + timedelta(seconds=seconds), fn)

    def run(self, duration: float | None = None) -> Stats:
        """Run until ``duration`` seconds have passed (forever when None)."""
        start = self.now()
        end = start + timedelta(seconds=duration) if duration is not None else None
        self._start()
        while True:
            now = self.now()
            if end is not None and now >= end:
                break
            if self._queue and self._queue[0][0] <= now:
                _, _, fn = heapq.heappop(self._queue)
                fn()
                continue
            wake = self._queue[0][0] if self._queue else now + timedelta(seconds=1)
            if end is not None:
                wake = min(wake, end)
            self.sleep(max(0.0, min(1.0, (wake - now).total_seconds())))
        return self.stats

    def _start(self) -> None:
        if self.rate > 0:
            self._schedule_next_report()
        if self._adopt:
            for e in self.writer.pending():
                grid = self.world.grid(e["grid"])
                if grid is not None:
                    self._plan_case(e["id"], grid, self.factory.by_code.get(e["category"]), self.now())
        if self._heartbeats:
            share = rhythm.online_share(self.now())
            for sid in self.world.workers:
                self._online[sid] = self.r.random() < share
                self._after(self.r.uniform(0, self.heartbeat_every), lambda sid=sid: self._beat(sid))

    # --- reports -------------------------------------------------------------------------------

    def _schedule_next_report(self) -> None:
        # Thinning: candidates at the peak rate, each kept with the current intensity's share.
        peak_per_second = self.rate / 60 * rhythm.PEAK_INTENSITY
        self._after(self.r.expovariate(peak_per_second), self._maybe_report)

    def _maybe_report(self) -> None:
        if self.r.random() < rhythm.live_share(self.now(), self.floor):
            self._report()
        self._schedule_next_report()

    def _report(self) -> None:
        grid = self.r.choices(self.world.grids, self._grid_weights)[0]
        cat = self.factory.pick_category()
        reported = self.now()
        plan = self.factory.plan(reported, grid, "closed", category=cat)
        point = self.world.point(self.r, grid)
        fields = {
            "title": self.factory.title(cat, grid), "description": self.factory.description(cat, plan.source, plan.reporter),
            "category_code": cat.code, "source": plan.source, "severity": plan.severity, "grid_code": grid.code,
            "lon": point[0] if point else None, "lat": point[1] if point else None,
            "reporter_staff_id": grid.worker_id if plan.source == "patrol" else None,
        }
        event_id = self.writer.report(fields, plan.reporter)
        self.stats.reports += 1
        self.on_write("report", {"id": event_id, **fields})
        log.info(strings.SIMULATOR_LOG["report"].format(id=event_id, title=fields["title"], grid=grid.name))
        self._schedule(event_id, grid, plan, reported)

    def _plan_case(self, event_id: int, grid: GridInfo, category, reported: datetime) -> None:
        plan = self.factory.plan(reported, grid, "closed", category=category)
        self._schedule(event_id, grid, plan, reported)

    def _schedule(self, event_id: int, grid: GridInfo, plan, reported: datetime) -> None:
        steps = plan.steps
        if self.r.random() < INVALID_SHARE:
            steps = [("invalidate", steps[0][1], None)]
        for action, at, handler in steps:
            self._at(self._scaled(reported, at), lambda a=action, h=handler: self._move(event_id, grid, a, h))
        # 督办: the duty officer chases some cases that run past their deadline.
        accepted = next((at for a, at, _ in steps if a == "accept"), None)
        closed = next((at for a, at, _ in steps if a == "verify_ok"), None)
        if accepted is not None and closed is not None:
            supervise_at = self.factory.late_supervision(accepted + timedelta(hours=plan.category.limit), closed)
            if supervise_at is not None:
                self._at(self._scaled(reported, supervise_at), lambda: self._move(event_id, grid, "supervise", None))

    def _scaled(self, reported: datetime, at: datetime) -> datetime:
        """The moment a step planned at ``at`` (case time) happens when the case plays ``speed``×."""
        return reported + (at - reported) / self.speed

    def _move(self, event_id: int, grid: GridInfo, action: str, handler) -> None:
        if event_id in self._dead:
            return
        if action == "supervise":
            actor, note = SUPERVISOR, LATE_SUPERVISION_NOTE
        else:
            actor = self.factory.actor_of(action, handler[0] if handler else self._handlers.get(event_id), grid)
            note = self.factory.note_of(action)
        try:
            self.writer.move(event_id, action, actor=actor, handler=handler[0] if handler else None, note=note)
        except Refused as exc:
            # Someone else moved the case (a duty officer, another client): leave it to them.
            self.stats.refused += 1
            self._dead.add(event_id)
            log.info(strings.SIMULATOR_LOG["refused"].format(id=event_id, action=action, reason=exc))
            return
        if handler:
            self._handlers[event_id] = handler[0]
        if action == "supervise":
            self.stats.supervisions += 1
        else:
            self.stats.transitions += 1
            self.stats.by_action[action] = self.stats.by_action.get(action, 0) + 1
            if action == "verify_ok":
                self.stats.closed += 1
        if action in ("verify_ok", "invalidate"):
            self._handlers.pop(event_id, None)
        self.on_write(action, {"id": event_id})

    # --- heartbeats ----------------------------------------------------------------------------

    def _beat(self, staff_id: int) -> None:
        minutes = self.heartbeat_every / 60
        share = rhythm.online_share(self.now())
        online = self._online.get(staff_id, False)
        if online:
            self.writer.heartbeat(staff_id)
            self.stats.heartbeats += 1
            if self.r.random() < OFFLINE_PER_MINUTE * minutes:
                self._online[staff_id] = False
        else:
            on_per_minute = OFFLINE_PER_MINUTE * share / max(1e-6, 1 - share)
            if self.r.random() < on_per_minute * minutes:
                self._online[staff_id] = True
        self._after(self.heartbeat_every, lambda: self._beat(staff_id))
