"""``python -m benchmarks latency ...``: run a benchmark, print its table, write it to results/."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    sub = parser.add_subparsers(dest="benchmark", required=True)
    lat = sub.add_parser("latency", help="event-to-screen latency in a real headless Chromium")
    lat.add_argument("--events", type=int, default=30, help="samples per set-up (default 30)")
    lat.add_argument("--detect", choices=["kpi", "title"], default="kpi",
                     help="arrival = the 上报 KPI going up by one (kpi), or the event's title appearing (title)")
    lat.add_argument("--database-url", default=None,
                     help="an empty database to seed (default: a temporary SQLite file); it is wiped")
    lat.add_argument("--profile", choices=["nanling", "city"], default="nanling")
    lat.add_argument("--scale", type=float, default=1.0, help="fraction of the city profile")
    lat.add_argument("--refresh-ms", type=int, nargs="*", default=[None],
                     help="screen refresh interval(s) to measure (default: the app's default setting)")
    lat.add_argument("--server", choices=["threaded", "gunicorn"], default="threaded",
                     help="tests/browser.py's threaded LiveServer (one process), or gridscreen serve (gunicorn)")
    lat.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (with --server gunicorn)")
    lat.add_argument("--no-write", action="store_true", help="print the table only")

    # --- the big screen at scale ---
    scr = sub.add_parser("screen", help="the big screen: server time vs bare SQL, bytes, paint, recolour, exports")
    scr.add_argument("--database-url", default=None,
                     help="an already seeded database (it gets a few benchmark events); default: a temporary nanling SQLite")
    scr.add_argument("--profile", choices=["nanling", "city"], default="nanling", help="what the database holds")
    scr.add_argument("--as-of", default=None,
                     help="the screens' clock (ISO; default: the end of the data, its last event-log step)")
    scr.add_argument("--label", default=None)
    scr.add_argument("--runs", type=int, default=10, help="replays per server figure (default 10)")
    scr.add_argument("--browser-runs", type=int, default=3, help="page loads in Chromium (default 3)")
    scr.add_argument("--no-exports", action="store_true", help="skip chart export and bulletin")
    scr.add_argument("--no-write", action="store_true")
    al = sub.add_parser("all", help="the screen benchmark for nanling (SQLite, PostgreSQL) and the city (PostgreSQL)")
    al.add_argument("--pg-url", default=None, help="PostgreSQL admin URL: a scratch database is created for nanling")
    al.add_argument("--city-url", action="append", default=[],
                    help="a seeded city database (repeat for SQLite and PostgreSQL); it gets a few benchmark events")
    al.add_argument("--city-as-of", default=None, help="the city's clock (ISO; default: the end of its data)")
    al.add_argument("--runs", type=int, default=10)
    al.add_argument("--browser-runs", type=int, default=3)
    al.add_argument("--latency", type=int, default=0,
                    help="also event-to-screen latency samples on a temporary nanling SQLite (benchmarks/latency.py)")
    al.add_argument("--no-write", action="store_true")
    # --- wall screens under load ---
    ld = sub.add_parser("load", help="N wall screens (display role) polling gunicorn on PostgreSQL")
    ld.add_argument("--database-url", required=True, help="a database to seed (it is wiped), e.g. PostgreSQL")
    ld.add_argument("--screens", type=int, default=100)
    ld.add_argument("--duration", type=float, default=600, help="seconds (default 600 = 10 minutes)")
    ld.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    ld.add_argument("--threads", type=int, default=8, help="threads per gunicorn worker")
    ld.add_argument("--clients", type=int, default=4, help="client processes the screens are spread over")
    ld.add_argument("--simulate-rate", default="2/min", help="new reports from the simulator meanwhile")
    ld.add_argument("--simulate-speed", type=float, default=60, help="the simulator's case speed-up")
    ld.add_argument("--no-write", action="store_true", help="print the table only")
    con = sub.add_parser("connector", help="sync of a platform on MariaDB into PostgreSQL: first run, 100 changes")
    con.add_argument("--mariadb-url", default=None, help="MariaDB admin URL (default GRIDSCREEN_TEST_MARIADB_URL)")
    con.add_argument("--pg-url", default=None, help="PostgreSQL admin URL (default GRIDSCREEN_TEST_PG_URL)")
    con.add_argument("--events", type=int, default=100_000)
    con.add_argument("--changes", type=int, default=100)
    con.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    if args.benchmark == "connector":
        import os

        from . import connector

        res = connector.run(mariadb_url=args.mariadb_url or os.environ["GRIDSCREEN_TEST_MARIADB_URL"],
                            pg_url=args.pg_url or os.environ["GRIDSCREEN_TEST_PG_URL"], events=args.events,
                            changes=args.changes, log=lambda m: print(m, file=sys.stderr, flush=True))
        print(connector.table(res))
        if not args.no_write:
            print(f"written to {connector.write(res)}", file=sys.stderr)
        return 0
    if args.benchmark in ("screen", "all"):
        return screen_main(args)

    if args.benchmark == "load":
        from . import load

        res = load.run(database_url=args.database_url, screens=args.screens, duration=args.duration,
                       workers=args.workers, threads=args.threads, clients=args.clients,
                       simulate_rate=args.simulate_rate, simulate_speed=args.simulate_speed, log=lambda m: print(m, file=sys.stderr))
        print(load.table(res))
        if not args.no_write:
            print(f"written to {load.write(res)}", file=sys.stderr)
        return 0

    from . import latency

    results = []
    for refresh in args.refresh_ms:
        results.append(latency.run(events=args.events, detect=args.detect, database_url=args.database_url,
                                   profile=args.profile, scale=args.scale, refresh_ms=refresh,
                                   server=args.server, workers=args.workers,
                                   log=lambda m: print(m, file=sys.stderr)))
    print(latency.table(results))
    if not args.no_write:
        print(f"written to {latency.write(results)}", file=sys.stderr)
    return 0


def screen_main(args) -> int:
    import tempfile
    import uuid
    from datetime import datetime

    from sqlalchemy import text

    from dashboard.store import db
    from dashboard.demo import seed

    from . import screen

    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    default_as_of = datetime.fromisoformat("2026-11-20T16:00:00+00:00")
    setups = []  # (label, url, profile, as_of)
    tmp = tempfile.TemporaryDirectory(prefix="gs-bench-")
    cleanup = []

    def nanling_sqlite():
        url = f"sqlite:///{tmp.name}/nanling.sqlite3"
        e = db.make_engine(url)
        seed(e, "nanling", 7, as_of=default_as_of)
        e.dispose()
        return url

    def clock(url: str, given: str | None) -> datetime:
        if given:
            return datetime.fromisoformat(given)
        e = db.make_engine(url)
        try:
            return screen.data_end(e)
        finally:
            e.dispose()

    if args.benchmark == "screen":
        url = args.database_url or nanling_sqlite()
        as_of = clock(url, args.as_of)
        kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
        setups.append((args.label or f"{args.profile}, {kind}", url, args.profile, as_of, not args.no_exports))
    else:
        setups.append(("nanling, SQLite", nanling_sqlite(), "nanling", default_as_of, True))
        if args.pg_url:
            admin = db.make_engine(args.pg_url, isolation_level="AUTOCOMMIT")
            name = f"gs_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{name}"'))
            cleanup.append((admin, name))
            url = admin.url.set(database=name).render_as_string(hide_password=False)
            e = db.make_engine(url)
            seed(e, "nanling", 7, as_of=default_as_of)
            e.dispose()
            setups.append(("nanling, PostgreSQL", url, "nanling", default_as_of, True))
        for url in args.city_url:
            kind = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
            setups.append((f"city, {kind}", url, "city", clock(url, args.city_as_of), True))
    results = []
    try:
        for label, url, profile, as_of, exports in setups:
            log(f"== {label}, as of {as_of.isoformat()}")
            results.append(screen.run(url, profile=profile, as_of=as_of, label=label, runs=args.runs,
                                      browser_runs=args.browser_runs, exports=exports, log=log))
    finally:
        for admin, name in cleanup:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        tmp.cleanup()
    mach = screen.machine()
    print(screen.table(results, mach))
    if not args.no_write:
        print(f"written to {screen.write(results, mach)}", file=sys.stderr)
    if getattr(args, "latency", 0):
        from . import latency

        lat = latency.run(events=args.latency, detect="title", log=log)
        print(latency.table([lat]))
        if not args.no_write:
            print(f"written to {latency.write([lat])}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
