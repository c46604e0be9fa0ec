"""The county big screen's callbacks.

Every panel hangs off the live state (assets/live.js: the data version or the clock tick moved)
and the filters. Each callback fingerprints the data it would show and answers ``no_update``
when nothing changed, so unchanged panels are neither resent nor redrawn; the map is recoloured
through its hideout, never rebuilt.
"""

from __future__ import annotations

import hashlib
import json

from dash import ALL, ClientsideFunction, Input, Output, Patch, State, dcc, html, no_update

from dashboard import strings
from dashboard.web import access
from dashboard.domain import areas
from dashboard.present import plots
from dashboard.store import db
from dashboard.figures import feed
from dashboard.present import fmt
from dashboard.present import mapdata
from dashboard.figures import metrics
from dashboard.warnings import board
from dashboard.domain import windows
from dashboard.web.cache import answer
from dashboard import warnings as W

from dashboard.present.charts import category_names, label_handlers, laggards  # shared with the exports
from dashboard.web.runtime import Runtime
from layouts import bigscreen, ids

from .resilience import keep_last_on_db_error

B = ids.BigScreen
FILTERS = [Input(ids.Shell.LIVE, "data"), Input(B.RANGE, "value"), Input(B.DATES, "start_date"),
           Input(B.DATES, "end_date"), Input(B.TOWN, "value")]
# The costly charts hang off the slow live signal (at most every chart_refresh_ms); a filter change
# still redraws them at once.
SLOW_FILTERS = [Input(ids.Shell.LIVE_SLOW, "data"), *FILTERS[1:]]


def fingerprint(*parts) -> str:
    def default(o):
        if hasattr(o, "to_json"):
            return o.to_json(orient="split", date_format="iso")
        return str(o)

    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=default).encode()).hexdigest()


def plain(*figures) -> tuple:
    """Figures as plain dicts: what Dash sends anyway, and cheap to keep in the shared cache
    (a pickled ``go.Figure`` is validated all over again when read back)."""
    return tuple(f.to_plotly_json() if hasattr(f, "to_plotly_json") else f for f in figures)


def cache_id(panel: str) -> dict:
    return {"type": B.CACHE, "panel": panel}


class Screen:
    """Resolves the filters into a window and a scope, the same way for every panel."""

    def __init__(self, runtime: Runtime):
        self.rt = runtime
        self.engine = runtime.engine

    def resolve(self, range_key, start, end, town):
        now = self.rt.now()
        root = areas.root(self.engine)
        try:
            window = windows.window_for(range_key or "7d", now, first=windows.first_report(self.engine),
                                        start=start, end=end)
        except ValueError:  # an incomplete custom range: keep showing the last 7 days
            window = windows.Window.last_days(7, now)
        town = access.town_choice(town)  # a town's account sees its own town only
        area = town or (root.code if root else None)
        return now, window, area


def register(app, runtime: Runtime) -> None:
    screen = Screen(runtime)
    engine = runtime.engine

    @app.callback(
        Output({"type": B.KPIS, "field": ALL}, "children"),
        Output(B.DATA_TIME, "children"),
        Output(B.LIVE_DOT, "className"),
        *FILTERS,
        State({"type": B.KPIS, "field": ALL}, "children"),
        State({"type": B.KPIS, "field": ALL}, "id"),
    )
    @keep_last_on_db_error
    def kpis(live, range_key, start, end, town, shown, kpi_ids):
        stale = bool(live and live.get("stale"))
        if stale:  # keep the last figures; the banner says since when
            return [no_update] * len(kpi_ids), no_update, "live-dot stale"
        # Keep the warning levels current: re-evaluated in the background when events moved or the
        # tick passed; the new levels reach the map and board through the warnings data version.
        W.runner_for(runtime).maybe_run(wait=False)
        fields = tuple(i["field"] for i in kpi_ids)

        def compute():
            now, window, area = screen.resolve(range_key, start, end, town)
            figures = metrics.summary(engine, window, metrics.Scope(area=area))
            return [fmt.number(f, figures.get(f)) for f in fields]

        # Every shared-cache question names the town the principal may see, never the raw
        # filter: a town's account asking for "the county" must not get a county screen's answer.
        values = answer(runtime, ("kpis", range_key, start, end, access.town_choice(town), fields), ("events", "staff", "areas"), compute)
        out = [kpi_value(v) if v != kpi_text(old) else no_update for v, old in zip(values, shown)]
        return out, f"数据时间 {fmt.when(runtime.now(), '%m-%d %H:%M:%S')}", "live-dot"

    # The map is recoloured in place (assets/map.js ``recolour``, from the colours store),
    # never through the layer's hideout, which would rebuild all 19,000 polygons; a refresh sends
    # only the grids whose colour data changed (a Patch against what this screen already has).
    @app.callback(
        Output(B.MAP_COLOURS, "data"),
        Output(B.LEGEND, "children"),
        Output(cache_id("map"), "data"),
        *FILTERS,
        Input(B.MEASURE, "value"),
        Input(B.GRID_LAYER, "clickData"),
        State(cache_id("map"), "data"),
        # Not on load: the page already carries these colours, and the clientside recolour below
        # only runs on load if no server callback upstream of its store is pending.
        prevent_initial_call=True,
    )
    @keep_last_on_db_error
    def colours(live, range_key, start, end, town, measure, click, cached):
        if live and live.get("stale"):
            return no_update, no_update, no_update
        payload, fp = map_colours(runtime, range_key, start, end, measure, (click or {}).get("code"), town)
        if fp == cached:
            return no_update, no_update, no_update
        before = runtime.cache.get(colours_key(cached)) if cached else None
        legend = bigscreen.legend(payload) if before is None or legend_changed(before, payload) else no_update
        return colours_update(before, payload), legend, fp

    app.clientside_callback(  # recolour the existing grid layers in place
        ClientsideFunction(namespace="gridscreen_map", function_name="recolour"),
        Output(B.MAP_PAINTED, "data"),
        Input(B.MAP_COLOURS, "data"),
    )

    app.clientside_callback(
        "function(range) { return range !== 'custom'; }",
        Output(B.DATES_WRAP, "hidden"),
        Input(B.RANGE, "value"),
    )

    @app.callback(
        Output(B.TOWN_LAYER, "hideout"),
        Input(B.TOWN, "value"),
    )
    @keep_last_on_db_error
    def town_highlight(town):
        return {"town": town or None}

    @app.callback(
        Output(B.SELECTED, "children"),
        Output(B.SELECTED, "hidden"),
        Input(B.GRID_LAYER, "clickData"),
        *FILTERS,
        Input(B.MEASURE, "value"),
    )
    @keep_last_on_db_error
    def selected(click, live, range_key, start, end, town, measure):
        code = (click or {}).get("code")
        info = areas.get(engine, code) if code else None
        if info is None or info.level != "grid" or not access.sees(code):
            return None, True
        now, window, _ = screen.resolve(range_key, start, end, town)
        s = metrics.summary(engine, window, metrics.Scope(area=code))
        line = lineage_text(engine, code)
        return [
            html.Div(info.name, className="sel-name"),
            html.Div(f"{line} · {code}", className="sel-code"),
            html.Div([html.Span(f"上报 {s['reported']}"), html.Span(f"处置中 {s['in_progress']}"),
                      html.Span(f"超期 {s['overdue']}"), html.Span(f"办结率 {fmt.rate(s['closure_rate'])}")],
                     className="sel-figures"),
            dcc.Link("进入网格详情 ›", href=f"/grid/{code}", className="sel-link"),
        ], False

    @app.callback(
        Output(B.HEAT_LAYER, "data"),
        Output(cache_id("heat"), "data"),
        *FILTERS,
        Input(B.HEAT_TOGGLE, "value"),
        State(cache_id("heat"), "data"),
    )
    @keep_last_on_db_error
    def heat(live, range_key, start, end, town, toggle, cached):
        if live and live.get("stale"):
            return no_update, no_update
        if "on" not in (toggle or []):
            return ({"type": "FeatureCollection", "features": []}, "off") if cached != "off" else (no_update, no_update)
        def compute():
            now, window, area = screen.resolve(range_key, start, end, town)
            data = mapdata.heat_cells(engine, window, area, crs=runtime.settings.tile_crs)
            return data, fingerprint(data)

        data, fp = answer(runtime, ("heat", range_key, start, end, access.town_choice(town)), ("events", "areas"), compute)
        return (data, fp) if fp != cached else (no_update, no_update)

    @app.callback(
        Output(B.CATEGORY, "figure"),
        Output(B.TREND, "figure"),
        Output(B.HEATMAP, "figure"),
        Output(cache_id("charts"), "data"),
        *SLOW_FILTERS,
        Input(B.HEATMAP_MODE, "value"),
        State(cache_id("charts"), "data"),
    )
    @keep_last_on_db_error
    def left_charts(live, range_key, start, end, town, heat_mode, cached):
        if live and live.get("stale"):
            return no_update, no_update, no_update, no_update
        def compute():
            now, window, area = screen.resolve(range_key, start, end, town)
            scope = metrics.Scope(area=area)
            cats = metrics.category_day_matrix(engine, window, scope)
            tr = metrics.daily_trend(engine, window, scope)
            hw = metrics.hour_weekday_matrix(engine, window, scope) if heat_mode == "hour" else None
            return fingerprint(cats, tr, hw, heat_mode), (cats, tr, hw)

        # The data first; the figures (plotly, the costly part) only when the data changed.
        question = ("charts", range_key, start, end, access.town_choice(town), heat_mode)
        fp, data = answer(runtime, question, ("events", "catalog"), compute)
        if fp == cached:
            return no_update, no_update, no_update, no_update

        def build():
            cats, tr, hw = data
            names = category_names(engine)
            heat_fig = (plots.hour_weekday_heatmap(hw) if heat_mode == "hour"
                        else plots.category_day_heatmap(cats, names, list(tr["day"])))
            return plain(plots.category_bar(cats, names), plots.trend(tr), heat_fig)

        figures = answer(runtime, ("charts-figures", fp), ("catalog",), build)
        return (*figures, fp)

    @app.callback(
        Output(B.DEPTS, "figure"),
        Output(B.SPLIT, "figure"),
        Output(cache_id("depts"), "data"),
        *SLOW_FILTERS,
        State(cache_id("depts"), "data"),
    )
    @keep_last_on_db_error
    def departments(live, range_key, start, end, town, cached):
        if live and live.get("stale"):
            return no_update, no_update, no_update
        def compute():
            now, window, area = screen.resolve(range_key, start, end, town)
            scope = metrics.Scope(area=area)
            ranking = metrics.department_ranking(engine, window, scope)
            split = metrics.handler_level_split(ranking)
            return fingerprint(ranking, split), (ranking, split)

        fp, data = answer(runtime, ("depts", range_key, start, end, access.town_choice(town)), ("events", "catalog"), compute)
        if fp == cached:
            return no_update, no_update, no_update

        def build():
            ranking, split = data
            ranking = label_handlers(ranking)
            return plain(plots.department_ranking(ranking, laggards(ranking)), plots.handler_split(split))

        figures = answer(runtime, ("depts-figures", fp), ("catalog",), build)
        return (*figures, fp)

    @app.callback(
        Output(ids.Shell.URL, "pathname", allow_duplicate=True),
        Input(B.DEPTS, "clickData"),
        prevent_initial_call=True,
    )
    @keep_last_on_db_error
    def open_department(click):
        try:
            code = click["points"][0]["customdata"][0]
        except (TypeError, KeyError, IndexError):
            return no_update
        return f"/department/{code}" if code not in strings.HANDLER_LEVEL_LABELS else no_update

    @app.callback(
        Output(B.BOARD, "children"),
        Output(cache_id("board"), "data"),
        *FILTERS,
        State(cache_id("board"), "data"),
    )
    @keep_last_on_db_error
    def board_panel(live, range_key, start, end, town, cached):
        if live and live.get("stale"):
            return no_update, no_update
        town = access.town_choice(town)  # scoped, and so is the shared cache's key

        def compute():
            data = board.overview(engine, town or None, limit=BOARD_ALERTS)
            return fingerprint(data), warning_board(data)

        fp, board_children = answer(runtime, ("board", town), ("warnings", "areas"), compute)
        if fp == cached:
            return no_update, no_update
        return board_children, fp

    @app.callback(
        Output(B.FEED, "children"),
        Output(cache_id("feed"), "data"),
        *FILTERS,
        State(cache_id("feed"), "data"),
    )
    @keep_last_on_db_error
    def latest(live, range_key, start, end, town, cached):
        if live and live.get("stale"):
            return no_update, no_update
        def compute():
            now, _window, area = screen.resolve(range_key, start, end, town)
            df = feed.latest(engine, now, area)
            return fingerprint(df), feed_items(df)

        fp, items = answer(runtime, ("feed", access.town_choice(town)), ("events", "areas", "catalog"), compute)
        if fp == cached:
            return no_update, no_update
        return items, fp



# --- the map's colours, shared by every screen and sent as changes ----------------------------
def kpi_value(text: str):
    """A city's figures (15,363,027 people) are set smaller so the strip still fits."""
    return html.Span(text, className="kpi-long") if text and len(text) > 7 else text


def kpi_text(shown) -> str | None:
    if isinstance(shown, dict):  # a Span sent earlier, as the browser gives it back
        return (shown.get("props") or {}).get("children")
    return shown


BOARD_TOWNS = 9  # town chips on the board (a county's all fit; a city's worst)
BOARD_ALERTS = 60  # red and orange grids listed on the board (the list rolls); the rest: /warnings
PATCH_LIMIT = 0.25  # more changed grids than this share of all: send the whole payload instead


def colours_key(fp: str) -> str:
    return "colours:" + fp


def map_colours(runtime: Runtime, range_key, start, end, measure, selected=None, town=None) -> tuple[dict, str]:
    """The whole county is always drawn; a chosen town is highlighted, the rest dimmed. Computed
    once per question and data version for every screen; each payload is kept under its
    fingerprint so the next refresh can send only what changed."""
    measure = measure or bigscreen.DEFAULT_MEASURE
    limit = access.limit()  # a town's account gets its town's grids only (the rest: no data)

    def compute():
        _now, window, _area = Screen(runtime).resolve(range_key, start, end, "")
        base = mapdata.grid_colours(runtime.engine, window, measure, area=limit)
        return base, fingerprint(base)  # hashing 19,000 values once per data version, not per screen

    versions = db.versions(runtime.engine)
    base, base_fp = answer(runtime, ("colours", range_key, start, end, measure, limit),
                           ("events", "warnings", "staff", "areas"), compute, versions)
    fp = fingerprint(base_fp, selected, town or None)
    payload = {**base, "layer": ids.BigScreen.GRID_LAYER, "selected": selected, "town": town or None, "fp": fp}
    runtime.cache.add(colours_key(fp), payload)  # what the next refresh patches against
    return payload, fp


def legend_changed(before: dict, after: dict) -> bool:
    return before.get("label") != after.get("label") or before.get("legend") != after.get("legend")


def colours_update(before: dict | None, after: dict):
    """The colours store's new data: a Patch of the changed grids when the screen has ``before``
    (same measure, same grids), else the whole payload."""
    if before is None or before.get("n") != after["n"] or before.get("measure") != after["measure"]:
        return after
    changed = [i for i, (a, b) in enumerate(zip(before["v"], after["v"])) if a != b]
    opened = [i for i, (a, b) in enumerate(zip(before["open"], after["open"])) if a != b]
    if len(changed) + len(opened) > PATCH_LIMIT * after["n"]:
        return after
    p = Patch()
    for k, v in after.items():
        if k not in ("v", "open") and before.get(k) != v:
            p[k] = v
    for i in changed:
        p["v"][i] = after["v"][i]
    for i in opened:
        p["open"][i] = after["open"][i]
    return p


def initial_map(runtime: Runtime) -> tuple[dict, str]:
    """The first colours, for the page itself (see ``ScreenContext.colours``)."""
    return map_colours(runtime, bigscreen.DEFAULT_RANGE, None, None, bigscreen.DEFAULT_MEASURE)


def lineage_text(engine, code: str) -> str:
    return " › ".join(a.name for a in areas.lineage(engine, code)[1:-1])


def warning_board(data: dict) -> list:
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
            dcc.Link(a["name"], href=f"/grid/{a['code']}", className="alert-grid"),
            html.Span(strings.WARNING_LEVEL_SHORT[a["level"]] + "色预警", className=f"alert-lv lv{a['level']}"),
            html.Span("；".join(a["reasons"]) or "—", className="alert-reason"),
        ]) for a in data["alerts"]]
        more = data.get("alerts_total", len(items)) - len(items)
        if more > 0:  # a city has thousands; the rest are one click away
            items.append(html.Li(dcc.Link(strings.BOARD_MORE.format(n=more), href="/warnings", className="alert-more")))
        alerts = html.Ul(items, className="alert-list" + (" rolling" if len(items) > 4 else ""))
    else:
        alerts = html.Div("当前无红色、橙色预警网格", className="board-quiet")
    return [counts, towns, html.Div(alerts, className="alert-wrap")]


def feed_items(df) -> list:
    if df.empty:
        return [html.Li(strings.NO_DATA, className="feed-empty")]
    items = []
    for r in df.itertuples():
        closed = r.action == "verify_ok"
        items.append(html.Li(dcc.Link([
            html.Span(fmt.when(r.at, "%H:%M"), className="feed-time"),
            html.Span("结案" if closed else "上报", className=f"feed-badge {'closed' if closed else 'new'}"),
            html.Span(r.category, className="feed-cat"),
            html.Span(r.grid, className="feed-grid"),
            html.Span(r.title, className="feed-title"),
            html.Span(strings.STATUS_LABELS[r.status], className=f"feed-status st-{r.status}"),
        ], href=f"/event/{r.id}"), className="feed-item"))
    # Rendered twice so the rolling animation can loop seamlessly.
    return items + [html.Li(i.children, className="feed-item dup") for i in items] if len(items) > 6 else items
