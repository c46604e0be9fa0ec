"""/grid/<code>: the grid's polygon on the map with its events as points, its KPIs, the 1+1+N
team, households / houses / population by tag, warning level with reasons and history, patrol and
visit figures against the norms, open and recent events, trend and categories."""

from __future__ import annotations

from dataclasses import dataclass

import dash_leaflet as dl
from dash import dcc, html

from dashboard import strings

from . import desk, ids
from .common import panel_stores

G = ids.GridPage
PANELS = ("grid-body",)  # callbacks/grid.py
# The grid's strip: the window's cohort, what stands in it now, the grid itself.
KPI_GROUPS = (
    ("flow", ("reported", "accepted", "closed", "closure_rate", "on_time_rate")),
    ("stock", ("open_now", "overdue_now", "online_rate")),
    ("context", ("population", "houses", "households")),
)
KPI_FIELDS = tuple(f for _, fields in KPI_GROUPS for f in fields)


@dataclass
class GridContext:
    code: str
    community: str
    header: desk.Header
    map: desk.MapSettings
    params: dict


def layout(ctx: GridContext) -> html.Div:
    layers = [
        # The community's grids for context, this grid highlighted; clicking a neighbour opens it.
        dl.GeoJSON(id=G.NEIGHBOURS, url=f"/api/v1/geo/grid.geojson?within={ctx.community}",
                   hideout={"focus": ctx.code}, style=desk.DRILL_JS("focusStyle"),
                   onEachFeature=desk.DRILL_JS("nameTooltip"), eventHandlers={"click": desk.MAP_JS("gridClick")},
                   disableDefaultEventHandlers=True, zoomToBounds=False),
        # The cases as points: the panel sends them, and again only when they change.
        dl.GeoJSON(id=G.POINTS, pointToLayer=desk.DRILL_JS("eventPoint"),
                   onEachFeature=desk.DRILL_JS("eventTooltip"), eventHandlers={"click": desk.DRILL_JS("eventClick")},
                   disableDefaultEventHandlers=True, zoomToBounds=False),
    ]
    legend = [html.Div(strings.GRID_MAP_TITLE, className="legend-title")] + [
        html.Div([html.Span(className=f"pt-swatch pt-{k}"), html.Span(v)], className="legend-row")
        for k, v in strings.POINT_KIND_LABELS.items()]
    map_panel = desk.panel(strings.GRID_MAP_TITLE, desk.desk_map(G.MAP, layers, ctx.map, legend=legend,
                                                                legend_id=G.MAP + "-legend"),
                           class_name="panel-map")
    events = desk.panel(strings.GRID_EVENTS_TITLE, html.Div(id=G.EVENTS), class_name="panel-events",
                        extra=dcc.Link(strings.SEE_ALL, href=f"/events?area={ctx.code}", className="see-all"))
    body = [
        desk.kpi_strip(G.KPIS, ctx.header, KPI_GROUPS),
        html.Div([
            map_panel,
            html.Div([desk.panel(strings.GRID_WARNING_TITLE, html.Div(id=G.WARNING), class_name="panel-warning"),
                      desk.panel(strings.GRID_TEAM_TITLE, html.Div(id=G.TEAM), class_name="panel-team")],
                     className="desk-col"),
        ], className="desk-row row-map"),
        html.Div([
            desk.panel(strings.GRID_FIELDWORK_TITLE, html.Div(id=G.FIELDWORK), class_name="panel-fieldwork"),
            desk.panel(strings.GRID_PEOPLE_TITLE, html.Div(id=G.PEOPLE), class_name="panel-people"),
        ], className="desk-row row-2"),
        events,
        html.Div([
            desk.panel(strings.TREND_TITLE, desk.graph(G.TREND), graph=G.TREND),
            desk.panel(strings.CATEGORY_TITLE, desk.graph(G.CATEGORY), graph=G.CATEGORY),
        ], className="desk-row row-2"),
    ]
    return desk.page(ctx.header, body, stores=[desk.params_store(G.PARAMS, ctx.params), *panel_stores(PANELS)],
                     class_name="desk-grid")
