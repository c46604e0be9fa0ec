"""The page shell every screen lives in: URL, live polling, stale banner, page slot."""

from dash import dcc, html

from dashboard import strings

from . import ids
from .common import date_words


def layout(refresh_ms: int, tick_seconds: int, demo: bool, frozen_now: str | None = None, chart_refresh_ms: int = 5000):
    return html.Div(
        [
            dcc.Location(id=ids.Shell.URL, refresh=False),
            dcc.Interval(id=ids.Shell.TICK, interval=refresh_ms),
            dcc.Store(id=ids.Shell.CONFIG, data={"tick_seconds": tick_seconds, "demo": demo, "frozen_now": frozen_now,
                                                "stale_text": strings.STALE_BANNER, "chart_ms": chart_refresh_ms,
                                                "late_text": strings.SYNC_LATE_BANNER, "late_never": strings.SYNC_LATE_NEVER,
                                                "list_sep": strings.LIST_SEP}),
            dcc.Store(id=ids.Shell.LIVE, data=None),
            dcc.Store(id=ids.Shell.LIVE_SLOW, data=None),
            html.Div(id=ids.Shell.BANNER, className="stale-banner", hidden=True),
            html.Div(id=ids.Shell.PAGE, className="page"),
            date_words(),
        ],
        className="shell",
    )
