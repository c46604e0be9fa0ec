"""/department/<code>: route and callbacks (figures, score, statuses, stage times, rates over
time, overdue cases)."""

from __future__ import annotations

from dash import ALL, Input, Output, State, html, no_update
from sqlalchemy.orm import Session

from dashboard import strings
from dashboard.web import access
from dashboard.domain import areas
from dashboard.present import plots
from dashboard.figures import caselist
from dashboard.present import fmt
from dashboard.figures import metrics
from dashboard.store.models import Department
from dashboard.web.runtime import Runtime
from layouts import desk, ids
from layouts import department as page

from . import desk as common
from .panel import fingerprint
from .area import open_table
from .pages import Page

D = ids.DeptPage


def department(engine, code: str) -> Department | None:
    if not code or len(code) > 32:
        return None
    with Session(engine) as s:
        return s.get(Department, code)


def department_page(runtime: Runtime, code: str, query: dict):
    dept = department(runtime.engine, code)
    if dept is None:
        return None
    window, rk, start, end = common.resolve_window(runtime, query)
    root = areas.root(runtime.engine)
    crumbs = [desk.Crumb(root.name if root else strings.APP_TITLE, "/"), desk.Crumb(strings.CRUMB_DEPARTMENTS),
              desk.Crumb(dept.name)]
    extra = []
    if dept.area_code:  # a town / community / grid handling cases itself: its area page too
        extra.append(desk.link(strings.DEPT_AREA_LINK.format(level=strings.LEVEL_LABELS[dept.level]),
                               common.AREA_PATHS[dept.level] + dept.area_code + common.suffix(query), "see-all"))
    header = common.header(crumbs=crumbs, title=dept.name, kind=strings.HANDLER_LEVEL_LABELS[dept.level], code=dept.code,
                         range=common.range_bar(f"/department/{code}", window, rk, start, end), extra=extra)
    ctx = page.DeptContext(code=code, header=header,
                                       params={"code": code, "query": common.window_query(query)})
    return page.layout(ctx)


def register(app, runtime: Runtime) -> None:
    engine = runtime.engine

    @app.callback(
        Output({"type": D.KPIS, "field": ALL}, "children"),
        Output(D.SCORE_VALUE, "children"),
        Output(D.SCORE, "figure"),
        Output(D.STATUS, "figure"),
        Output(D.STAGES, "figure"),
        Output(D.RATES, "figure"),
        Output(D.OVERDUE, "children"),
        Output({"type": ids.Desk.CACHE, "panel": "dept-body"}, "data"),
        Input(D.PARAMS, "data"),
        Input(ids.Shell.LIVE, "data"),
        State({"type": D.KPIS, "field": ALL}, "id"),
        State({"type": ids.Desk.CACHE, "panel": "dept-body"}, "data"),
    )
    def body(params, live, kpi_ids, cached):
        nothing = ([no_update] * len(kpi_ids),) + (no_update,) * 7
        if not params or (live and live.get("stale")):
            return nothing
        code, query = params["code"], params.get("query")
        # A town's account sees the handler's work in its town, beside its town's mean
        if not access.department_visible(engine, code):
            raise access.NotVisible()
        town = access.limit()
        window, *_ = common.resolve_window(runtime, query)
        now = runtime.now()
        scope = metrics.Scope(department=code, area=town)
        figures = metrics.summary(engine, window, scope)
        status = metrics.stage_counts(engine, window, scope)
        stages = metrics.stage_hours(engine, window, scope)
        county = metrics.stage_hours(engine, window, metrics.Scope(area=town))
        rates = metrics.rate_series(engine, window, scope)
        overdue = caselist.overdue_with_handler(engine, code, now, area=town, limit=30)
        fp = fingerprint(figures, status, stages, county, rates,
                         [(r["id"], r["supervised_at"], round(r["overdue_hours"] or 0)) for r in overdue], params)
        if fp == cached:
            return nothing
        kpis = [fmt.number(i["field"], figures.get(i["field"])) for i in kpi_ids]
        score_value = [html.Span(fmt.number("score", figures.get("score")), className="big"),
                       html.Span(" / 100", className="muted")]
        return (kpis, score_value, plots.score_parts(figures), plots.stage_bar(status),
                plots.stage_means(stages, county, names=(strings.DEPT_THIS, strings.DEPT_TOWN_MEAN if town
                                                          else strings.DEPT_COUNTY_MEAN)),
                plots.rate_lines(rates), overdue_list(overdue), fp)


def overdue_list(rows: list[dict]):
    if not rows:
        return html.Div(strings.DEPT_NO_OVERDUE, className="desk-quiet")
    return open_table(rows)


PAGE = Page("department", "/department/<code>", department_page, register, subject="department",
            exists=lambda runtime, code: department(runtime.engine, code) is not None)
