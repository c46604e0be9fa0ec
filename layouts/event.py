"""/event/<id>: the case file (案卷) — details, location, the full timeline of the closed loop,
time at each stage against the deadline, and 督办 for open cases."""

from __future__ import annotations

from dataclasses import dataclass

import dash_leaflet as dl
from dash import dcc, html

from dashboard import strings

from . import desk, ids
from .common import panel_stores

E = ids.EventPage
PANELS = ("event-body",)  # callbacks/event.py


@dataclass
class EventContext:
    event_id: int
    grid: str
    header: desk.Header
    map: desk.MapSettings
    point: dict
    params: dict
    actor: str = ""  # who supervises: the logged-in account (shown, never typed)


def layout(ctx: EventContext) -> html.Div:
    layers = [
        dl.GeoJSON(url=f"/api/v1/geo/grid.geojson?within={ctx.grid}", hideout={"focus": ctx.grid},
                   style=desk.DRILL_JS("focusStyle"), interactive=False, zoomToBounds=False),
        dl.GeoJSON(data=ctx.point, pointToLayer=desk.DRILL_JS("eventPoint"), interactive=False, zoomToBounds=False),
    ]
    form = html.Div([
        html.Div(strings.SUPERVISE_AS.format(name=ctx.actor), id=E.ACTOR, className="field supervise-actor"),
        html.Label([strings.SUPERVISE_NOTE_REQUIRED,
                    dcc.Textarea(id=E.NOTE, maxLength=500, placeholder=strings.SUPERVISE_NOTE_PLACEHOLDER,
                                 className="desk-textarea", required=True)], className="field"),
        html.Div([html.Button(strings.SUPERVISE_BUTTON, id=E.SUPERVISE, className="desk-button danger", n_clicks=0),
                  html.Span(id=E.MESSAGE, className="desk-message")], className="form-actions"),
    ], id=E.SUPERVISE_FORM, className="supervise-form")
    body = [
        html.Div(id=E.HEAD, className="case-head"),
        # What a duty officer reads first side by side: the facts, the loop so far, and 督办.
        html.Div([
            desk.panel(strings.EVENT_DETAILS, html.Div(id=E.DETAILS), class_name="panel-details"),
            desk.panel(strings.EVENT_TIMELINE, html.Ol(id=E.TIMELINE, className="timeline"),
                       class_name="panel-timeline"),
            html.Div([
                desk.panel(strings.EVENT_SUPERVISION, [html.Div(id=E.SUPERVISIONS), form],
                           class_name="panel-supervise"),
                desk.panel(strings.EVENT_LOCATION, desk.desk_map(E.MAP, layers, ctx.map), class_name="panel-map"),
            ], className="desk-col"),
        ], className="desk-row row-case"),
        desk.panel(strings.EVENT_STAGES, html.Div([desk.graph(E.STAGE_CHART, height=250),
                                                   html.Div(id=E.STAGES, className="stage-table")],
                                                  className="stages-body"),
                   graph=E.STAGE_CHART, class_name="panel-stages"),
    ]
    stores = [desk.params_store(E.PARAMS, ctx.params), dcc.Store(id=E.REFRESH, data=0), *panel_stores(PANELS)]
    return desk.page(ctx.header, body, stores=stores, class_name="desk-event")
