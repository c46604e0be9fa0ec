"""Building blocks of the duty officers' desk pages (town, community, grid, event, department,
explorer): the header with breadcrumbs and the time range, KPI strips, panels, tables, badges and
maps. Desk pages scroll normally (they are read at a desk, not across a room) and share the big
screen's dark theme (assets/desk.css).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import dash_leaflet as dl
from dash import dcc, html
from dash_extensions.javascript import Namespace

from dashboard import strings

from . import ids
from .common import GRAPH_CONFIG, date_range, dates_prompt, kpi_groups

MAP_JS = Namespace("gridscreen", "map")
DRILL_JS = Namespace("gridscreen", "drill")
RANGE_KEYS = ("today", "7d", "30d", "all")
# A desk page's KPI strip about an area: the window's cohort, what stands now, the area itself.
KPI_GROUPS = (
    ("flow", ("reported", "accepted", "closed", "closure_rate", "on_time_rate")),
    ("stock", ("open_now", "overdue_now", "online_rate")),
    ("context", ("population", "houses", "grids")),
)
KPI_FIELDS = tuple(f for _, fields in KPI_GROUPS for f in fields)


@dataclass
class Crumb:
    label: str
    href: str | None = None  # None: the current page


@dataclass
class RangeBar:
    """The time range of a desk page, as links that keep the rest of the URL."""

    path: str
    active: str  # today / 7d / 30d / all / custom
    start_iso: str
    end_iso: str
    start_text: str  # local, for people
    end_text: str
    custom_start: str | None = None  # YYYY-MM-DD for the picker
    custom_end: str | None = None
    asking: str | None = None  # 自定义 asked without its dates: what the bar says while the page shows its default


@dataclass
class MapSettings:
    bounds: list
    tile_url: str | None = None
    tile_attribution: str = ""


@dataclass
class Header:
    crumbs: list[Crumb]
    title: str
    kind: str  # what the page is: 镇（街道）, 网格, 事件案卷 ...
    code: str | None = None
    range: RangeBar | None = None
    badge_id: str | None = None
    extra: list = field(default_factory=list)


def breadcrumbs(crumbs: list[Crumb]) -> html.Nav:
    items = []
    for i, c in enumerate(crumbs):
        if i:
            items.append(html.Span("›", className="crumb-sep"))
        items.append(dcc.Link(c.label, href=c.href, className="crumb") if c.href
                     else html.Span(c.label, className="crumb current", **{"aria-current": "page"}))
    return html.Nav(items, className="crumbs", **{"aria-label": "breadcrumb"})


def range_bar(r: RangeBar) -> html.Div:
    """The range pills (自定义 among them), the date picker, and the window as dates. 自定义 without
    both dates asks for them (``dates_prompt``) and says which window the page shows meanwhile."""
    keys = (*RANGE_KEYS, "custom")
    active = "custom" if r.asking else r.active
    pills = [dcc.Link(strings.RANGE_LABELS[k], href=f"{r.path}?range={k}",
                      className="pill active" if active == k else "pill") for k in keys]
    picker = date_range(ids.Desk.DATES, r.custom_start, r.custom_end,
                        class_name="desk-dates asking" if r.asking else "desk-dates")
    label = html.Span([
        html.Span(strings.WINDOW_LABEL, className="window-label"),
        html.Time(r.start_text, id=ids.Desk.WINDOW_START, dateTime=r.start_iso),
        html.Span(strings.WINDOW_TO, className="window-to"),
        html.Time(r.end_text, id=ids.Desk.WINDOW_END, dateTime=r.end_iso),
    ], id=ids.Desk.WINDOW, className="window")
    return html.Div([html.Div(pills, className="pills" + (" custom" if active == "custom" else "")), picker,
                     dates_prompt(ids.Desk.DATES_PROMPT, r.asking or "", hidden=not r.asking), label],
                    className="desk-range")


def header(h: Header) -> html.Header:
    top = html.Div([
        dcc.Link(strings.BACK_TO_SCREEN, href="/", className="desk-back"),
        breadcrumbs(h.crumbs),
        html.Nav(id=ids.Desk.NAV, className="desk-nav"),  # the pages listed there (callbacks/site.py)
    ], className="desk-top")
    title = html.Div([
        html.H1(h.title, className="desk-title"),
        html.Span(h.kind, className="desk-kind"),
        html.Span(h.code, className="desk-code") if h.code else None,
        html.Span(id=h.badge_id, className="desk-badge") if h.badge_id else None,
        *h.extra,
    ], className="desk-heading")
    return html.Header([top, html.Div([title, range_bar(h.range) if h.range else None], className="desk-titlebar")],
                       className="desk-header")


def page(h: Header, body: list, *, stores: list | None = None, class_name: str = "") -> html.Div:
    # Root class "drill": the drill-down pages' own scope in assets/desk.css.
    return html.Div([header(h), html.Main(body, className="desk-main"), *(stores or [])],
                    className=f"drill {class_name}".strip())


def kpi_strip(kpi_type: str, header: Header, groups=KPI_GROUPS) -> html.Div:
    """A desk page's KPI strip (coloured by each figure's level, like the big screen's); its flow
    figures are labelled with the page's range (the page is drawn again when the range changes)."""
    return kpi_groups(kpi_type, groups, flow_range=header.range.active if header.range else None,
                      class_name="desk-kpis")


def panel(title: str, body, *, extra=None, class_name: str = "", graph: str | None = None, panel_id: str | None = None):
    tools = []
    if graph:  # downloads at print scale, done in the browser (assets/export.js)
        tools = [html.Button(fmt, className="tool", **{"data-graph": graph, "data-format": fmt.lower(),
                                                         "data-title": title}) for fmt in ("PNG", "SVG")]
    head = html.Div([html.H3(title), html.Div([extra, *tools] if extra is not None else tools, className="panel-tools")],
                    className="panel-head")
    kw = {"id": panel_id} if panel_id else {}
    return html.Section([head, html.Div(body, className="panel-body")], className=f"panel desk-panel {class_name}".strip(),
                        **kw)


def graph(graph_id: str, height: int = 260) -> dcc.Graph:
    return dcc.Graph(id=graph_id, config=GRAPH_CONFIG, className="desk-chart", style={"height": f"{height}px"})


def table(columns: list[tuple[str, str]], rows: list[dict], *, class_name: str = "", empty: str = strings.NO_DATA,
          row_class=None) -> html.Table | html.Div:
    """A plain table: ``columns`` (key, heading); ``rows`` map keys to text or components."""
    if not rows:
        return html.Div(empty, className="desk-empty")
    head = html.Thead(html.Tr([html.Th(label, className=f"col-{key}") for key, label in columns]))
    body = html.Tbody([html.Tr([html.Td(r.get(key), className=f"col-{key}") for key, _ in columns],
                               className=row_class(r) if row_class else None) for r in rows])
    return html.Table([head, body], className=f"desk-table {class_name}".strip())


def level_badge(level: int, text: str | None = None) -> html.Span:
    return html.Span(text or strings.WARNING_LEVEL_LABELS[level], className=f"lv-badge lv{level}")


def status_badge(status: str, overdue: bool = False) -> html.Span:
    return html.Span(strings.STATUS_LABELS.get(status, status),
                     className=f"st-badge st-{status}" + (" overdue" if overdue else ""))


def tag(text: str, kind: str = "") -> html.Span:
    return html.Span(text, className=f"tag {kind}".strip())


def desk_map(map_id: str, layers: list, m: MapSettings, *, controls=None, legend=None, legend_id: str | None = None,
             class_name: str = "") -> html.Div:
    tiles = [dl.TileLayer(url=m.tile_url, attribution=m.tile_attribution, maxZoom=19)] if m.tile_url else []
    lat = (m.bounds[0][0] + m.bounds[1][0]) / 2
    lon = (m.bounds[0][1] + m.bounds[1][1]) / 2
    return html.Div([
        # center as well as bounds: dash-leaflet compares the view against it (see the big screen)
        dl.MapContainer(tiles + layers, id=map_id, bounds=m.bounds, center=[lat, lon], boundsOptions={"padding": [16, 16]},
                        zoomSnap=0.25, preferCanvas=True, attributionControl=bool(m.tile_url), scrollWheelZoom=False,
                        className="desk-leaflet"),
        html.Div(controls, className="map-controls") if controls is not None else None,
        html.Div(legend, id=legend_id, className="map-legend") if legend_id else None,
    ], className=f"desk-map {class_name}".strip())


def legend(hideout: dict) -> list:
    return [html.Div(hideout["label"], className="legend-title")] + [
        html.Div([html.Span(className="swatch", style={"background": color}), html.Span(label)], className="legend-row")
        for color, label in hideout["legend"]]


def params_store(store_id: str, data: dict) -> dcc.Store:
    """What a desk page is about (its code, its time range), for its callbacks: one store per page
    kind, so that each has one shape (callbacks/contracts.py)."""
    return dcc.Store(id=store_id, data=data)


def link(text, href: str, class_name: str = "") -> dcc.Link:
    return dcc.Link(text, href=href, className=class_name or None)
