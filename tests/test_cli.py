"""The command line: seed, import, summary and schema commands, through click."""

import json

from alembic.script import ScriptDirectory
from click.testing import CliRunner

from dashboard.store.db import alembic_config

from dashboard.cli import main

from .test_import import county_geojson, write_csv


def run(db_url, *args):
    r = CliRunner().invoke(main, list(args), env={"DATABASE_URL": db_url}, catch_exceptions=False)
    return r


def test_seed_then_summary_then_refuse_second_seed(db_url):
    r = run(db_url, "seed", "--profile", "nanling", "--as-of", "2026-11-21T00:00")
    assert r.exit_code == 0, r.output
    assert "seeded nanling" in r.output
    r = run(db_url, "summary", "--start", "2026-08-01", "--end", "2026-11-20")
    j = json.loads(r.output)
    assert (j["accepted"], j["closed"], j["in_progress"], j["invalid"]) == (979, 917, 32, 30)
    r = run(db_url, "seed", "--profile", "nanling")
    assert r.exit_code != 0 and "--reset" in r.output
    r = run(db_url, "db", "current")
    assert r.output.strip() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_import_commands_report_errors_with_rows(db_url, tmp_path):
    assert run(db_url, "db", "upgrade").exit_code == 0
    r = run(db_url, "import", "areas", str(county_geojson(tmp_path)))
    assert r.exit_code == 0 and "新增 5" in r.output
    bad = write_csv(tmp_path / "d.csv", ["code", "name", "level"], [["GA", "县公安局", "province"]])
    r = run(db_url, "import", "departments", str(bad))
    assert r.exit_code == 1 and "第2行" in r.output and "level" in r.output
