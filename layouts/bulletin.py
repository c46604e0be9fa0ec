"""The weekly bulletin page (/bulletin): pick a week and an area, see the bulletin's charts and
tables on the page, and download the deck, the workbook and the charts (built in the background,
with progress). A light desk page: what is previewed is what gets printed.

Component trees only; the callbacks (callbacks/bulletin.py) pass in plain data: options, figures,
and tables as header / rows / alignment.
"""

from __future__ import annotations

from dash import dcc, html

from dashboard import strings

from . import ids

P = ids.Bulletin
T = strings.BULLETIN_PAGE
GRAPH_CONFIG = {"displaylogo": False, "displayModeBar": False, "responsive": True}


def layout(county: str, weeks: list[tuple[str, str]], week: str, area_options: list[tuple[str, str]]) -> html.Div:
    """``weeks``: (value, label) newest first; ``area_options``: (code, name), county first."""
    controls = html.Div(
        [
            html.Label([html.Span(T["week"]), dcc.Dropdown(id=P.WEEK, options=[{"label": lab, "value": v} for v, lab in weeks],
                                                       value=week, clearable=False, className="bl-select")]),
            html.Label([html.Span(T["area"]), dcc.Dropdown(id=P.AREA, options=[{"label": n, "value": c} for c, n in area_options],
                                                       value=area_options[0][0], clearable=False,
                                                       className="bl-select")]),
            html.Button(T["generate"], id=P.GENERATE, className="bl-button", n_clicks=0),
            html.Div([html.Div(html.Div(id=P.PROGRESS_BAR, className="bl-bar-fill", style={"width": "0%"}),
                               className="bl-bar"),
                      html.Span(id=P.PROGRESS_TEXT, className="bl-progress-text")],
                     id=P.PROGRESS, className="bl-progress", hidden=True),
            html.Div(id=P.DOWNLOADS, className="bl-downloads"),
        ],
        className="bl-controls",
    )
    return html.Div(
        [
            html.Header([html.A(T["back"], href="/", className="bl-back"),
                         html.H1(strings.BULLETIN_TITLE.format(area=county))], className="bl-header"),
            controls,
            dcc.Store(id=P.JOB, data=None),
            dcc.Interval(id=P.POLL, interval=500, disabled=True),
            dcc.Loading(html.Div(id=P.PREVIEW, className="bl-preview"), type="dot", color="#1e3a8a",
                        overlay_style={"visibility": "visible", "opacity": 0.5}),
        ],
        id=P.ROOT,
        className="bl-page",
    )


def figure(chart: str, fig, height: int) -> dcc.Graph:
    return dcc.Graph(id={"type": P.FIGURE, "chart": chart}, figure=fig, config=GRAPH_CONFIG,
                     style={"height": f"{height}px"}, className="bl-graph")


def table(t: dict, class_name: str = "") -> html.Table:
    """``t``: headers, rows (text), align (l/c/r per column), optional fills {"r,c": warning level}
    and shades {"r,c": the value's level against its indicator: good, warn, crit}."""
    fills, shades = t.get("fills", {}), t.get("shades", {})

    def cls(r, c):
        k = f"{r},{c}"
        return " ".join(filter(None, [f"al-{t['align'][c]}", f"lv-cell lv{fills[k]}" if k in fills else "",
                                      f"lv-{shades[k]}" if k in shades else ""]))

    head = html.Thead(html.Tr([html.Th(h) for h in t["headers"]]))
    body = html.Tbody([
        html.Tr([html.Td(v, className=cls(r, c)) for c, v in enumerate(row)])
        for r, row in enumerate(t["rows"])
    ])
    out = [html.Table([head, body], className=f"bl-table {class_name}".strip())]
    if t.get("more"):
        out.append(html.Div(strings.BULLETIN_CASES_MORE.format(n=t["more"]), className="bl-more"))
    return html.Div(out, className="bl-table-wrap")


def kpi_cards(cards: list[dict]) -> html.Div:
    return html.Div([
        html.Div([html.Div(c["label"], className="bl-kpi-label"),
                  html.Div([html.Span(c["value"], className="bl-kpi-value"), html.Span(c["unit"], className="bl-kpi-unit")]),
                  html.Div(c["change"], className=f"bl-kpi-change dir{c['direction']}")],
                 className="bl-kpi", **{"data-field": c["field"]})
        for c in cards], className="bl-kpis")


def section(title: str, *children, class_name: str = "") -> html.Section:
    return html.Section([html.H2(title), *children], className=f"bl-slide {class_name}".strip())


def notes(lines: list[str]) -> html.Div:
    return html.Div([html.P(x) for x in lines if x], className="bl-notes")


def downloads(files: dict[str, str]) -> list:
    """Links to the finished job's files: {kind: url}."""
    return [html.A(strings.WITH_NOTE.format(text=strings.BULLETIN_FILES[k], note="." + k), href=url, download="", className="bl-download",
                   **{"data-kind": k}) for k, url in files.items()]


def error(message: str) -> html.Div:
    return html.Div(message, className="bl-error")
