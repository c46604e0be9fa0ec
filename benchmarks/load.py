"""Load: N wall screens (default 100) against ``gridscreen serve`` (gunicorn, several workers) on
PostgreSQL, for a while (default 10 minutes), on loopback.

Set-up, as in production: the nanling demo seeded up to now into the given (wiped) database, a
``display`` account (the wall-screen role) with one login session per screen, login on
(``GRIDSCREEN_AUTH`` automatic = on), the app at its default refresh settings, and the demo
simulator writing new reports and moving cases meanwhile (``gridscreen simulate``), so the
screens' data really changes and their panels really recompute.

Each simulated screen is a small HTTP client that does what the big screen's page does in a
browser, read from the app's own ``/_dash-dependencies`` (no callback is hand-written here):
log in through the form (CSRF token), load the page, the Dash layout and dependencies, render the
route (``page.children``), fire every server callback of the screen once, then poll
``/api/v1/version`` every ``GRIDSCREEN_REFRESH_MS`` and, when the data version (or the minute tick)
moved, fire the callbacks hanging off the live state with the props the screen holds (its panel
caches included, so unchanged panels answer "no update" as they do in a browser), following one
level of chained callbacks. Each request's status and time are recorded.

Screens run as threads spread over a few client processes (the client is Python too: one process
would measure its own GIL). ``python -m benchmarks load --help``.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"
ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "load-test-wall-screen"
LIVE = "live-state.data"


def percentile(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = (len(xs) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


# --- one simulated wall screen --------------------------------------------------------------------


def _key(cid) -> str:
    return json.dumps(cid, sort_keys=True, separators=(",", ":")) if isinstance(cid, dict) else cid


def _walk(node, store: dict) -> None:
    """Collect every component's props from a Dash component tree."""
    if isinstance(node, list):
        for n in node:
            _walk(n, store)
        return
    if not isinstance(node, dict) or "props" not in node:
        return
    props = node["props"]
    if "id" in props:
        store.setdefault(_key(props["id"]), {}).update({k: v for k, v in props.items() if k != "children"})
    for v in props.values():
        if isinstance(v, (list, dict)):
            _walk(v, store)


class Screen:
    def __init__(self, base: str, username: str, refresh_ms: int, tick_seconds: int, record):
        import requests

        self.base = base
        self.s = requests.Session()
        self.username = username
        self.refresh = refresh_ms / 1000
        self.tick = tick_seconds
        self.record = record
        self.store: dict[str, dict] = {}
        self.deps: list[dict] = []

    # HTTP with timing
    def _req(self, kind: str, method: str, path: str, **kw):
        import requests

        t0 = time.perf_counter()
        try:
            try:
                r = self.s.request(method, self.base + path, timeout=60, **kw)
            except requests.ConnectionError:
                # The server closed an idle keep-alive connection just as we reused it (gunicorn's
                # keepalive is 2 s): a browser resends then, once, on a new connection. Counted.
                self.record("(resent after a closed keep-alive connection)", 200, 0.0)
                r = self.s.request(method, self.base + path, timeout=60, **kw)
        except Exception as exc:  # noqa: BLE001  (a refused, reset or timed-out request is an error)
            self.record(f"{kind} [{exc.__class__.__name__}]", 0, (time.perf_counter() - t0) * 1000)
            return None
        self.record(kind if r.status_code < 400 else f"{kind} [{r.status_code}]", r.status_code,
                    (time.perf_counter() - t0) * 1000)
        return r

    def _headers(self) -> dict:
        return {"Origin": self.base, "X-CSRFToken": self.s.cookies.get("_csrf_token") or ""}

    def start(self) -> bool:
        page = self._req("login", "GET", "/login")
        if page is None or page.status_code != 200:
            return False
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        r = self._req("login", "POST", "/login", data={"username": self.username, "password": PASSWORD,
                                                       "csrf_token": token, "next": "/"},
                      headers={"Origin": self.base}, allow_redirects=False)
        if r is None or r.status_code != 303:
            return False
        self._req("page", "GET", "/")
        layout = self._req("page", "GET", "/_dash-layout")
        deps = self._req("page", "GET", "/_dash-dependencies")
        if layout is None or deps is None or not layout.ok or not deps.ok:
            return False
        _walk(layout.json(), self.store)
        self.store.setdefault("url", {}).update(pathname="/", search="", hash="", href=self.base + "/")
        self.deps = [d for d in deps.json() if not d.get("clientside_function")]
        self.fire_for({"url.pathname"}, depth=0)  # the router renders the big screen
        self.fire_initial()
        return True

    # dependencies
    def _resolve(self, item: dict, with_value: bool):
        cid = item["id"]
        prop = item["property"]
        if cid.startswith("{") and "[" in cid:  # a wildcard: every matching component on the page
            pattern = json.loads(cid)
            out = []
            for k, props in self.store.items():
                if not k.startswith("{"):
                    continue
                obj = json.loads(k)
                if set(obj) == set(pattern) and all(isinstance(v, list) or obj[n] == v for n, v in pattern.items()):
                    e = {"id": obj, "property": prop}
                    if with_value:
                        e["value"] = props.get(prop)
                    out.append(e)
            return out
        if cid not in self.store:
            return None
        e = {"id": json.loads(cid) if cid.startswith("{") else cid, "property": prop}
        if with_value:
            e["value"] = self.store[cid].get(prop)
        return e

    def _outputs(self, dep):
        spec = dep["output"]
        multi = spec.startswith("..")
        parts = spec[2:-2].split("...") if multi else [spec]
        outs = []
        for part in parts:
            cid, prop = part.rsplit(".", 1)
            o = self._resolve({"id": cid, "property": prop}, False)
            if o is None:
                return None
            outs.append(o)
        return outs if multi else outs[0]

    def _call(self, dep, changed: list[str]) -> set[str]:
        outputs = self._outputs(dep)
        if outputs is None or outputs == [] or (isinstance(outputs, list) and [] in outputs):
            return set()  # not a callback of this page
        inputs = [self._resolve(i, True) for i in dep["inputs"]]
        state = [self._resolve(i, True) for i in dep["state"]]
        if any(x is None for x in inputs + state):
            return set()
        body = {"output": dep["output"], "outputs": outputs, "inputs": inputs, "state": state,
                "changedPropIds": changed}
        name = dep["output"].strip(".").split(".")[0][:24]
        r = self._req(f"callback {name}", "POST", "/_dash-update-component", json=body, headers=self._headers())
        if r is None or r.status_code != 200:
            return set()
        moved = set()
        for cid, props in (r.json().get("response") or {}).items():
            self.store.setdefault(cid, {}).update(props)
            if "children" in props:
                _walk(props["children"], self.store)
            moved |= {f"{cid}.{p}" for p in props}
        return moved

    def fire_for(self, changed: set[str], depth: int = 2, pool=None) -> None:
        """Fire the callbacks with an input in ``changed`` — at once, as Dash's renderer does —
        then those whose inputs their answers moved."""
        calls = []
        for dep in self.deps:
            ins = {f"{i['id']}.{i['property']}" for i in dep["inputs"]}
            if ins & changed:
                calls.append((dep, sorted(ins & changed)))
        if pool is not None and len(calls) > 1:
            results = list(pool.map(lambda c: self._call(*c), calls))
        else:
            results = [self._call(*c) for c in calls]
        moved: set[str] = set().union(*results) if results else set()
        moved -= changed
        if moved and depth > 0:
            self.fire_for(moved, depth=depth - 1, pool=pool)

    def fire_initial(self) -> None:
        for dep in self.deps:
            if dep.get("prevent_initial_call") or dep["output"].startswith("page."):
                continue
            self._call(dep, [])

    def run(self, until: float) -> None:
        """Poll every refresh interval; a change starts the screen's callbacks in the background
        (the poller does not wait for them, as in the browser); a change seen while they are still
        running is handled when they finish."""
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(6)
        busy = threading.Event()
        pending = threading.Event()

        def batch():
            try:
                while True:
                    pending.clear()
                    self.fire_for({LIVE}, pool=pool)
                    if not pending.is_set() or time.time() >= until:
                        break
            finally:
                busy.clear()

        runner = ThreadPoolExecutor(1)
        key = None
        while time.time() < until:
            t0 = time.time()
            r = self._req("version", "GET", "/api/v1/version", headers={"Cache-Control": "no-store"})
            if r is not None and r.ok:
                j = r.json()
                k = json.dumps(j.get("version")) + "|" + str(int(time.time() // self.tick))
                if k != key:
                    key = k
                    self.store.setdefault("live-state", {})["data"] = {
                        "key": k, "stale": False, "changed_at": j.get("changed_at"), "now": j.get("now"),
                        "seen": int(time.time() * 1000)}
                    if busy.is_set():
                        pending.set()
                    else:
                        busy.set()
                        runner.submit(batch)
            time.sleep(max(0.0, self.refresh - (time.time() - t0)))
        runner.shutdown(wait=True)
        pool.shutdown(wait=True)


def _client_process(args) -> list[tuple[str, int, float, float]]:
    base, usernames, refresh_ms, tick, start_at, until = args
    rows: list[tuple[str, int, float, float]] = []
    lock = threading.Lock()

    def record(kind, status, ms):
        with lock:
            rows.append((kind, status, ms, time.time()))

    def one(name, delay):
        time.sleep(max(0.0, start_at + delay - time.time()))
        sc = Screen(base, name, refresh_ms, tick, record)
        if not sc.start():
            record("screen failed to start", 0, 0.0)
            return
        sc.run(until)

    threads = [threading.Thread(target=one, args=(n, i * 0.15), daemon=True) for i, n in enumerate(usernames)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return rows


# --- the run ----------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    started: str
    database: str
    profile: str
    screens: int
    workers: int
    threads: int
    duration_s: float
    refresh_ms: int
    machine: str
    rows: dict = field(default_factory=dict)  # kind -> {n, errors, median, p95, p99, max}
    total: dict = field(default_factory=dict)
    steady: dict = field(default_factory=dict)  # after every screen started (no logins, no first renders)
    simulate: str = ""


def _stats(rows) -> dict:
    ms = [r[2] for r in rows]
    errors = sum(1 for r in rows if not (200 <= r[1] < 400))
    return {"n": len(rows), "errors": errors, "median": statistics.median(ms) if ms else float("nan"),
            "p95": percentile(ms, 95), "p99": percentile(ms, 99), "max": max(ms) if ms else float("nan")}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(*, database_url: str, screens: int = 100, duration: float = 600, workers: int = 4, threads: int = 8,
        clients: int = 4, profile: str = "nanling", simulate_rate: str = "2/min", simulate_speed: float = 60,
        log=print) -> LoadResult:
    import requests

    from dashboard.web import accounts
    from dashboard.store import db
    from dashboard.demo import default_as_of, seed
    from dashboard.settings import Settings

    engine = db.make_engine(database_url)
    log(f"seeding {profile} up to now into {engine.url.get_backend_name()} …")
    seed(engine, profile, 7, as_of=default_as_of(), reset=True)
    usernames = [f"wall{i:03d}" for i in range(1, screens + 1)]
    for name in usernames:  # one account per screen: revocable one by one
        accounts.add_user(engine, name, PASSWORD, "display", display_name=f"大屏{name[4:]}")
    engine.dispose()
    defaults = Settings()
    refresh_ms, tick = defaults.refresh_ms, defaults.tick_seconds

    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT),
           "GRIDSCREEN_SECRET_KEY": uuid.uuid4().hex + uuid.uuid4().hex,
           # every screen logs in from the same address here; a wall of screens behind one NAT would too
           "GRIDSCREEN_LOGIN_RATE": f"{screens * 2} per minute"}
    for k in ("GRIDSCREEN_FROZEN_NOW", "GRIDSCREEN_AUTH", "GRIDSCREEN_REFRESH_MS"):
        env.pop(k, None)
    server_log = Path(os.environ.get("TMPDIR", "/tmp")) / f"gridscreen-load-{port}.log"
    log(f"server log: {server_log}")
    server = subprocess.Popen([sys.executable, "-c", "from dashboard.cli import main; main()", "serve", "--host",
                               "127.0.0.1", "--port", str(port), "--workers", str(workers), "--threads", str(threads)],
                              env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=server_log.open("wb"))
    sim = None
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                if requests.get(base + "/login", timeout=2).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.3)
        else:
            raise RuntimeError("gunicorn did not come up within 120 s")
        sim = subprocess.Popen([sys.executable, "-c", "from dashboard.cli import main; main()", "simulate", "--rate",
                                simulate_rate, "--speed", str(simulate_speed), "--duration", str(int(duration + 120))],
                               env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started = datetime.now().astimezone().isoformat(timespec="seconds")
        start_at = time.time() + 2
        ramp = (screens / max(1, clients)) * 0.15 + 15  # logins and first renders
        until = start_at + duration
        log(f"{screens} screens against {base} ({workers} workers × {threads} threads) for {duration:.0f} s …")
        groups = [usernames[i::clients] for i in range(clients)]
        with multiprocessing.get_context("spawn").Pool(clients) as pool:
            parts = pool.map(_client_process, [(base, g, refresh_ms, tick, start_at, until) for g in groups])
        rows = [r for part in parts for r in part]
    finally:
        if sim is not None:
            sim.terminate()
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()

    kinds = sorted({r[0] for r in rows})
    res = LoadResult(started=started, database=engine.url.get_backend_name(), profile=profile, screens=screens,
                     workers=workers, threads=threads, duration_s=duration, refresh_ms=refresh_ms,
                     machine=f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    res.simulate = f"--rate {simulate_rate} --speed {simulate_speed:g}"
    res.rows = {k: _stats([r for r in rows if r[0] == k]) for k in kinds}
    real = [r for r in rows if not r[0].startswith("(")]  # the resend markers are not requests of their own
    res.total = _stats(real)
    res.steady = _stats([r for r in real if r[3] >= start_at + ramp and r[0] not in ("login", "page")])
    return res


def table(res: LoadResult) -> str:
    def line(name, s):
        return (f"| {name} | {s['n']:,} | {s['errors']} | {s['median']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | "
                f"{s['max']:.0f} |")

    out = [f"{res.screens} wall screens (display role), {res.duration_s:.0f} s, gunicorn {res.workers} workers × "
           f"{res.threads} threads, {res.database} ({res.profile}), refresh {res.refresh_ms} ms, machine: {res.machine}",
           "", "| requests | n | errors | median ms | p95 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|---:|"]
    out += [line(k, s) for k, s in res.rows.items()]
    out.append(line("**all**", res.total))
    out.append(line("**steady state** (after the ramp-up, no logins/page loads)", res.steady))
    out.append("")
    out.append(f"Throughput: {res.total['n'] / res.duration_s:.0f} requests/s overall. Simulator: "
               f"{res.simulate}.")
    return "\n".join(out)


def write(res: LoadResult, out: Path = RESULTS) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = out / f"load-{stamp}.md"
    path.write_text(f"# Load: wall screens, {res.started}\n\n{table(res)}\n", encoding="utf-8")
    (out / f"load-{stamp}.json").write_text(json.dumps(asdict(res), ensure_ascii=False, indent=1), encoding="utf-8")
    return path
