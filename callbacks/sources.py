"""/sources: route and callback. Administrators only (``access`` permission ``sources``); every
figure comes from ``dashboard.connector.runs.health``."""

from __future__ import annotations

from dash import Input, Output

from dashboard import strings
from dashboard.web import access
from dashboard.present import fmt
from dashboard.connector import runs
from dashboard.web.runtime import Runtime
from layouts import ids
from layouts import sources as page

from .pages import Page

MAX_REFUSED = 100


def sources_page(runtime: Runtime):
    access.require("sources")
    return page.layout()


def rows(runtime: Runtime) -> tuple[list[dict], list[tuple]]:
    """The table's rows (text) and, per source, its last run's refused rows: (name, rows, total)."""
    out, refused = [], []
    for h in runs.health(runtime.engine, runtime.now(), runtime.settings.sync_late_seconds):
        out.append({
            "name": h.name, "url": h.url, "last": fmt.when(h.last_started, "%Y-%m-%d %H:%M:%S"),
            "result": strings.SYNC_STATUS_LABELS[h.last_status or "never"], "error": h.last_error or "",
            "read": fmt.count(h.rows_read), "written": fmt.count(h.rows_written), "refused": fmt.count(h.rows_refused),
            "lag": strings.SOURCES_LAG_NEVER if h.lag_seconds is None else fmt.duration_seconds(h.lag_seconds),
            "late": h.late})
        if h.last_run_id is not None and h.rows_refused:
            refused.append((h.name, runs.refusals(runtime.engine, h.last_run_id, MAX_REFUSED), h.rows_refused))
    return out, refused


def register(app, runtime: Runtime) -> None:
    @app.callback(
        Output(page.Ids.THRESHOLD, "children"),
        Output(page.Ids.TABLE, "children"),
        Output(page.Ids.REFUSED, "children"),
        Input(ids.Shell.LIVE, "data"),
        Input(page.Ids.ROOT, "id"),
    )
    def refresh(_live, _root):
        access.require("sources")
        table, refused = rows(runtime)
        threshold = strings.SOURCES_THRESHOLD.format(late=fmt.duration_seconds(runtime.settings.sync_late_seconds))
        return threshold, page.table_sources(table), [page.panel_refused(*r) for r in refused]


PAGE = Page("sources", "/sources", sources_page, register, permission="sources", nav=True)
