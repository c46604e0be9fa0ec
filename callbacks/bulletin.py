"""The weekly bulletin page (/bulletin): the preview renders the same ``Bulletin`` the files are
built from (same figures in the print theme, same table rows), and the downloads are built by the
background job runner (``dashboard.export.jobs``) while the page polls its progress, so a long
export never holds up a request thread the big screen needs."""

from __future__ import annotations

from dash import Input, Output, ctx, no_update

from dashboard import strings
from dashboard.web import access
from dashboard.domain import areas
from dashboard.export import bulletin as bulletin_mod
from dashboard.export import jobs, tables
from dashboard.web.runtime import Runtime
from layouts import bulletin as page
from layouts import common, ids

from .pages import Page

P = ids.Bulletin
_runtime: Runtime | None = None

# Preview heights (px) of each chart on the page.
HEIGHTS = {"split": 150, "map": 560, "category": 420, "trend": 300, "heatmap-day": 300, "towns": 420, "scores": 560}


def week_label(w: bulletin_mod.Week, now) -> str:
    running = strings.WEEK_RUNNING if now < w.end else ""
    return f"{w.period_text()}{running}"


def _bulletin_page(runtime: Runtime):
    county = areas.root(runtime.engine)
    if county is None:
        return common.not_found(strings.NO_AREAS)
    now = runtime.now()
    weeks = bulletin_mod.weeks_available(runtime.engine, now)
    # The default is the last complete week: the one a Monday meeting reports on.
    complete = [w for w in weeks if w.end <= now]
    default = (complete or weeks)[0]
    # A town's account gets its own town's bulletin only.
    options = access.visible([(county.code, county.name)] + sorted(areas.names(runtime.engine, "town").items()))
    return page.layout(county.name, [(w.label, week_label(w, now)) for w in weeks], default.label, options)


def _plain(t: tables.Table) -> dict:
    return {"headers": t.headers, "rows": t.rows, "align": t.align, "more": t.more,
            "fills": {f"{r},{c}": lv for (r, c), lv in t.fills.items()},
            "shades": {f"{r},{c}": lv for (r, c), lv in t.shades.items()}}


def _figure(b: bulletin_mod.Bulletin, name: str):
    fig = b.figure(name, theme="print")
    fig.layout.width = None  # the page sizes it; the print size is for files
    fig.layout.height = HEIGHTS[name]
    return page.figure(name, fig, HEIGHTS[name])


def preview(b: bulletin_mod.Bulletin) -> list:
    S = strings.BULLETIN_SECTIONS
    alert_lines = [strings.BULLETIN_ALERT_LINE.format(alert=strings.BULLETIN_ALERT.format(level=strings.WARNING_LEVEL_SHORT[lv]), name=name,
                                               reasons=reasons)
                   for lv, name, reasons in tables.alerts(b)]
    towns = tables.town_levels(b)
    workers = [page.section(label, page.table(_plain(tables.workers(b, col))), class_name="bl-third")
               for col, label in strings.BULLETIN_WORKER_BOARDS.items()]
    return [
        page.section(S["kpi"], page.notes([tables.summary_sentence(b)]), page.kpi_cards(tables.kpi_cards(b)),
                     _figure(b, "split"), page.notes(b.notes)),
        page.section(S["map"], _figure(b, "map"), page.table(_plain(tables.level_counts(b))),
                     page.table(_plain(towns)) if towns else None, page.notes(alert_lines + [tables.level_note(b)]),
                     class_name="bl-two"),
        page.section(S["events"], _figure(b, "category"), _figure(b, "trend"), _figure(b, "heatmap-day"),
                     class_name="bl-two"),
        page.section(S["units"].format(units=strings.BULLETIN_UNITS[b.area.level]), _figure(b, "towns"),
                     page.table(_plain(tables.units(b))), class_name="bl-two"),
        page.section(S["departments"], _figure(b, "scores"), page.table(_plain(tables.departments(b))),
                     class_name="bl-two"),
        page.section(S["cases"], page.notes([tables.cases_note(b)]),
                     page.table(_plain(tables.cases(b))) if len(b.cases) else None),
        page.section(S["workers"], *workers, page.notes(tables.workers_note(b)), class_name="bl-three"),
        page.section(S["notes"], page.table(_plain(tables.notes()))),
    ]


def _area_arg(runtime: Runtime, code: str | None) -> str | None:
    root = areas.root(runtime.engine)
    code = None if not code or (root and code == root.code) else code
    return access.area(code)  # the county only for county-wide accounts


def register(app, runtime: Runtime) -> None:
    engine = runtime.engine

    @app.callback(Output(P.PREVIEW, "children"), Input(P.WEEK, "value"), Input(P.AREA, "value"))
    def show(week, area):
        try:
            b = bulletin_mod.collect(engine, week, _area_arg(runtime, area), runtime.now())
        except bulletin_mod.BulletinError as exc:
            return page.error(str(exc))
        return preview(b)

    @app.callback(
        Output(P.JOB, "data"),
        Output(P.POLL, "disabled"),
        Input(P.GENERATE, "n_clicks"),
        Input(P.WEEK, "value"),
        Input(P.AREA, "value"),
        prevent_initial_call=True,
    )
    def start(n_clicks, week, area):
        if ctx.triggered_id != P.GENERATE or not n_clicks:
            return None, True  # another week or area: the old files no longer match the preview
        try:
            job_id = jobs.runner().submit_bulletin(engine, week, _area_arg(runtime, area), runtime.now())
        except bulletin_mod.BulletinError:
            return None, True
        access.audit(engine, "export", target=f"bulletin:{week}:{_area_arg(runtime, area) or ''}")
        return job_id, False

    @app.callback(
        Output(P.PROGRESS, "hidden"),
        Output(P.PROGRESS_BAR, "style"),
        Output(P.PROGRESS_TEXT, "children"),
        Output(P.DOWNLOADS, "children"),
        Output(P.POLL, "disabled", allow_duplicate=True),
        Input(P.POLL, "n_intervals"),
        Input(P.JOB, "data"),
        prevent_initial_call=True,
    )
    def progress(_n, job_id):
        if not job_id:
            return True, {"width": "0%"}, "", [], True
        st = jobs.runner().status(job_id)
        if st is not None and not access.sees(st.get("area") or areas.root(engine).code):
            st = None  # another town's job is not there for this account
        if st is None:
            return False, {"width": "0%"}, strings.EXPORT_ERRORS["job"], [], True
        bar = {"width": f"{round(100 * (st.get('progress') or 0))}%"}
        if st["state"] == "done":
            files = {k: f"/export/bulletin/{job_id}/{k}" for k in st.get("files", {})}
            return False, bar, st.get("text", ""), page.downloads(files), True
        if st["state"] == "failed":
            return False, bar, st.get("error") or st.get("text", ""), [], True
        return False, bar, st.get("text", ""), no_update, False


PAGE = Page("bulletin", "/bulletin", _bulletin_page, register, nav=True)
