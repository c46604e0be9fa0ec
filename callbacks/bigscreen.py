"""The county big screen: header, KPI strip (and, as they land, map and panels)."""

from __future__ import annotations

from dash import ALL, Input, Output, State

from dashboard import areas, fmt, metrics, strings
from dashboard.runtime import Runtime
from layouts import ids


def register(app, runtime: Runtime) -> None:
    engine = runtime.engine

    @app.callback(
        Output(ids.BigScreen.TITLE, "children"),
        Output({"type": ids.BigScreen.KPIS, "field": ALL}, "children"),
        Output(ids.BigScreen.DATA_TIME, "children"),
        Input(ids.Shell.LIVE, "data"),
        State({"type": ids.BigScreen.KPIS, "field": ALL}, "id"),
    )
    def refresh(live, kpi_ids):
        root = areas.root(engine)
        if root is None:
            return strings.APP_TITLE, [strings.NO_DATA for _ in kpi_ids], ""
        now = runtime.now()
        figures = metrics.summary(engine, metrics.Window.today(now), metrics.Scope(area=root.code))
        values = [fmt.number(i["field"], figures.get(i["field"])) for i in kpi_ids]
        return f"{root.name}{strings.APP_TITLE}", values, f"数据时间 {fmt.when(now, '%H:%M:%S')}"

