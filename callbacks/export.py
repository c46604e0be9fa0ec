"""Print exports from the big screen: the panels' PNG / SVG / PDF links follow the screen's filters
(time range, custom dates, town, heatmap mode), so a click downloads the server-rendered
print-theme file of exactly what the panel shows (``/export/chart/...``)."""

from __future__ import annotations

from dash import ALL, Input, Output, State

from dashboard.web.exports import chart_url
from dashboard.web.runtime import Runtime
from layouts import ids

B = ids.BigScreen


def chart_name(panel_chart: str, heat_mode: str | None) -> str:
    """The catalogue name behind a panel's link: the heatmap panel exports its current mode."""
    if panel_chart == "heatmap":
        return "heatmap-day" if heat_mode == "day" else "heatmap-hour"
    return panel_chart


def register(app, runtime: Runtime) -> None:
    @app.callback(
        Output({"type": B.EXPORT, "chart": ALL, "format": ALL}, "href"),
        Input(B.RANGE, "value"),
        Input(B.DATES, "start_date"),
        Input(B.DATES, "end_date"),
        Input(B.TOWN, "value"),
        Input(B.HEATMAP_MODE, "value"),
        State({"type": B.EXPORT, "chart": ALL, "format": ALL}, "id"),
    )
    def export_links(range_key, start, end, town, heat_mode, link_ids):
        return [chart_url(chart_name(i["chart"], heat_mode), i["format"], range_key, start, end, town or None)
                for i in link_ids]
