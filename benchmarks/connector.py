"""The connector at a county's scale: 平安通 on MariaDB (tests/platform) holding N cases with
their flow records, read into GridScreen on PostgreSQL.

Measures the first sync (everything), an incremental sync of 100 changes (50 new reports, 50
cases moved on a step) and a sync with nothing changed, each as ``gridscreen sync`` runs it (one
process, the mapping of docs/connector-example.toml). The platform's database and GridScreen's
are created for the run and dropped after it.
"""

from __future__ import annotations

import json
import platform as host
import random
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import bindparam, create_engine, func, select, text

RESULTS = Path(__file__).parent / "results"
NOW_LOCAL = datetime(2026, 11, 21, 0, 0)


def _cases(n: int, rng: random.Random):
    """N cases over the 90 days before NOW_LOCAL in every state, with the flows the platform
    records for them (about 4.5 a case)."""
    from tests.platform import GRID1, GRID2, GRID3, LIMITS, Case

    grids = [GRID1, GRID2, GRID3]
    types = ["0101", "0102", "A01.02", "JT-001", "QT"]
    channels = ["网格员巡查", "群众来访", "12345热线", "视频监控", "部门转办"]
    for i in range(n):
        at = NOW_LOCAL - timedelta(days=90) + timedelta(seconds=rng.randrange(90 * 86400 - 7200))
        at = at.replace(microsecond=0)
        t = at
        flows = [("上报", t, None, "网格员", None)]
        fate = rng.random()

        def step(node, hours, dept=None):
            nonlocal t
            t = t + timedelta(hours=hours)
            if t < NOW_LOCAL:
                flows.append((node, t.replace(microsecond=0), dept, "值班员", None))

        if fate < 0.03:
            step("不予受理", rng.uniform(0.1, 2))
        elif fate > 0.05:
            step("受理", rng.uniform(0.1, 2))
            if fate > 0.12:
                dept = rng.randint(1, 7)
                step("派遣", rng.uniform(0.1, 3), dept)
                if fate > 0.2:
                    step("处置完成", rng.uniform(1, 48), dept)
                    if fate > 0.3 and rng.random() < 0.05:
                        step("核查不通过", rng.uniform(1, 12))
                        step("处置完成", rng.uniform(1, 24), dept)
                    if fate > 0.3:
                        step("办结", rng.uniform(1, 24))
        type_code = rng.choice(types)
        assert type_code in LIMITS
        yield Case(f"BM{i:08d}", f"事件{i}", type_code, rng.choice(grids), at, channel=rng.choice(channels),
                   reporter_id=rng.randint(1, 5), flows=flows)


def run(*, mariadb_url: str, pg_url: str, events: int = 100_000, changes: int = 100, seed: int = 7,
        log=print) -> dict:
    from dashboard.store import db
    from dashboard.connector import runs, sync
    from dashboard.store.models import Event, EventLog
    from dashboard.timeutil import to_utc
    from tests.platform import MAPPINGS, Platform

    rng = random.Random(seed)
    p = Platform("mariadb", mariadb_url)
    admin = create_engine(pg_url, isolation_level="AUTOCOMMIT")
    ours_name = f"gs_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{ours_name}"'))
    ours_url = admin.url.set(database=ours_name).render_as_string(hide_password=False)
    out: dict = {"events": events, "changes": changes, "host": f"{host.machine()}, Python {host.python_version()}"}
    engine = None
    try:
        t0 = time.perf_counter()
        p.seed([])
        batch = []
        for case in _cases(events, rng):
            batch.append(case)
            if len(batch) == 5000:
                p.add_cases(batch)
                batch = []
        p.add_cases(batch)
        out["platform_fill_seconds"] = round(time.perf_counter() - t0, 1)
        out["platform_rows"] = {"t_case": p.count("t_case"), "t_case_flow": p.count("t_case_flow")}
        with p.engine.connect() as c:
            out["mariadb"] = c.execute(text("SELECT VERSION()")).scalar()
        log(f"platform filled: {out['platform_rows']} in {out['platform_fill_seconds']} s")

        engine = db.make_engine(ours_url)
        db.upgrade(engine)
        with engine.connect() as c:
            out["postgresql"] = c.execute(text("SHOW server_version")).scalar()
        runs.add_source(engine, "pingan", p.url, MAPPINGS["mariadb"].read_text(encoding="utf-8"), "connector-example.toml")
        now = to_utc(NOW_LOCAL)

        def measured(label):
            r = sync.sync(engine, "pingan", now=now)
            assert r.status == "ok", r.error
            with engine.connect() as c:
                ev, logs = c.execute(select(func.count(Event.id))).scalar(), c.execute(select(func.count(EventLog.id))).scalar()
            res = {"seconds": round(r.seconds, 2), "read": r.read, "written": r.written, "refused": r.refused,
                   "log_rows_read": r.entities["event_log"].read, "events_stored": ev, "log_rows_stored": logs,
                   "entities": {k: [e.read, e.written, e.refused] for k, e in r.entities.items()}}
            log(f"{label}: {res}")
            return res

        out["first"] = measured("first sync")
        # 100 changes: half new reports, half open cases moved on a step (the platform's own way,
        # its update_time moving on from where the filling left it).
        with p.engine.connect() as c:
            open_cases = [r[0] for r in c.execute(text(
                "SELECT case_no FROM t_case WHERE status IN ('已受理', '已派遣') ORDER BY case_no LIMIT :n"),
                {"n": changes // 2})]
        from tests.platform import GRID1, Case

        base = NOW_LOCAL - timedelta(minutes=20)
        p.add_cases([Case(f"NEW{i:05d}", f"新事件{i}", "0101", GRID1, base + timedelta(seconds=i),
                          flows=[("上报", base + timedelta(seconds=i), None, "网格员", None)])
                     for i in range(changes - len(open_cases))])
        with p.engine.connect() as c:
            status = dict(c.execute(text("SELECT case_no, status FROM t_case WHERE case_no IN :k")
                                    .bindparams(bindparam("k", expanding=True)), {"k": open_cases}).all())
        for i, no in enumerate(open_cases):
            at = base + timedelta(minutes=5, seconds=i)
            if status[no] == "已受理":
                p.flow(no, "派遣", at, dept=1)
            else:
                p.flow(no, "处置完成", at, dept=1)
        out["incremental"] = measured(f"incremental sync ({changes} changes)")
        out["unchanged"] = measured("sync with nothing changed")
    finally:
        if engine is not None:
            engine.dispose()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{ours_name}" WITH (FORCE)'))
        admin.dispose()
        p.drop()
    return out


def table(res: dict) -> str:
    rows = [("first sync (everything)", res["first"]), (f"incremental ({res['changes']} changes)", res["incremental"]),
            ("nothing changed", res["unchanged"])]
    lines = [f"平安通 on MariaDB {res.get('mariadb', '?')} ({res['platform_rows']['t_case']:,} cases, "
             f"{res['platform_rows']['t_case_flow']:,} flow rows) -> GridScreen on PostgreSQL {res.get('postgresql', '?')}",
             "", "| sync | seconds | case rows read | written | refused | flow rows read | cases/s |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for label, r in rows:
        ev = r["entities"]["events"]
        rate = ev[0] / r["seconds"] if r["seconds"] else 0
        lines.append(f"| {label} | {r['seconds']:.2f} | {ev[0]:,} | {ev[1]:,} | {ev[2]:,} | {r['log_rows_read']:,} | {rate:,.0f} |")
    lines.append("")
    lines.append(f"Stored after the first sync: {res['first']['events_stored']:,} events, "
                 f"{res['first']['log_rows_stored']:,} event-log rows. Host: {res['host']}.")
    return "\n".join(lines)


def write(res: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = RESULTS / f"connector-{stamp}"
    base.with_suffix(".json").write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    base.with_suffix(".md").write_text(table(res) + "\n", encoding="utf-8")
    return base.with_suffix(".md")
