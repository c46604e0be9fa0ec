"""The explorer's timings: count, first page, a deep page, a sort on another column, and a CSV
export, for the common filters, against any database.

    PYTHONPATH=. python benchmarks/explorer.py sqlite:///path/to/db.sqlite3
    PYTHONPATH=. python benchmarks/explorer.py postgresql+psycopg://user@127.0.0.1/db

Seed a large database first, e.g. ``gridscreen seed --profile city --scale 0.1`` (100,000 events),
and ``ANALYZE`` it. Each figure is the best of three runs (one run for the deep page and the
sort); the count cache is cleared before every count. "Now" is the newest update in the data.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select  # noqa: E402

from dashboard.export import eventfiles  # noqa: E402
from dashboard.figures import caselist  # noqa: E402
from dashboard.store import db  # noqa: E402
from dashboard.store.models import Area, Event  # noqa: E402


def best(fn, reps: int = 3):
    out, fastest = None, float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        fastest = min(fastest, time.perf_counter() - t)
    return fastest * 1000, out


def main(url: str) -> None:
    e = db.make_engine(url)
    with e.connect() as c:
        now = c.execute(select(func.max(Event.updated_at))).scalar()
        town = c.execute(select(Area.code).where(Area.level == "town").order_by(Area.code).limit(1)).scalar()
        grid = c.execute(select(Event.grid_code).order_by(Event.id).limit(1)).scalar()
        total = c.execute(select(func.count()).select_from(Event)).scalar()
    print(f"{url.split('@')[-1]}: {total:,} events")
    cases = {
        "all": {}, "30d": {"range": "30d"}, "town": {"area": town}, "grid": {"area": grid}, "open": {"status": "open"},
        "overdue": {"overdue": "1"}, "handler overdue": {"handler_overdue": "1"}, "supervised": {"supervised": "1"}, "handler D03": {"handler": "D03"},
        "category SQ": {"category": "SQ"}, "title text": {"q": "路灯"},
    }
    for name, query in cases.items():
        f = caselist.from_query(query, now)

        def fresh_count(f=f):
            caselist._count_cache.clear()
            return caselist.count(e, f, now)

        tc, n = best(fresh_count)
        tp, _ = best(lambda f=f: caselist.rows(e, f, now, offset=0, limit=50))
        deep = max(0, min(n - 50, 50_000))
        td, _ = best(lambda f=f: caselist.rows(e, f, now, offset=deep, limit=50), reps=1)
        ts, _ = best(lambda f=f: caselist.rows(e, f, now, sort=[("deadline", "asc")], limit=50), reps=1)
        print(f"{name:15s} n={n:>9,d}  count {tc:7.1f} ms  page 1 {tp:6.1f} ms  row {deep:<7,d} {td:7.1f} ms  "
              f"by deadline {ts:7.1f} ms")
    f = caselist.from_query({"range": "30d"}, now)
    t = time.perf_counter()
    size = sum(len(b) for b in eventfiles.csv_chunks(e, f, now))
    print(f"CSV of 近30日: {caselist.count(e, f, now):,} rows, {size / 1e6:.1f} MB in {time.perf_counter() - t:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1])
