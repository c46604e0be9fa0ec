"""Settings from the environment, and the defaults that make the demo frictionless."""

import pytest

from dashboard.settings import Settings


def test_embedded_demo_defaults():
    s = Settings.from_env({})
    assert s.embedded and s.simulate and s.database_url.startswith("sqlite:///")
    assert s.refresh_ms <= 5000 and s.chart_refresh_ms >= s.refresh_ms


def test_a_real_database_runs_no_simulator_unless_asked():
    s = Settings.from_env({"DATABASE_URL": "postgresql+psycopg://u@127.0.0.1/db"})
    assert not s.embedded and not s.simulate
    assert Settings.from_env({"DATABASE_URL": "sqlite:////tmp/x.db", "GRIDSCREEN_SIMULATE": "on"}).simulate
    assert not Settings.from_env({"GRIDSCREEN_SIMULATE": "off"}).simulate


@pytest.mark.parametrize("env, message", [
    ({"GRIDSCREEN_PORT": "eighty"}, "GRIDSCREEN_PORT"),
    ({"GRIDSCREEN_TILE_CRS": "bd09"}, "GRIDSCREEN_TILE_CRS"),
    ({"GRIDSCREEN_SIMULATE": "maybe"}, "on/off"),
    ({"GRIDSCREEN_FROZEN_NOW": "yesterday"}, "无法识别的时间"),
])
def test_bad_settings_are_refused_with_the_variable_named(env, message):
    with pytest.raises(ValueError, match=message):
        Settings.from_env(env)
