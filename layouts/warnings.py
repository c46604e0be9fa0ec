"""/warnings: the desk page of the four-level warnings (duty officers, 1920×1080 and 1366×768).

Current warning grids, the history of level changes and the list of warnings, with filters; a
form to issue a manual warning and buttons to lift one early. Tables are built here from plain
rows (``table_*``) so the callbacks only fetch data and hand it over.
"""

from __future__ import annotations

import functools

from dash import dcc, html

from dashboard import strings

from . import ids

LEVELS = (1, 2, 3, 4)
LEVEL_OPTIONS = [{"label": strings.WARNING_LEVEL_LABELS[lv], "value": lv} for lv in LEVELS]
KIND_VALUES = ("all", "manual", "computed")
STATUS_VALUES = ("active", "ended", "all")


def badge(level: int) -> html.Span:
    return html.Span(strings.WARNING_LEVEL_SHORT[level], className=f"lv-badge lv{level}",
                     title=strings.WARNING_LEVEL_LABELS[level])


def _panel(title: str, body, count_id: str | None = None, tools=None, className: str = "") -> html.Section:
    head = [html.H2(title), html.Span(id=count_id, className="wn-count") if count_id else None,
            html.Div(tools, className="wn-tools") if tools else None]
    return html.Section([html.Div(head, className="wn-panel-head"), body], className=f"wn-panel {className}".strip())


def pager(table: str) -> html.Div:
    """上一页 · 第 k / n 页 · 下一页 under a table (hidden while everything fits on one page), with the
    page's store and the store of what the table shows."""
    part = functools.partial(ids.Warnings.pager, table)
    return html.Div([
        html.Div([html.Button(strings.WARNINGS_PAGER["prev"], id=part("prev"), n_clicks=0, disabled=True,
                              className="wn-page-btn"),
                  html.Span(id=part("text"), className="wn-page-text"),
                  html.Button(strings.WARNINGS_PAGER["next"], id=part("next"), n_clicks=0, disabled=True,
                              className="wn-page-btn")], id=part("bar"), className="wn-pager", hidden=True),
        dcc.Store(id=part("page"), data=0),
        dcc.Store(id=part("shown"), data=None),
    ])


def _field(label: str, control, error_for: str | None = None) -> html.Label:
    return html.Label([html.Span(label, className="wn-label"), control], className="wn-field")


def layout(*, towns: list[tuple[str, str]], scopes: list[dict], default_until: str, default_from: str,
           default_to: str, actor: str, can_issue: bool = True) -> html.Div:
    """``towns``: (code, name); ``scopes``: dropdown options {label, value}; dates as local ISO;
    ``actor``: who issues (the logged-in account; shown, never typed); ``can_issue``: whether the
    form and the lift buttons are shown."""
    header = html.Header([
        html.A(strings.WARNINGS_BACK, href="/", className="wn-back"),
        html.H1(strings.WARNINGS_PAGE_TITLE),
        html.Div(id=ids.Warnings.SUMMARY, className="wn-summary"),
        html.Div(id=ids.Warnings.EVALUATED, className="wn-evaluated"),
    ], className="wn-header")

    filters = html.Div([
        _field(strings.WARNINGS_FILTER_LEVEL, dcc.Checklist(id=ids.Warnings.LEVELS, options=LEVEL_OPTIONS, value=[1, 2, 3, 4],
                                                            inline=True, className="wn-check")),
        _field(strings.WARNINGS_FILTER_TOWN, dcc.Dropdown(id=ids.Warnings.TOWN, options=[{"label": n, "value": c}
                                                                                         for c, n in towns],
                                                          placeholder=strings.WARNINGS_ALL, clearable=True,
                                                          className="wn-dropdown")),
        _field(strings.WARNINGS_FILTER_FROM, dcc.Input(id=ids.Warnings.FROM, type="date", value=default_from,
                                                       className="wn-input")),
        _field(strings.WARNINGS_FILTER_TO, dcc.Input(id=ids.Warnings.TO, type="date", value=default_to, className="wn-input")),
    ], className="wn-filters")

    current = _panel(strings.WARNINGS_CURRENT, html.Div([html.Div(id=ids.Warnings.CURRENT, className="wn-scroll"),
                                                         pager("current")], className="wn-table-body"),
                     ids.Warnings.CURRENT_COUNT, className="wn-current")
    history = _panel(strings.WARNINGS_HISTORY, html.Div([html.Div(id=ids.Warnings.HISTORY, className="wn-scroll"),
                                                         pager("history")], className="wn-table-body"),
                     ids.Warnings.HISTORY_COUNT, className="wn-history")

    form = _panel(strings.WARNINGS_ISSUE, html.Div([
        _field(strings.WARNINGS_FORM_SCOPE, dcc.Dropdown(id=ids.Warnings.SCOPE, options=scopes,
                                                         placeholder=strings.WARNINGS_FORM_SCOPE_HINT,
                                                         className="wn-dropdown")),
        _field(strings.WARNINGS_FORM_LEVEL, dcc.RadioItems(id=ids.Warnings.LEVEL, options=LEVEL_OPTIONS, value=4,
                                                           inline=True, className="wn-radio")),
        _field(strings.WARNINGS_FORM_REASON, dcc.Textarea(id=ids.Warnings.REASON, placeholder=strings.WARNINGS_FORM_REASON_HINT,
                                                          maxLength=200, className="wn-textarea")),
        html.Div([
            _field(strings.WARNINGS_FORM_UNTIL, dcc.Input(id=ids.Warnings.UNTIL, type="datetime-local", value=default_until,
                                                          className="wn-input")),
            _field(strings.WARNINGS_FORM_BY, html.Span(actor, id=ids.Warnings.ACTOR, className="wn-actor")),
        ], className="wn-row"),
        html.Button(strings.WARNINGS_FORM_SUBMIT, id=ids.Warnings.SUBMIT, n_clicks=0, className="wn-submit"),
        html.Div(id=ids.Warnings.FEEDBACK, className="wn-feedback", role="status"),
    ], className="wn-form"), className="" if can_issue else "wn-hidden")

    kind_options = [{"label": strings.WARNINGS_ALL if k == "all" else strings.WARNING_KIND_LABELS[k], "value": k}
                    for k in KIND_VALUES]
    status_options = [{"label": strings.WARNINGS_STATUS_FILTER[k], "value": k} for k in STATUS_VALUES]
    # Lifting asks first: the button only names the warning here; 确认解除 lifts it.
    confirm = html.Div([
        html.Span(id=ids.Warnings.LIFT_CONFIRM_TEXT, className="wn-confirm-text"),
        html.Button(strings.WARNINGS_LIFT_YES, id=ids.Warnings.LIFT_YES, n_clicks=0, className="wn-lift-yes"),
        html.Button(strings.WARNINGS_LIFT_NO, id=ids.Warnings.LIFT_NO, n_clicks=0, className="wn-lift-no"),
    ], id=ids.Warnings.LIFT_CONFIRM, className="wn-confirm", role="alertdialog", hidden=True)
    listing = _panel(strings.WARNINGS_LIST, html.Div([confirm, html.Div(id=ids.Warnings.LIST, className="wn-scroll"),
                                                      pager("list")], className="wn-list-body"), ids.Warnings.LIST_COUNT,
                     tools=[dcc.RadioItems(id=ids.Warnings.KIND, options=kind_options, value="manual", inline=True,
                                           className="wn-radio small"),
                            dcc.RadioItems(id=ids.Warnings.STATUS, options=status_options, value="active", inline=True,
                                           className="wn-radio small")],
                     className="wn-list")

    return html.Div([
        header,
        filters,
        html.Div([html.Div([current, history], className="wn-main"), html.Div([form, listing], className="wn-side")],
                 className="wn-body"),
        dcc.Store(id=ids.Warnings.CHANGED, data=0),
        dcc.Store(id=ids.Warnings.LIFT_PENDING, data=None),
    ], className="desk wn-page", id=ids.Warnings.ROOT)


# --- tables (rows in, components out) -----------------------------------------------------------------


def _table(columns: list[str], rows: list[list], empty: str) -> html.Div | html.Table:
    if not rows:
        return html.Div(empty, className="wn-empty")
    return html.Table([html.Thead(html.Tr([html.Th(c) for c in columns])),
                       html.Tbody([html.Tr([html.Td(c) for c in r]) for r in rows])], className="wn-table")


def reasons_list(reasons: list[dict]):
    return html.Ul([html.Li([badge(r["level"]) if r.get("level") else None, html.Span(r["text"])],
                            className=f"reason sig-{r.get('signal', '')}") for r in reasons], className="wn-reasons")


def table_current(rows: list[dict]):
    """rows: {level, name, code, town_name, community_name, since (text), reasons}."""
    c = strings.WARNINGS_COL
    return _table([c["level"], c["grid"], c["town"], c["since"], c["reasons"]], [
        [badge(r["level"]), html.Div([html.Div(r["name"]), html.Div(r["code"], className="wn-code")]),
         html.Div([html.Div(r["town_name"]), html.Div(r["community_name"], className="wn-code")]), r["since"],
         reasons_list(r["reasons"])] for r in rows], strings.WARNINGS_NONE)


def table_history(rows: list[dict]):
    """rows: {at (text), name, code, old_level, new_level, reasons}."""
    c = strings.WARNINGS_COL
    return _table([c["at"], c["grid"], c["change"], c["reasons"]], [
        [r["at"], html.Div([html.Div(r["name"]), html.Div(r["code"], className="wn-code")]),
         html.Span([badge(r["old_level"]), html.Span("→", className="wn-arrow"), badge(r["new_level"])],
                   className="wn-change"),
         reasons_list(r["reasons"])] for r in rows], strings.WARNINGS_NO_RECORDS)


def table_warnings(rows: list[dict]):
    """rows: {id, level, scope_name, kind, issued_at, until, status, issued_by, reasons, can_lift}."""
    c = strings.WARNINGS_COL
    return _table([c["id"], c["level"], c["scope"], c["issued_at"], c["until"], c["reason"], c["action"]], [
        [f"#{r['id']}", badge(r["level"]),
         html.Div([html.Div(r["scope_name"]), html.Div(strings.WARNING_KIND_LABELS[r["kind"]], className="wn-code")]),
         html.Div([html.Div(r["issued_at"]), html.Div(r["issued_by"], className="wn-code")]),
         html.Div([html.Div(r["until"]), html.Div(strings.WARNING_STATUS_LABELS[r["status"]],
                                                  className=f"wn-status st-{r['status']}")]),
         html.Div(strings.CLAUSE_SEP.join(r["reasons"]), className="wn-reason-text"),
         html.Button(strings.WARNINGS_LIFT, id={"type": ids.Warnings.LIFT, "id": r["id"]}, n_clicks=0, className="wn-lift")
         if r["can_lift"] else ""] for r in rows], strings.WARNINGS_NO_RECORDS)
