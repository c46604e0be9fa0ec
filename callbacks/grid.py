"""/grid/<code>: the page and its panel (figures, warning with what stands open, team, people,
field work, cases, charts, the cases on the map)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pandas as pd
from dash import Input, Output, State, html, no_update

from dashboard import strings
from dashboard.domain import areas, windows
from dashboard.figures import caselist, fieldwork, gridprofile, metrics
from dashboard.present import charts, fmt
from dashboard.warnings import board
from dashboard.web.runtime import Runtime
from layouts import desk, ids
from layouts import grid as page

from . import desk as common
from . import kpis, panel
from .desk import open_table
from .pages import Page
from .panel import Panel, View

G = ids.GridPage
FIELDWORK_MIN_DAYS = 7  # weekly and yearly norms mean little over a shorter period


def _grid(runtime: Runtime, code: str):
    info = areas.get(runtime.engine, code)
    return info if info is not None and info.level == "grid" else None


def grid_page(runtime: Runtime, code: str, query: dict):
    info = _grid(runtime, code)
    if info is None:
        return None
    m = common.map_settings(runtime, code, pad=0.35)
    if m is None:
        return None
    v = common.view(runtime, query, area=code)
    header = common.header(crumbs=common.area_crumbs(runtime.engine, code, query), title=info.name,
                           kind=strings.LEVEL_LABELS["grid"], code=code,
                           range=common.range_bar(f"/grid/{code}", v.selection), badge_id=G.BADGE)
    ctx = page.GridContext(code=code, community=info.parent_code, header=header, map=m,
                           params={"code": code, "query": common.window_query(query)})
    return page.layout(ctx)


def fieldwork_window(window: windows.Window) -> windows.Window:
    """The page's window, or the week ending with it when it is shorter than a week."""
    if window.end - window.start >= timedelta(days=FIELDWORK_MIN_DAYS):
        return window
    return windows.Window.last_days(FIELDWORK_MIN_DAYS, window.end)


def _body_data(rt: Runtime, v: View) -> dict:
    engine, code = rt.engine, v.area
    warn = board.warnings_for(engine, v.now, code)
    fw_window = fieldwork_window(v.window)
    open_rows = caselist.open_cases(engine, code, v.now, limit=50)
    recent = caselist.recent(engine, code, v.now, v.window, limit=15)
    seen = {r["id"] for r in open_rows}
    return {
        "figures": metrics.summary(engine, v.window, v.scope),
        **warning_part(warn, code),
        "team": gridprofile.team(engine, code, v.now),
        "people": gridprofile.stats(engine, code),
        "fieldwork": fieldwork.worker_stats(engine, fw_window, area=code).to_dict("records"),
        "fieldwork_window": (fw_window.start, fw_window.end),
        # Open cases first (overdue on top), then the window's other cases, newest first.
        "cases": open_rows + [r for r in recent if r["id"] not in seen],
        "charts": charts.data(engine, ("category", "trend"), v.window, code),
        "points": gridprofile.event_points(engine, code, v.window, v.now, crs=rt.settings.tile_crs),
    }


def _body_view(v: View, d: dict) -> list:
    lv = d["level"]
    badge = desk.level_badge(lv, strings.WARNING_BADGE.format(level=strings.WARNING_LEVEL_LABELS[lv])
                             if lv else strings.WARNING_NONE)
    return [*kpis.values(d["figures"], page.KPI_FIELDS), badge, warning_panel(d, v.area), team_table(d["team"]),
            people_panel(d["people"]), fieldwork_panel(d["fieldwork"], windows.Window(*d["fieldwork_window"])),
            open_table(d["cases"]), charts.draw("trend", d["charts"]), charts.draw("category", d["charts"]),
            d["points"]]


PANELS = {
    "grid-body": Panel("grid-body", [*kpis.outputs(G.KPIS, page.KPI_FIELDS), Output(G.BADGE, "children"),
                                     Output(G.WARNING, "children"), Output(G.TEAM, "children"),
                                     Output(G.PEOPLE, "children"), Output(G.FIELDWORK, "children"),
                                     Output(G.EVENTS, "children"), Output(G.TREND, "figure"),
                                     Output(G.CATEGORY, "figure"), Output(G.POINTS, "data")],
                       common.AreaParams(G.PARAMS, ("grid",)), ("events", "warnings", "staff", "areas", "catalog"),
                       _body_data, _body_view, panel.only_changed),
}


def register(app, runtime: Runtime) -> None:
    for p in PANELS.values():
        panel.register(app, runtime, p)

    @app.callback(
        Output(ids.Shell.URL, "pathname", allow_duplicate=True),
        Output(ids.Shell.URL, "search", allow_duplicate=True),
        Input(G.NEIGHBOURS, "clickData"),
        State(ids.Shell.URL, "search"),
        State(G.PARAMS, "data"),
        prevent_initial_call=True,
    )
    def open_neighbour(click, search, params):
        if (click or {}).get("code") == (params or {}).get("code"):
            return no_update, no_update
        return common.open_grid_from_click(click, search)

    @app.callback(
        Output(ids.Shell.URL, "pathname", allow_duplicate=True),
        Output(ids.Shell.URL, "search", allow_duplicate=True),
        Input(G.POINTS, "clickData"),
        prevent_initial_call=True,
    )
    def open_event(click):
        eid = (click or {}).get("id")
        return (f"/event/{int(eid)}", "") if eid is not None else (no_update, no_update)


def warning_part(warn: board.WarningInfo, code: str) -> dict:
    """What the warning panel reads of the area view: the grid's level, its reasons, the history."""
    return {"level": warn.level_of(code), "reasons": warn.reasons.get(code, []),
            "history": warn.history.to_dict("records")}


def warning_panel(d: dict, code: str):
    """The grid's level with its reasons, what stands open in it now (the reasons speak of those
    cases), and the history of the warnings concerning it."""
    lv, f = d["level"], d["figures"]
    head = html.Div([desk.level_badge(lv, strings.WARNING_LEVEL_LABELS[lv] if lv else strings.WARNING_NONE),
                     html.Span(strings.WARNED_STOCK.format(open=fmt.count(f["open_now"]),
                                                           overdue=fmt.count(f["overdue_now"])), className="stock")],
                    className="warn-level")
    reasons = d["reasons"]
    parts = [head]
    if reasons:
        parts.append(html.Div([html.Span(strings.WARNING_REASONS, className="sub"),
                               html.Ul([html.Li(r) for r in reasons], className="reasons")]))
    hist = []
    for r in d["history"]:
        kind = strings.WARNING_KIND_LABELS.get(r["kind"], r["kind"])
        hist.append({
            "at": fmt.when(r["at"], "%m-%d %H:%M"),
            "level": desk.level_badge(int(r["level"]), strings.WARNING_LEVEL_SHORT[int(r["level"])]),
            "kind": kind if r["scope_code"] == code else strings.WITH_NOTE.format(text=kind, note=r["scope_name"]),
            "reasons": strings.CLAUSE_SEP.join(r["reasons"]) or "—",
            "ended": fmt.when(r["ended_at"], "%m-%d %H:%M") if pd.notna(r["ended_at"]) else "—",
            "by": r["by"] or "—",
        })
    cols = [(k, strings.WARNING_HISTORY_COLUMNS[k]) for k in ("at", "level", "kind", "reasons", "ended", "by")]
    parts.append(html.Div(strings.GRID_WARNING_HISTORY, className="sub"))
    parts.append(desk.table(cols, hist, empty=strings.WARNING_HISTORY_EMPTY, class_name="compact"))
    return parts


def team_table(team: list[dict]):
    rows = []
    for m in team:
        if m["online"]:
            app = html.Span(strings.APP_ONLINE, className="online")
        elif m["last_seen_at"] is not None:
            app = html.Span([strings.APP_OFFLINE, html.Span(
                " · " + strings.APP_LAST_SEEN.format(when=fmt.when(m["last_seen_at"], "%m-%d %H:%M")), className="muted")],
                className="offline")
        else:
            app = strings.APP_NEVER
        rows.append({"role": strings.ROLE_LABELS.get(m["role"], m["role"]), "name": m["name"],
                     "phone": m["phone_masked"] or "—", "app": app})
    cols = [(k, strings.TEAM_COLUMNS[k]) for k in ("role", "name", "phone", "app")]
    return desk.table(cols, rows, class_name="team")


def people_panel(p: dict):
    def chips(dim: str, labels: dict):
        items = p["tags"].get(dim, {})
        return html.Div([html.Div([html.Span(labels.get(t, t), className="chip-label"),
                                   html.Span(fmt.count(n), className="chip-n")], className="stat-chip")
                         for t, n in items.items()], className="stat-chips")

    head = html.Div([
        html.Div([html.Div(fmt.count(p["households"]), className="big"), html.Div(strings.HOUSEHOLDS_LABEL)],
                 className="stat-big"),
        html.Div([html.Div(fmt.count(p["houses"]), className="big"), html.Div(strings.HOUSES_LABEL)], className="stat-big"),
        html.Div([html.Div(fmt.count(p["population"]), className="big"), html.Div(strings.POPULATION_LABEL)],
                 className="stat-big"),
    ], className="stat-bigs")
    return [head, html.Div(strings.POPULATION_TAGS_TITLE, className="sub"),
            chips("population", strings.POPULATION_TAG_LABELS),
            html.Div(strings.HOUSING_TAGS_TITLE, className="sub"), chips("housing", strings.HOUSING_TAG_LABELS)]


def _gauge(label: str, value, norm: float, unit: str, norm_text: str, met: bool):
    v = 0.0 if value is None or value != value else float(value)
    scale = max(norm * 1.6, v * 1.05, 1e-9)
    return html.Div([
        html.Div([html.Span(label, className="gauge-label"),
                  html.Span([html.B(f"{v:.1f}"), " ", unit], className="gauge-value"),
                  html.Span(strings.FIELDWORK_MET if met else strings.FIELDWORK_NOT_MET,
                            className="tag " + ("good" if met else "bad"))], className="gauge-head"),
        html.Div([html.Div(className="gauge-fill " + ("good" if met else "bad"),
                           style={"width": f"{min(100.0, v / scale * 100):.1f}%"}),
                  html.Div(className="gauge-norm", style={"left": f"{norm / scale * 100:.1f}%"})], className="gauge-bar"),
        html.Div(norm_text, className="gauge-norm-text"),
    ], className="gauge")


def fieldwork_panel(workers: list[dict], window: windows.Window):
    period = strings.FIELDWORK_PERIOD.format(start=common.local_date(window.start),
                                             end=common.local_date(window.end - timedelta(seconds=1)))
    if not workers:
        return [html.Div(strings.FIELDWORK_NO_WORKER, className="desk-quiet"), html.Div(period, className="muted")]
    out = []
    for r in (SimpleNamespace(**w) for w in workers):
        out.append(html.Div([
            html.Div([html.B(r.name), html.Span(" · " + strings.ROLE_LABELS["grid_worker"], className="muted"),
                      html.Span(" · " + strings.FIELDWORK_REPORTS.format(n=r.reports), className="muted")],
                     className="worker"),
            _gauge(strings.FIELDWORK_PATROL, r.patrol_hours_per_week, fieldwork.PATROL_HOURS_PER_WEEK,
                   strings.FIELDWORK_PATROL_UNIT, strings.FIELDWORK_PATROL_NORM.format(n=fieldwork.PATROL_HOURS_PER_WEEK),
                   bool(r.patrol_norm_met)),
            _gauge(strings.FIELDWORK_VISITS, r.visits_per_household_year, fieldwork.VISITS_PER_HOUSEHOLD_PER_YEAR,
                   strings.FIELDWORK_VISITS_UNIT,
                   strings.FIELDWORK_VISITS_NORM.format(n=fieldwork.VISITS_PER_HOUSEHOLD_PER_YEAR),
                   bool(r.visit_norm_met)),
        ], className="fieldwork-worker"))
    out.append(html.Div(period, className="muted"))
    return out


PAGE = Page("grid", "/grid/<code>", grid_page, register, subject="area",
            exists=lambda runtime, code: _grid(runtime, code) is not None)
