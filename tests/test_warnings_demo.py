"""The nanling demo's warnings come from the engine and make a believable mix."""

from dashboard.store import db
from dashboard import warnings as W

from .conftest import AS_OF


def test_a_believable_mix_because_of_the_engine(demo_engine):
    county = W.county_rollup(demo_engine)
    counts = county["counts"]
    assert county["grids"] == 211 and sum(counts.values()) == 211
    assert counts[0] >= 0.75 * 211  # most grids normal
    assert all(counts[lv] >= 1 for lv in (1, 2, 3, 4)), counts  # a few at each level
    assert county["worst"] == 1 and county["evaluated_at"] == AS_OF
    hot = W.grid_levels(demo_engine, levels=(1, 2, 3, 4))
    assert len(hot) == 211 - counts[0]
    for row in hot.itertuples():  # every level shown carries its reasons in words
        assert row.reasons and all(r["text"] for r in row.reasons), row.code
        assert min(r["level"] for r in row.reasons) == row.level, row.code
    signals = {r["signal"] for rs in hot["reasons"] for r in rs}
    assert {"major", "surge", "disputes", "overdue", "manual"} <= signals


def test_the_stored_state_is_what_the_engine_says_now(demo_engine):
    ev = W.evaluate(demo_engine, W.load_rules(), AS_OF)
    stored = W.levels_by_grid(demo_engine)
    held = {c for c, lv in stored.items() if ev.grids.at[c, "level"] != lv}
    # any difference is a downgrade still waiting out its hold time
    levels = W.grid_levels(demo_engine).set_index("code")
    assert all(levels.at[c, "pending_level"] == ev.grids.at[c, "level"] for c in held)
    assert {c for c, lv in ev.grids["level"].items() if lv} <= set(stored)


def test_the_replay_left_a_history(demo_engine):
    h = W.history(demo_engine, limit=10_000)
    assert len(h) >= 20 and h["at"].min() < AS_OF and h["at"].max() <= AS_OF
    assert (h["old_level"] != h["new_level"]).all()
    grid = h["grid_code"].iloc[0]
    assert W.grid_history(demo_engine, grid)["grid_code"].eq(grid).all()
    episodes = W.list_warnings(demo_engine, AS_OF, kind="computed", status="all")
    assert (episodes["status"] == "lifted").any() and (episodes["status"] == "active").any()
    assert db.versions(demo_engine)["warnings"] > 0
