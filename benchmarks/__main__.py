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
    # --- issue 8: wall screens under load ---
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
    args = parser.parse_args(argv)

    if args.benchmark == "load":
        from . import load

        res = load.run(database_url=args.database_url, screens=args.screens, duration=args.duration,
                       workers=args.workers, threads=args.threads, clients=args.clients,
                       simulate_rate=args.simulate_rate, simulate_speed=args.simulate_speed, log=lambda m: print(m, file=sys.stderr))
        print(load.table(res))
        if not args.no_write:
            print(f"written to {load.write(res)}", file=sys.stderr)
        return 0
    # --- end issue 8 ---

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


if __name__ == "__main__":
    sys.exit(main())
