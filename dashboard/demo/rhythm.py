"""The county's daily rhythm: when people report events and when grid workers are on their apps.

The seeded history (``report_times``) and the live simulator draw from these same numbers, so a
simulated day looks like the days before it.
"""

from __future__ import annotations

from datetime import datetime

from dashboard.timeutil import to_local

# Relative report intensity per local hour: peaks mid-morning and mid-afternoon, little at night.
HOURLY_WEIGHTS = (0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.2, 2.6, 5.0, 6.5, 6.8, 5.6, 3.2, 3.6, 5.4, 6.2, 6.0, 5.2, 3.4,
                  2.6, 2.0, 1.3, 0.8, 0.4)
# Saturdays and Sundays see fewer reports.
WEEKEND_FACTOR = 0.72
_MEAN = sum(HOURLY_WEIGHTS) / len(HOURLY_WEIGHTS)
PEAK_INTENSITY = max(HOURLY_WEIGHTS) / _MEAN

# Share of grid workers whose app is online during the working day (Putuo's norm is ≥ 60 %), and
# at night, when most phones are put away.
ONLINE_SHARE_DAY = 0.74
ONLINE_SHARE_NIGHT = 0.3
DAY_HOURS = range(7, 22)
# A live demo never goes quiet: at any hour at least this share of the peak rate keeps arriving
# (the day's peaks are untouched; the night's trough is raised to it). The seeded history keeps
# the county's true rhythm; only the live stream uses the floor.
LIVE_FLOOR = 0.3


def report_intensity(at: datetime) -> float:
    """Report intensity at ``at`` relative to the mean of a working day (so it averages 1.0 over
    a weekday, peaks at ``PEAK_INTENSITY``)."""
    local = to_local(at)
    factor = HOURLY_WEIGHTS[local.hour] / _MEAN
    return factor * (WEEKEND_FACTOR if local.weekday() >= 5 else 1.0)


def live_share(at: datetime, floor: float = LIVE_FLOOR) -> float:
    """Share of the peak report rate the live stream runs at, at ``at``: the rhythm, never below
    ``floor`` (0 = the rhythm exactly)."""
    return max(floor, report_intensity(at) / PEAK_INTENSITY)


def online_share(at: datetime) -> float:
    """Share of grid workers expected online at ``at``."""
    return ONLINE_SHARE_DAY if to_local(at).hour in DAY_HOURS else ONLINE_SHARE_NIGHT
