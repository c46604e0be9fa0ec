"""The map legend's classes (``mapdata.bands``): round numbers on the 1-2-5 series, bounds that
strictly increase, every band holding a grid, the largest value inside the top band, and no more
bands than there are distinct values."""

import numpy as np
import pytest

from dashboard.present.mapdata import MAX_BANDS, bands

ONE_TWO_FIVE = {1, 2, 5}


def mantissa(x: float) -> float:
    return round(x / 10 ** np.floor(np.log10(x)), 6)


def check(values, bounds):
    v = np.asarray(values, dtype="float64")
    v = v[np.isfinite(v) & (v > 0)]
    assert bounds == sorted(set(bounds)), "bounds strictly increase"
    assert all(mantissa(b) in ONE_TWO_FIVE for b in bounds), bounds
    assert 1 <= len(bounds) <= min(MAX_BANDS, np.unique(v).size)
    assert v.max() <= bounds[-1]
    lower = [0.0] + bounds[:-1]
    for lo, hi in zip(lower, bounds):
        assert np.any((v > lo) & (v <= hi)), f"band {lo}–{hi} holds no grid: {bounds}"
    # The top bound is the series' first number at or above the largest value.
    assert bounds[-1] / 2.5 < v.max() or len(bounds) == 1 and bounds[0] / 2.5 < v.max()


def test_skewed_densities_get_widening_round_bands():
    # What 事件密度 looks like over a week: most grids 0.5-3 per 1,000 households, a few far above.
    rng = np.random.default_rng(3)
    values = np.concatenate([rng.uniform(0.5, 3, 180), [6, 9, 14, 22, 48], np.zeros(30)])
    got = bands(values)
    check(values, got)
    assert got == [2, 5, 10, 20, 50]
    widths = np.diff([0] + got)
    assert all(widths[1:] >= widths[:-1]), "each band at least as wide as the one below"


def test_the_old_quantile_collapse_does_not_come_back():
    # Quantiles 2, 2, 2.5, 2.5, 50 once gave 0–2, 2–2.5, 2.5–5, 5–50.
    values = [1.5] * 40 + [2.0] * 40 + [2.4] * 40 + [4.0] * 40 + [48.0] * 5
    got = bands(values)
    check(values, got)
    assert 2.5 not in got and len(got) >= 3


@pytest.mark.parametrize("values, expected", [
    ([1, 1, 1], [1]),                       # one distinct value: one band
    ([1, 2, 2, 1, 0, 0], [1, 2]),           # open cases 1 and 2: two bands
    ([1, 2, 3], [1, 2, 5]),                 # three values: at most three bands
    ([0.03, 0.04, 0.2], [0.05, 0.2]),       # small densities keep their precision
    ([1, 40, 1, 1], [1, 50]),               # two values far apart
])
def test_few_values_give_few_bands(values, expected):
    got = bands(values)
    check(values, got)
    assert got == expected


@pytest.mark.parametrize("values", [[], [0, 0], [np.nan, 0], [-1]])
def test_nothing_positive_has_no_bands(values):
    assert bands(values) == []


def test_random_samples_keep_every_rule():
    rng = np.random.default_rng(11)
    for _ in range(300):
        n = int(rng.integers(1, 400))
        kind = rng.integers(3)
        if kind == 0:
            values = rng.integers(0, 12, n).astype(float)  # open counts
        elif kind == 1:
            values = np.round(rng.lognormal(0.5, 1.2, n), 2)  # densities
        else:
            values = np.round(rng.uniform(0, 1000, n) ** rng.uniform(0.2, 2), 2)
        if not np.any(values > 0):
            assert bands(values) == []
            continue
        check(values, bands(values))


def test_legend_prints_round_numbers():
    got = bands([0.15, 0.3, 0.7, 1.5])
    assert [f"{b:g}" for b in got] == [f"{b:g}" for b in got if len(f"{b:g}") <= 4]


def test_closure_rates_round_as_python_does():
    from dashboard.present.mapdata import _round4

    rates = np.array([1 / 160, 3 / 800, 157 / 160, 1 / 32, 1 / 3, 2 / 3, 0.99995, 1.0, 0.0, 5 / 16000])
    assert _round4(rates).tolist() == [round(float(x), 4) for x in rates]
