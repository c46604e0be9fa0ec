"""The big screen at scale: server time, bytes, paint and recolour, against the bare SQL.

One run measures one database (a profile already seeded, e.g. the city on PostgreSQL, or a
temporary nanling SQLite that is seeded here):

1. **A real first load.** The app is served on loopback (``tests/browser.py``'s ``LiveServer``)
   behind a recording WSGI middleware, and ``/`` is opened in headless Chromium at 1920×1080 with
   an empty browser cache. Every request of that load (page, Dash layout and callbacks, geometry,
   static files) is recorded with its body, the server time spent on it and the bytes sent.
   The page's Performance API marks from ``assets/map.js`` give the time to the first complete
   paint of the map (``gs-map-painted`` with every grid drawn, from navigation start).
2. **Recolour** in the same browser: the measure is switched (every grid changes colour: the worst
   case) and the ``gs-recolour`` measure (clientside recolour + the next two frames) is read.
3. **Server time, replayed.** The recorded requests are replayed through the Flask test client,
   ``--runs`` times each:
   - *first full load*: the shared cache cleared before each run (cold data; the geometry is built
     once per areas version and is timed on its own);
   - *refresh, no change*: the poll (``/api/v1/version``) and every panel callback the live state
     drives, with a new live key but the same data versions (what every other screen, and every
     clock tick, costs);
   - *refresh after a new event*: one event reported (not timed), then the same callbacks.
   Bytes are what the server sent (gzip where the browser asked for it).
4. **Bare SQL.** Every SQL statement the server ran during a replay is captured (SQLAlchemy's
   ``before_cursor_execute``) and run again on a raw DB-API cursor with the same parameters,
   fetching all rows: the time the database needs for the aggregates behind that screen. The
   ratio server time / bare SQL is the overhead of everything else (Python, pandas, Dash, JSON).
5. Warning evaluation for all grids (``warnings.evaluate``), peak memory (RSS of this process,
   which is the server plus the harness), a chart export (PNG, kaleido warm) and the weekly
   bulletin (deck + workbook + chart zip).

The warning runner is kept from re-evaluating during the timed replays (its cost is measured in
step 5 on its own, and it runs in the background in production). The app's clock is frozen at
the data's as-of, so the time windows are the same in every run.
"""

from __future__ import annotations

import io
import json
import os
import platform
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from .latency import RESULTS, load_average, percentile

STATIC = ("/_dash-component-suites/", "/assets/", "/_favicon.ico")


# --- measuring helpers --------------------------------------------------------------------------


@dataclass
class Req:
    method: str
    path: str
    body: bytes
    headers: dict
    status: int = 0
    bytes_out: int = 0
    ms: float = 0.0

    @property
    def static(self) -> bool:
        return self.path.startswith(STATIC)

    @property
    def callback(self) -> dict | None:
        if self.path.startswith("/_dash-update-component") and self.body:
            return json.loads(self.body)
        return None


class Recorder:
    """WSGI middleware: every request's body, server time and bytes sent."""

    def __init__(self, app):
        self.app = app
        self.log: list[Req] = []
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        method = environ["REQUEST_METHOD"]
        n = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(n) if n else b""
        environ["wsgi.input"] = io.BytesIO(body)
        path = environ.get("PATH_INFO", "") + (("?" + environ["QUERY_STRING"]) if environ.get("QUERY_STRING") else "")
        headers = {k: environ[h] for k, h in (("Content-Type", "CONTENT_TYPE"), ("Accept-Encoding", "HTTP_ACCEPT_ENCODING"))
                   if environ.get(h)}
        req = Req(method, path, body, headers)
        status = {}

        def sr(s, h, exc_info=None):
            status["s"] = int(s.split()[0])
            return start_response(s, h, exc_info)

        t0 = time.perf_counter()
        it = self.app(environ, sr)
        try:
            out = b"".join(it)
        finally:
            if hasattr(it, "close"):
                it.close()
        req.ms = (time.perf_counter() - t0) * 1000
        req.status, req.bytes_out = status.get("s", 0), len(out)
        with self.lock:
            self.log.append(req)
        return [out]


class SqlLog:
    """The SQL statements an engine runs while on."""

    def __init__(self, engine):
        from sqlalchemy import event

        self.engine = engine
        self.on = False
        self.statements: list[tuple[str, object]] = []
        event.listen(engine, "before_cursor_execute", self._hook)

    def _hook(self, conn, cursor, statement, parameters, context, executemany):
        if self.on and not executemany:
            self.statements.append((statement, parameters))

    def start(self):
        self.statements = []
        self.on = True

    def stop(self) -> list:
        self.on = False
        return list(self.statements)

    def explain(self, statements) -> list[dict]:
        """PostgreSQL: EXPLAIN (ANALYZE, BUFFERS) of each distinct statement reading ``events``:
        the scan nodes (which index, or a sequential scan) and the execution time."""
        if self.engine.dialect.name != "postgresql":
            return []
        out, seen = [], set()
        raw = self.engine.raw_connection()
        try:
            cur = raw.cursor()
            for stmt, params in statements:
                if " events" not in stmt or stmt in seen or not stmt.lstrip().upper().startswith("SELECT"):
                    continue
                seen.add(stmt)
                cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + stmt, params or None)
                plan = [r[0] for r in cur.fetchall()]
                scans = sorted({ln.strip().split("  (")[0].lstrip("-> ").strip() for ln in plan if "Scan" in ln})
                ms = next((float(ln.split(":")[1].split()[0]) for ln in plan if ln.startswith("Execution Time")), None)
                out.append({"sql": " ".join(stmt.split())[:160], "scans": scans, "ms": ms, "plan": plan})
            raw.rollback()
        finally:
            raw.close()
        return out

    def bare_ms(self, statements) -> float:
        """Run ``statements`` again on one raw DB-API connection, fetching every row."""
        raw = self.engine.raw_connection()
        try:
            cur = raw.cursor()
            t0 = time.perf_counter()
            for stmt, params in statements:
                if params:
                    cur.execute(stmt, params)
                else:
                    cur.execute(stmt)
                if cur.description is not None:
                    cur.fetchall()
            ms = (time.perf_counter() - t0) * 1000
            cur.close()
            raw.rollback()
            return ms
        finally:
            raw.close()


class PeakRss:
    def __init__(self):
        import psutil

        self.proc = psutil.Process()
        self.peak = self.proc.memory_info().rss
        self.stop_flag = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop_flag:
            self.peak = max(self.peak, self.proc.memory_info().rss)
            time.sleep(0.05)

    def stop(self) -> int:
        self.stop_flag = True
        return self.peak


def stats(xs: list[float]) -> dict:
    xs = sorted(x for x in xs if x is not None)
    if not xs:
        return {}
    return {"n": len(xs), "median": statistics.median(xs), "p95": percentile(xs, 95), "min": xs[0], "max": xs[-1]}


def machine() -> dict:
    import psutil

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    root = Path(__file__).resolve().parent.parent
    try:
        commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(root), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        commit += "+dirty" if dirty else ""
    except Exception:  # noqa: BLE001
        commit = "unknown"
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gb": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(), "os": platform.platform(), "commit": commit}


# --- one database -------------------------------------------------------------------------------


@dataclass
class ScreenResult:
    label: str
    database: str
    profile: str
    grids: int = 0
    events: int = 0
    db_version: str = ""
    started: str = ""
    loads: list = field(default_factory=list)
    figures: dict = field(default_factory=dict)  # name -> stats dict or number
    notes: list = field(default_factory=list)
    explain: list = field(default_factory=list)  # PostgreSQL plans of the first load's event queries


def _label(r: Req) -> str:
    cb = r.callback
    return ("callback " + cb["output"][:70]) if cb else r.path[:70]


def _decode(data: bytes, encoding: str | None) -> bytes:
    if encoding == "gzip":
        import gzip

        return gzip.decompress(data)
    if encoding == "br":
        import brotli

        return brotli.decompress(data)
    if encoding == "deflate":
        import zlib

        return zlib.decompress(data)
    if encoding == "zstd":
        try:
            from compression import zstd  # Python 3.14
        except ImportError:
            from backports import zstd  # what Flask-Compress uses before 3.14

        return zstd.decompress(data)
    return data


def _replay(client, reqs: list[Req], breakdown: list | None = None) -> tuple[float, int, list]:
    total_ms, total_bytes, responses = 0.0, 0, []
    for r in reqs:
        t0 = time.perf_counter()
        resp = client.open(r.path, method=r.method, data=r.body or None, headers=r.headers)
        data = resp.get_data()
        ms = (time.perf_counter() - t0) * 1000
        total_ms += ms
        total_bytes += len(data)
        sent = len(data)
        data = _decode(data, resp.headers.get("Content-Encoding"))
        responses.append((resp.status_code, data))
        if breakdown is not None:
            breakdown.append({"request": _label(r), "status": resp.status_code, "ms": round(ms, 1), "bytes": sent})
    return total_ms, total_bytes, responses


def _id_key(i) -> str:
    return json.dumps(i, sort_keys=True) if isinstance(i, dict) else str(i)


class Client:
    """What a screen knows: the props the server last sent it, to build the next requests."""

    def __init__(self):
        self.props: dict = {}

    def learn(self, responses):
        for status, data in responses:
            if status != 200:
                continue
            try:
                payload = json.loads(data)
            except ValueError:
                continue
            if not isinstance(payload, dict):
                continue
            for cid, props in (payload.get("response") or {}).items():
                try:
                    cid = _id_key(json.loads(cid)) if cid.startswith("{") else cid
                except ValueError:
                    pass
                for prop, value in props.items():
                    if isinstance(value, dict) and value.get("__dash_patch_update"):
                        continue
                    self.props[(cid, prop)] = value

    def fill(self, cb: dict) -> dict:
        def one(item):
            if isinstance(item, list):
                return [one(x) for x in item]
            k = (_id_key(item["id"]), item["property"])
            return {**item, "value": self.props[k]} if k in self.props else item

        cb = dict(cb)
        cb["state"] = [one(s) for s in cb.get("state", [])]
        cb["inputs"] = [one(s) for s in cb.get("inputs", [])]
        return cb


def refresh_requests(first: list[Req], client: Client, live_key: str) -> list[Req]:
    """The poll and the callbacks the live state drives, as the screen would send them now."""
    from layouts import ids

    live = {"key": live_key, "stale": False, "changed_at": None, "now": None, "seen": int(time.time() * 1000)}
    client.props[(ids.Shell.LIVE, "data")] = live
    out = [Req("GET", "/api/v1/version", b"", {"Accept-Encoding": "gzip"})]
    for r in first:
        cb = r.callback
        if not cb or not any(not isinstance(i, list) and i.get("id") == ids.Shell.LIVE for i in cb["inputs"]):
            continue
        cb = client.fill(cb)
        cb["changedPropIds"] = [f"{ids.Shell.LIVE}.data"]
        out.append(Req("POST", r.path, json.dumps(cb).encode(), r.headers))
    return out


def data_end(engine) -> datetime:
    """The end of the data: the last step in the event log, rounded up to the next whole minute
    (a window ``[start, end)`` then holds it). The default as-of of a run."""
    from sqlalchemy import func, select

    from dashboard.store.models import EventLog

    with engine.connect() as c:
        last = c.scalar(select(func.max(EventLog.at)))
    if last is None:
        raise SystemExit("benchmarks: the database holds no events (seed it first: gridscreen seed)")
    floor = last.replace(second=0, microsecond=0)
    return floor if floor == last else floor + timedelta(minutes=1)


def harness_settings(database_url: str, as_of: datetime, env: dict | None = None):
    """The app's settings for a run: the environment's (cache, refresh, rules …), on
    ``database_url`` with the clock frozen at ``as_of``, served on loopback only and without
    login (the browser and the replays measure the screens, not the login; nothing but this
    machine can reach the server), no background runner and no geometry warm-up thread (both
    are timed on their own)."""
    from dashboard.settings import Settings

    return Settings.from_env(env).with_(database_url=database_url, embedded=False, frozen_now=as_of,
                                        warm_geometry=False, runner=False, simulate=False,
                                        host="127.0.0.1", auth=False)


def range_requests(first: list[Req], client: Client, range_key: str) -> list[Req]:
    """The callbacks that read the big screen's range control, as the screen sends them when
    the range is switched to ``range_key``."""
    from layouts import ids

    out = []
    for r in first:
        cb = r.callback
        if not cb or not any(not isinstance(i, list) and i.get("id") == ids.BigScreen.RANGE for i in cb["inputs"]):
            continue
        cb = client.fill(cb)
        cb["inputs"] = [{**i, "value": range_key} if not isinstance(i, list) and i.get("id") == ids.BigScreen.RANGE
                        and i.get("property") == "value" else i for i in cb["inputs"]]
        cb["changedPropIds"] = [f"{ids.BigScreen.RANGE}.value"]
        out.append(Req("POST", r.path, json.dumps(cb).encode(), r.headers))
    return out


def run(database_url: str, *, profile: str, as_of: datetime, label: str, runs: int = 10, browser_runs: int = 3,
        exports: bool = True, log=print) -> ScreenResult:
    import logging

    from sqlalchemy import func, select

    from app import create_app
    from dashboard.domain import windows
    from dashboard import warnings as W
    from dashboard.web.api import geo as geo_api
    from dashboard.store.db import transaction
    from dashboard.domain.lifecycle import report
    from dashboard.store.models import Area, Event
    from dashboard.web.runtime import EXTENSION_KEY
    from layouts import ids
    from tests.browser import LiveServer, Page, make_driver

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    peak = PeakRss()
    res = ScreenResult(label=label, database=database_url.split(":", 1)[0].split("+")[0], profile=profile,
                       started=datetime.now().isoformat(timespec="seconds"))
    settings = harness_settings(database_url, as_of)
    app = create_app(settings)
    rt = app.server.extensions[EXTENSION_KEY]
    engine = rt.engine
    with engine.connect() as c:
        res.grids = c.scalar(select(func.count()).select_from(Area).where(Area.level == "grid"))
        res.events = c.scalar(select(func.count()).select_from(Event))
        res.db_version = (c.exec_driver_sql("select version()").scalar().split(",")[0] if engine.dialect.name == "postgresql"
                          else "SQLite " + c.exec_driver_sql("select sqlite_version()").scalar())
    runner = W.runner_for(rt)
    runner.maybe_run = lambda **_k: None  # measured on its own below
    F = res.figures

    def loadavg():
        res.loads.append(load_average())

    # Geometry: built once per areas version (then kept gzipped in the shared cache).
    t0 = time.perf_counter()
    geo_api._body(rt, ("grid", "pbf", "overview"), geo_api._geobuf_builder("grid", "overview"))
    F["geometry_build_ms"] = (time.perf_counter() - t0) * 1000
    log(f"[{label}] geometry built in {F['geometry_build_ms']:.0f} ms")
    rt.cache.clear()

    # 1-2. A real first load and recolours in Chromium.
    rec = Recorder(app.server.wsgi_app)
    app.server.wsgi_app = rec
    server = LiveServer(app.server)
    driver = make_driver()
    paints, recolours, first, colours_cb = [], [], None, None
    try:
        page = Page(driver, server.url).viewport(1920, 1080)
        for i in range(max(1, browser_runs)):
            rt.cache.clear()
            driver.execute_cdp_cmd("Network.clearBrowserCache", {})
            rec.log = []
            loadavg()
            page.open("/")
            page.wait(lambda: page.js(
                "const m = performance.getEntriesByName('gs-map-painted');"
                f"return m.length && m[m.length - 1].detail && m[m.length - 1].detail.grids >= {res.grids};"),
                timeout=120, message="the map never painted every grid")
            page.wait(lambda: len(page.find_all(".feed-item")) > 0, timeout=60, message="the feed never filled")
            painted = page.js("const m = performance.getEntriesByName('gs-map-painted');"
                              "return m.length ? m[m.length - 1].startTime : null;")
            time.sleep(2.0)  # let the last callbacks land
            if first is None:
                first = list(rec.log)
            paints.append(painted)
            mark = len(rec.log)
            # Recolour: switch the measure (every grid changes) and back.
            for measure in ("事件密度", "预警等级"):
                before = page.js("return performance.getEntriesByName('gs-recolour').length")
                page.d.find_element("xpath", f"//label[contains(., '{measure}')]").click()
                page.wait(lambda: page.js("return performance.getEntriesByName('gs-recolour').length") > before,
                          timeout=60, message="no recolour")
                recolours.append(page.js("const m = performance.getEntriesByName('gs-recolour');"
                                         "return m[m.length - 1].duration;"))
            if colours_cb is None:  # the map's colours callback (not called on load): from the switches
                colours_cb = [r for r in rec.log[mark:] if r.callback and ids.BigScreen.MAP_COLOURS in r.callback["output"]][-1:]
        F["paint_ms"] = stats(paints)
        F["recolour_ms"] = stats(recolours)
        log(f"[{label}] first complete paint {F['paint_ms']}, recolour {F['recolour_ms']}")
    finally:
        driver.quit()
        server.stop()
        app.server.wsgi_app = rec.app
    F["first_load_requests"] = len(first)
    F["first_load_bytes_browser"] = sum(r.bytes_out for r in first)
    F["first_load_bytes_data"] = sum(r.bytes_out for r in first if not r.static)
    F["first_load_server_ms_browser"] = sum(r.ms for r in first)

    # 3-4. Server time of the first load, replayed cold, against the bare SQL.
    client = app.server.test_client()
    sql = SqlLog(engine)
    data_reqs = [r for r in first if not r.static]
    templates = first + colours_cb  # a refresh also recolours the map through the colours callback
    cold, warm, bare, byts = [], [], [], []
    screen = Client()
    for i in range(runs):
        rt.cache.clear()
        loadavg()
        sql.start()
        bd = []
        ms, b, responses = _replay(client, data_reqs, bd)
        stmts = sql.stop()
        F["first_load_breakdown"] = bd
        cold.append(ms)
        byts.append(b)
        bare.append(sql.bare_ms(stmts))
        screen.learn(responses)
        warm.append(_replay(client, data_reqs)[0])  # a second screen: the shared cache is warm
    res.explain = sql.explain(stmts)
    F["first_load_ms"] = stats(cold)
    F["first_load_bare_sql_ms"] = stats(bare)
    F["first_load_ratio"] = statistics.median(cold) / statistics.median(bare) if bare and statistics.median(bare) else None
    F["first_load_warm_ms"] = stats(warm)
    F["first_load_bytes"] = int(statistics.median(byts))
    F["first_load_statements"] = len(stmts)
    log(f"[{label}] first load {F['first_load_ms']} bare {F['first_load_bare_sql_ms']}")

    # Refresh with no change: a new live key, same data versions.
    nochange, nc_bare, nc_bytes, poll = [], [], [], []
    for i in range(runs):
        reqs = refresh_requests(templates, screen, f"same-{i}")
        loadavg()
        sql.start()
        bd = []
        ms, b, responses = _replay(client, reqs, bd)
        stmts = sql.stop()
        F["refresh_nochange_breakdown"] = bd
        nochange.append(ms)
        nc_bytes.append(b)
        nc_bare.append(sql.bare_ms(stmts))
        poll.append(_replay(client, reqs[:1])[0])
        screen.learn(responses)
    F["refresh_nochange_ms"] = stats(nochange)
    F["refresh_nochange_bare_sql_ms"] = stats(nc_bare)
    F["refresh_nochange_bytes"] = int(statistics.median(nc_bytes))
    F["poll_ms"] = stats(poll)

    # Refresh after a new event.
    with engine.connect() as c:
        grid_codes = [r[0] for r in c.execute(select(Area.code).where(Area.level == "grid").order_by(Area.code).limit(50))]
    changed, ch_bare, ch_bytes = [], [], []
    for i in range(runs):
        with transaction(engine) as s:
            report(s, title=f"基准测试事件{i}", category_code="SQ01", source="patrol", grid_code=grid_codes[i % len(grid_codes)],
                   at=as_of - timedelta(seconds=60 - i), actor="benchmark")
        reqs = refresh_requests(templates, screen, f"new-{i}")
        loadavg()
        sql.start()
        bd = []
        ms, b, responses = _replay(client, reqs, bd)
        stmts = sql.stop()
        F["refresh_changed_breakdown"] = bd
        changed.append(ms)
        ch_bytes.append(b)
        ch_bare.append(sql.bare_ms(stmts))
        screen.learn(responses)
    F["refresh_changed_ms"] = stats(changed)
    F["refresh_changed_bare_sql_ms"] = stats(ch_bare)
    F["refresh_changed_ratio"] = (statistics.median(changed) / statistics.median(ch_bare)
                                  if ch_bare and statistics.median(ch_bare) else None)
    F["refresh_changed_bytes"] = int(statistics.median(ch_bytes))
    log(f"[{label}] refresh no change {F['refresh_nochange_ms']}, after new event {F['refresh_changed_ms']}")

    # The "全部" (all time) range, cold: every callback that reads the range, asked for all time.
    whole = range_requests(templates, screen, "all")
    allr, all_bare = [], []
    for i in range(max(1, runs // 2)):
        rt.cache.clear()
        loadavg()
        sql.start()
        bd = []
        ms, _b, _responses = _replay(client, whole, bd)
        stmts = sql.stop()
        F["all_range_breakdown"] = bd
        allr.append(ms)
        all_bare.append(sql.bare_ms(stmts))
    F["all_range_ms"] = stats(allr)
    F["all_range_bare_sql_ms"] = stats(all_bare)
    log(f"[{label}] all-time range {F['all_range_ms']} bare {F['all_range_bare_sql_ms']}")

    # 5. Warnings, exports, bulletin.
    rules = W.rules_for(settings)
    ev = []
    for _ in range(3 if res.grids < 5000 else 2):
        loadavg()
        t0 = time.perf_counter()
        W.evaluate(engine, rules, as_of)
        ev.append((time.perf_counter() - t0) * 1000)
    F["warnings_evaluate_ms"] = stats(ev)
    log(f"[{label}] warnings evaluate {F['warnings_evaluate_ms']}")
    if exports:
        from dashboard.export import bundle, images

        window = windows.Window.last_days(7, as_of)
        ex = []
        for i in range(4):
            t0 = time.perf_counter()
            images.chart(engine, "trend", "png", window)
            ex.append((time.perf_counter() - t0) * 1000)
        F["chart_export_cold_ms"] = ex[0]
        F["chart_export_ms"] = stats(ex[1:])
        t0 = time.perf_counter()
        images.chart(engine, "map", "png", window)
        F["map_export_ms"] = (time.perf_counter() - t0) * 1000
        week = (as_of - timedelta(days=7)).isocalendar()  # the last complete week
        with tempfile.TemporaryDirectory() as d:
            t0 = time.perf_counter()
            bundle.build(engine, f"{week.year}-W{week.week:02d}", None, Path(d), now=as_of)
            F["bulletin_ms"] = (time.perf_counter() - t0) * 1000
        log(f"[{label}] chart {F['chart_export_ms']}, map {F['map_export_ms']:.0f} ms, bulletin {F['bulletin_ms']:.0f} ms")
    F["peak_rss_mb"] = peak.stop() / 2**20
    return res


# --- tables -------------------------------------------------------------------------------------


def _ms(s) -> str:
    if not s:
        return "–"
    if isinstance(s, dict):
        return f"{s['median']:.0f} / {s['p95']:.0f}" if s["median"] >= 10 else f"{s['median']:.1f} / {s['p95']:.1f}"
    return f"{s:.0f}"


def _kb(b) -> str:
    return "–" if b is None else (f"{b / 1024:.1f} KB" if b < 1024 * 1024 else f"{b / 2**20:.2f} MB")


def _ratio(a, b) -> str:
    if not a or not b or not b.get("median"):
        return "–"
    return f"{a['median'] / b['median']:.1f}×"


ROWS = [
    ("first full load, server (ms, median / p95)", lambda F: _ms(F.get("first_load_ms"))),
    ("  bare SQL of it (ms)", lambda F: _ms(F.get("first_load_bare_sql_ms"))),
    ("  ratio", lambda F: _ratio(F.get("first_load_ms"), F.get("first_load_bare_sql_ms"))),
    ("  a second screen (cache warm, ms)", lambda F: _ms(F.get("first_load_warm_ms"))),
    ("geometry build, once per areas version (ms)", lambda F: _ms(F.get("geometry_build_ms"))),
    ("refresh, no change: poll (ms)", lambda F: _ms(F.get("poll_ms"))),
    ("refresh, no change: poll + panel callbacks (ms)", lambda F: _ms(F.get("refresh_nochange_ms"))),
    ("  bare SQL of it (ms)", lambda F: _ms(F.get("refresh_nochange_bare_sql_ms"))),
    ("refresh after a new event (ms)", lambda F: _ms(F.get("refresh_changed_ms"))),
    ("  bare SQL of it (ms)", lambda F: _ms(F.get("refresh_changed_bare_sql_ms"))),
    ("  ratio", lambda F: _ratio(F.get("refresh_changed_ms"), F.get("refresh_changed_bare_sql_ms"))),
    ("range 全部 (all time), cold: the callbacks that read the range (ms)", lambda F: _ms(F.get("all_range_ms"))),
    ("  bare SQL of it (ms)", lambda F: _ms(F.get("all_range_bare_sql_ms"))),
    ("  ratio", lambda F: _ratio(F.get("all_range_ms"), F.get("all_range_bare_sql_ms"))),
    ("bytes, first load (data / with static files)",
     lambda F: f"{_kb(F.get('first_load_bytes_data'))} / {_kb(F.get('first_load_bytes_browser'))}"),
    ("bytes, refresh no change / after a new event",
     lambda F: f"{_kb(F.get('refresh_nochange_bytes'))} / {_kb(F.get('refresh_changed_bytes'))}"),
    ("first complete paint of the map, Chromium (ms)", lambda F: _ms(F.get("paint_ms"))),
    ("recolour every grid, Chromium (ms)", lambda F: _ms(F.get("recolour_ms"))),
    ("warning evaluation, all grids (ms)", lambda F: _ms(F.get("warnings_evaluate_ms"))),
    ("chart export PNG, warm (ms)", lambda F: _ms(F.get("chart_export_ms"))),
    ("map export PNG (ms)", lambda F: _ms(F.get("map_export_ms"))),
    ("weekly bulletin: deck + workbook + zip (ms)", lambda F: _ms(F.get("bulletin_ms"))),
    ("peak memory, server + harness (MB)", lambda F: f"{F['peak_rss_mb']:.0f}" if F.get("peak_rss_mb") else "–"),
]


def table(results: list[ScreenResult], mach: dict) -> str:
    head = "| figure | " + " | ".join(f"{r.label}" for r in results) + " |"
    lines = [head, "|---|" + "---:|" * len(results)]
    lines.append("| grids / events | " + " | ".join(f"{r.grids:,} / {r.events:,}" for r in results) + " |")
    lines.append("| database | " + " | ".join(r.db_version for r in results) + " |")
    for name, fn in ROWS:
        lines.append(f"| {name} | " + " | ".join(fn(r.figures) for r in results) + " |")
    loads = [x for r in results for x in r.loads if x is not None]
    lines.append("| load average during the run (1 min, min–max) | " + " | ".join(
        (f"{min(x for x in r.loads if x is not None):.1f}–{max(x for x in r.loads if x is not None):.1f}"
         if any(x is not None for x in r.loads) else "–") for r in results) + " |")
    m = mach
    lines += ["", f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM, Python {m['python']}, {m['os']}; "
              f"commit {m['commit']}. Medians / 95th percentiles over the runs; server times are the sum over "
              f"every request of the step, replayed in-process (Flask test client)."]
    del loads
    return "\n".join(lines)


def write(results: list[ScreenResult], mach: dict, name: str = "screen") -> Path:
    RESULTS.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = RESULTS / f"{name}-{stamp}"
    base.with_suffix(".json").write_text(json.dumps({"machine": mach, "results": [asdict(r) for r in results]},
                                                    ensure_ascii=False, indent=1, default=str))
    notes = [n for r in results for n in r.notes]
    for r in results:
        if r.explain:
            notes.append(f"EXPLAIN ANALYZE, {r.label}, the first load's queries on `events` (scan nodes, execution time):")
            notes += [f"  `{e['sql'][:110]}…` — {'; '.join(e['scans'])} — {e['ms']} ms" for e in r.explain]
    base.with_suffix(".md").write_text(f"# Big screen benchmark ({stamp})\n\n" + table(results, mach) + "\n"
                                       + ("\n" + "\n".join(f"- {n}" for n in notes) + "\n" if notes else ""))
    return base.with_suffix(".md")
