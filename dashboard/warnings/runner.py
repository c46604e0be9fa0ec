"""Keeping the stored levels current: ``WarningRunner`` for the web process, a loop for the CLI.

The web process calls ``runner.maybe_run()`` on every screen refresh. It is cheap when nothing is
due (a clock check, then one small row and the data versions), and re-evaluates when the
``events`` data version moved, when the rules file changed, or when ``tick_seconds`` passed since
the stored evaluation (time alone changes things: disputes age, cases become overdue, manual
warnings expire, hold times run out). The bookkeeping row is shared, so several gunicorn workers
share one throttle, and ``run_once`` serialises the writers.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy.engine import Engine

from dashboard.store import db
from dashboard.timeutil import now_utc
from dashboard.warnings.rules import Rules
from dashboard.warnings.store import StoreResult, last_run, run_once

log = logging.getLogger(__name__)


def due(engine: Engine, rules: Rules, now: datetime, tick_seconds: float) -> bool:
    """Whether the stored state is out of date as of ``now``."""
    run = last_run(engine)
    if run is None or run.evaluated_at is None:
        return True
    if run.evaluated_at > now:  # a later moment is stored (a replay, or a frozen clock behind it)
        return False
    if run.rules_digest != rules.digest:
        return True
    if db.versions(engine).get("events") != run.events_version:
        return True
    return now - run.evaluated_at >= timedelta(seconds=tick_seconds)


class WarningRunner:
    """Thread-safe, throttled re-evaluation for a web process.

    ``clock`` is the screens' clock (``Runtime.now``: frozen in replays). ``min_interval`` bounds
    how often this process even looks (seconds, monotonic); ``tick_seconds`` how stale the stored
    evaluation may get when no event changed.
    """

    def __init__(self, engine: Engine, rules: Rules, *, clock: Callable[[], datetime] = now_utc,
                 tick_seconds: float = 60.0, min_interval: float = 2.0):
        self.engine = engine
        self.rules = rules
        self.clock = clock
        self.tick_seconds = tick_seconds
        self.min_interval = min_interval
        self._lock = threading.Lock()
        self._last_look = float("-inf")
        self.last_result: StoreResult | None = None
        self.last_error: Exception | None = None
        self._asked = threading.Condition()
        self._again = False
        self._worker: threading.Thread | None = None

    def maybe_run(self, *, wait: bool = True) -> StoreResult | None:
        """Re-evaluate and store if due. Returns the result, or None when nothing was due, the
        call was throttled, or another thread of this process is already at it. With
        ``wait=False`` the work runs in a background thread and the call returns at once."""
        if not self._lock.acquire(blocking=False):
            return None
        background = False
        try:
            mono = time.monotonic()
            if mono - self._last_look < self.min_interval:
                return None
            self._last_look = mono
            now = self.clock()
            try:
                if not due(self.engine, self.rules, now, self.tick_seconds):
                    return None
            except Exception as exc:  # the database went away: the screens say so; try again later
                self.last_error = exc
                log.warning("warning runner could not check: %s", exc)
                return None
            if wait:
                return self._run(now)
            threading.Thread(target=self._run_and_release, args=(now,), daemon=True, name="warning-runner").start()
            background = True  # the thread releases the lock when done
            return None
        finally:
            if not background:
                self._lock.release()

    def evaluate_soon(self) -> None:
        """Evaluate in a background thread now, whatever ``due`` says, and return at once: after
        an officer issues or lifts a manual warning, the page answers without waiting for an
        evaluation of every grid (seconds at city scale), and the levels follow as soon as it is
        stored (the screens see the ``warnings`` data version move). Asked again while one runs,
        it runs once more afterwards, as of the later moment."""
        with self._asked:
            self._again = True
            if self._worker is not None and self._worker.is_alive():
                return
            self._worker = threading.Thread(target=self._drain, daemon=True, name="warning-evaluation")
            self._worker.start()

    def _drain(self) -> None:
        while True:
            with self._asked:
                if not self._again:
                    self._worker = None
                    self._asked.notify_all()
                    return
                self._again = False
            with self._lock:  # one evaluation at a time in this process (``maybe_run`` too)
                self._run(self.clock())

    def settle(self, timeout: float | None = None) -> bool:
        """Wait until no evaluation asked for by ``evaluate_soon`` is pending (the CLI and tests)."""
        with self._asked:
            return self._asked.wait_for(lambda: self._worker is None, timeout)

    def _run_and_release(self, now):
        try:
            self._run(now)
        finally:
            self._lock.release()

    def _run(self, now) -> StoreResult | None:
        try:
            self.last_result = run_once(self.engine, self.rules, now)
            self.last_error = None
            return self.last_result
        except Exception as exc:
            self.last_error = exc
            log.exception("warning evaluation failed")
            return None


def run_forever(engine: Engine, rules: Rules, every: float, *, clock: Callable[[], datetime] = now_utc,
                on_result: Callable[[StoreResult], None] | None = None, stop: threading.Event | None = None,
                tick_seconds: float | None = None) -> None:
    """The ``gridscreen warnings run --every`` loop: look every ``every`` seconds and store when
    due (the events moved, or ``tick_seconds`` passed, default = ``every``)."""
    stop = stop or threading.Event()
    tick = every if tick_seconds is None else tick_seconds
    while not stop.is_set():
        now = clock()
        try:
            if due(engine, rules, now, tick):
                res = run_once(engine, rules, now)
                if on_result:
                    on_result(res)
        except Exception:
            log.exception("warning evaluation failed; trying again in %s s", every)
        stop.wait(every)


_runners_lock = threading.Lock()


def runner_for(runtime, rules: Rules | None = None, *, min_interval: float = 2.0) -> WarningRunner:
    """The one ``WarningRunner`` of a web process's runtime (created on first use): its clock is
    the screens' clock, its tick the settings' ``tick_seconds``, its rules ``GRIDSCREEN_RULES``."""
    with _runners_lock:
        runner = getattr(runtime, "_warning_runner", None)
        if runner is None:
            from dashboard.warnings.rules import rules_for

            runner = WarningRunner(runtime.engine, rules or rules_for(runtime.settings), clock=runtime.now,
                                   tick_seconds=runtime.settings.tick_seconds, min_interval=min_interval)
            runtime._warning_runner = runner
        return runner
