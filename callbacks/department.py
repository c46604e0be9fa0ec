"""/department/<code>: the page and its panel (the handler's figures on its own clock, 综合得分,
where its cases stand, time per stage beside the area's, rates over time, its overdue cases now)."""

from __future__ import annotations

from dash import Input, Output, html
from sqlalchemy.orm import Session

from dashboard import strings
from dashboard.domain import areas
from dashboard.figures import caselist, metrics
from dashboard.present import plots
from dashboard.store.models import Department
from dashboard.web import access
from dashboard.web.runtime import Runtime
from layouts import department as page
from layouts import desk, ids
from layouts.common import judged

from . import desk as common
from . import kpis, panel
from .desk import open_table
from .pages import Page
from .panel import Panel, Source, View

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
    sel = common.select_window(runtime, query)
    root = areas.root(runtime.engine)
    crumbs = [desk.Crumb(root.name if root else strings.APP_TITLE, "/"), desk.Crumb(strings.CRUMB_DEPARTMENTS),
              desk.Crumb(dept.name)]
    extra = []
    if dept.area_code:  # a town / community / grid handling cases itself: its area page too
        extra.append(desk.link(strings.DEPT_AREA_LINK.format(level=strings.LEVEL_LABELS[dept.level]),
                               common.AREA_PATHS[dept.level] + dept.area_code + common.suffix(query), "see-all"))
    header = common.header(crumbs=crumbs, title=dept.name, kind=strings.HANDLER_LEVEL_LABELS[dept.level],
                           code=dept.code, range=common.range_bar(f"/department/{code}", sel), extra=extra)
    ctx = page.DeptContext(code=code, header=header, params={"code": code, "query": common.window_query(query)})
    return page.layout(ctx)


class HandlerParams(Source):
    """The department page's params: a handler the principal may see, and the URL's window. A
    town's account sees the handler's work in its town, beside its town's mean."""

    inputs = (Input(D.PARAMS, "data"),)

    def resolve(self, runtime: Runtime, values) -> View:
        params = values[0] or {}
        code = params.get("code")
        if not access.department_visible(runtime.engine, code):
            raise access.NotVisible()
        return common.view(runtime, params.get("query"), area=access.limit(), department=code)


def _body_data(rt: Runtime, v: View) -> dict:
    engine = rt.engine
    around = metrics.Scope(area=v.limit)
    return {
        "figures": metrics.summary(engine, v.window, v.scope),
        "stages": metrics.stage_counts(engine, v.window, v.scope),
        "hours": metrics.stage_hours(engine, v.window, v.scope),
        "around": metrics.stage_hours(engine, v.window, around),
        "rates": metrics.rate_series(engine, v.window, v.scope),
        "overdue": caselist.overdue_with_handler(engine, v.department, v.now, area=v.limit, limit=30),
    }


def _body_view(v: View, d: dict) -> list:
    f = d["figures"]
    score_value = [html.Span(judged("score", f.get("score")), className="big"),
                   html.Span(strings.SCORE_OUT_OF, className="muted")]
    names = (strings.DEPT_THIS, strings.DEPT_TOWN_MEAN if v.limit else strings.DEPT_COUNTY_MEAN)
    return [*kpis.values(f, page.KPI_FIELDS), score_value, plots.score_parts(f), plots.stage_bar(d["stages"]),
            plots.stage_means(d["hours"], d["around"], names=names), plots.rate_lines(d["rates"]),
            overdue_list(d["overdue"])]


PANELS = {
    "dept-body": Panel("dept-body", [*kpis.outputs(D.KPIS, page.KPI_FIELDS), Output(D.SCORE_VALUE, "children"),
                                     Output(D.SCORE, "figure"), Output(D.STATUS, "figure"), Output(D.STAGES, "figure"),
                                     Output(D.RATES, "figure"), Output(D.OVERDUE, "children")],
                       HandlerParams(), ("events", "catalog", "areas"), _body_data, _body_view),
}


def register(app, runtime: Runtime) -> None:
    for p in PANELS.values():
        panel.register(app, runtime, p)


def overdue_list(rows: list[dict]):
    if not rows:
        return html.Div(strings.DEPT_NO_OVERDUE, className="desk-quiet")
    return open_table(rows)


PAGE = Page("department", "/department/<code>", department_page, register, subject="department",
            exists=lambda runtime, code: department(runtime.engine, code) is not None)
