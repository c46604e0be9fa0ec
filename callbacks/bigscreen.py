"""/ — the big screen: its page and its panels.

Every panel is declared with ``panel.Panel`` (what data it needs for the screen's filters, how
that data looks, which data channels it reads); ``callbacks/panel.py`` adds the scope, the cache,
the no-change answer and the stale fallback. The costly charts follow the slow live signal (a new
report reaches the KPIs, the map and the feed first); the map is recoloured in place by
``assets/map.js`` from the colours store, never rebuilt, and a refresh sends only the grids whose
colour changed.
"""

from __future__ import annotations

import dataclasses

from dash import ALL, ClientsideFunction, Input, Output, Patch, State, callback_context, no_update
from dash.exceptions import PreventUpdate
from sqlalchemy import select

from dashboard import strings
from dashboard.domain import areas, geo, windows
from dashboard.domain.indicators import INDICATORS
from dashboard.figures import feed, metrics
from dashboard.present import charts, fmt, mapdata
from dashboard.store.models import Area
from dashboard.warnings import alerts, board
from dashboard.warnings import read as warning_read
from dashboard.web import access
from dashboard.web.exports import chart_url
from dashboard.web.runtime import Runtime
from layouts import bigscreen as page_layout
from layouts import common, ids

from . import kpis, panel
from .pages import SCREEN, Page
from .panel import Panel, Source, View

B = ids.BigScreen
BOARD_ALERTS = 60  # red and orange rows listed on the board; the rest: /warnings
ALERTS_READ = 50  # unacknowledged alerts read for the banner, the feed and the map
PINNED_MAX = 3  # alert cases pinned atop the feed (the feed's own rows keep the rest of it)
PULSE_MAX = 500  # Ⅰ/Ⅱ grids outlined pulsing on the map (a city's worst)
PATCH_LIMIT = 0.25  # more changed grids than this share of all: send the whole payload instead
SCREEN_CHARTS = {"category": B.CATEGORY, "trend": B.TREND}


class Filters(Source):
    """The big screen's filters: its time range (custom dates) and its town."""

    inputs = (Input(B.RANGE, "value"), Input(B.DATES, "start_date"), Input(B.DATES, "end_date"),
              Input(B.TOWN, "value"))

    def resolve(self, runtime: Runtime, values) -> View:
        range_key, start, end, town = values
        now = runtime.now()
        sel = windows.select_range(range_key, start, end, now, default=page_layout.DEFAULT_RANGE,
                                   first=windows.first_report(runtime.engine))
        root = areas.root(runtime.engine)
        root_code = root.code if root else None
        area = access.area(town or None) or root_code
        return View(area=area, window=sel.window, now=now, limit=access.limit(), root=root_code, selection=sel)


FILTERS = Filters()


# --- the KPI strip ----------------------------------------------------------------------------


def _kpis_data(rt: Runtime, v: View) -> dict:
    s = metrics.summary(rt.engine, v.window, v.scope)
    return {"figures": {f: s.get(f) for f in page_layout.KPI_FIELDS}, "range": v.selection.range_key,
            "at": fmt.when(v.now, "%m-%d %H:%M:%S")}


def _kpis_view(v: View, d: dict) -> list:
    return [*kpis.values(d["figures"], page_layout.KPI_FIELDS), common.flow_label(d["range"]), strings.DATA_TIME.format(time=d["at"])]


# --- the map --------------------------------------------------------------------------------


def _map_data(rt: Runtime, v: View, measure) -> dict:
    """Every grid's colour data for the measure: a town's account gets its town's grids only (the
    rest: no data); the chosen town is only highlighted, so the data is the principal's."""
    return mapdata.grid_colours(rt.engine, v.window, measure or page_layout.DEFAULT_MEASURE, area=v.limit)


def _map_view(v: View, base: dict, measure, click) -> list:
    selected = (click or {}).get("code")
    payload = {**base, "layer": B.GRID_LAYER, "selected": selected, "town": v.area if v.area != v.root else None}
    payload["fp"] = panel.fingerprint(base.get("v"), base.get("measure"), selected, payload["town"])
    return [payload, page_layout.legend(payload)]


def _map_patch(before, after) -> list:
    """The colours store's new data: a Patch of the changed grids when the screen shows ``before``
    (same measure, same grids), else the whole payload; the legend only when it changed."""
    if before is None:
        return list(after)
    b, a = before[0], after[0]
    legend = after[1] if (b.get("label"), b.get("legend")) != (a.get("label"), a.get("legend")) else no_update
    if b.get("n") != a["n"] or b.get("measure") != a["measure"]:
        return [a, legend]
    changed = [i for i, (x, y) in enumerate(zip(b["v"], a["v"])) if x != y]
    opened = [i for i, (x, y) in enumerate(zip(b["open"], a["open"])) if x != y]
    if len(changed) + len(opened) > PATCH_LIMIT * a["n"]:
        return [a, legend]
    p = Patch()
    for k, val in a.items():
        if k not in ("v", "open") and b.get(k) != val:
            p[k] = val
    for i in changed:
        p["v"][i] = a["v"][i]
    for i in opened:
        p["open"][i] = a["open"][i]
    return [p, legend]


# --- the grid clicked on the map ------------------------------------------------------------------


def _selected_data(rt: Runtime, v: View, click) -> dict | None:
    engine = rt.engine
    code = (click or {}).get("code")
    info = areas.get(engine, code) if code else None
    if info is None or info.level != "grid" or not access.sees(code):
        return None
    s = metrics.summary(engine, v.window, metrics.Scope(area=code))
    levels = warning_read.grid_levels(engine, code)
    row = levels.iloc[0] if len(levels) else None
    figures = [(INDICATORS[f].label, INDICATORS[f].text(s[f]) + INDICATORS[f].unit) for f in SELECTED_FIGURES]
    return {"code": code, "name": info.name, "lineage": " › ".join(a.name for a in areas.lineage(engine, code)[1:-1]),
            "level": int(row["level"]) if row is not None else 0,
            "reasons": [x["text"] for x in row["reasons"]] if row is not None else [], "figures": figures}


# Stocks first: what stands open in the grid now, whatever its report time (a warning's reasons
# speak of those), then the window's reports and closure rate.
SELECTED_FIGURES = ("open_now", "overdue_now", "reported", "closure_rate")


def _selected_view(v: View, d, click) -> list:
    return [None, True] if d is None else [page_layout.selected_card(d), False]


# --- panels of charts, the board, the feed ------------------------------------------------------


def _heat_data(rt: Runtime, v: View, toggle) -> dict:
    if "on" not in (toggle or []):
        return {"type": "FeatureCollection", "features": []}
    return mapdata.heat_cells(rt.engine, v.window, v.area, crs=rt.settings.tile_crs)


def _heatmap_chart(mode) -> str:
    return "heatmap-hour" if mode == "hour" else "heatmap-day"


def _charts_data(rt: Runtime, v: View, mode) -> dict:
    return charts.data(rt.engine, ("category", "trend", _heatmap_chart(mode)), v.window, v.area)


def _charts_view(v: View, d: dict, mode) -> list:
    return [charts.draw("category", d), charts.draw("trend", d), charts.draw(_heatmap_chart(mode), d)]


def _depts_data(rt: Runtime, v: View) -> dict:
    return charts.data(rt.engine, ("departments", "split"), v.window, v.area)


def _depts_view(v: View, d: dict) -> list:
    return [charts.draw("departments", d), charts.draw("split", d)]


def _board_data(rt: Runtime, v: View) -> dict:
    alerting = {a["grid_code"] for a in alerts.unacknowledged(rt.engine, v.area, limit=ALERTS_READ).items}
    return board.overview(rt.engine, v.area, limit=BOARD_ALERTS, alerting=alerting)


def _feed_data(rt: Runtime, v: View) -> list[dict]:
    df = feed.latest(rt.engine, v.now, v.area)
    return [{"id": int(r.id), "time": fmt.when(r.at, FEED_TIME), "closed": r.action == "verify_ok",
             "category": r.category, "grid": r.grid, "title": r.title, "status": r.status} for r in df.itertuples()]


# --- alerts: the banner, the cases pinned atop the feed, the pulsing grids ---------------------------

FEED_TIME = "%m-%d %H:%M"  # the date too: the feed reaches back over days at night and for a town


class AlertFilters(Filters):
    """Alerts stand for the principal's whole scope, whatever town the screen shows; whether the
    banner offers the acknowledgement follows the principal's permissions."""

    def resolve(self, runtime: Runtime, values) -> View:
        return dataclasses.replace(super().resolve(runtime, values), permissions=access.permissions())


def _alerts_data(rt: Runtime, v: View) -> dict:
    shown = alerts.unacknowledged(rt.engine, v.limit, limit=ALERTS_READ)
    items = [{"id": a["id"], "kind": a["kind"], "level": a["level"], "text": a["text"], "grid": a["grid_code"],
              "event": a["event_id"], "time": fmt.when(a["raised_at"], FEED_TIME),
              "badge": alerts.badge(a["kind"], a["level"])} for a in shown.items]
    pulse = {r.code: [r.code, int(r.level), 0]
             for r in warning_read.top_grids(rt.engine, (1, 2), v.limit, limit=PULSE_MAX).itertuples()}
    for a in items:
        lv = min(a["level"], pulse[a["grid"]][1]) if a["grid"] in pulse else a["level"]
        pulse[a["grid"]] = [a["grid"], lv, 1]
    return {"items": items, "total": shown.total, "pulse": sorted(pulse.values())}


def _alerts_view(v: View, d: dict) -> list:
    pinned = [{"id": a["event"], "time": a["time"], "level": a["level"], "badge": a["badge"], "text": a["text"]}
              for a in d["items"] if a["kind"] == "case"][:PINNED_MAX]
    pulse = {"layer": B.GRID_LAYER, "grids": d["pulse"]}
    if not d["items"]:
        return ["alert-banner off", None, None, page_layout.pinned_items(pinned), pulse]
    top = d["items"][0]
    return [f"alert-banner on lv{top['level']}", page_layout.alert_body(top, d["total"]), {"id": top["id"]},
            page_layout.pinned_items(pinned), pulse]


PANELS = {
    "kpis": Panel("kpis", [*kpis.outputs(B.KPIS, page_layout.KPI_FIELDS), Output(B.KPI_FLOW_LABEL, "children"),
                           Output(B.DATA_TIME, "children")],
                  FILTERS, ("events", "staff", "areas"), _kpis_data, _kpis_view),
    "map": Panel("map", [Output(B.MAP_COLOURS, "data"), Output(B.LEGEND, "children")], FILTERS,
                 ("events", "warnings", "staff", "areas"), _map_data, _map_view, _map_patch,
                 inputs=[Input(B.MEASURE, "value")], view_inputs=[Input(B.GRID_LAYER, "clickData")],
                 by_principal=True, prevent_initial_call=True),
    "selected": Panel("selected", [Output(B.SELECTED, "children"), Output(B.SELECTED, "hidden")], FILTERS,
                      ("events", "warnings", "areas"), _selected_data, _selected_view,
                      inputs=[Input(B.GRID_LAYER, "clickData")]),
    "heat": Panel("heat", [Output(B.HEAT_LAYER, "data")], FILTERS, ("events", "areas"), _heat_data,
                  lambda v, d, toggle: [d], inputs=[Input(B.HEAT_TOGGLE, "value")]),
    "charts": Panel("charts", [Output(B.CATEGORY, "figure"), Output(B.TREND, "figure"), Output(B.HEATMAP, "figure")],
                    FILTERS, ("events", "catalog"), _charts_data, _charts_view,
                    inputs=[Input(B.HEATMAP_MODE, "value")], live=ids.Shell.LIVE_SLOW),
    "depts": Panel("depts", [Output(B.DEPTS, "figure"), Output(B.SPLIT, "figure")], FILTERS, ("events", "catalog"),
                   _depts_data, _depts_view, live=ids.Shell.LIVE_SLOW),
    "board": Panel("board", [Output(B.BOARD, "children")], FILTERS, ("warnings", "areas"), _board_data,
                   lambda v, d: [page_layout.warning_board(d)]),
    "feed": Panel("feed", [Output(B.FEED, "children")], FILTERS, ("events", "areas", "catalog"), _feed_data,
                  lambda v, d: [page_layout.feed_items(d)]),
    "alerts": Panel("alerts", [Output(B.ALERT_BANNER, "className"), Output(B.ALERT_BODY, "children"),
                               Output(B.ALERT_TOP, "data"), Output(B.FEED_PINNED, "children"),
                               Output(B.MAP_PULSE, "data")],
                    AlertFilters(), ("warnings", "events", "areas"), _alerts_data, _alerts_view, by_principal=True),
}


# --- the page --------------------------------------------------------------------------------


def page(runtime_: Runtime):
    """The big screen for the principal: a town's account (or a town's wall screen) gets its
    town's screen. The map's first colours travel with the page."""
    engine = runtime_.engine
    root = areas.root(engine)
    if root is None:
        return common.not_found(strings.NO_AREAS_YET)
    town = access.limit()
    focus = areas.get(engine, town) if town else root
    if focus is None:
        return None
    with engine.connect() as conn:
        geometry = conn.execute(select(Area.geometry).where(Area.code == focus.code)).scalar()
    minx, miny, maxx, maxy = geo.from_geojson(geometry).bounds
    s = runtime_.settings
    colours, map_fp = map_payload(runtime_, page_layout.DEFAULT_RANGE, page_layout.DEFAULT_MEASURE, town or "")
    tile = s.tile_url.replace("{tk}", s.tile_key or "").replace("{key}", s.tile_key or "") if s.tile_url else None
    ctx = page_layout.ScreenContext(
        county_name=root.name + (focus.name if town else ""),
        towns=access.visible(sorted(areas.names(engine, "town").items())),
        bounds=[[miny, minx], [maxy, maxx]], center=[focus.centroid_lat, focus.centroid_lon],
        demo=s.embedded or not s.auth_required, tile_url=tile, tile_attribution=s.tile_attribution,
        frozen_now=s.frozen_now.isoformat() if s.frozen_now else None, colours=colours, county_wide=town is None,
        measures=[(m, strings.MAP_MEASURE_SHORT[m]) for m in mapdata.MEASURES], panels={"map": map_fp},
        may_acknowledge=access.can("supervise"))
    return page_layout.layout(ctx)


def map_payload(runtime_: Runtime, range_key: str, measure: str, town: str = "") -> tuple[dict, str]:
    """The map's colours for a range and measure as the map panel sends them (no grid selected),
    and the fingerprint the panel's store then holds."""
    v = FILTERS.resolve(runtime_, (range_key, None, None, town))
    (colours, _legend), fp = panel.first_values(runtime_, PANELS["map"], v, (measure,), (None,))
    return colours, fp


def export_chart(panel_chart: str, heat_mode: str | None) -> str:
    """The catalogue name behind a panel's print link: the heatmap panel exports its current mode."""
    return _heatmap_chart(heat_mode) if panel_chart == "heatmap" else panel_chart


def register(app, runtime_: Runtime) -> None:
    for p in PANELS.values():
        panel.register(app, runtime_, p)

    app.clientside_callback(  # redraw the grids in the new colours (the first call puts them on the map)
        ClientsideFunction(namespace="gridscreen_map", function_name="recolour"),
        Output(B.MAP_PAINTED, "data"),
        Input(B.MAP_COLOURS, "data"),
        State(B.GRID_LAYER, "hideout"),
    )
    @app.callback(Output({"type": B.LATER, "slot": ALL}, "children"), Input(B.MAP_READY, "data"),
                  prevent_initial_call=True)
    def charts_come_in(_drawn):
        """The plotly panels' charts, once the map has drawn its grids (the panels then answer)."""
        return page_layout.later_bodies([o["id"]["slot"] for o in callback_context.outputs_list])

    app.clientside_callback(  # outline the Ⅰ/Ⅱ and alert grids, pulsing, at any size
        ClientsideFunction(namespace="gridscreen_map", function_name="pulse"),
        Output(B.MAP_PULSED, "data"),
        Input(B.MAP_PULSE, "data"),
    )
    app.clientside_callback(  # the county, or the chosen town, fills the map
        ClientsideFunction(namespace="gridscreen_map", function_name="fitTo"),
        Output(B.MAP_VIEW, "data"),
        Input(B.TOWN, "value"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="gridscreen", function_name="customDatesHidden"),
        Output(B.DATES_WRAP, "hidden"),
        Input(B.RANGE, "value"),
    )
    app.clientside_callback(
        ClientsideFunction(namespace="gridscreen", function_name="liveDot"),
        Output(B.LIVE_DOT, "className"),
        Input(ids.Shell.LIVE, "data"),
    )

    # The panels' print links follow the screen's filters (time range, custom dates, town, heatmap
    # mode): a click downloads the server-rendered print file of exactly what the panel shows.
    @app.callback(
        Output({"type": B.EXPORT, "chart": ALL, "format": ALL}, "href"),
        *FILTERS.inputs,
        Input(B.HEATMAP_MODE, "value"),
        State({"type": B.EXPORT, "chart": ALL, "format": ALL}, "id"),
    )
    def export_links(range_key, start, end, town, heat_mode, link_ids):
        return [chart_url(export_chart(i["chart"], heat_mode), i["format"], range_key, start, end, town or None)
                for i in link_ids]

    @app.callback(Output(B.TOWN_LAYER, "hideout"), Input(B.TOWN, "value"))
    def town_highlight(town):
        return {"town": town or None, "layer": B.TOWN_LAYER}

    @app.callback(Output(B.ALERT_FEEDBACK, "children"), Input(B.ALERT_ACK, "n_clicks"), State(B.ALERT_TOP, "data"),
                  prevent_initial_call=True)
    def acknowledge(n, top):
        """A duty officer acknowledges the alert the banner names: in their own name, inside
        their scope, stored once (a second click, here or on another screen, stores nothing)."""
        if not n or not top:
            raise PreventUpdate
        access.require("supervise")
        actor, now = access.actor(), runtime_.now()

        def audit(session, alert):
            access.audit(session, "alert.ack", target=f"alert:{alert.id}",
                         detail={"kind": alert.kind, "subject": alert.subject, "level": alert.level})

        done = alerts.acknowledge(runtime_.engine, int(top["id"]), actor, now, area=access.limit(), on_stored=audit)
        if done == alerts.MISSING:
            raise access.NotVisible()
        if done == alerts.ALREADY:
            actor, now = alerts.acknowledged(runtime_.engine, int(top["id"]))
        return strings.ALERT_ACKED.format(by=actor, time=fmt.when(now, "%H:%M:%S"))

    @app.callback(Output(ids.Shell.URL, "pathname", allow_duplicate=True), Input(B.DEPTS, "clickData"),
                  prevent_initial_call=True)
    def open_department(click):
        try:
            code = click["points"][0]["customdata"][0]
        except (TypeError, KeyError, IndexError):
            return no_update
        return f"/department/{code}" if code not in strings.HANDLER_LEVEL_LABELS else no_update


# No ``exists``: before any area is imported the page still answers (it says how to get data in).
PAGE = Page("wall", "/", page, register, permission=SCREEN, id_prefix="bs-", grids=page_layout.GRID_GEOMETRY_URL)
