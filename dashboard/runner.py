"""The background runner: the writes no screen makes, in one process beside the web servers.

Screens only read (so they can be served from a read-only replica); what changes the data by
itself runs here:

- the warning engine: re-evaluated when the events moved, the rules changed or the clock tick
  passed (disputes age, cases become overdue, manual warnings expire), looking every
  ``GRIDSCREEN_RUNNER_EVERY`` seconds, so a new urgent report reaches the board within seconds;
- the alerts (``dashboard/warnings/alerts.py``): a new major/urgent case or a grid entering Ⅰ/Ⅱ
  is raised once, looked for every ``GRIDSCREEN_RUNNER_EVERY`` seconds when the data moved;
- the county platform's sources, synced every ``GRIDSCREEN_SYNC_EVERY`` seconds (when set);
- the demo's simulator (the embedded demo, or ``GRIDSCREEN_SIMULATE=on``).

``gridscreen runner`` runs it in the foreground; ``gridscreen serve`` starts it as a child process
(``GRIDSCREEN_RUNNER=off`` for web-only nodes, e.g. ones reading a replica). It writes to the
primary database (``DATABASE_URL``).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from dashboard.settings import Settings
from dashboard.timeutil import now_utc

log = logging.getLogger(__name__)


@dataclass
class Runner:
    settings: Settings
    engine: Engine
    stop: threading.Event = field(default_factory=threading.Event)
    threads: list[threading.Thread] = field(default_factory=list)

    def clock(self):
        return self.settings.frozen_now or now_utc()

    def start(self) -> "Runner":
        """Start every loop the settings ask for, each in a thread of this process."""
        from dashboard import warnings as W

        rules = W.rules_for(self.settings)
        self._thread("warnings", W.run_forever, self.engine, rules, self.settings.runner_every, clock=self.clock,
                     stop=self.stop, tick_seconds=self.settings.tick_seconds)
        from dashboard.warnings import alerts

        self._thread("alerts", alerts.run_forever, self.engine, self.settings.runner_every, clock=self.clock,
                     stop=self.stop)
        if self.settings.sync_every > 0:
            from dashboard.connector import runner as sources

            self._thread("sources", sources.run_forever, self.engine, float(self.settings.sync_every), stop=self.stop)
        if self.settings.simulate:
            from dashboard import simulate as sim

            simulator = sim.Simulator(sim.world_from_db(self.engine), sim.DbWriter(self.engine, now=now_utc), rate=0.5,
                                      speed=60.0)
            self._thread("simulator", simulator.run)  # a daemon: it ends with the process
        return self

    def _thread(self, name: str, target, *args, **kwargs) -> None:
        t = threading.Thread(target=target, args=args, kwargs=kwargs, name=f"runner-{name}", daemon=True)
        t.start()
        self.threads.append(t)
        log.info("runner: %s started", name)

    def close(self, timeout: float = 10.0) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(timeout)
