"""The cache shared by the screens: an answer is computed once per data version and clock
tick, a write that bumps a channel the answer reads makes the next refresh compute again, and a
write to another channel does not. The map's colours a refresh sends are exactly the new ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from dashboard.web import cache as cachemod
from dashboard.present import mapdata
from dashboard.figures import metrics
from dashboard.domain import windows
from dashboard.store.db import transaction
from dashboard.domain.lifecycle import report
from dashboard.store.models import Area
from dashboard.web.runtime import Runtime

from .conftest import AS_OF, settings_for


@pytest.fixture
def runtime(demo_copy):
    rt = Runtime(settings_for(demo_copy.url.render_as_string(hide_password=False)), demo_copy)
    yield rt


def counted(fn):
    calls = []

    def compute():
        calls.append(1)
        return fn()

    return compute, calls


def new_event(engine, title="缓存测试事件"):
    with transaction(engine) as s:
        grid = s.scalar(select(Area.code).where(Area.level == "grid").order_by(Area.code).limit(1))
        report(s, title=title, category_code="SQ01", source="patrol", grid_code=grid,
               at=AS_OF - timedelta(seconds=30), actor="测试")
    return grid


def test_an_unchanged_version_is_a_hit_and_a_new_event_is_a_miss(runtime):
    window = windows.Window.last_days(7, AS_OF)
    compute, calls = counted(lambda: metrics.summary(runtime.engine, window)["reported"])
    first = cachemod.answer(runtime, ("reported", "7d"), ("events",), compute)
    again = cachemod.answer(runtime, ("reported", "7d"), ("events",), compute)
    assert again == first and len(calls) == 1, "same question, same data version: computed once"
    new_event(runtime.engine)
    after = cachemod.answer(runtime, ("reported", "7d"), ("events",), compute)
    assert len(calls) == 2 and after == first + 1, "a new event bumps the version: computed afresh, not stale"
    assert after == metrics.summary(runtime.engine, window)["reported"]


def test_a_write_to_another_channel_keeps_the_answer(runtime):
    compute, calls = counted(lambda: "x")
    cachemod.answer(runtime, ("q",), ("catalog",), compute)
    new_event(runtime.engine)  # bumps events, not catalog
    cachemod.answer(runtime, ("q",), ("catalog",), compute)
    assert len(calls) == 1


def test_questions_do_not_share_answers(runtime):
    a = cachemod.answer(runtime, ("q", "7d"), ("events",), lambda: "seven")
    b = cachemod.answer(runtime, ("q", "30d"), ("events",), lambda: "thirty")
    assert (a, b) == ("seven", "thirty")


def test_none_is_a_cached_answer(runtime):
    compute, calls = counted(lambda: None)
    assert cachemod.answer(runtime, ("none",), ("events",), compute) is None
    assert cachemod.answer(runtime, ("none",), ("events",), compute) is None
    assert len(calls) == 1


def test_the_live_clock_moves_the_key_each_tick(runtime):
    live = Runtime(runtime.settings.with_(frozen_now=None, tick_seconds=3600), runtime.engine)
    compute, calls = counted(lambda: 1)
    cachemod.answer(live, ("t",), ("events",), compute)
    cachemod.answer(live, ("t",), ("events",), compute)
    assert len(calls) == 1
    assert cachemod.tick_bucket(AS_OF, 60, False) != cachemod.tick_bucket(AS_OF + timedelta(seconds=60), 60, False)
    assert cachemod.tick_bucket(AS_OF, 60, False) == cachemod.tick_bucket(AS_OF + timedelta(seconds=1), 60, False)


def test_filesystem_cache_is_shared_between_processes(tmp_path, runtime):
    """Two runtimes (as two gunicorn workers) on one cache directory: the second reads the first's answer."""
    url = f"filesystem://{tmp_path}"
    a = Runtime(runtime.settings.with_(cache_url=url), runtime.engine)
    b = Runtime(runtime.settings.with_(cache_url=url), runtime.engine)
    compute, calls = counted(lambda: {"v": [1, 2, 3]})
    assert cachemod.answer(a, ("shared",), ("events",), compute) == {"v": [1, 2, 3]}
    assert cachemod.answer(b, ("shared",), ("events",), compute) == {"v": [1, 2, 3]}
    assert len(calls) == 1 and a.cache.kind == "FileSystemCache"


def test_cache_config_from_url():
    assert cachemod.config_for(None)["CACHE_TYPE"] == "SimpleCache"
    assert cachemod.config_for("redis://127.0.0.1:6379/0")["CACHE_TYPE"] == "RedisCache"
    assert cachemod.config_for("null")["CACHE_TYPE"] == "NullCache"
    assert cachemod.config_for("filesystem:///var/cache/gs")["CACHE_DIR"] == "/var/cache/gs"
    with pytest.raises(ValueError):
        cachemod.config_for("memcached://x")


def test_an_unreachable_redis_degrades_to_computing(runtime):
    """A cache that went away costs time, never the screens."""
    rt = Runtime(runtime.settings.with_(cache_url="redis://127.0.0.1:1/0"), runtime.engine)
    compute, calls = counted(lambda: 42)
    assert cachemod.answer(rt, ("r",), ("events",), compute) == 42
    assert cachemod.answer(rt, ("r",), ("events",), compute) == 42
    assert len(calls) == 2


def test_map_colours_follow_a_new_event_and_patch_only_what_changed(runtime):
    from callbacks.bigscreen import PANELS, map_payload

    before, fp0 = map_payload(runtime, "7d", "density")
    again, fp1 = map_payload(runtime, "7d", "density")
    assert fp1 == fp0, "no change, same fingerprint: the screen is sent nothing"
    grid = new_event(runtime.engine)
    after, fp2 = map_payload(runtime, "7d", "density")
    assert fp2 != fp0
    index = mapdata.grid_index(runtime.engine)
    i = index.position[grid]
    assert [j for j, (x, y) in enumerate(zip(before["v"], after["v"])) if x != y] == [i]
    # A scan of the database agrees with the cached colours for every grid.
    window = windows.Window.last_days(7, AS_OF)
    reported = metrics.by_group(runtime.engine, window, "grid").set_index("code")["reported"]
    for j, code in enumerate(index.codes):
        n = int(reported.get(code, 0))
        expected = round(n / index.households[j] * 1000, 2) if index.households[j] > 0 else None
        assert after["v"][j] == pytest.approx(expected), code
    patch, _legend = PANELS["map"].patch([before, "legend"], [after, "legend"])
    ops = patch._operations
    per_grid = {tuple(op["location"]) for op in ops if op["location"][0] in ("v", "open")}
    assert per_grid == {("v", i)}, "only the changed grid is sent"
    assert all(op["operation"] == "Assign" for op in ops)
    assert PANELS["map"].patch(None, [after, "legend"])[0] is after, "a screen with nothing gets everything"


def test_an_unchanged_refresh_compares_fingerprints_without_reading_the_answer_back(runtime, monkeypatch):
    """A screen that shows the current answer is told so from the fingerprints alone: the map's
    19,000 colours (at city scale) are not read back from the cache to be thrown away."""
    from callbacks.bigscreen import FILTERS, PANELS

    p = PANELS["map"]
    v = FILTERS.resolve(runtime, ("7d", None, None, ""))
    values, shown = p.outputs_for(runtime, v, ("density",), (None,))
    assert values is not None
    read = []
    real_get = runtime.cache.get
    monkeypatch.setattr(runtime.cache, "get", lambda key: read.append(key) or real_get(key))
    again, fp = p.outputs_for(runtime, v, ("density",), (None,), shown=shown)
    assert (again, fp) == (None, shown)
    reads_unchanged = len(read)
    read.clear()
    values2, fp2 = p.outputs_for(runtime, v, ("density",), (None,), shown="another screen's fingerprint")
    assert fp2 == shown and values2[0] == values[0]
    assert len(read) > reads_unchanged, "the answer itself is read only when the screen needs it"
    # After a new event the fingerprint moves and the new values come with it.
    new_event(runtime.engine)
    values3, fp3 = p.outputs_for(runtime, v, ("density",), (None,), shown=shown)
    assert fp3 != shown and values3 is not None and values3[0]["v"] != values[0]["v"]
