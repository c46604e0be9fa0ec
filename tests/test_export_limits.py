"""Chart exports cannot exhaust the renderer: a range or picture beyond the bounds is refused with a
Chinese 400 naming the parameter before anything is drawn; one account's exports beyond its share
get 429 with Retry-After while another account still renders; render slots go in arrival order.
Threads synchronise on events and the gate's own condition, never on sleeps."""

from __future__ import annotations

import io
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone

import pytest
from PIL import Image

from dashboard.domain import windows
from dashboard.export import images, limits
from dashboard.timeutil import to_local

from .authsupport import add
from .conftest import AS_OF, settings_for


@pytest.fixture
def renders(monkeypatch):
    """Every chart the routes ask for, recorded (and then really rendered)."""
    calls = []
    real = images.chart

    def recording(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(images, "chart", recording)
    return calls


# --- the time range ----------------------------------------------------------------------------------


@pytest.mark.parametrize("query", [
    "start=2020-01-01&end=2026-11-20",
    "range=custom&start=2090-11-01&end=2100-11-01",
])
def test_a_huge_range_is_refused_before_rendering(api, renders, query):
    r = api.get(f"/export/chart/trend.png?{query}")
    assert r.status_code == 400
    j = r.get_json()
    assert set(j["fields"]) == {"start", "end"}
    assert "时间范围过长" in j["error"] and "1,096" in j["error"]
    assert renders == []


@pytest.mark.parametrize("query", [
    "range=custom&start=1826-01-01&end=2026-11-20",  # 200 years: what timed the renderer out
    "range=custom&start=2026-11-01&end=2126-11-01",  # a century ahead
])
def test_years_outside_the_accepted_span_are_refused_before_rendering(api, renders, query):
    r = api.get(f"/export/chart/trend.png?{query}")
    assert r.status_code == 400
    fields = r.get_json()["fields"]
    assert fields and set(fields) <= {"start", "end"} and all("超出可接受的范围" in v for v in fields.values())
    assert renders == []


@pytest.mark.parametrize("query", ["range=custom&start=0001-01-01&end=9999-12-31",
                                   "range=custom&start=9999-12-01&end=9999-12-31"])
def test_dates_at_the_calendars_edge_are_a_400(api, renders, query):
    r = api.get(f"/export/chart/heatmap-day.svg?{query}")
    assert r.status_code == 400 and {"start", "end"} <= set(r.get_json()["fields"])
    assert renders == []


def test_three_years_and_the_whole_history_are_drawn(api, renders):
    r = api.get("/export/chart/trend.svg?range=custom&start=2023-11-21&end=2026-11-20")  # 1,096 days
    assert r.status_code == 200 and b"<svg" in r.data[:300]
    r = api.get("/export/chart/trend.svg?range=all")
    assert r.status_code == 200
    assert renders == ["trend", "trend"]


def test_the_data_span_is_allowed_when_longer_than_three_years():
    now = datetime(2026, 11, 20, tzinfo=timezone.utc)
    first = now - timedelta(days=5000)  # a city's history since 2012
    everything = windows.window_for("all", now, first=first)
    limits.check_window(everything, now, first)
    with pytest.raises(limits.LimitError) as e:
        limits.check_window(windows.Window(first - timedelta(days=10), now), now, first)
    assert "全部数据" in str(e.value) and to_local(first).date().isoformat() in str(e.value)
    # without data, three years
    limits.check_window(windows.Window(now - limits.MAX_RANGE, now), now, None)
    with pytest.raises(limits.LimitError):
        limits.check_window(windows.Window(now - limits.MAX_RANGE - timedelta(hours=1), now), now, None)


# --- picture size ------------------------------------------------------------------------------------


@pytest.mark.parametrize("query,fields", [
    ("width=5000", {"width"}),
    ("height=50", {"height"}),
    ("scale=nan", {"scale"}),
    ("scale=inf", {"scale"}),
    ("scale=0.5", {"scale"}),
    ("width=4000&height=4000&scale=2", {"width", "height", "scale"}),  # 64 million pixels
    ("width=abc", {"width"}),
])
def test_picture_bounds_are_a_400_naming_the_parameter(api, renders, query, fields):
    r = api.get(f"/export/chart/map.png?{query}")
    assert r.status_code == 400
    assert set(r.get_json()["fields"]) == fields
    assert renders == []


def test_the_pixel_bound_is_for_png_only_and_counts_the_default_scale():
    images.check_size(4000, 4000, None, fmt="svg")  # vector: the page size, no pixels
    with pytest.raises(limits.LimitError):
        images.check_size(4000, 4000, None, fmt="png")  # 4000 × 4000 × 3²
    images.check_size(2000, 2000, None, fmt="png")  # 36 million: the bound itself


# --- concurrency over HTTP: one account's share, another account still renders ---------------------------


@pytest.fixture
def two_accounts(demo_copy):
    """An app with login on, at most one export in flight per account, and two accounts."""
    from app import create_app
    from dashboard.web.runtime import EXTENSION_KEY

    from .authsupport import Browser

    add(demo_copy, "alice", "leader")
    add(demo_copy, "bob", "leader")
    url = demo_copy.url.render_as_string(hide_password=False)
    app = create_app(settings_for(url, auth=True, login_rate="1000 per minute", renders_per_account=1,
                                  render_pool=2, render_wait_seconds=60))

    def login(name):
        b = Browser(app)
        assert b.login(name).status_code == 303
        return b

    yield login
    app.server.extensions[EXTENSION_KEY].engine.dispose()  # the app's own connections


def test_one_account_beyond_its_share_gets_429_while_another_renders(two_accounts, monkeypatch):
    alice, alice_again, bob = two_accounts("alice"), two_accounts("alice"), two_accounts("bob")
    started, release = threading.Event(), threading.Event()
    real = images.chart

    def held_for_alice(*args, **kwargs):
        if threading.current_thread().name == "alice-first":
            started.set()
            assert release.wait(120)
        return real(*args, **kwargs)

    monkeypatch.setattr(images, "chart", held_for_alice)
    url = "/export/chart/split.png?range=30d"
    out = {}
    first = threading.Thread(target=lambda: out.setdefault("first", alice.get(url)), name="alice-first")
    first.start()
    try:
        assert started.wait(120)  # alice's first export holds its render slot
        r = alice_again.get(url)  # the same account, another session
        assert r.status_code == 429
        assert r.headers["Retry-After"] == str(limits.RETRY_AFTER_SECONDS)
        j = r.get_json()
        assert "account" in j["fields"] and "正在导出" in j["error"]
        r = bob.get(url)  # another account is not held up
        assert r.status_code == 200
        assert Image.open(io.BytesIO(r.data)).size == (1000 * images.PRINT_SCALE, 200 * images.PRINT_SCALE)
    finally:
        release.set()
        first.join(120)
    assert out["first"].status_code == 200
    assert alice_again.get(url).status_code == 200  # the slot is free again


# --- the gate itself -----------------------------------------------------------------------------------


def test_render_slots_go_in_arrival_order_and_one_account_cannot_queue_more(tmp_path):
    gate = limits.RenderGate(tmp_path, per_account=1, pool=1, wait=120)
    holding, release = threading.Event(), threading.Event()
    order = []

    def a():
        with gate.admit("a"):
            holding.set()
            assert release.wait(120)

    def take(name):
        with gate.admit(name):
            order.append(name)

    threads = [threading.Thread(target=a)]
    threads[0].start()
    assert holding.wait(120)
    for n, name in enumerate(("b", "c"), start=1):
        t = threading.Thread(target=take, args=(name,))
        t.start()
        threads.append(t)
        assert gate.wait_until(lambda running, waiting, n=n: running == 1 and waiting == n, 120)
    with pytest.raises(limits.Busy) as e:  # "a" already has its one place: no second one in the queue
        with gate.admit("a"):
            pass
    assert e.value.reason == "account"
    release.set()
    for t in threads:
        t.join(120)
    assert order == ["b", "c"]
    assert gate.state() == (0, 0)


def test_a_full_pool_answers_busy_after_the_wait(tmp_path):
    gate = limits.RenderGate(tmp_path, per_account=2, pool=1, wait=0)
    with gate.admit("a"):
        with pytest.raises(limits.Busy) as e:
            with gate.admit("b"):
                pass
        assert e.value.reason == "pool"
    with gate.admit("b"):  # free again
        pass


HOLDER = """
import sys
from pathlib import Path
from dashboard.export import limits
gate = limits.RenderGate(Path(sys.argv[1]), per_account=1, pool=1, wait=0)
with gate.admit("a"):
    print("held", flush=True)
    sys.stdin.read()
"""


@pytest.mark.parametrize("ending", ["finishes", "dies"])
def test_an_accounts_share_counts_across_worker_processes(tmp_path, ending):
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(tmp_path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "held"
        gate = limits.RenderGate(tmp_path, per_account=1, pool=1, wait=0)
        with pytest.raises(limits.Busy):
            with gate.admit("a"):
                pass
        with gate.admit("b"):  # another account is not affected
            pass
        if ending == "finishes":
            child.stdin.close()
        else:
            child.kill()  # a worker that dies releases its slots with it
        child.wait(60)
        with gate.admit("a"):
            pass
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(60)


# --- bulletin jobs ---------------------------------------------------------------------------------------


def test_an_account_cannot_queue_more_bulletins_than_its_share(demo_engine, tmp_path, monkeypatch):
    from dashboard.export import bundle, jobs

    runner = jobs.JobRunner(tmp_path)
    release = threading.Event()
    built = []

    def held_build(engine, week, area, out_dir, **kw):
        assert release.wait(120)
        built.append(week.label)
        raise RuntimeError("不生成文件")  # the bound is what is tested here, not the files

    monkeypatch.setattr(bundle, "build", held_build)
    first = runner.submit_bulletin(demo_engine, "2026-W45", None, AS_OF, owner="alice", per_owner=1)
    # the same bulletin again is the same job, not another one
    assert runner.submit_bulletin(demo_engine, "2026-W45", None, AS_OF, owner="alice", per_owner=1) == first
    with pytest.raises(limits.Busy) as e:
        runner.submit_bulletin(demo_engine, "2026-W44", None, AS_OF, owner="alice", per_owner=1)
    assert "周通报正在生成" in str(e.value)
    other = runner.submit_bulletin(demo_engine, "2026-W44", None, AS_OF, owner="bob", per_owner=1)
    assert runner.pending_of("alice") == 1 and runner.pending_of("bob") == 1
    release.set()
    for job in (first, other):
        assert runner.wait(job, 120)["state"] == "failed"
    assert runner.pending_of("alice") == 0
    again = runner.submit_bulletin(demo_engine, "2026-W44", "340223100", AS_OF, owner="alice", per_owner=1)
    assert runner.wait(again, 120)["state"] == "failed"
    assert sorted(built) == ["2026-W44", "2026-W44", "2026-W45"]


def test_old_jobs_are_cleaned_up_but_never_the_render_locks(tmp_path):
    import os

    from dashboard.export import jobs

    runner = jobs.JobRunner(tmp_path)
    gate = limits.RenderGate(tmp_path / "render-slots", per_account=1, pool=1, wait=0)
    old_job = tmp_path / "0123abcd"
    old_job.mkdir()
    with gate.admit("a"):
        long_ago = 0
        for d in (old_job, tmp_path / "render-slots"):
            os.utime(d, (long_ago, long_ago))
        runner._cleanup()
        assert not old_job.exists()
        assert (tmp_path / "render-slots").exists()
        with pytest.raises(limits.Busy):  # the held lock is still the same file
            with gate.admit("a"):
                pass
