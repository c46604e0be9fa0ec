"""The county big screen's callbacks.

Every panel hangs off the live state (assets/live.js: the data version or the clock tick moved)
and the filters. Each callback fingerprints the data it would show and answers ``no_update``
when nothing changed, so unchanged panels are neither resent nor redrawn; the map is recoloured
through its hideout, never rebuilt.
"""

from __future__ import annotations

import hashlib
import json

from dash import ALL, Input, Output, State, dcc, html, no_update

from dashboard import access, areas, charts, feed, fmt, mapdata, metrics, strings, warning_overview
from dashboard import warnings as W

from dashboard.chartdata import category_names, label_handlers, laggards  # shared with the exports
from dashboard.runtime import Runtime
from layouts import bigscreen, ids

from .resilience import keep_last_on_db_error

B = ids.BigScreen
FILTERS = [Input(ids.Shell.LIVE, "data"), Input(B.RANGE, "value"), Input(B.DATES, "start_date"),
           Input(B.DATES, "end_date"), Input(B.TOWN, "value")]


def fingerprint(*parts) -> str:
    def default(o):
        if hasattr(o, "to_json"):
            return o.to_json(orient="split", date_format="iso")
        return str(o)

    return hashlib.sha1(json.dumps(parts, sort_keys=True, default=default).encode()).hexdigest()


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
            window = metrics.window_for(range_key or "7d", now, first=metrics.first_report(self.engine),
                                        start=start, end=end)
        except ValueError:  # an incomplete custom range: keep showing the last 7 days
            window = metrics.Window.last_days(7, now)
        town = access.town_choice(town)  # issue 8: a town's account sees its own town only
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
        now, window, area = screen.resolve(range_key, start, end, town)
        figures = metrics.summary(engine, window, metrics.Scope(area=area))
        values = [fmt.number(i["field"], figures.get(i["field"])) for i in kpi_ids]
        out = [v if v != old else no_update for v, old in zip(values, shown)]
        return out, f"数据时间 {fmt.when(now, '%m-%d %H:%M:%S')}", "live-dot"

    @app.callback(
        Output(B.GRID_LAYER, "hideout"),
        Output(B.LEGEND, "children"),
        Output(cache_id("map"), "data"),
        *FILTERS,
        Input(B.MEASURE, "value"),
        Input(B.GRID_LAYER, "clickData"),
        State(cache_id("map"), "data"),
    )
    @keep_last_on_db_error
    def colours(live, range_key, start, end, town, measure, click, cached):
        if live and live.get("stale"):
            return no_update, no_update, no_update
        now, window, area = screen.resolve(range_key, start, end, town)
        hideout = map_hideout(engine, window, measure, (click or {}).get("code"), town)
        fp = fingerprint(hideout)
        if fp == cached:
            return no_update, no_update, no_update
        return hideout, bigscreen.legend(hideout), fp

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
        if info is None or info.level != "grid" or not access.sees(code):  # issue 8
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
        now, window, area = screen.resolve(range_key, start, end, town)
        data = mapdata.heat_cells(engine, window, area, crs=runtime.settings.tile_crs)
        fp = fingerprint(data)
        return (data, fp) if fp != cached else (no_update, no_update)

    @app.callback(
        Output(B.CATEGORY, "figure"),
        Output(B.TREND, "figure"),
        Output(B.HEATMAP, "figure"),
        Output(cache_id("charts"), "data"),
        *FILTERS,
        Input(B.HEATMAP_MODE, "value"),
        State(cache_id("charts"), "data"),
    )
    @keep_last_on_db_error
    def left_charts(live, range_key, start, end, town, heat_mode, cached):
        if live and live.get("stale"):
            return no_update, no_update, no_update, no_update
        now, window, area = screen.resolve(range_key, start, end, town)
        scope = metrics.Scope(area=area)
        cats = metrics.category_day_matrix(engine, window, scope)
        tr = metrics.daily_trend(engine, window, scope)
        hw = metrics.hour_weekday_matrix(engine, window, scope) if heat_mode == "hour" else None
        fp = fingerprint(cats, tr, hw, heat_mode)
        if fp == cached:
            return no_update, no_update, no_update, no_update
        names = category_names(engine)
        heat_fig = (charts.hour_weekday_heatmap(hw) if heat_mode == "hour"
                    else charts.category_day_heatmap(cats, names, list(tr["day"])))
        return charts.category_bar(cats, names), charts.trend(tr), heat_fig, fp

    @app.callback(
        Output(B.DEPTS, "figure"),
        Output(B.SPLIT, "figure"),
        Output(cache_id("depts"), "data"),
        *FILTERS,
        State(cache_id("depts"), "data"),
    )
    @keep_last_on_db_error
    def departments(live, range_key, start, end, town, cached):
        if live and live.get("stale"):
            return no_update, no_update, no_update
        now, window, area = screen.resolve(range_key, start, end, town)
        scope = metrics.Scope(area=area)
        ranking = metrics.department_ranking(engine, window, scope)
        split = metrics.handler_level_split(engine, window, scope)
        fp = fingerprint(ranking, split)
        if fp == cached:
            return no_update, no_update, no_update
        ranking = label_handlers(ranking)
        return charts.department_ranking(ranking, laggards(ranking)), charts.handler_split(split), fp

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
    def board(live, range_key, start, end, town, cached):
        if live and live.get("stale"):
            return no_update, no_update
        data = warning_overview.overview(engine, access.town_choice(town) or None)  # issue 8: scoped
        fp = fingerprint(data)
        if fp == cached:
            return no_update, no_update
        return warning_board(data), fp

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
        now, _window, area = screen.resolve(range_key, start, end, town)
        df = feed.latest(engine, now, area)
        fp = fingerprint(df)
        if fp == cached:
            return no_update, no_update
        return feed_items(df), fp



def map_hideout(engine, window, measure, selected=None, town=None) -> dict:
    """The whole county is always drawn; a chosen town is highlighted, the rest dimmed."""
    # issue 8: the whole county, or only the town of a town's account
    hideout = mapdata.grid_values(engine, window, measure or bigscreen.DEFAULT_MEASURE, area=access.limit())
    hideout["selected"] = selected
    hideout["town"] = town or None
    return hideout


def initial_map(runtime: Runtime) -> tuple[dict, str]:
    """The first colours, for the page itself (see ``ScreenContext.hideout``)."""
    _now, window, _area = Screen(runtime).resolve(bigscreen.DEFAULT_RANGE, None, None, "")
    hideout = map_hideout(runtime.engine, window, bigscreen.DEFAULT_MEASURE)
    return hideout, fingerprint(hideout)


def lineage_text(engine, code: str) -> str:
    return " › ".join(a.name for a in areas.lineage(engine, code)[1:-1])


def warning_board(data: dict) -> list:
    counts = html.Div(
        [html.Div([html.Div(str(data["counts"][lv]), className="lv-n"),
                   html.Div(strings.WARNING_LEVEL_LABELS[lv], className="lv-label")], className=f"lv lv{lv}")
         for lv in (1, 2, 3, 4)],
        className="board-counts",
    )
    towns = html.Div(
        [dcc.Link([html.Span(t["name"]), html.Span(strings.WARNING_LEVEL_SHORT[t["level"]], className="chip-lv")],
                  href=f"/town/{t['code']}", className=f"town-chip lv{t['level']}") for t in data["towns"]],
        className="board-towns",
    )
    if data["alerts"]:
        items = [html.Li([
            html.Span(className=f"dot lv{a['level']}"),
            dcc.Link(a["name"], href=f"/grid/{a['code']}", className="alert-grid"),
            html.Span(strings.WARNING_LEVEL_SHORT[a["level"]] + "色预警", className=f"alert-lv lv{a['level']}"),
            html.Span("；".join(a["reasons"]) or "—", className="alert-reason"),
        ]) for a in data["alerts"]]
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
