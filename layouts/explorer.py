"""/events: the event explorer. Filters above, the matching cases in an AG Grid whose rows are
fetched page by page from the server (infinite row model), exports of the current filter, and
督办 for a selected open case."""

from __future__ import annotations

from dataclasses import dataclass

import dash_ag_grid as dag
from dash import dcc, html

from dashboard import strings

from . import desk, ids
from .common import date_range, dates_prompt

X = ids.Explorer
PAGE_SIZE = 50
THEME = ("themeQuartz.withParams({backgroundColor: '#0a1f45', foregroundColor: '#e6f0ff', accentColor: '#35c8ff', "
         "headerBackgroundColor: '#0d2a5c', borderColor: '#1d4f91', oddRowBackgroundColor: '#0b2350', "
         "fontFamily: 'Noto Sans CJK SC, Noto Sans SC, Microsoft YaHei, sans-serif', fontSize: 14, "
         "headerFontSize: 14, rowHeight: 36, headerHeight: 38})")


@dataclass
class ExplorerContext:
    header: desk.Header
    state: str  # the filter's query string (what the table and exports read)
    values: dict  # initial control values
    options: dict  # town, community, grid, category, status, handler options
    actor: str = ""  # who supervises: the logged-in account (shown, never typed)


def _columns() -> list[dict]:
    c = strings.EXPLORER_COLUMNS

    def col(field, width=None, **kw):
        d = {"field": field, "headerName": c.get(field, field), "colId": field}
        if width:
            d["width"] = width
        d.update(kw)
        return d

    # Fixed widths that fit a 1366-pixel desk (with the title taking what is left), so that every
    # column, 超期时长 and 督办 included, is on screen without scrolling sideways.
    return [
        col("id_link", 78, headerName=c["id"], colId="id", cellRenderer="markdown", sortable=True),
        col("reported_at", 148, sort="desc"),
        col("title", None, flex=1, minWidth=150, tooltipField="title"),
        col("category", 110, tooltipField="category"),
        col("town", 100, tooltipField="town"),
        col("grid", 140, tooltipField="community"),
        col("status", 84, cellClassRules={"cell-overdue": "params.data && params.data.kind === 'overdue'"}),
        col("handler", 140, tooltipField="handler"),
        col("deadline", 148),
        col("overdue_hours", 100, type="rightAligned"),
        col("supervised", 64),
    ]


def grid() -> dag.AgGrid:
    return dag.AgGrid(
        id=X.TABLE,
        rowModelType="infinite",
        columnDefs=_columns(),
        defaultColDef={"sortable": True, "resizable": True, "suppressHeaderMenuButton": True,
                       "sortingOrder": ["desc", "asc", None]},
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": PAGE_SIZE,
            "paginationPageSizeSelector": False,
            "cacheBlockSize": PAGE_SIZE,
            "maxBlocksInCache": 20,
            "infiniteInitialRowCount": 1,
            "rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
            "rowClassRules": {"row-overdue": "params.data && params.data.kind === 'overdue'"},
            "localeText": strings.GRID_LOCALE,
            "theme": {"function": THEME},
            "tooltipShowDelay": 300,
            "suppressCellFocus": True,
        },
        className="ex-grid",
        style={"height": "calc(100vh - 330px)", "minHeight": "460px"},
    )


def _dropdown(id_, options, value, placeholder, multi=False, width=None):
    return dcc.Dropdown(id=id_, options=options, value=value, multi=multi, clearable=True, placeholder=placeholder,
                        className="ex-dropdown", style={"width": width} if width else None, optionHeight=32)


def layout(ctx: ExplorerContext) -> html.Div:
    f = strings.EXPLORER_FILTERS
    v, o = ctx.values, ctx.options

    def field(label, control, cls=""):
        return html.Div([html.Span(label, className="ex-label"), control], className=f"ex-field {cls}".strip())

    filters = html.Div([
        field(f["range"], html.Div([
            dcc.RadioItems(id=X.RANGE, value=v["range"], inline=True, className="segmented small",
                           options=[{"label": strings.RANGE_LABELS[k], "value": k}
                                    for k in ("today", "7d", "30d", "all", "custom")]),
            date_range(X.DATES, v["start"], v["end"], class_name="desk-dates"),
            # 自定义 asks for both dates; the table keeps the previous filter until they are chosen
            dates_prompt(X.DATES_PROMPT, hidden=not (v["range"] == "custom" and not (v["start"] and v["end"]))),
        ], className="ex-range"), "wide"),
        field(f["town"], _dropdown(X.TOWN, o["town"], v["town"], strings.EXPLORER_ALL, width="150px")),
        field(f["community"], _dropdown(X.COMMUNITY, o["community"], v["community"], strings.EXPLORER_ALL,
                                        width="170px")),
        field(f["grid"], _dropdown(X.GRID, o["grid"], v["grid"], strings.EXPLORER_ALL, width="190px")),
        field(f["category"], _dropdown(X.CATEGORY, o["category"], v["category"], strings.EXPLORER_ALL, width="190px")),
        field(f["status"], _dropdown(X.STATUS, o["status"], v["status"], strings.EXPLORER_ALL, multi=True,
                                     width="260px")),
        field(f["handler"], _dropdown(X.HANDLER, o["handler"], v["handler"], strings.EXPLORER_ALL, width="190px")),
        field(f["flags"], dcc.Checklist(id=X.FLAGS, value=v["flags"], inline=True, className="toggle ex-flags",
                                        options=[{"label": strings.EXPLORER_OVERDUE, "value": "overdue"},
                                                 {"label": strings.EXPLORER_HANDLER_OVERDUE, "value": "handler_overdue"},
                                                 {"label": strings.EXPLORER_SUPERVISED, "value": "supervised"}])),
        field(f["q"], dcc.Input(id=X.SEARCH, type="search", value=v["q"], debounce=True, className="desk-input",
                                placeholder=strings.EXPLORER_SEARCH_PLACEHOLDER, style={"width": "200px"})),
        dcc.Link(strings.EXPLORER_RESET, href="/events", id=X.RESET, className="ex-reset"),
    ], className="ex-filters")
    bar = html.Div([
        html.Span(id=X.COUNT, className="ex-count"),
        html.A(strings.EXPLORER_EXPORT_CSV, id=X.CSV, className="desk-button", download=""),
        html.A(strings.EXPLORER_EXPORT_XLSX, id=X.XLSX, className="desk-button", download=""),
        dcc.Link(strings.EXPLORER_LINK, id=X.LINK, href="/events", className="ex-permalink"),
    ], className="ex-bar")
    supervise = html.Div([
        html.Span(strings.SUPERVISE_SELECT_ROW, id=X.SELECTED, className="ex-selected"),
        html.Span(strings.SUPERVISE_AS.format(name=ctx.actor), id=X.ACTOR, className="ex-actor"),
        html.Label(strings.SUPERVISE_NOTE_REQUIRED, htmlFor=X.NOTE, className="ex-label"),
        dcc.Input(id=X.NOTE, type="text", maxLength=500, placeholder=strings.SUPERVISE_NOTE_PLACEHOLDER,
                  className="desk-input", style={"flex": "1"}, required=True),
        html.Button(strings.SUPERVISE_BUTTON, id=X.SUPERVISE, className="desk-button danger", n_clicks=0, disabled=True),
        html.Span(id=X.MESSAGE, className="desk-message"),
    ], className="ex-supervise")
    body = [filters, bar, grid(), supervise]
    return desk.page(ctx.header, body, stores=[dcc.Location(id=X.URL, refresh=False), dcc.Store(id=X.STATE, data=ctx.state), dcc.Store(id=X.REFRESH, data=0),
                                                  dcc.Store(id=X.PURGED)], class_name="desk-explorer")
