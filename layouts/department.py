"""/department/<code>: a handler's cases by status, closure and on-time rates over time, overdue
cases oldest first, mean time per stage, and the 综合得分 with its parts."""

from __future__ import annotations

from dataclasses import dataclass

from dash import dcc, html

from dashboard import strings

from . import desk, ids
from .common import panel_stores

D = ids.DeptPage
# A handler answers for disposal (its clock); closure and rework are the case's as a whole.
KPI_GROUPS = (
    ("flow", ("reported", "valid", "disposed", "on_time_disposal_rate", "closure_rate", "rework_rate", "score")),
    ("stock", ("open_now", "handler_overdue_now", "supervised_open_now")),
)
KPI_FIELDS = tuple(f for _, fields in KPI_GROUPS for f in fields)
PANELS = ("dept-body",)  # callbacks/department.py


@dataclass
class DeptContext:
    code: str
    header: desk.Header
    params: dict


def layout(ctx: DeptContext) -> html.Div:
    body = [
        desk.kpi_strip(D.KPIS, ctx.header, KPI_GROUPS),
        html.Div([
            desk.panel(strings.DEPT_SCORE_TITLE, [html.Div(id=D.SCORE_VALUE, className="score-value"),
                                                  desk.graph(D.SCORE, height=220),
                                                  html.Div(strings.SCORE_FORMULA, className="formula")],
                       graph=D.SCORE, class_name="panel-score"),
            desk.panel(strings.DEPT_STATUS_TITLE, desk.graph(D.STATUS, height=300), graph=D.STATUS),
            desk.panel(strings.DEPT_STAGES_TITLE, desk.graph(D.STAGES, height=300), graph=D.STAGES),
        ], className="desk-row row-3"),
        html.Div([
            desk.panel(strings.DEPT_RATES_TITLE, desk.graph(D.RATES, height=320), graph=D.RATES),
            desk.panel(strings.DEPT_OVERDUE_TITLE, html.Div(id=D.OVERDUE, className="scroll-y"),
                       class_name="panel-overdue",
                       extra=dcc.Link(strings.SEE_ALL, href=f"/events?handler={ctx.code}&handler_overdue=1",
                                      className="see-all")),
        ], className="desk-row row-2"),
    ]
    return desk.page(ctx.header, body, stores=[desk.params_store(D.PARAMS, ctx.params), *panel_stores(PANELS)],
                     class_name="desk-dept")
