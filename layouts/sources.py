"""/sources: the connector's health for administrators (desk page, 1920×1080 and 1366×768).

Every county platform GridScreen reads, with its last sync, how old its data is, whether it is
late, and the rows its last sync refused with their keys in the platform and the reasons. Tables
are built here from plain rows; the callbacks only fetch them.
"""

from __future__ import annotations

from dash import html

from dashboard import strings


class Ids:
    ROOT = "sources-root"
    THRESHOLD = "sources-threshold"
    TABLE = "sources-table"
    REFUSED = "sources-refused"


def layout() -> html.Div:
    header = html.Header([
        html.A(strings.WARNINGS_BACK, href="/", className="wn-back"),
        html.H1(strings.SOURCES_PAGE_TITLE),
        html.Div(id=Ids.THRESHOLD, className="wn-evaluated"),
    ], className="wn-header")
    return html.Div([
        header,
        html.Section(html.Div(id=Ids.TABLE, className="wn-scroll"), className="wn-panel"),
        html.Div(id=Ids.REFUSED, className="src-refused"),
    ], className="desk wn-page", id=Ids.ROOT)


def _table(columns: list[str], rows: list[list], empty: str):
    if not rows:
        return html.Div(empty, className="wn-empty")
    return html.Table([html.Thead(html.Tr([html.Th(c) for c in columns])),
                       html.Tbody([html.Tr([html.Td(c) for c in r]) for r in rows])], className="wn-table")


def table_sources(rows: list[dict]):
    """rows: {name, url, last, result, error, read, written, refused, lag, late}; text values."""
    c = strings.SOURCES_COL
    return _table([c["name"], c["url"], c["last"], c["result"], c["read"], c["written"], c["refused"], c["lag"],
                   c["state"]], [
        [html.Strong(r["name"]), html.Span(r["url"], className="wn-code"), r["last"],
         html.Div([html.Div(r["result"]), html.Div(r["error"], className="wn-code") if r["error"] else None]),
         r["read"], r["written"], r["refused"], r["lag"],
         html.Span(strings.SOURCES_LATE if r["late"] else strings.SOURCES_ON_TIME,
                   className="lv-badge lv1" if r["late"] else "lv-badge lv0", style={"whiteSpace": "nowrap"})]
        for r in rows], strings.SOURCES_NONE)


def panel_refused(name: str, rows: list[dict], total: int):
    """The rows the last run of source ``name`` refused: {entity, source_key, reason}."""
    c = strings.SOURCES_COL
    body = _table([c["entity"], c["key"], c["reason"]],
                  [[strings.SYNC_ENTITY_LABELS.get(r["entity"], r["entity"]), r["source_key"], r["reason"]] for r in rows],
                  strings.SOURCES_NO_REFUSALS)
    more = html.Div(strings.SOURCES_REFUSED_MORE.format(n=len(rows), total=total, name=name), className="wn-code") \
        if total > len(rows) else None
    return html.Section([html.Div(html.H2(strings.SOURCES_REFUSED_TITLE.format(name=name)), className="wn-panel-head"),
                         html.Div(body, className="wn-scroll"), more], className="wn-panel")
