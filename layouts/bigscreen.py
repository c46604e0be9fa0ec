"""The county big screen (/), designed at 1920×1080 and scaled to fit any screen."""

from dash import html

from dashboard import strings

from . import ids
from .common import kpi

KPI_FIELDS = ["reported", "accepted", "closed", "in_progress", "overdue", "closure_rate", "on_time_rate", "population",
              "houses", "grids", "online_rate"]


def kpi_id(field: str) -> dict:
    return {"type": ids.BigScreen.KPIS, "field": field}


def layout(demo: bool) -> html.Div:
    header = html.Header(
        [
            html.Div(id=ids.BigScreen.TITLE, className="bs-title"),
            html.Div(strings.DEMO_MARK, className="demo-mark") if demo else None,
            html.Div([html.Span(className="live-dot", id=ids.BigScreen.LIVE_DOT), html.Span(id=ids.BigScreen.DATA_TIME)],
                     className="bs-live"),
            html.Div(id=ids.BigScreen.CLOCK, className="bs-clock"),
        ],
        className="bs-header",
    )
    kpis = html.Div(
        [kpi(strings.INDICATOR_LABELS[f], kpi_id(f), strings.UNITS.get(f, "" if not f.endswith("rate") else "")) for f in KPI_FIELDS],
        className="bs-kpis",
    )
    return html.Div(html.Div([header, kpis], className="stage", id=ids.BigScreen.ROOT), className="stage-frame")
