"""The county big screen (/), designed at 1920×1080 and scaled uniformly to fit any screen.

Header · KPI strip · left: categories, trend, temporal heatmaps · centre: the county map and the
rolling feed · right: warning board and department disposal.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import dash_leaflet as dl
from dash import dcc, html
from dash_extensions.javascript import Namespace

from dashboard import strings

from . import ids
from .common import GRAPH_CONFIG, kpi_groups, panel_stores

# The KPI strip: the window's cohort (flows), what stands now (stocks), and the county itself.
KPI_GROUPS = (
    ("flow", ("reported", "accepted", "closed", "closure_rate", "on_time_rate")),
    ("stock", ("open_now", "overdue_now", "online_rate")),
    ("context", ("population", "houses", "grids")),
)
KPI_FIELDS = tuple(f for _, fields in KPI_GROUPS for f in fields)
MAP_JS = Namespace("gridscreen", "map")
DEFAULT_RANGE = "7d"
DEFAULT_MEASURE = "level"
# The big screen's panels (callbacks/bigscreen.py), each with the store of what it shows.
PANELS = ("kpis", "map", "selected", "heat", "charts", "depts", "board", "feed", "alerts")
# The plotly panels come in once the map has drawn its grids (``later_bodies``): loading plotly and
# drawing six charts held the main thread for a second, and the map waited for it.
LATER_PANELS = ("charts", "depts")
LATER_SLOTS = ("category", "trend", "heatmap", "depts")
B = ids.BigScreen
BOARD_TOWNS = 9  # town chips on the board (a county's all fit; a city's worst)
PAGE_SECONDS = 8  # the board and the feed show whole rows, a page at a time, turning this often
# Grids simplified for the county-wide view (still an exact tiling), compact JSON; the page's
# head preloads it (callbacks/bigscreen.py PAGE) so it downloads while Dash boots.
GRID_GEOMETRY_URL = "/api/v1/geo/grid.geojson?detail=overview"
MAX_TOWN_LABELS = 40
EXPORT_CHARTS = ("category", "trend", "heatmap", "map", "departments", "split")  # the panels' print links
EXPORT_FORMATS = ("png", "svg", "pdf")
HEATMAP_MODES = ("hour", "day")


@dataclass
class ScreenContext:
    """What the layout needs to know that only the database can tell (passed in by the router)."""

    county_name: str
    towns: list[tuple[str, str]]
    bounds: list[list[float]]
    center: list[float]
    demo: bool
    tile_url: str | None = None
    tile_attribution: str = ""
    frozen_now: str | None = None
    # The map's first colours travel with the page (in the colours store, from which assets/map.js
    # draws the grids' canvas layer and redraws it on every change; the layer's hideout only names
    # that store's state, so no refresh ever rebuilds the layer).
    colours: dict | None = None
    colours_fingerprint: str | None = None
    # False for an account limited to one town: its town filter offers that town only.
    county_wide: bool = True
    # The map's measures (code, label) and the first answers of the panels that come with the page.
    measures: list[tuple[str, str]] = field(default_factory=list)
    panels: dict[str, str] = field(default_factory=dict)
    # Whether the principal may acknowledge alerts (the banner's button is theirs only).
    may_acknowledge: bool = False






def export_links(chart: str, label: str = "", formats=EXPORT_FORMATS) -> list:
    """Download links for chart ``chart`` of the export catalogue: the server renders it in the
    print theme for the screen's current filters (callbacks/export.py fills in the hrefs)."""
    links = [html.A(fmt.upper(), id={"type": B.EXPORT, "chart": chart, "format": fmt}, className="tool",
                    download="", title=strings.EXPORT_LINK_TITLE.format(what=label + strings.EXPORT_FORMATS[fmt]))
             for fmt in formats]
    return ([html.Span(label, className="tool-label")] if label else []) + links


def panel(title: str, body, *, graph: str | None = None, extra=None, class_name: str = "", export: list | None = None
          ) -> html.Section:
    tools = []
    if export is not None:  # print-theme files from the server
        tools = export
    elif graph:
        # Downloads at print scale, done in the browser (assets/export.js): PNG and SVG.
        tools = [html.Button(fmt, className="tool", **{"data-graph": graph, "data-format": fmt.lower(),
                                                         "data-title": title}) for fmt in ("PNG", "SVG")]
    head = html.Div([html.H3(title), html.Div([extra, *tools] if extra is not None else tools, className="panel-tools")],
                    className="panel-head")
    return html.Section([head, html.Div(body, className="panel-body")], className=f"panel {class_name}".strip())


# What a chart shows until its panel answers: nothing (plotly's default is a white plot with axes).
BLANK_FIGURE = {"data": [], "layout": {"paper_bgcolor": "rgba(0,0,0,0)", "plot_bgcolor": "rgba(0,0,0,0)",
                                       "xaxis": {"visible": False}, "yaxis": {"visible": False}}}


def graph(graph_id: str) -> dcc.Graph:
    return dcc.Graph(id=graph_id, config=GRAPH_CONFIG, className="chart", style={"height": "100%"}, figure=BLANK_FIGURE)


def _header(ctx: ScreenContext) -> html.Header:
    town_options = ([{"label": strings.BIGSCREEN_ALL_TOWNS, "value": ""}] if ctx.county_wide else []) + [
        {"label": n, "value": c} for c, n in ctx.towns]
    return html.Header(
        [
            html.Div(f"{ctx.county_name}{strings.APP_TITLE}", id=B.TITLE, className="bs-title"),
            dcc.RadioItems(
                id=B.RANGE,
                options=[{"label": strings.RANGE_LABELS[k], "value": k} for k in ("today", "7d", "30d", "all", "custom")],
                value=DEFAULT_RANGE, inline=True, className="segmented",
            ),
            html.Div(dcc.DatePickerRange(id=B.DATES, display_format="YYYY-MM-DD", className="dates", minimum_nights=0,
                                         start_date_placeholder_text=strings.DATE_PLACEHOLDERS["start"],
                                         end_date_placeholder_text=strings.DATE_PLACEHOLDERS["end"]),
                     id=B.DATES_WRAP, className="dates-wrap", hidden=True),
            dcc.Dropdown(id=B.TOWN, options=town_options, value=town_options[0]["value"] if town_options else "",
                         clearable=False, searchable=False,
                         className="town-select"),
            html.Div(strings.DEMO_MARK, className="demo-mark") if ctx.demo else None,
            # Off by default; the browser keeps the choice (assets/live.js beeps while alerts stand).
            dcc.Checklist(id=B.ALERT_SOUND, options=[{"label": strings.ALERT_SOUND, "value": "on"}], value=[],
                          persistence=True, persistence_type="local", className="toggle alert-sound"),
            html.Div([html.Span(className="live-dot", id=B.LIVE_DOT), html.Span(id=B.DATA_TIME)], className="bs-live"),
            html.Div(id=B.CLOCK, className="bs-clock", **({"data-frozen": ctx.frozen_now} if ctx.frozen_now else {})),
        ],
        className="bs-header",
    )


def _map(ctx: ScreenContext) -> html.Div:
    layers = []
    if ctx.tile_url:
        layers.append(dl.TileLayer(url=ctx.tile_url, attribution=ctx.tile_attribution, maxZoom=18))
    layers += [
        # Holds no features: it names the geometry and the map for assets/map.js, which draws every
        # grid as one canvas layer (assets/gridlayer.js), and it carries the clicked grid.
        dl.GeoJSON(id=B.GRID_LAYER, data=None, hideout=grid_layer_hideout(), zoomToBounds=False),
        dl.GeoJSON(id=B.HEAT_LAYER, data=None, style=MAP_JS("heatStyle"), interactive=False, zoomToBounds=False),
        dl.GeoJSON(id=B.TOWN_LAYER, url="/api/v1/geo/town.geojson", style=MAP_JS("townStyle"), interactive=False,
                   zoomToBounds=False, hideout={"town": None, "layer": B.TOWN_LAYER}, onEachFeature=MAP_JS("townLayer")),
        # A city's 200 street names would cover its map: named when they can be read
        dl.GeoJSON(id=B.TOWN_LABELS, url="/api/v1/geo/town.geojson?labels=1" if len(ctx.towns) <= MAX_TOWN_LABELS else None,
                   pointToLayer=MAP_JS("townLabel"), interactive=False, zoomToBounds=False),
    ]
    measure = dcc.RadioItems(id=B.MEASURE, value=DEFAULT_MEASURE, inline=True, className="segmented small",
                             options=[{"label": label, "value": m} for m, label in ctx.measures])
    heat = dcc.Checklist(id=B.HEAT_TOGGLE, options=[{"label": strings.MAP_HEAT_TOGGLE, "value": "on"}], value=[],
                         className="toggle")
    return html.Div(
        [
            # center is given too (without zoom the bounds still decide the view): dash-leaflet
            # compares the view against it on every move.
            dl.MapContainer(layers, id=B.MAP, bounds=ctx.bounds, center=ctx.center, boundsOptions={"padding": [8, 8]},
                            zoomSnap=0.1,
                            preferCanvas=True, attributionControl=bool(ctx.tile_url), zoomControl=False,
                            className="bs-map"),
            html.Div([measure, heat], className="map-controls"),
            html.Div(legend(ctx.colours) if ctx.colours else None, id=B.LEGEND, className="map-legend"),
            dcc.Store(id=B.MAP_COLOURS, data=ctx.colours),
            dcc.Store(id=B.MAP_PAINTED, data=None),
            dcc.Store(id=B.MAP_READY, data=None),
            dcc.Store(id=B.MAP_PULSE, data=None),
            dcc.Store(id=B.MAP_PULSED, data=None),
            dcc.Store(id=B.MAP_VIEW, data=None),
            html.Div(id=B.SELECTED, className="map-selected", hidden=True),
        ],
        className="map-wrap",
    )


def grid_layer_hideout() -> dict:
    """What assets/map.js needs to draw the grids: the layer's name (the colours store's state is
    kept under it), the geometry, the map it goes on, the store it tells when the grids are first
    drawn, and the tooltip's words."""
    return {"layer": B.GRID_LAYER, "url": GRID_GEOMETRY_URL, "map": B.MAP, "ready": B.MAP_READY, "tip": strings.MAP_TIP}


def legend(hideout: dict) -> list:
    return [html.Div(hideout["label"], className="legend-title")] + [
        html.Div([html.Span(className="swatch", style={"background": color}), html.Span(label)], className="legend-row")
        for color, label in hideout["legend"]]


def kpi_strip() -> html.Div:
    return kpi_groups(B.KPIS, KPI_GROUPS, flow_range=DEFAULT_RANGE, flow_label_id=B.KPI_FLOW_LABEL, class_name="bs-kpis")


def later(slot: str) -> html.Div:
    """The body of a plotly panel until the map has drawn (``later_bodies`` fills it)."""
    return html.Div(id={"type": B.LATER, "slot": slot}, className="later-slot")


def later_bodies(slots: list[str]) -> list:
    """The plotly panels' bodies, with the stores of the panels they belong to (so those panels
    first answer when their charts exist)."""
    stores = dict(zip(LATER_PANELS, panel_stores(LATER_PANELS)))
    bodies = {
        "category": graph(B.CATEGORY),
        "trend": graph(B.TREND),
        "heatmap": [graph(B.HEATMAP), stores["charts"]],
        "depts": [dcc.Graph(id=B.SPLIT, config={"displayModeBar": False, "responsive": True}, className="split",
                            figure=BLANK_FIGURE),
                  graph(B.DEPTS), stores["depts"]],
    }
    return [bodies[s] for s in slots]


def layout(ctx: ScreenContext) -> html.Div:
    kpis = kpi_strip()
    heat_mode = dcc.RadioItems(id=B.HEATMAP_MODE, value="hour", inline=True, className="segmented tiny",
                               options=[{"label": strings.HEATMAP_MODE_LABELS[m], "value": m} for m in HEATMAP_MODES])
    left = html.Div(
        [
            panel(strings.BIGSCREEN_PANELS["category"], later("category"), export=export_links("category")),
            panel(strings.BIGSCREEN_PANELS["trend"], later("trend"), export=export_links("trend")),
            panel(strings.BIGSCREEN_PANELS["heatmap"], later("heatmap"), extra=heat_mode, export=export_links("heatmap")),
        ],
        className="col col-left",
    )
    centre = html.Div(
        [
            panel(strings.BIGSCREEN_PANELS["map"], _map(ctx), class_name="panel-map",
                  export=export_links("map", strings.EXPORT_LABELS["map"])),
            panel(strings.BIGSCREEN_PANELS["feed"],
                  html.Div([html.Ul(id=B.FEED_PINNED, className="pinned-list"),
                            html.Ul(id=B.FEED, className="feed-list pager", **{"data-seconds": str(PAGE_SECONDS)})],
                           className="feed"),
                  class_name="panel-feed", extra=pager_label(B.FEED)),
        ],
        className="col col-centre",
    )
    right = html.Div(
        [
            panel(strings.BIGSCREEN_PANELS["board"], html.Div(id=B.BOARD, className="board"), class_name="panel-board",
                  extra=pager_label(B.BOARD_LIST)),
            panel(strings.BIGSCREEN_PANELS["depts"], later("depts"), class_name="panel-depts",
                  export=export_links("departments") + export_links("split", strings.EXPORT_LABELS["split"], ("png",))),
        ],
        className="col col-right",
    )
    stage = html.Div(
        [
            _header(ctx),
            alert_banner(ctx),
            kpis,
            html.Div([left, centre, right], className="bs-main"),
            *panel_stores([p for p in PANELS if p not in LATER_PANELS], ctx.panels),
        ],
        className="stage",
        id=B.ROOT,
    )
    return html.Div(stage, className="stage-frame")


# --- what the panels fill in (callbacks/bigscreen.py) ----------------------------------------


def warning_board(data: dict) -> list:
    """Grids per level, each town's worst level, and the red and orange grids with their reasons
    (``warnings.board.overview``)."""
    counts = html.Div(
        [html.Div([html.Div(str(data["counts"][lv]), className="lv-n"),
                   html.Div(strings.WARNING_LEVEL_LABELS[lv], className="lv-label")], className=f"lv lv{lv}")
         for lv in (1, 2, 3, 4)],
        className="board-counts",
    )
    # A city has hundreds of streets: the most severe first, as many as fit
    shown = data["towns"]
    if len(shown) > BOARD_TOWNS:
        shown = sorted(shown, key=lambda t: (t["level"] or 9, -t["n"], t["code"]))[:BOARD_TOWNS]
    towns = html.Div(
        [dcc.Link([html.Span(t["name"]), html.Span(strings.WARNING_LEVEL_SHORT[t["level"]], className="chip-lv")],
                  href=f"/town/{t['code']}", className=f"town-chip lv{t['level']}") for t in shown],
        className="board-towns",
    )
    if data["alerts"]:
        items = [html.Li([
            html.Span(className=f"dot lv{a['level']}"),
            dcc.Link(a["name"], href=a["href"], className="alert-grid"),
            html.Span(strings.WARNING_LEVEL_ALERT[a["level"]], className=f"alert-lv lv{a['level']}"),
            html.Span(strings.CLAUSE_SEP.join(a["reasons"]) or "—", className="alert-reason"),
        ], className="alert-row" + (" alerting" if a.get("alerting") else "") + (" area" if a.get("area") else ""),
            **{"data-key": a["code"]}) for a in data["alerts"]]
        more = data.get("more", 0)
        if more > 0:  # a city has thousands; the rest are one click away
            items.append(html.Li(dcc.Link(strings.BOARD_MORE.format(n=more), href="/warnings", className="alert-more"),
                                 className="alert-row", **{"data-key": "more"}))
        alerts = html.Ul(items, id=B.BOARD_LIST, className="alert-list pager", **{"data-seconds": str(PAGE_SECONDS)})
    else:
        alerts = html.Div(strings.BOARD_QUIET, className="board-quiet")
    return [counts, towns, html.Div(alerts, className="alert-wrap")]


def feed_items(rows: list[dict]) -> list:
    """The newest reports and closures: ``rows`` of {id, time, closed, category, grid, title,
    status}, newest first. Shown a page of whole rows at a time (assets/live.js), never scrolled."""
    if not rows:
        return [html.Li(strings.NO_DATA, className="feed-empty")]
    return [html.Li(dcc.Link([
        html.Span(r["time"], className="feed-time"),
        html.Span(strings.FEED_BADGES["closed" if r["closed"] else "new"],
                  className=f"feed-badge {'closed' if r['closed'] else 'new'}"),
        html.Span(r["category"], className="feed-cat"),
        html.Span(r["grid"], className="feed-grid"),
        html.Span(r["title"], className="feed-title"),
        html.Span(strings.STATUS_LABELS[r["status"]], className=f"feed-status st-{r['status']}"),
    ], href=f"/event/{r['id']}"), className="feed-item", **{"data-key": f"{r['id']}-{int(r['closed'])}"}) for r in rows]


def pager_label(list_id: str) -> html.Span:
    """Where a paged list says which page it shows ("2/3"; assets/live.js writes it)."""
    return html.Span(className="pager-page", **{"data-pager": list_id})


# --- alerts: the banner, the cases pinned atop the feed (callbacks/bigscreen.py fills them) --------


def alert_banner(ctx: ScreenContext) -> html.Div:
    """Across the top of the screen while any alert stands unacknowledged; the button only for
    those who may acknowledge (the server checks again)."""
    ack = [html.Button(strings.ALERT_ACK, id=B.ALERT_ACK, className="alert-ack", title=strings.ALERT_ACK_TITLE),
           html.Span(id=B.ALERT_FEEDBACK, className="alert-feedback")] if ctx.may_acknowledge else []
    return html.Div([html.Div(id=B.ALERT_BODY, className="alert-body"), html.Div(ack, className="alert-actions"),
                     dcc.Store(id=B.ALERT_TOP, data=None)],
                    id=B.ALERT_BANNER, className="alert-banner off", role="alert")


def alert_body(top: dict, total: int) -> list:
    """The banner names the most severe, newest alert; how many more stand behind it."""
    level = top["level"]
    return [
        html.Span(top["badge"], className=f"alert-badge lv{level}"),
        html.Span(strings.ALERT_KIND_LABELS[top["kind"]], className="alert-kind"),
        html.Span(top["text"], className="alert-text"),
        html.Span(top["time"], className="alert-time"),
        html.Span(strings.ALERT_MORE.format(n=total - 1), className="alert-more-n") if total > 1 else None,
    ]


def pinned_items(rows: list[dict]) -> list:
    """Alert cases pinned atop the feed, most severe and newest first: {id, time, level, badge, text}."""
    return [html.Li(dcc.Link([
        html.Span(r["time"], className="feed-time"),
        html.Span(r["badge"], className=f"feed-badge alert lv{r['level']}"),
        html.Span(r["text"], className="feed-title"),
    ], href=f"/event/{r['id']}"), className=f"feed-item pinned lv{r['level']}") for r in rows]


def selected_card(s: dict) -> list:
    """The grid clicked on the map: its place, its warning with the reasons, and what stands open
    there now beside the window's figures — a warned grid never shows 0 open beside its warning."""
    level = s["level"]
    rows = [
        html.Div(s["name"], className="sel-name"),
        html.Div(f"{s['lineage']} · {s['code']}", className="sel-code"),
        html.Div([html.Span(strings.WARNING_LEVEL_LABELS[level], className=f"sel-level lv{level}"),
                  html.Span(strings.CLAUSE_SEP.join(s["reasons"]), className="sel-reasons")], className="sel-warning"),
        html.Div([html.Span(f"{label} {value}") for label, value in s["figures"]], className="sel-figures"),
        dcc.Link(strings.SELECTED_OPEN_GRID, href=f"/grid/{s['code']}", className="sel-link"),
    ]
    return rows
