"""The four-level warning engine on hand-built scenarios: each signal, manual floors, hold time,
history written once, and the rules file refused with its reasons."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from dashboard.store import db
from dashboard import warnings as W
from dashboard.store.models import GridWarningState, Warning, WarningHistory
from dashboard.warnings.poisson import upper_tail

from .factories import CLOSE, COMMUNITY, COUNTY, DEPT, GRID_A, GRID_B, GRID_C, TOWN, TOWN2, case, small_county

T = datetime(2026, 11, 10, 4, 0, tzinfo=timezone.utc)  # 12:00 in Nanling
H = timedelta(hours=1)
D = timedelta(days=1)

# Rules written out here so each scenario states its own thresholds (not the shipped tuning).
RULES_TEXT = """
hold_hours = 6

[surge]
windows_hours = [24, 168]
baseline_days = 28
gap_days = 2
min_baseline_per_day = 0.05
[surge.blue]
max_p = 0.01
min_count = 3
[surge.yellow]
max_p = 0.001
min_count = 5
[surge.orange]
max_p = 0.00001
min_count = 8

[disputes.blue]
days = 3
[disputes.yellow]
days = 7
count = 3

[overdue.blue]
count = 1
[overdue.yellow]
days = 2
count = 3

[major]
level = "red"
"""
RULES = W.parse_rules(RULES_TEXT, "test")


@pytest.fixture
def county(engine):
    small_county(engine)
    return engine


def level_of(engine, code):
    return W.levels_by_grid(engine).get(code, 0)


def history_rows(engine, code=None):
    with engine.connect() as c:
        stmt = select(WarningHistory.old_level, WarningHistory.new_level, WarningHistory.at).order_by(WarningHistory.id)
        if code:
            stmt = stmt.where(WarningHistory.grid_code == code)
        return [tuple(r) for r in c.execute(stmt)]


def baseline(engine, grid, days=28, every=7):
    """One closed case a week over the baseline (the 28 days ending 2 days before the 7-day window)."""
    for d in range(10, 10 + days, every):
        case(engine, T - d * D, CLOSE, grid=grid)


# --- signals ---------------------------------------------------------------------------------------


def test_quiet_grids_stay_normal(county):
    baseline(county, GRID_A)
    case(county, T - 3 * D, CLOSE, grid=GRID_A)  # an ordinary week: one closed case
    ev = W.evaluate(county, RULES, T)
    assert ev.counts() == {0: 3, 1: 0, 2: 0, 3: 0, 4: 0}
    res = W.run_once(county, RULES, T)
    assert res.stored and not res.changed
    assert W.levels_by_grid(county) == {} and history_rows(county) == []


def test_a_burst_raises_the_level_the_rules_say(county):
    for grid, burst in ((GRID_A, 3), (GRID_B, 5), (GRID_C, 8)):
        baseline(county, grid)
        for k in range(burst):
            case(county, T - (2 + k) * H, [("accept", 0.5)], grid=grid)
    ev = W.evaluate(county, RULES, T)
    g = ev.grids
    # expectation over 24 h = 4 cases / 28 days: P(X >= 3) ~ 4e-4 (blue: 3 cases is not 5),
    # P(X >= 5) ~ 4e-7 (yellow: 5 cases is not 8), P(X >= 8) ~ 2e-12 (orange)
    assert (g.at[GRID_A, "surge_level"], g.at[GRID_B, "surge_level"], g.at[GRID_C, "surge_level"]) == (4, 3, 2)
    assert g.at[GRID_C, "surge_p"] == pytest.approx(float(upper_tail(8, 4 / 28)), rel=1e-9)
    text = ev.reasons(GRID_C)[0]["text"]
    assert text.startswith("24小时新增8件，为基线56.0倍"), text
    W.run_once(county, RULES, T)
    assert W.levels_by_grid(county) == {GRID_A: 4, GRID_B: 3, GRID_C: 2}


def test_a_small_grid_with_no_history_needs_more_than_one_report(county):
    case(county, T - 2 * H, [("accept", 0.5)], grid=GRID_A)
    for k in range(3):
        case(county, T - (2 + k) * H, [("accept", 0.5)], grid=GRID_B)
    ev = W.evaluate(county, RULES, T)
    assert ev.grids.at[GRID_A, "surge_level"] == 0
    assert ev.grids.at[GRID_B, "surge_level"] == 4  # 3 in 24 h where 0.05 a day is expected
    assert "前28日无事件" in ev.reasons(GRID_B)[0]["text"]


def test_invalid_reports_do_not_make_a_surge(county):
    for k in range(8):
        case(county, T - (2 + k) * H, [("invalidate", 0.5)], grid=GRID_A)
    assert W.evaluate(county, RULES, T).grids.at[GRID_A, "surge_level"] == 0


def test_an_open_major_event_is_red_until_it_closes(county):
    major = case(county, T - 5 * H, [("accept", 1), ("dispatch", 1.5, DEPT)], category="ZD01", grid=GRID_A)
    urgent = case(county, T - 3 * H, [], severity="urgent", grid=GRID_B)  # reported, not yet accepted
    ev = W.evaluate(county, RULES, T)
    assert (ev.grids.at[GRID_A, "major_level"], ev.grids.at[GRID_B, "major_level"]) == (1, 1)
    assert ev.reasons(GRID_A)[0]["text"].startswith("重大/紧急事件未办结1件：测试事件")
    W.run_once(county, RULES, T)
    assert level_of(county, GRID_A) == 1 and level_of(county, GRID_B) == 1
    with db.transaction(county) as s:
        from dashboard.domain import lifecycle
        from dashboard.store.models import Event

        e = s.get(Event, major)
        for action, hours in (("start", -4), ("dispose", -3), ("verify_ok", -2)):
            lifecycle.apply(s, e, action, at=T + 10 * H + hours * H, actor="测试")
        lifecycle.apply(s, s.get(Event, urgent), "invalidate", at=T + 9 * H, actor="测试")
    ev = W.evaluate(county, RULES, T + 10 * H)
    assert ev.grids.loc[[GRID_A, GRID_B], "level"].tolist() == [0, 0]
    # replay: as of T the event was open, whatever happened since
    assert W.evaluate(county, RULES, T).grids.at[GRID_A, "major_level"] == 1


def test_overdue_and_ageing_disputes_raise_levels_as_configured(county):
    # a dispute accepted 4 days ago (blue at 3 days), another 8 days ago (yellow at 7 days; its
    # 168 h limit has also run out a day ago: overdue, blue)
    case(county, T - 4 * D - H, [("accept", 1)], category="JF01", grid=GRID_A)
    case(county, T - 8 * D - H, [("accept", 1)], category="JF01", grid=GRID_B)
    # an ordinary case, 24 h limit, accepted 4 days ago: 3 days overdue (yellow at 2 days)
    case(county, T - 4 * D - H, [("accept", 1), ("dispatch", 2, DEPT)], grid=GRID_C)
    g = W.evaluate(county, RULES, T).grids
    assert (g.at[GRID_A, "disputes_level"], g.at[GRID_A, "overdue_level"], g.at[GRID_A, "level"]) == (4, 0, 4)
    assert (g.at[GRID_B, "disputes_level"], g.at[GRID_B, "overdue_level"], g.at[GRID_B, "level"]) == (3, 4, 3)
    assert (g.at[GRID_C, "disputes_level"], g.at[GRID_C, "overdue_level"], g.at[GRID_C, "level"]) == (0, 3, 3)
    ev = W.evaluate(county, RULES, T)
    assert [r["text"] for r in ev.reasons(GRID_B)] == ["矛盾纠纷未化解1件，最久已8天", "超期未办结1件，最长超期1天"]
    assert ev.reasons(GRID_C)[0]["text"] == "超期未办结1件，最长超期3天"
    # two days earlier the first dispute was 2 days old (below blue) and nothing was overdue yet
    early = W.evaluate(county, RULES, T - 2 * D).grids
    assert early.at[GRID_A, "level"] == 0 and early.at[GRID_C, "overdue_level"] == 4


# --- manual warnings -------------------------------------------------------------------------------


def test_a_manual_town_warning_floors_its_grids_until_expiry(county):
    w = W.issue(county, scope=TOWN, level=2, reason="国庆假期矛盾纠纷易发期", until=T + 2 * D, issued_by="值班员张三", at=T)
    W.run_once(county, RULES, T - H)  # not before issue
    assert W.levels_by_grid(county) == {}
    W.run_once(county, RULES, T + H)
    assert W.levels_by_grid(county) == {GRID_A: 2, GRID_B: 2}  # GRID_C is in the other town
    reasons = W.grid_levels(county).set_index("code").at[GRID_A, "reasons"]
    assert reasons[0]["signal"] == "manual" and "国庆假期矛盾纠纷易发期" in reasons[0]["text"]
    assert "值班员张三" in reasons[0]["text"]
    W.run_once(county, RULES, T + 2 * D - H)
    assert level_of(county, GRID_A) == 2
    W.run_once(county, RULES, T + 2 * D)  # expired: the floor ends at once (no hold for manual floors)
    assert W.levels_by_grid(county) == {}
    assert history_rows(county, GRID_A) == [(0, 2, T + H), (2, 0, T + 2 * D)]
    listed = W.list_warnings(county, T + 3 * D, kind="manual")
    assert listed["id"].tolist() == [w.id] and listed["status"].tolist() == ["expired"]


def test_lifting_a_manual_warning_ends_its_floor(county):
    w = W.issue(county, scope=COUNTY, level=3, reason="汛期", until=None, issued_by="值班员", at=T)
    W.run_once(county, RULES, T + H)
    assert W.levels_by_grid(county) == {GRID_A: 3, GRID_B: 3, GRID_C: 3}
    W.lift(county, w.id, at=T + 2 * H)
    W.run_once(county, RULES, T + 2 * H)
    assert W.levels_by_grid(county) == {}
    with pytest.raises(W.ManualWarningError) as exc:
        W.lift(county, w.id, at=T + 3 * H)
    assert "已于" in exc.value.fields["id"]


def test_a_manual_floor_never_lowers_a_worse_signal(county):
    case(county, T - 5 * H, [("accept", 1)], category="ZD01", grid=GRID_A)
    W.issue(county, scope=COMMUNITY, level=4, reason="防火", until=T + D, issued_by="值班员", at=T - D)
    W.run_once(county, RULES, T)
    assert W.levels_by_grid(county) == {GRID_A: 1, GRID_B: 4}
    signals = [r["signal"] for r in W.grid_levels(county).set_index("code").at[GRID_A, "reasons"]]
    assert signals == ["major", "manual"]


@pytest.mark.parametrize("kwargs, field", [
    ({"scope": "340223999"}, "scope"),
    ({"scope": "abc"}, "scope"),
    ({"level": 5}, "level"),
    ({"level": "red"}, "level"),
    ({"reason": "  "}, "reason"),
    ({"reason": "长" * 201}, "reason"),
    ({"issued_by": ""}, "issued_by"),
    ({"until": T - H}, "until"),
])
def test_bad_manual_warnings_are_refused_with_the_field(county, kwargs, field):
    args = {"scope": TOWN, "level": 2, "reason": "汛期", "until": T + D, "issued_by": "值班员", "at": T} | kwargs
    with pytest.raises(W.ManualWarningError) as exc:
        W.issue(county, **args)
    assert field in exc.value.fields
    with county.connect() as c:
        assert c.scalar(select(func.count()).select_from(Warning)) == 0


def test_computed_warnings_cannot_be_lifted_by_hand(county):
    case(county, T - 5 * H, [("accept", 1)], category="ZD01", grid=GRID_A)
    W.run_once(county, RULES, T)
    computed = W.list_warnings(county, T, kind="computed")
    assert computed["scope_code"].tolist() == [GRID_A] and computed["status"].tolist() == ["active"]
    with pytest.raises(W.ManualWarningError) as exc:
        W.lift(county, int(computed["id"][0]), at=T + H)
    assert exc.value.status == 409


# --- hold time and history -------------------------------------------------------------------------


def test_no_downgrade_before_the_hold_time_and_one_after(county):
    ev_id = case(county, T - 5 * H, [("accept", 1), ("dispatch", 2, DEPT)], category="ZD01", grid=GRID_A)
    W.run_once(county, RULES, T)
    assert level_of(county, GRID_A) == 1
    with db.transaction(county) as s:
        from dashboard.domain import lifecycle
        from dashboard.store.models import Event

        e = s.get(Event, ev_id)
        lifecycle.apply(s, e, "dispose", at=T + H, actor="测试")
        lifecycle.apply(s, e, "verify_ok", at=T + 2 * H, actor="测试")
    W.run_once(county, RULES, T + 3 * H)  # the engine sees the drop now: held at red for 6 h
    state = W.grid_levels(county).set_index("code").loc[GRID_A]
    assert state["level"] == 1 and state["pending_level"] == 0
    assert state["reasons"][-1]["signal"] == "hold" and "观察至11-10 21:00" in state["reasons"][-1]["text"]
    W.run_once(county, RULES, T + 8 * H)  # 5 h after the drop: still held
    assert level_of(county, GRID_A) == 1
    W.run_once(county, RULES, T + 9 * H)  # 6 h after the drop was seen: down
    assert level_of(county, GRID_A) == 0
    assert history_rows(county, GRID_A) == [(0, 1, T), (1, 0, T + 9 * H)]
    episodes = W.list_warnings(county, T + 10 * H, kind="computed")
    assert len(episodes) == 1 and episodes["lifted_at"][0] == T + 9 * H


def _close(engine, event_id, at):
    from dashboard.domain import lifecycle
    from dashboard.store.models import Event

    with db.transaction(engine) as s:
        e = s.get(Event, event_id)
        lifecycle.apply(s, e, "dispose", at=at - 0.5 * H, actor="测试")
        lifecycle.apply(s, e, "verify_ok", at=at, actor="测试")


def test_a_signal_returning_during_the_hold_restarts_it(county):
    first = case(county, T - 5 * H, [("accept", 1), ("dispatch", 2, DEPT)], category="ZD01", grid=GRID_A)
    W.run_once(county, RULES, T)
    _close(county, first, T + H)
    W.run_once(county, RULES, T + 2 * H)  # held red, downgrade pending
    second = case(county, T + 3 * H, [("accept", 0.1), ("dispatch", 0.2, DEPT)], category="ZD01", grid=GRID_A)
    W.run_once(county, RULES, T + 4 * H)  # red again: the pending downgrade is dropped
    assert W.grid_levels(county).set_index("code").at[GRID_A, "pending_level"] is None or \
        math.isnan(W.grid_levels(county).set_index("code").at[GRID_A, "pending_level"])
    _close(county, second, T + 5 * H)
    W.run_once(county, RULES, T + 6 * H)  # a new hold starts here
    W.run_once(county, RULES, T + 10 * H)  # 8 h after the first drop, 4 h after the second
    assert level_of(county, GRID_A) == 1
    W.run_once(county, RULES, T + 12 * H)
    assert level_of(county, GRID_A) == 0
    assert history_rows(county, GRID_A) == [(0, 1, T), (1, 0, T + 12 * H)]


def test_upgrades_are_immediate(county):
    case(county, T - 4 * D - H, [("accept", 1)], category="JF01", grid=GRID_A)  # 4 days old: blue
    W.run_once(county, RULES, T)
    assert level_of(county, GRID_A) == 4
    W.run_once(county, RULES, T + 3 * D)  # 7 days old: yellow at once
    assert level_of(county, GRID_A) == 3
    assert history_rows(county, GRID_A) == [(0, 4, T), (4, 3, T + 3 * D)]


def test_rerunning_with_no_change_writes_nothing(county):
    case(county, T - 2 * H, [("accept", 1)], category="ZD01", grid=GRID_A)  # 4 h limit: due at T + 3 h
    W.issue(county, scope=TOWN, level=4, reason="防火", until=T + D, issued_by="值班员", at=T - D)
    first = W.run_once(county, RULES, T)
    assert first.changed and first.history_rows == 2
    version = db.versions(county)["warnings"]
    with county.connect() as c:
        before = c.execute(select(GridWarningState.grid_code, GridWarningState.updated_at)).all()
    for _ in range(2):
        again = W.run_once(county, RULES, T)
        assert again.stored and not again.changed
    later = W.run_once(county, RULES, T + 10 * 60 * timedelta(seconds=1))
    assert not later.changed
    assert db.versions(county)["warnings"] == version
    with county.connect() as c:
        assert c.execute(select(GridWarningState.grid_code, GridWarningState.updated_at)).all() == before
        assert c.scalar(select(func.count()).select_from(WarningHistory)) == 2
        assert c.scalar(select(func.count()).select_from(Warning).where(Warning.kind == "computed")) == 1


def test_an_earlier_moment_is_not_stored_over_a_later_one(county):
    W.run_once(county, RULES, T)
    res = W.run_once(county, RULES, T - H)
    assert not res.stored and res.skipped_reason == "stale"
    assert W.evaluated_at(county) == T


def test_rollups_count_grids_per_level(county):
    case(county, T - 5 * H, [("accept", 1)], category="ZD01", grid=GRID_A)
    W.issue(county, scope=TOWN2, level=4, reason="防火", until=T + D, issued_by="值班员", at=T - D)
    W.run_once(county, RULES, T)
    towns = W.rollup(county, "town").set_index("code")
    assert towns.loc[TOWN, ["grids", "worst", "n0", "n1", "n4"]].tolist() == [2, 1, 1, 1, 0]
    assert towns.loc[TOWN2, ["grids", "worst", "n0", "n4"]].tolist() == [1, 4, 0, 1]
    county_ = W.county_rollup(county)
    assert county_["worst"] == 1 and county_["counts"] == {0: 1, 1: 1, 2: 0, 3: 0, 4: 1} and county_["grids"] == 3
    assert W.top_grids(county)["code"].tolist() == [GRID_A]



# --- runner ------------------------------------------------------------------------------------------


def test_runner_stores_when_events_move_or_time_passes(county):
    now = [T]
    runner = W.WarningRunner(county, RULES, clock=lambda: now[0], tick_seconds=60, min_interval=0)
    assert runner.maybe_run() is not None  # never evaluated
    assert runner.maybe_run() is None  # nothing moved
    case(county, T - 5 * H, [("accept", 1)], category="ZD01", grid=GRID_A)
    res = runner.maybe_run()
    assert res is not None and res.changed and level_of(county, GRID_A) == 1
    now[0] = T + 61 * timedelta(seconds=1)
    assert runner.maybe_run() is not None  # the tick passed: time-based signals are rechecked
    throttled = W.WarningRunner(county, RULES, clock=lambda: now[0], tick_seconds=0, min_interval=3600)
    assert throttled.maybe_run() is not None and throttled.maybe_run() is None


def test_a_changed_rules_file_is_a_reason_to_evaluate(county):
    W.run_once(county, RULES, T)
    assert not W.due(county, RULES, T, 60)
    other = W.parse_rules(RULES_TEXT.replace("hold_hours = 6", "hold_hours = 2"), "other")
    assert W.due(county, other, T, 60)


# --- rules file ----------------------------------------------------------------------------------------


def test_the_shipped_rules_load():
    r = W.load_rules()
    assert r.major.level == 1 and r.surge.windows_hours == (24.0, 168.0)
    assert set(r.surge.levels) <= {1, 2, 3, 4} and r.hold_hours > 0


@pytest.mark.parametrize("text, expected", [
    ("hold_hourz = 6", "hold_hourz: 未知的配置项"),
    ("hold_hours = 'six'", "hold_hours: 应为数字"),
    ("[surge]\nwindows_hours = 24", "surge.windows_hours: 应为列表"),
    ("[surge]\nwindows_hours = [24, 0]", "surge.windows_hours[1]: 必须大于 0"),
    ("[surge.blue]\nmax_p = 0.01", "surge.blue.min_count: 缺少此项"),
    ("[surge.blue]\nmax_p = 1.5\nmin_count = 3", "surge.blue.max_p: 概率必须在 0 与 1 之间"),
    ("[surge.blue]\nmax_p = 0.001\nmin_count = 3\n[surge.yellow]\nmax_p = 0.01\nmin_count = 5",
     "surge.yellow.max_p = 0.01 应比 surge.blue.max_p = 0.001 更严格"),
    ("[disputes.blue]\ndays = 7\n[disputes.red]\ndays = 3", "disputes.red.days = 3 应比 disputes.blue.days = 7 更严格"),
    ("[overdue.blue]\ncount = 1.5", "overdue.blue.count: 应为整数"),
    ("[overdue.purple]\ncount = 1", "overdue.purple: 未知的配置项"),
    ("[overdue.blue]\n", "overdue.blue: 至少需要一个阈值"),
    ("[major]\nlevel = 'crimson'", "major.level: 应为 red、orange、yellow、blue 之一或 none"),
    ("[major]\nseverities = ['huge']", "major.severities: 未知的紧急程度 'huge'"),
    ("hold_hours = [", "不是有效的 TOML"),
])
def test_bad_rules_are_refused_with_the_key_and_the_reason(text, expected):
    with pytest.raises(W.RulesError) as exc:
        W.parse_rules(text, "bad.toml")
    assert expected in str(exc.value), str(exc.value)
    assert "bad.toml" in str(exc.value)


def test_every_problem_of_a_file_is_listed(tmp_path):
    p = tmp_path / "rules.toml"
    p.write_text("hold_hours = -1\nextra = 1\n[major]\nlevel = 'x'\n", encoding="utf-8")
    with pytest.raises(W.RulesError) as exc:
        W.load_rules(p)
    assert len(exc.value.problems) == 3
    with pytest.raises(W.RulesError, match="找不到预警规则文件"):
        W.load_rules(tmp_path / "missing.toml")


def test_settings_pick_the_rules_file(tmp_path):
    from dashboard.settings import Settings

    p = tmp_path / "r.toml"
    p.write_text(RULES_TEXT, encoding="utf-8")
    assert W.rules_for(Settings.from_env({"GRIDSCREEN_RULES": str(p)})).hold_hours == 6
    assert W.rules_for(Settings.from_env({})).source == str(W.DEFAULT_RULES_FILE)


# --- the small-count test itself ---------------------------------------------------------------------


@pytest.mark.parametrize("n, lam", [(0, 1.0), (1, 0.5), (3, 0.35), (9, 0.4), (5, 10.0), (10, 10.0), (30, 10.0), (2, 0.0)])
def test_poisson_upper_tail_matches_the_sum(n, lam):
    exact = 1.0 - sum(math.exp(-lam) * lam ** i / math.factorial(i) for i in range(n)) if lam else float(n == 0)
    assert float(upper_tail(n, lam)) == pytest.approx(exact, rel=1e-9, abs=1e-15)


def test_poisson_upper_tail_is_accurate_far_in_the_tail():
    # P(X >= 20 | 0.5): the first term dominates; 1 - cdf would round to 0 in double precision
    first = math.exp(-0.5) * 0.5 ** 20 / math.factorial(20)
    assert float(upper_tail(20, 0.5)) == pytest.approx(first * (1 + 0.5 / 21 + 0.25 / (21 * 22)), rel=1e-6)
    with pytest.raises(ValueError):
        upper_tail(-1, 1.0)


def test_reasons_are_stored_as_words(county):
    case(county, T - 5 * H, [("accept", 1)], category="ZD01", grid=GRID_A)
    W.run_once(county, RULES, T)
    with county.connect() as c:
        stored = json.loads(c.scalar(select(GridWarningState.reasons)))
    assert stored == [{"signal": "major", "level": 1, "text": "重大/紧急事件未办结1件：测试事件（重大安全事故险情）"}]


def test_a_web_process_refuses_to_start_on_a_bad_rules_file(db_url, tmp_path):
    from app import create_app

    from .conftest import settings_for

    bad = tmp_path / "rules.toml"
    bad.write_text("[overdue.blue]\ncount = 0\n", encoding="utf-8")
    with pytest.raises(W.RulesError, match="overdue.blue.count"):
        create_app(settings_for(db_url, rules_file=bad))
