"""Small building blocks shared by screens."""

import json

from dash import dcc, html

from dashboard import strings


# Charts on screens: the modebar (on hover) saves PNG at print scale; SVG has its own button.
GRAPH_CONFIG = {
    "displaylogo": False,
    "displayModeBar": "hover",
    "modeBarButtons": [["toImage"]],
    "toImageButtonOptions": {"format": "png", "scale": 3},
    "responsive": True,
}


def date_words() -> html.Div:
    """The words of the date pickers' calendar (months, weekdays), for assets/dates.js: every
    picker speaks Chinese whatever the browser's language. Once per page, in the shell."""
    from .ids import Shell

    return html.Div(id=Shell.DATE_WORDS, hidden=True, **{"data-words": json.dumps(strings.DATE_WORDS, ensure_ascii=False)})


def date_range(picker_id: str, start: str | None = None, end: str | None = None, class_name: str = "") -> dcc.DatePickerRange:
    """A date range picker in Chinese: ISO dates, months as 2026年11月, weeks from Monday, Chinese
    placeholders (the calendar's words: ``date_words``)."""
    return dcc.DatePickerRange(id=picker_id, start_date=start, end_date=end, display_format="YYYY-MM-DD",
                               month_format=strings.DATE_MONTH_FORMAT, first_day_of_week=1, minimum_nights=0,
                               start_date_placeholder_text=strings.DATE_PLACEHOLDERS["start"],
                               end_date_placeholder_text=strings.DATE_PLACEHOLDERS["end"], className=class_name)


def dates_prompt(prompt_id: str | None = None, text: str = strings.CUSTOM_DATES_PROMPT, hidden: bool = True) -> html.Div:
    """What 自定义 shows until both dates are chosen: it asks for them, rather than the screen
    silently showing another window. Shared by the desk pages, the explorer and the big screen."""
    kw = {"id": prompt_id} if prompt_id else {}
    return html.Div(text, className="dates-prompt", role="status", hidden=hidden, **kw)


def kpi(label: str, value_id: dict | str, unit: str = "", accent: str = "") -> html.Div:
    return html.Div(
        [html.Div(label, className="kpi-label"), html.Div([html.Span("—", id=value_id, className="kpi-value"),
                                                            html.Span(unit, className="kpi-unit")])],
        className=f"kpi {accent}".strip(),
    )


def kpi_value_id(kpi_type: str, field: str) -> dict:
    return {"type": kpi_type, "field": field}


def kpi_tile_id(kpi_type: str, field: str) -> dict:
    return {"type": kpi_type + "-tile", "field": field}


def flow_label(range_key: str | None) -> str:
    """What the strip's flow figures count: the window by name (近30日（期内）)."""
    return (strings.KPI_FLOW_LABEL.format(range=strings.RANGE_LABELS[range_key]) if range_key in strings.RANGE_LABELS
            else strings.KPI_GROUP_LABELS["flow"])


def kpi_groups(kpi_type: str, groups, *, flow_range: str | None = None, flow_label_id: str | None = None,
               class_name: str = "kpis") -> html.Div:
    """A KPI strip from the indicators' declarations, in groups that say what they count: the
    window's cohort (``flow``, labelled with ``flow_range``'s name; a callback keeps it when
    ``flow_label_id`` is given), what stands now (``stock``), the area itself (``context``).
    ``groups``: (kind, fields) pairs."""
    from dashboard.domain.indicators import INDICATORS

    out = []
    for kind, fields in groups:
        text = flow_label(flow_range) if kind == "flow" else strings.KPI_GROUP_LABELS[kind]
        label = html.Div(text, className="kpi-group-label",
                         **({"id": flow_label_id} if kind == "flow" and flow_label_id else {}))
        tiles = [kpi_tile(INDICATORS[f].label, kpi_value_id(kpi_type, f), INDICATORS[f].unit, kpi_tile_id(kpi_type, f))
                 for f in fields]
        out.append(html.Div([label, html.Div(tiles, className="kpi-group-tiles")], className=f"kpi-group {kind}",
                            style={"flex": len(fields)}))
    return html.Div(out, className=class_name)


def kpi_tile(label: str, value_id: dict | str, unit: str, tile_id: dict | str) -> html.Div:
    """A figure with its label and unit; its tile is coloured by the figure's level (``lv-warn``,
    ``lv-crit``: see ``dashboard.domain.indicators``)."""
    return html.Div(
        [html.Div(label, className="kpi-label"), html.Div([html.Span("—", id=value_id, className="kpi-value"),
                                                            html.Span(unit, className="kpi-unit")],
                                                           className="kpi-figure")],
        id=tile_id, className="kpi",
    )


def judged(key: str, value, text: str | None = None) -> html.Span:
    """A figure in a table or a sentence, coloured by its level against its indicator's thresholds
    (``judged lv-good|warn|crit|none``; assets/desk.css), like the KPI tiles."""
    from dashboard.domain.indicators import INDICATORS

    ind = INDICATORS[key]
    return html.Span(ind.text(value) if text is None else text, className=f"judged lv-{ind.level(value)}")


def panel_stores(panels, first: dict[str, str] | None = None) -> list:
    """The stores of what each panel shows (``callbacks/panel.py``), with the fingerprints of the
    answers the page already carries."""
    from dash import dcc

    from .ids import panel_store

    first = first or {}
    return [dcc.Store(id=panel_store(p), data=first.get(p)) for p in panels]


def not_found(message: str | None = None) -> html.Div:
    return html.Div(
        [html.H1("404"), html.H2(strings.NOT_FOUND_TITLE), html.P(message or strings.NOT_FOUND_BODY),
         html.A(strings.BACK_TO_SCREEN, href="/", className="button")],
        className="not-found",
    )


# A page the account may not open.
def forbidden(message: str | None = None) -> html.Div:
    return html.Div(
        [html.H1("403"), html.H2(strings.FORBIDDEN_TITLE), html.P(message or strings.FORBIDDEN_BODY),
         html.A(strings.BACK_TO_SCREEN, href="/", className="button")],
        className="not-found",
    )


def user_badge(text: str) -> html.Div:
    """Who is logged in, and the way out: a small corner tag over every screen of a login."""
    return html.Div([html.Span(text, className="user-badge-name"),
                     html.A(strings.LOGOUT, href="/logout", className="user-badge-logout")],
                    className="user-badge", id="user-badge")
