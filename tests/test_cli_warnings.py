"""``gridscreen warnings``: issue, list, lift, evaluate and run from the command line."""

import json

from click.testing import CliRunner

from dashboard import warnings as W
from dashboard.cli import main
from dashboard.store.db import make_engine, upgrade

from .factories import GRID_A, GRID_B, TOWN, small_county


def run(db_url, *args):
    env = {"DATABASE_URL": db_url, "GRIDSCREEN_FROZEN_NOW": "2026-11-10T12:00"}
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_issue_list_lift_evaluate_run(db_url):
    e = make_engine(db_url)
    upgrade(e)
    small_county(e)
    r = run(db_url, "warnings", "issue", "--scope", TOWN, "--level", "2", "--reason", "国庆假期", "--until",
            "2026-11-12", "--by", "张三")
    assert r.exit_code == 0, r.output
    assert "已发布Ⅱ级（橙色）预警 #1" in r.output and "橙 2" in r.output
    assert W.levels_by_grid(e) == {GRID_A: 2, GRID_B: 2}
    r = run(db_url, "warnings", "list")
    assert "#1" in r.output and "国庆假期" in r.output and "生效中" in r.output
    r = run(db_url, "warnings", "evaluate", "--json")
    j = json.loads(r.output)
    assert j["counts"]["2"] == 2 and j["grids"][0]["reasons"][0]["signal"] == "manual"
    r = run(db_url, "warnings", "evaluate", "--as-of", "2026-11-13")  # after expiry
    assert "正常 3" in r.output
    r = run(db_url, "warnings", "lift", "1")
    assert r.exit_code == 0 and "已解除预警 #1" in r.output
    assert W.levels_by_grid(e) == {}
    r = run(db_url, "warnings", "lift", "1")
    assert r.exit_code == 1 and "已于" in r.output
    r = run(db_url, "warnings", "run")
    assert r.exit_code == 0 and "变化网格 0" in r.output
    e.dispose()


def test_bad_input_and_bad_rules_are_refused(db_url, tmp_path):
    e = make_engine(db_url)
    upgrade(e)
    small_county(e)
    r = run(db_url, "warnings", "issue", "--scope", "999", "--level", "6", "--reason", "x")
    assert r.exit_code == 1 and "scope" in r.output and "level" in r.output
    r = run(db_url, "warnings", "issue", "--scope", TOWN, "--level", "2", "--reason", "x", "--until", "明天")
    assert r.exit_code == 1 and "until" in r.output
    bad = tmp_path / "rules.toml"
    bad.write_text("[surge.blue]\nmax_p = 2\nmin_count = 1\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["warnings", "run"], env={"DATABASE_URL": db_url, "GRIDSCREEN_RULES": str(bad)})
    assert r.exit_code == 1 and "surge.blue.max_p" in r.output
    e.dispose()
