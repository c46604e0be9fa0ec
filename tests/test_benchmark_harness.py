"""``python -m benchmarks screen`` runs as benchmarks/README.md says, on SQLite and PostgreSQL:
from a clean environment (no GRIDSCREEN_AUTH, no secret key), on a seeded database, with its
clock at the end of the data. One page load and one replay of each step keep it short; the
figures themselves are measurements, never asserted."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from dashboard.demo import seed
from dashboard.store import db as dbmod
from dashboard.store.models import Event, EventLog

from .conftest import AS_OF

ROOT = Path(__file__).resolve().parent.parent


def test_the_screen_benchmark_runs_as_documented(databases):
    url = databases.new_url()
    engine = dbmod.make_engine(url)
    seed(engine, "nanling", 7, as_of=AS_OF)
    with engine.connect() as c:
        last_step = c.scalar(select(func.max(EventLog.at)))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GRIDSCREEN_") and k != "DATABASE_URL"}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "screen", "--database-url", url, "--runs", "1", "--browser-runs", "1",
         "--no-exports", "--no-write"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]

    as_of = datetime.fromisoformat(re.search(r"as of (\S+)", proc.stderr).group(1))
    assert last_step < as_of <= last_step + timedelta(minutes=1), "the clock stands at the end of the data"
    rows = {line.split("|")[1].strip(): line.split("|")[2].strip() for line in proc.stdout.splitlines()
            if line.startswith("| ") and line.count("|") >= 3}
    for figure in ("first full load, server (ms, median / p95)", "refresh after a new event (ms)",
                   "first complete paint of the map, Chromium (ms)", "recolour every grid, Chromium (ms)",
                   "warning evaluation, all grids (ms)", "range 全部 (all time), cold: the callbacks that read the range (ms)"):
        assert re.match(r"[\d.]+ / [\d.]+$", rows[figure]), (figure, rows.get(figure))
    assert rows["grids / events"].startswith("211 / ")
    with engine.connect() as c:  # the refresh step reported its event into this database
        assert c.scalar(select(func.count()).select_from(Event).where(Event.title.like("基准测试事件%"))) == 1
    engine.dispose()
