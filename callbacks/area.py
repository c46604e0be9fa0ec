"""/town/<code> and /community/<code>: the pages and their panels.

The page is built with its map's first colours; the panels (``panel.py``) fill the figures,
rankings, lists and charts on arrival and whenever the data changes, and recolour the map by
measure. What a warned community or grid shows beside its warning is what stands open there now.
"""

from __future__ import annotations

from dash import Input, Output, State, dcc, html

from dashboard import strings, vocabulary
from dashboard.domain import areas
from dashboard.domain.indicators import INDICATORS
from dashboard.figures import caselist, metrics
from dashboard.present import charts, fmt, mapdata
from dashboard.warnings import board
from dashboard.web.runtime import Runtime
from layouts import area as page
from layouts import desk, ids
from layouts.common import judged

from . import desk as common
from . import kpis, panel
from .pages import Page
from .panel import Panel, View

A = ids.AreaPage
PARAMS = common.AreaParams(A.PARAMS, ("town", "community"))


def _area(runtime: Runtime, code: str, level: str):
    """The area of a town or community page, or None when there is no such area of that level."""
    info = areas.get(runtime.engine, code)
    return info if info is not None and info.level == level else None


def _page(runtime: Runtime, code: str, level: str, query: dict):
    info = _area(runtime, code, level)
    if info is None:
        return None
    m = common.map_settings(runtime, code)
    if m is None:
        return None
    v = common.view(runtime, query, area=code)
    (hideout, _legend), map_fp = panel.first_values(runtime, PANELS["area-map"], v, (page.DEFAULT_MEASURE,))
    path = f"/{level}/{code}"
    header = common.header(crumbs=common.area_crumbs(runtime.engine, code, query), title=info.name,
                           kind=strings.LEVEL_LABELS[level], code=code, range=common.range_bar(path, v.selection),
                           badge_id=A.BADGE)
    ctx = page.AreaContext(code=code, level=level, header=header, map=m, hideout=hideout,
                           params={"code": code, "level": level, "query": common.window_query(query)},
                           panels={"area-map": map_fp})
    return page.layout(ctx)


def town_page(runtime: Runtime, code: str, query: dict):
    return _page(runtime, code, "town", query)


def community_page(runtime: Runtime, code: str, query: dict):
    return _page(runtime, code, "community", query)


# --- the panels --------------------------------------------------------------------------------------

CHILD_LEVEL = {"town": "community", "community": "grid"}
CHILD_FIELDS = ("reported", "open_now", "overdue_now", "closure_rate")


def _rows(df, fields) -> dict[str, dict]:
    return {r["code"]: {f: r[f] for f in fields} for r in df.to_dict("records") if r["code"] is not None}


def _body_data(rt: Runtime, v: View) -> dict:
    engine = rt.engine
    level = vocabulary.level_of_code(v.area)
    child_level = CHILD_LEVEL[level]
    warn = board.warnings_for(engine, v.now, v.area)
    warned = {g: int(lv) for g, lv in warn.levels.items() if lv > 0}
    grid_stock = _rows(metrics.by_group(engine, v.window, "grid", v.scope), ("open_now", "overdue_now"))
    grid_names = areas.names(engine, "grid")
    return {
        "figures": metrics.summary(engine, v.window, v.scope),
        "level": warn.level_of(v.area),
        "child_level": child_level,
        "children": [{"code": k.code, "name": k.name, "level": warn.level_of(k.code),
                      "warned": sum(warn.counts(k.code)[i] for i in (1, 2, 3, 4))} for k in areas.children(engine, v.area)],
        "per_child": _rows(metrics.by_group(engine, v.window, child_level, v.scope), CHILD_FIELDS),
        "warned": [{"code": g, "name": grid_names.get(g, g), "level": lv, "reasons": warn.reasons.get(g, []),
                    **grid_stock.get(g, {"open_now": 0, "overdue_now": 0})}
                   for g, lv in sorted(warned.items(), key=lambda kv: (kv[1], kv[0]))],
        "open": caselist.open_cases(engine, v.area, v.now, limit=15),
        "charts": charts.data(engine, ("category", "trend"), v.window, v.area),
    }


def _body_view(v: View, d: dict) -> list:
    worst = d["level"]
    badge = desk.level_badge(worst, strings.WARNING_BADGE.format(level=strings.WARNING_LEVEL_LABELS[worst])
                             if worst else strings.WARNING_NONE)
    return [*kpis.values(d["figures"], page.KPI_FIELDS), badge, children_table(d, v.link_query),
            warned_list(d["warned"], v.link_query), common.open_table(d["open"]), charts.draw("trend", d["charts"]),
            charts.draw("category", d["charts"])]


def _map_data(rt: Runtime, v: View, measure) -> dict:
    hideout = mapdata.grid_values(rt.engine, v.window, measure or page.DEFAULT_MEASURE, area=v.area)
    return {**hideout, "selected": None, "town": None, "tip": strings.MAP_TIP}


PANELS = {
    "area-body": Panel("area-body", [*kpis.outputs(A.KPIS, page.KPI_FIELDS), Output(A.BADGE, "children"),
                                     Output(A.CHILDREN, "children"), Output(A.WARNED, "children"),
                                     Output(A.OPEN, "children"), Output(A.TREND, "figure"),
                                     Output(A.CATEGORY, "figure")],
                       PARAMS, ("events", "warnings", "staff", "areas", "catalog"), _body_data, _body_view),
    "area-map": Panel("area-map", [Output(A.GRID_LAYER, "hideout"), Output(A.LEGEND, "children")], PARAMS,
                      ("events", "warnings", "staff", "areas"), _map_data, lambda v, d, measure: [d, desk.legend(d)],
                      inputs=[Input(A.MEASURE, "value")], prevent_initial_call=True),
}


def register(app, runtime: Runtime) -> None:
    for p in PANELS.values():
        panel.register(app, runtime, p)

    @app.callback(
        Output(ids.Shell.URL, "pathname", allow_duplicate=True),
        Output(ids.Shell.URL, "search", allow_duplicate=True),
        Input(A.GRID_LAYER, "clickData"),
        State(ids.Shell.URL, "search"),
        prevent_initial_call=True,
    )
    def open_grid(click, search):
        return common.open_grid_from_click(click, search)


def children_table(d: dict, sfx: str):
    """The area's communities (or grids) ranked by warning level, then by what stands overdue and
    open there now."""
    child_level, per = d["child_level"], d["per_child"]
    rows = []
    for k in d["children"]:
        f = per.get(k["code"], {"reported": 0, "open_now": 0, "overdue_now": 0, "closure_rate": None})
        lv = k["level"]
        rows.append({
            "sort": (lv if lv else 9, -int(f["overdue_now"]), -int(f["open_now"]), k["code"]),
            "name": dcc.Link(k["name"], href=common.AREA_PATHS[child_level] + k["code"] + sfx, className="row-link"),
            "level": desk.level_badge(lv, strings.WARNING_LEVEL_SHORT[lv]),
            "warned": str(k["warned"]) if child_level == "community" else None,
            "reported": fmt.count(f["reported"]),
            "open_now": fmt.count(f["open_now"]),
            "overdue_now": judged("overdue_now", f["overdue_now"]),
            "closure_rate": judged("closure_rate", f["closure_rate"]),
        })
    rows.sort(key=lambda r: r["sort"])
    keys = ["name", "level"] + (["warned"] if child_level == "community" else []) + list(CHILD_FIELDS)
    labels = {**strings.CHILD_COLUMNS, **{f: INDICATORS[f].label for f in CHILD_FIELDS}}
    return desk.table([(k, labels[k]) for k in keys], rows, class_name="ranking")


def warned_list(warned: list[dict], sfx: str):
    """The warned grids, most severe first, each with its reasons and what stands open there now."""
    if not warned:
        return html.Div(strings.NO_WARNED_GRIDS, className="desk-quiet")
    return html.Ul([html.Li([
        desk.level_badge(w["level"], strings.WARNING_LEVEL_SHORT[w["level"]]),
        dcc.Link(w["name"], href=f"/grid/{w['code']}{sfx}", className="row-link"),
        html.Span(strings.WARNED_STOCK.format(open=fmt.count(w["open_now"]), overdue=fmt.count(w["overdue_now"])),
                  className="stock"),
        html.Span(strings.CLAUSE_SEP.join(w["reasons"]) or "—", className="reason"),
    ]) for w in warned], className="warned-list")


TOWN = Page("town", "/town/<code>", town_page, register, subject="area",
            exists=lambda runtime, code: _area(runtime, code, "town") is not None)
COMMUNITY = Page("community", "/community/<code>", community_page, subject="area",
                 exists=lambda runtime, code: _area(runtime, code, "community") is not None)
