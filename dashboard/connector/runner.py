"""Syncing sources again and again: the ``gridscreen sync --every`` loop, and the same loop in a
thread of ``gridscreen serve`` (GRIDSCREEN_SYNC_EVERY)."""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from sqlalchemy.engine import Engine

from dashboard.connector import runs
from dashboard.connector.sync import RunReport, sync

log = logging.getLogger(__name__)


def sync_all(engine: Engine, names: list[str] | None = None,
             on_report: Callable[[RunReport], None] | None = None) -> list[RunReport]:
    """One run of each source (``names``, default every source), one after the other. A source
    already being synced elsewhere is passed over this time."""
    reports = []
    for name in names or [s.name for s in runs.sources(engine)]:
        try:
            report = sync(engine, name)
        except runs.AlreadyRunning as exc:
            log.info("sync of %s passed over: %s", name, exc)
            continue
        reports.append(report)
        if on_report:
            on_report(report)
    return reports


def run_forever(engine: Engine, every: float, names: list[str] | None = None, *,
                on_report: Callable[[RunReport], None] | None = None, stop: threading.Event | None = None) -> None:
    """Sync every ``every`` seconds (from the start of one round to the start of the next; a
    round longer than that is followed at once by the next) until ``stop`` is set."""
    stop = stop or threading.Event()
    while not stop.is_set():
        began = time.monotonic()
        try:
            sync_all(engine, names, on_report)
        except Exception:  # noqa: BLE001 -- our own database away, a source removed: try again next round
            log.exception("sync round failed; trying again in %s s", every)
        stop.wait(max(0.0, every - (time.monotonic() - began)))


def start_thread(engine: Engine, every: float) -> threading.Thread:
    """The loop in a daemon thread (``gridscreen serve`` with GRIDSCREEN_SYNC_EVERY)."""
    thread = threading.Thread(target=run_forever, args=(engine, every), name="source-sync", daemon=True)
    thread.start()
    return thread
