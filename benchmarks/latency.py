"""Event-to-screen latency: from the commit of a new event to its appearance on an open screen.

Set-up, as in production but on loopback: the nanling demo seeded up to now (``as_of`` = now),
the app with a live clock (``frozen_now=None``) at the default refresh settings, served by a
threaded WSGI server, and the big screen open in a real headless Chromium at 1920×1080.

Each sample: watch the page for the new event (``tests.arrival``), POST it through the REST API,
take the moment the 201 comes back as the commit (the transaction commits before the response is
written, so this is at most the response's transit — well under a millisecond on loopback — late),
and take the moment the page first shows it. Samples are spaced by a random 0.3–1.3 s so that
reports fall at random phases of the screen's polling, as real ones do.

How arrival is detected: ``--detect title`` (the unique title appears anywhere in the page text,
e.g. the rolling latest-events panel) or ``--detect kpi`` (the 上报 count in the KPI strip goes
up by one: a screen that exists today). The poller's first sight of the new data version is
recorded too, splitting each latency into "waiting for the poll" and "recompute + render".
"""

from __future__ import annotations

import json
import os
import platform
import random
import statistics
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
REPORTED = '[id*=\'"field":"reported"\']'


@dataclass
class Sample:
    latency_ms: float
    poll_ms: float | None  # commit -> the poller saw the new version
    render_ms: float | None  # new version seen -> shown on the page


@dataclass
class Result:
    label: str
    detect: str
    database: str
    profile: str
    refresh_ms: int
    samples: list[Sample] = field(default_factory=list)
    started: str = ""
    machine: str = ""
    loads: list = field(default_factory=list)  # the machine's 1-minute load average at each sample

    def stats(self, key: str = "latency_ms") -> dict:
        xs = sorted(getattr(s, key) for s in self.samples if getattr(s, key) is not None)
        if not xs:
            return {}
        return {"n": len(xs), "median": statistics.median(xs), "p95": percentile(xs, 95), "min": xs[0], "max": xs[-1],
                "mean": statistics.fmean(xs)}


def percentile(sorted_xs: list[float], p: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    if len(sorted_xs) == 1:
        return sorted_xs[0]
    k = (len(sorted_xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(sorted_xs) - 1)
    return sorted_xs[lo] + (sorted_xs[hi] - sorted_xs[lo]) * (k - lo)


class Gunicorn:
    """``gridscreen serve`` (gunicorn, threaded workers, app preloaded) on a free loopback port: the
    production server, where a screen's callbacks can run in several processes at once."""

    def __init__(self, database_url: str, workers: int, refresh_ms: int | None):
        import socket
        import subprocess
        import sys

        import requests

        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        root = str(Path(__file__).resolve().parent.parent)
        env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": root}
        env.pop("GRIDSCREEN_FROZEN_NOW", None)
        if refresh_ms is not None:
            env["GRIDSCREEN_REFRESH_MS"] = str(refresh_ms)
        self.proc = subprocess.Popen(
            [sys.executable, "-c", "from dashboard.cli import main; main()", "serve", "--host", "127.0.0.1",
             "--port", str(port), "--workers", str(workers)],
            env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if requests.get(self.url + "/api/v1/version", timeout=2).ok:
                    return
            except requests.ConnectionError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("gunicorn did not come up within 120 s")

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except Exception:  # noqa: BLE001
            self.proc.kill()


def load_average() -> float | None:
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def run(*, events: int = 30, detect: str = "kpi", database_url: str | None = None, profile: str = "nanling",
        scale: float = 1.0, refresh_ms: int | None = None, label: str | None = None, server: str = "threaded",
        workers: int = 2, log=print) -> Result:
    import requests

    from app import create_app
    from dashboard.web import apiclients
    from dashboard.store import db
    from dashboard.present import fmt
    from dashboard.demo import default_as_of, seed
    from dashboard.settings import Settings
    from tests.arrival import Arrivals
    from tests.browser import LiveServer, Page, make_driver

    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log in the benchmark's output
    tmp = None
    if database_url is None:
        tmp = tempfile.TemporaryDirectory(prefix="gs-latency-")
        database_url = f"sqlite:///{tmp.name}/latency.sqlite3"
    engine = db.make_engine(database_url)
    log(f"seeding {profile} up to now into {engine.url.get_backend_name()} …")
    seed(engine, profile, 7, as_of=default_as_of(), scale=scale, reset=True)
    settings = Settings(database_url=database_url, embedded=False, frozen_now=None, auth=False)
    if refresh_ms is not None:
        settings = settings.with_(refresh_ms=refresh_ms)
    if server == "gunicorn":
        server = Gunicorn(database_url, workers, refresh_ms)
        where = f"gunicorn {workers} workers"
    else:
        server = LiveServer(create_app(settings).server)
        where = "threaded server"
    _, token = apiclients.create(engine, "latency-benchmark")
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    catalog = http.get(f"{server.url}/api/v1/catalog", timeout=30).json()
    grids = [g for g in catalog["grids"] if g.get("worker")]
    driver = make_driver()
    result = Result(label=label or f"{profile} · {engine.url.get_backend_name()} · {where} · refresh {settings.refresh_ms} ms",
                    detect=detect, database=engine.url.get_backend_name(), profile=profile if scale == 1 else
                    f"{profile} ×{scale:g}", refresh_ms=settings.refresh_ms,
                    started=datetime.now().astimezone().isoformat(timespec="seconds"),
                    machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    rnd = random.Random(1)
    try:
        page = Page(driver, server.url).viewport(1920, 1080).open("/")
        page.wait_text(REPORTED, lambda t: t not in ("", "—"), timeout=180)  # first render; slow on a busy machine
        arrivals = Arrivals(page)
        time.sleep(2)  # let the first refresh settle
        for i in range(events):
            title = f"时延测试{uuid.uuid4().hex[:10]}"
            if detect == "title":
                target = arrivals.watch_text(title)
            else:
                count = int(page.text(REPORTED).replace(",", ""))
                target = arrivals.watch_css(REPORTED, fmt.count(count + 1))
            grid = rnd.choice(grids)
            r = http.post(f"{server.url}/api/v1/events", timeout=30, headers={"Idempotency-Key": uuid.uuid4().hex},
                          json={"category": "SQ01", "title": title, "grid": grid["code"],
                                "reporter": grid["worker"]["id"]})
            committed = time.time()
            if r.status_code != 201:
                raise RuntimeError(f"POST /events: {r.status_code} {r.text[:300]}")
            shown = arrivals.wait(target, timeout=30)
            seen = arrivals.version_seen_after(committed - 0.001)
            result.samples.append(Sample(
                latency_ms=(shown - committed) * 1000,
                poll_ms=(seen - committed) * 1000 if seen is not None and seen <= shown else None,
                render_ms=(shown - seen) * 1000 if seen is not None and seen <= shown else None,
            ))
            log(f"  {i + 1:>3}/{events}: {result.samples[-1].latency_ms:7.1f} ms   (load average {load_average()})")
            result.loads.append(load_average())
            time.sleep(rnd.uniform(0.3, 1.3))
        errors = page.console_errors()
        if errors:
            log(f"browser console errors: {errors[:3]}")
    finally:
        driver.quit()
        server.stop()
        engine.dispose()
        if tmp is not None:
            tmp.cleanup()
    return result


def table(results: list[Result]) -> str:
    head = ("| set-up | detected by | n | median | p95 | min | max | poll wait (median) | recompute + render (median) "
            "| load average |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    for r in results:
        s, p, d = r.stats(), r.stats("poll_ms"), r.stats("render_ms")
        rows.append(f"| {r.label} | {r.detect} | {s['n']} | {s['median']:.0f} ms | {s['p95']:.0f} ms | {s['min']:.0f} ms | "
                    f"{s['max']:.0f} ms | {p.get('median', float('nan')):.0f} ms | {d.get('median', float('nan')):.0f} ms | "
                    f"{statistics.median(x for x in r.loads if x is not None) if any(r.loads) else float('nan'):.1f} |")
    return "\n".join([head, *rows])


def write(results: list[Result], out: Path = RESULTS) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = out / f"latency-{stamp}.md"
    lines = [f"# Event-to-screen latency, {results[0].started}", "", f"Machine: {results[0].machine}.", "",
             table(results), "", "Raw samples (ms): see the JSON file beside this one."]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / f"latency-{stamp}.json").write_text(
        json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1), encoding="utf-8")
    return path
