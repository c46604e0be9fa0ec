"""/town/<code> and /community/<code>: the area's map zoomed to it (grids coloured like the big
screen, with a measure choice), its KPIs, its communities or grids ranked by warning level, open
and overdue cases, trend and categories, and links down."""

from __future__ import annotations

from dataclasses import dataclass

import dash_leaflet as dl
from dash import dcc, html
from dash_extensions.javascript import arrow_function

from dashboard import strings
from dashboard.present import mapdata

from . import desk, ids
from .common import panel_stores

A = ids.AreaPage
DEFAULT_MEASURE = "level"
KPI_FIELDS = desk.KPI_FIELDS
PANELS = ("area-body", "area-map")  # callbacks/area.py


@dataclass
class AreaContext:
    code: str
    level: str  # town | community
    header: desk.Header
    map: desk.MapSettings
    hideout: dict  # the first colours travel with the page (dash-leaflet drops an early hideout)
    params: dict
    panels: dict[str, str]  # the fingerprints of the panels' answers the page carries


def layout(ctx: AreaContext) -> html.Div:
    within = f"?within={ctx.code}"
    outline_level = "community"  # a town shows its communities, a community its own outline
    layers = [
        dl.GeoJSON(id=A.GRID_LAYER, url=f"/api/v1/geo/grid.geojson{within}", hideout=ctx.hideout, zoomToBounds=False,
                   style=desk.MAP_JS("gridStyle"), onEachFeature=desk.MAP_JS("gridTooltip"),
                   hoverStyle=arrow_function({"weight": 3, "color": "#ffffff"}),
                   eventHandlers={"click": desk.MAP_JS("gridClick")}, disableDefaultEventHandlers=True),
        dl.GeoJSON(id=A.OUTLINE_LAYER, url=f"/api/v1/geo/{outline_level}.geojson{within}",
                   style=desk.DRILL_JS("outlineStyle"), interactive=False, zoomToBounds=False),
    ]
    if ctx.level == "town":
        layers.append(dl.GeoJSON(id=A.LABELS, url=f"/api/v1/geo/community.geojson{within}&labels=1",
                                 pointToLayer=desk.MAP_JS("townLabel"), interactive=False, zoomToBounds=False))
    measure = dcc.RadioItems(id=A.MEASURE, value=DEFAULT_MEASURE, inline=True, className="segmented small",
                             options=[{"label": strings.MAP_MEASURE_SHORT[m], "value": m}
                                      for m in mapdata.MEASURES])
    map_panel = desk.panel(strings.AREA_MAP_TITLE, desk.desk_map(A.MAP, layers, ctx.map, controls=measure,
                                                              legend=desk.legend(ctx.hideout), legend_id=A.LEGEND),
                           class_name="panel-map", extra=html.Span(strings.OPEN_MAP_HINT, className="panel-hint"))
    children = desk.panel(strings.AREA_CHILDREN_TITLE[ctx.level], html.Div(id=A.CHILDREN, className="scroll-y"),
                          class_name="panel-children")
    warned = desk.panel(strings.AREA_WARNED_TITLE, html.Div(id=A.WARNED), class_name="panel-warned")
    open_cases = desk.panel(strings.AREA_OPEN_TITLE, html.Div(id=A.OPEN), class_name="panel-open",
                            extra=dcc.Link(strings.SEE_ALL, href=f"/events?area={ctx.code}&status=open",
                                           className="see-all"))
    body = [
        desk.kpi_strip(A.KPIS, ctx.header),
        html.Div([map_panel, html.Div([children, warned], className="desk-col")], className="desk-row row-map"),
        html.Div([
            desk.panel(strings.TREND_TITLE, desk.graph(A.TREND), graph=A.TREND),
            desk.panel(strings.CATEGORY_TITLE, desk.graph(A.CATEGORY), graph=A.CATEGORY),
        ], className="desk-row row-2"),
        open_cases,
    ]
    stores = [desk.params_store(A.PARAMS, ctx.params), *panel_stores(PANELS, ctx.panels)]
    return desk.page(ctx.header, body, stores=stores, class_name="desk-area")
