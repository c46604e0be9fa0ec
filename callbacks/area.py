"""/town/<code> and /community/<code>: route and callbacks.

The page is built with its map's first colours; one callback fills the figures, rankings, lists
and charts (on arrival and whenever the data changes), another recolours the map by measure.
Both fingerprint what they would send and answer ``no_update`` when nothing changed.
"""

from __future__ import annotations

from dash import ALL, Input, Output, State, dcc, html, no_update

from dashboard import strings
from dashboard.web import access
from dashboard.domain import areas
from dashboard.present import plots
from dashboard.figures import caselist
from dashboard.present import caserows, fmt
from dashboard.present import mapdata
from dashboard.figures import metrics
from dashboard.warnings import board
from dashboard.web.runtime import Runtime
from layouts import desk, ids
from layouts import area as page

from . import desk as common
from dashboard.present.charts import category_names

from .panel import fingerprint
from .pages import Page

A = ids.AreaPage
CHILD_LEVEL = {"town": "community", "community": "grid"}


def _area(runtime: Runtime, code: str, level: str):
    """The area of a town or community page, or None when there is no such area of that level."""
    info = areas.get(runtime.engine, code)
    return info if info is not None and info.level == level else None


def _page(runtime: Runtime, code: str, level: str, query: dict):
    info = _area(runtime, code, level)
    if info is None:
        return None
    window, rk, start, end = common.resolve_window(runtime, query)
    m = common.map_settings(runtime, code)
    if m is None:
        return None
    hideout = map_hideout(runtime, window, code, page.DEFAULT_MEASURE)
    path = f"/{level}/{code}"
    header = common.header(crumbs=common.area_crumbs(runtime.engine, code, query), title=info.name,
                         kind=strings.LEVEL_LABELS[level], code=code, range=common.range_bar(path, window, rk, start, end),
                         badge_id=A.BADGE)
    ctx = page.AreaContext(code=code, level=level, header=header, map=m, hideout=hideout,
                                 hideout_fingerprint=fingerprint(hideout),
                                 params={"code": code, "level": level, "query": common.window_query(query)})
    return page.layout(ctx)


def town_page(runtime: Runtime, code: str, query: dict):
    return _page(runtime, code, "town", query)


def community_page(runtime: Runtime, code: str, query: dict):
    return _page(runtime, code, "community", query)


def map_hideout(runtime: Runtime, window, code: str, measure: str) -> dict:
    hideout = mapdata.grid_values(runtime.engine, window, measure or page.DEFAULT_MEASURE, area=code)
    hideout["selected"] = None
    hideout["town"] = None
    hideout["tip"] = strings.MAP_TIP
    return hideout


def register(app, runtime: Runtime) -> None:
    engine = runtime.engine

    @app.callback(
        Output({"type": A.KPIS, "field": ALL}, "children"),
        Output(A.BADGE, "children"),
        Output(A.CHILDREN, "children"),
        Output(A.WARNED, "children"),
        Output(A.OPEN, "children"),
        Output(A.TREND, "figure"),
        Output(A.CATEGORY, "figure"),
        Output({"type": ids.Desk.CACHE, "panel": "area-body"}, "data"),
        Input(A.PARAMS, "data"),
        Input(ids.Shell.LIVE, "data"),
        State({"type": A.KPIS, "field": ALL}, "id"),
        State({"type": ids.Desk.CACHE, "panel": "area-body"}, "data"),
    )
    def body(params, live, kpi_ids, cached):
        nothing = ([no_update] * len(kpi_ids),) + (no_update,) * 7
        if not params or (live and live.get("stale")):
            return nothing
        code, level, query = params["code"], params["level"], params.get("query")
        access.require_area(code)  # the page's params are the client's word, not ours
        window, *_ = common.resolve_window(runtime, query)
        now = runtime.now()
        scope = metrics.Scope(area=code)
        figures = metrics.summary(engine, window, scope)
        child_level = CHILD_LEVEL[level]
        per_child = metrics.by_group(engine, window, child_level, scope)
        warn = board.warnings_for(engine, now, code)
        cats = metrics.category_day_matrix(engine, window, scope)
        tr = metrics.daily_trend(engine, window, scope)
        open_rows = caselist.open_cases(engine, code, now, limit=15)
        fp = fingerprint(figures, per_child, warn.levels, warn.reasons, cats, tr, [r["id"] for r in open_rows],
                         [(r["status"], r["overdue"]) for r in open_rows], params)
        if fp == cached:
            return nothing
        sfx = common.suffix(query)
        kpis = [fmt.number(i["field"], figures.get(i["field"])) for i in kpi_ids]
        worst = warn.level_of(code)
        badge = desk.level_badge(worst, strings.WARNING_BADGE.format(level=strings.WARNING_LEVEL_LABELS[worst]) if worst else strings.WARNING_NONE)
        return (kpis, badge, children_table(engine, code, child_level, per_child, warn, sfx),
                warned_list(engine, code, warn, sfx), open_table(open_rows),
                plots.trend(tr), plots.category_bar(cats, category_names(engine)), fp)

    @app.callback(
        Output(A.GRID_LAYER, "hideout"),
        Output(A.LEGEND, "children"),
        Output({"type": ids.Desk.CACHE, "panel": "area-map"}, "data"),
        Input(A.MEASURE, "value"),
        Input(ids.Shell.LIVE, "data"),
        State(A.PARAMS, "data"),
        State({"type": ids.Desk.CACHE, "panel": "area-map"}, "data"),
        prevent_initial_call=True,
    )
    def colours(measure, live, params, cached):
        if not params or (live and live.get("stale")):
            return no_update, no_update, no_update
        access.require_area(params["code"])
        window, *_ = common.resolve_window(runtime, params.get("query"))
        hideout = map_hideout(runtime, window, params["code"], measure)
        fp = fingerprint(hideout)
        if fp == cached:
            return no_update, no_update, no_update
        return hideout, desk.legend(hideout), fp

    @app.callback(
        Output(ids.Shell.URL, "pathname", allow_duplicate=True),
        Output(ids.Shell.URL, "search", allow_duplicate=True),
        Input(A.GRID_LAYER, "clickData"),
        State(ids.Shell.URL, "search"),
        prevent_initial_call=True,
    )
    def open_grid(click, search):
        return common.open_grid_from_click(click, search)


def children_table(engine, code: str, child_level: str, per_child, warn: board.WarningInfo, sfx: str):
    """The area's communities (or grids) ranked by warning level, then overdue and open cases."""
    kids = areas.children(engine, code)
    figures = per_child.set_index("code") if not per_child.empty else None
    rows = []
    for k in kids:
        f = figures.loc[k.code] if figures is not None and k.code in figures.index else None
        lv = warn.level_of(k.code)
        counts = warn.counts(k.code)
        rows.append({
            "sort": (lv if lv else 9, -(int(f["overdue"]) if f is not None else 0),
                     -(int(f["in_progress"]) if f is not None else 0), k.code),
            "name": dcc.Link(k.name, href=common.AREA_PATHS[child_level] + k.code + sfx, className="row-link"),
            "level": desk.level_badge(lv, strings.WARNING_LEVEL_SHORT[lv]),
            "warned": str(sum(counts[i] for i in (1, 2, 3, 4))) if child_level == "community" else None,
            "reported": fmt.count(f["reported"]) if f is not None else "0",
            "in_progress": fmt.count(f["in_progress"]) if f is not None else "0",
            "overdue": html.Span(fmt.count(f["overdue"]), className="bad" if f is not None and f["overdue"] else None)
            if f is not None else "0",
            "closure_rate": fmt.rate(f["closure_rate"]) if f is not None else "—",
        })
    rows.sort(key=lambda r: r["sort"])
    keys = ["name", "level"] + (["warned"] if child_level == "community" else []) + ["reported", "in_progress",
                                                                                   "overdue", "closure_rate"]
    return desk.table([(k, strings.CHILD_COLUMNS[k]) for k in keys], rows, class_name="ranking")


def warned_list(engine, code: str, warn: board.WarningInfo, sfx: str):
    lv = warn.levels[warn.levels > 0].sort_values()
    if lv.empty:
        return html.Div(strings.NO_WARNED_GRIDS, className="desk-quiet")
    names = areas.names(engine, "grid")
    return html.Ul([html.Li([
        desk.level_badge(int(level), strings.WARNING_LEVEL_SHORT[int(level)]),
        dcc.Link(names.get(g, g), href=f"/grid/{g}{sfx}", className="row-link"),
        html.Span(strings.CLAUSE_SEP.join(warn.reasons.get(g, [])) or "—", className="reason"),
    ]) for g, level in lv.items()], className="warned-list")


def open_table(rows: list[dict]):
    """Open cases, overdue first: the short list on area and grid pages."""
    out = []
    for r in rows:
        p = caserows.present(r)
        out.append({
            "id": dcc.Link(f"#{r['id']}", href=f"/event/{r['id']}", className="row-link"),
            "title": dcc.Link(r["title"], href=f"/event/{r['id']}", className="row-link"),
            "grid": p["grid"],
            "status": desk.status_badge(r["status"], r["overdue"]),
            "handler": p["handler"],
            "deadline": p["deadline"][5:] if p["deadline"] else "—",
            "overdue": (html.Span(fmt.duration_hours(r["overdue_hours"]), className="bad") if r["overdue"] else "—"),
            "supervised": desk.tag(strings.EVENT_SUPERVISED, "sup") if r["supervised_at"] is not None else "",
            "_overdue": r["overdue"],
        })
    c = strings.EXPLORER_COLUMNS
    cols = [("id", c["id"]), ("title", c["title"]), ("grid", c["grid"]), ("status", c["status"]),
            ("handler", c["handler"]), ("deadline", c["deadline"]), ("overdue", strings.INDICATOR_LABELS["overdue"]), ("supervised", c["supervised"])]
    return desk.table(cols, out, empty=strings.NO_OPEN_EVENTS, class_name="cases",
                      row_class=lambda r: "row-overdue" if r["_overdue"] else None)


TOWN = Page("town", "/town/<code>", town_page, register, subject="area",
            exists=lambda runtime, code: _area(runtime, code, "town") is not None)
COMMUNITY = Page("community", "/community/<code>", community_page, subject="area",
                 exists=lambda runtime, code: _area(runtime, code, "community") is not None)
