"""What every component property a server callback reads may hold, next to the component ids.

Keyed by (component id, property); a pattern-matching id by its ``type``. ``ID_KEYS`` says what
each key of a pattern-matching id may be. ``callbacks/guard.py`` checks every callback request
against these before the callback runs, and refuses to start an app whose callbacks read a
property declared nowhere here: a new input must say what it accepts.

The values are the ones the page itself sends: choices come from the same constants the
components' options are built from, stores have the shapes the app (or assets/*.js) writes.
"""

from __future__ import annotations

from dashboard import vocabulary
from dashboard.present import mapdata
from dashboard.domain import windows
from dashboard.figures import caselist
from dashboard.export.bulletin import WEEK_RE

from layouts import bigscreen, ids, sources, warnings
from layouts import area as area_layout
from layouts import department as department_layout
from layouts import event as event_layout
from layouts import grid as grid_layout
from .propcheck import (AreaCode, Bool, Choice, Contract, DateText, Int, Json, ListOf, Number, OneOf, Options,
                        Record, Text)

B, D, A, G, E, P, X, W, L = (ids.BigScreen, ids.Desk, ids.AreaPage, ids.GridPage, ids.EventPage, ids.DeptPage,
                             ids.Explorer, ids.Warnings, ids.Bulletin)

# --- shared shapes -------------------------------------------------------------------------------

CLICKS = Int()  # n_clicks, n_intervals, submit_n_clicks
COUNTER = Int()  # a store bumped after an act so that panels reload
FINGERPRINT = Text(40, pattern=r"[0-9a-f]{40}|off", example="off")  # what a panel shows (callbacks' cache stores)
PATH = Text(2048, pattern=r"/.*", example="/")
QUERY = Text(2048, example="range=7d")  # parsed by the page (bad parameters are dropped)
RANGE = Choice(windows.RANGES)
DEPARTMENT = Text(32, example="D01")
EVENT_ID = Int(1, 2**31 - 1)
WARNING_ID = Int(1, 2**31 - 1)
# A grid clicked on a map (assets/map.js gridClick).
GRID_CLICK = Record({"code": AreaCode("grid", optional=False, example="340223100001001"), "name": Text(200),
                     "latlng": ListOf(Number(-180, 180), 2)}, required=("code",))
# A desk page's time range in its params store (callbacks/desk.py window_query).
WINDOW_QUERY = Record({"range": RANGE, "start": DateText(), "end": DateText()})
# What a KPI shows, as the browser hands it back: text, or the Span a long figure is wrapped in.
SHOWN = OneOf(Text(64), Number(), Record({"props": Record({"children": Text(64), "className": Text(64)}),
                                          "type": Text(32), "namespace": Text(64)}))
# Plotly's clickData as dcc.Graph reports it: {"points": [{curveNumber, x, y, customdata ...}], "timestamp"}.
PLOTLY_CLICK = Record({"points": ListOf(Json(depth=3, items=30, text=200), 10), "timestamp": Number()})

# --- the shell (every page) ----------------------------------------------------------------------

SHELL: dict[tuple[str, str], Contract] = {
    (ids.Shell.PANEL, "data"): FINGERPRINT,  # what a panel shows (callbacks/panel.py)
    (ids.Shell.URL, "pathname"): PATH,
    (ids.Shell.URL, "search"): QUERY,
    # assets/live.js poll(): {key, stale, changed_at, now, seen, lost}; slow(): {key, at}
    # ``late``: the connector's sources not synced within the threshold (/api/v1/version), named by the banner
    (ids.Shell.LIVE, "data"): Record({"key": Text(1000), "stale": Bool(), "changed_at": Text(40), "now": Text(40),
                                      "seen": Number(), "lost": Number(),
                                      "late": ListOf(Record({"name": Text(64), "since": Text(40)}), 50)}),
    (ids.Shell.LIVE_SLOW, "data"): Record({"key": Text(1000), "at": Number()}),
}

# --- the big screen ------------------------------------------------------------------------------

BIG_SCREEN = {
    (B.RANGE, "value"): RANGE,
    (B.DATES, "start_date"): DateText(),
    (B.DATES, "end_date"): DateText(),
    (B.TOWN, "value"): AreaCode("town", blank=True),
    (B.MEASURE, "value"): Choice(mapdata.MEASURES),
    (B.GRID_LAYER, "clickData"): GRID_CLICK,
    (B.MAP_READY, "data"): Int(0, 10**7),  # how many grids the map drew (assets/map.js)
    (B.HEAT_TOGGLE, "value"): Options(("on",)),
    (B.HEATMAP_MODE, "value"): Choice(bigscreen.HEATMAP_MODES),
    (B.DEPTS, "clickData"): PLOTLY_CLICK,
    # The banner's acknowledgement: the alert it names (the server checks permission and scope).
    (B.ALERT_ACK, "n_clicks"): CLICKS,
    (B.ALERT_TOP, "data"): Record({"id": Int(1, 2**31 - 1)}, required=("id",)),
    (B.ALERT_SOUND, "value"): Options(("on",)),
}

# --- desk pages ----------------------------------------------------------------------------------

DESK = {
    # What each desk page is about (its route writes it): an area, a grid, a case, a handler.
    (A.PARAMS, "data"): Record({"code": AreaCode("town", "community", optional=False),
                                "level": Choice(("town", "community"), optional=False), "query": WINDOW_QUERY},
                               required=("code", "level")),
    (G.PARAMS, "data"): Record({"code": AreaCode("grid", optional=False, example="340223100001001"),
                                "query": WINDOW_QUERY}, required=("code",)),
    (E.PARAMS, "data"): Record({"id": EVENT_ID}, required=("id",)),
    (P.PARAMS, "data"): Record({"code": DEPARTMENT, "query": WINDOW_QUERY}, required=("code",)),
    (D.DATES, "start_date"): DateText(),
    (D.DATES, "end_date"): DateText(),
    (A.MEASURE, "value"): Choice(mapdata.MEASURES),
    (A.GRID_LAYER, "clickData"): GRID_CLICK,
    (G.NEIGHBOURS, "clickData"): GRID_CLICK,
    (G.POINTS, "clickData"): Record({"id": EVENT_ID}, required=("id",)),  # assets/drill.js eventClick
    (E.REFRESH, "data"): COUNTER,
    (E.SUPERVISE, "n_clicks"): CLICKS,
    (E.NOTE, "value"): Text(500, multiline=True, example="note"),
}

# --- the event explorer --------------------------------------------------------------------------

EXPLORER = {
    (X.URL, "search"): QUERY,
    (X.URL, "pathname"): PATH,
    (X.STATE, "data"): QUERY,
    (X.RANGE, "value"): RANGE,
    (X.DATES, "start_date"): DateText(),
    (X.DATES, "end_date"): DateText(),
    (X.TOWN, "value"): AreaCode("town"),
    (X.COMMUNITY, "value"): AreaCode("community", example="340223100001"),
    (X.GRID, "value"): AreaCode("grid", example="340223100001001"),
    (X.CATEGORY, "value"): Text(32, example="AQ01"),
    (X.STATUS, "value"): Options((caselist.OPEN,) + vocabulary.STATUSES),
    (X.HANDLER, "value"): DEPARTMENT,
    (X.FLAGS, "value"): Options(caselist.FLAGS),
    (X.SEARCH, "value"): Text(200, example="title"),
    (X.REFRESH, "data"): COUNTER,
    # AG Grid's infinite row model asks for a block of rows, sorted.
    (X.TABLE, "getRowsRequest"): Record({
        "startRow": Int(0, 10**7, optional=False), "endRow": Int(0, 10**7),
        "sortModel": ListOf(Record({"colId": Text(64), "sort": Choice(("asc", "desc")), "type": Text(32)}), 20),
        "filterModel": Json(depth=3, items=20, text=200)}, required=("startRow",), extra=Json(depth=3, items=20, text=200)),
    # The selected row, as the server sent it (the case's id is what 督办 acts on).
    (X.TABLE, "selectedRows"): ListOf(Record({"id": EVENT_ID, "title": Text(500), "open": Bool()}, required=("id", "title"),
                                             extra=Json(depth=1, text=500)), 1),
    (X.SUPERVISE, "n_clicks"): CLICKS,
    (X.NOTE, "value"): Text(500, multiline=True, example="note"),
}

# --- warnings ------------------------------------------------------------------------------------

WARNINGS = {
    (W.CHANGED, "data"): COUNTER,
    (W.LEVELS, "value"): Options(warnings.LEVELS),
    (W.TOWN, "value"): AreaCode("town"),
    (W.FROM, "value"): DateText(),
    (W.TO, "value"): DateText(),
    (W.KIND, "value"): Choice(warnings.KIND_VALUES),
    (W.STATUS, "value"): Choice(warnings.STATUS_VALUES),
    (W.SUBMIT, "n_clicks"): CLICKS,
    (W.SCOPE, "value"): AreaCode(),
    (W.LEVEL, "value"): Choice(warnings.LEVELS),
    (W.REASON, "value"): Text(200, multiline=True, example="reason"),
    (W.UNTIL, "value"): DateText(time=True),
    (W.LIFT, "n_clicks"): CLICKS,
    (W.LIFT_YES, "n_clicks"): CLICKS,
    (W.LIFT_NO, "n_clicks"): CLICKS,
    (W.LIFT_PENDING, "data"): Record({"id": WARNING_ID}, required=("id",)),
    # Each table's pager (layouts/warnings.py pager): the buttons, the page (0-based), what it shows.
    **{(W.pager(t, part), prop): contract for t in W.TABLES
       for part, prop, contract in (("prev", "n_clicks", CLICKS), ("next", "n_clicks", CLICKS),
                                    ("page", "data", Int(0, 10**6)), ("shown", "data", FINGERPRINT))},
}

# --- the weekly bulletin -------------------------------------------------------------------------

BULLETIN = {
    # Both dropdowns always hold a choice (not clearable). (The example week is one not yet over:
    # a crafted request built from it never starts a bulletin job.)
    (L.WEEK, "value"): Text(8, pattern=WEEK_RE.pattern.strip("^$"), optional=False, example="2099-W01"),
    (L.AREA, "value"): AreaCode("county", "town", optional=False, example="340223"),
    (L.GENERATE, "n_clicks"): CLICKS,
    (L.POLL, "n_intervals"): CLICKS,
    (L.JOB, "data"): Text(20, pattern=r"[0-9a-f]{20}", example="0123456789abcdef0123"),
}

# --- the connector's health (administrators) ------------------------------------------------------

SOURCES = {
    (sources.Ids.ROOT, "id"): Choice((sources.Ids.ROOT,)),  # the page's root: its panels fill on arrival
}

PROPS: dict[tuple[str, str], Contract] = {**SHELL, **BIG_SCREEN, **DESK, **EXPLORER, **WARNINGS, **BULLETIN,
                                          **SOURCES}

# The keys of pattern-matching ids (besides ``type``), by type.
ID_KEYS: dict[str, dict[str, Contract]] = {
    ids.Shell.PANEL: {"panel": Choice(bigscreen.PANELS + area_layout.PANELS + grid_layout.PANELS + event_layout.PANELS
                                      + department_layout.PANELS, optional=False)},
    B.LATER: {"slot": Choice(bigscreen.LATER_SLOTS, optional=False)},
    B.EXPORT: {"chart": Choice(bigscreen.EXPORT_CHARTS, optional=False),
               "format": Choice(bigscreen.EXPORT_FORMATS, optional=False)},
    W.LIFT: {"id": Int(1, 2**31 - 1, optional=False)},  # a warning's id
}
