"""The weekly bulletin as an Excel workbook (XlsxWriter): one sheet per table, Chinese headers, real
numbers (rates as fractions shown with a percent format, hours with one decimal, times as Excel
date-times in Asia/Shanghai), frozen header row, filters and column widths that fit the text.

Values are the ``Bulletin``'s, i.e. ``metrics``' and ``fieldwork``'s, unrounded: the formats only
change how Excel shows them, so anyone can re-add or re-divide the columns and get the same result.
Text (names of areas, handlers, staff, titles, warning reasons) is written as typed string cells
through ``dashboard.sheets``, so nothing typed by anyone becomes a formula.

XlsxWriter rather than openpyxl: a city's bulletin has 300,000 cells (19,000 grid workers),
which openpyxl writes in ≈ 10 s and XlsxWriter (streaming rows, ``constant_memory``) in a
fraction of that. openpyxl still reads these files in the tests.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Callable

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from dashboard import strings
from dashboard.export import sheets
from dashboard.figures.fieldwork import PATROL_HOURS_PER_WEEK, VISITS_PER_HOUSEHOLD_PER_YEAR
from dashboard.timeutil import to_local
from dashboard.domain import indicators
from dashboard.export.bulletin import KPI_FIELDS, Bulletin
from dashboard.present import colours

FONT_NAME = "Noto Sans CJK SC"
FORMATS = {
    "int": "#,##0",
    "id": "0",  # an event number, not a quantity: no thousands separator
    "rate": "0.0%",
    "pp": "+0.0%;-0.0%;0.0%",  # a change of a rate: percentage points
    "signed": "+#,##0;-#,##0;0",
    "signed_hours": "+0.0;-0.0;0.0",
    "hours": "0.0",
    "score": "0.0",
    "number": "0.00",
    "datetime": "yyyy-mm-dd hh:mm",
    "date": "yyyy-mm-dd",
    "text": "@",
}
HEADER = {"font_name": FONT_NAME, "bold": True, "font_color": "#FFFFFF", "bg_color": "#1E3A8A", "pattern": 1,
          "align": "center", "valign": "vcenter", "text_wrap": True}
WRAP_OVER = 60  # text wider than this (in half-width characters) wraps in a column this wide

H = strings.TABLE_HEADERS
L = strings.INDICATOR_LABELS
S = strings.WORKBOOK_SHEETS
C = strings.WORKBOOK_COLUMNS


def _clean(v):
    """A cell value: numpy scalars as Python numbers, NaN/NaT as empty, aware times as local."""
    if v is None or v is pd.NaT:
        return None
    if isinstance(v, pd.Timestamp):
        v = v.to_pydatetime()
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, datetime) and v.tzinfo is not None:
        return to_local(v).replace(tzinfo=None)
    return v


def _width(v) -> float:
    if v is None:
        return 0
    s = v if isinstance(v, str) else (f"{v:%Y-%m-%d %H:%M}" if isinstance(v, datetime) else str(v))
    return sum(2 if ord(c) > 0x2E80 else 1 for c in s)


Column = tuple[str, Callable[[Any], Any], str]  # header, value of a row, format kind


class Book:
    """An XlsxWriter workbook and the cell formats it has made, each made once."""

    def __init__(self, out: io.BytesIO):
        self.wb = xlsxwriter.Workbook(out, {"constant_memory": True})
        self._formats: dict = {}

    def format(self, kind: str | None, wrap: bool = False):
        """The header's format (``kind`` None) or a body cell's of ``kind`` (``FORMATS``)."""
        key = (kind, wrap)
        if key not in self._formats:
            if kind is None:
                spec = HEADER
            else:
                spec = {"font_name": FONT_NAME, "num_format": FORMATS.get(kind, "General")}
                if kind == "text":
                    spec.update(valign="top", text_wrap=wrap)
            self._formats[key] = self.wb.add_format(spec)
        return self._formats[key]

    def fill(self, colour: str):
        """A conditional format's fill of ``colour`` (``#RRGGBB``)."""
        key = ("fill", colour)
        if key not in self._formats:
            self._formats[key] = self.wb.add_format({"bg_color": colour.upper()})
        return self._formats[key]


@dataclass
class Sheet:
    ws: Any  # xlsxwriter Worksheet
    rows: int  # rows below the header


def sheet(book: Book, title: str, columns: list[Column], rows, *, kinds_per_row: Callable | None = None) -> Sheet:
    """A sheet: header row, one row per item, formats per column (or per row via ``kinds_per_row``)."""
    ws = book.wb.add_worksheet(title)
    ws.set_row(0, 22)  # before the row is written: rows stream to disk as they are done
    header = book.format(None)
    for i, c in enumerate(columns):
        sheets.xlsxwriter_cell(ws, 0, i, c[0], header)
    widths = [_width(c[0]) for c in columns]
    column_kinds = [c[2] for c in columns]
    r = 0
    for item in rows:
        r += 1
        values = [_clean(c[1](item)) for c in columns]
        kinds = kinds_per_row(item) if kinds_per_row else column_kinds
        for i, (v, kind) in enumerate(zip(values, kinds)):
            w = _width(v) if kind == "text" else len(str(v)) + 3
            sheets.xlsxwriter_cell(ws, r, i, v, book.format(kind, kind == "text" and w > WRAP_OVER))
            widths[i] = max(widths[i], min(w, WRAP_OVER))
    for i, w in enumerate(widths):
        ws.set_column(i, i, max(8, w + 2))
    ws.freeze_panes(1, 0)
    if r:
        ws.autofilter(0, 0, r, len(columns) - 1)
    return Sheet(ws, r)


def colour_by_meaning(book: Book, sh: Sheet, columns: dict[int, str]) -> None:
    """Cells coloured by their indicator's thresholds (``colours.FILLS``), as Excel conditional
    formats: the colour follows the value if someone edits it. ``columns``: 1-based column ->
    indicator key; header in row 1."""
    if sh.rows < 1:
        return
    for col, key in columns.items():
        ind = indicators.get(key)
        if ind.better is None or (ind.warn is None and ind.crit is None):
            continue
        cell = xl_rowcol_to_cell(1, col - 1)
        worse = "<" if ind.better == indicators.HIGHER else ">="
        better = ">=" if ind.better == indicators.HIGHER else "<"
        rules = []  # first match wins (stopIfTrue): crit, then warn, then good
        if ind.crit is not None:
            rules.append(("crit", f"AND(ISNUMBER({cell}),{cell}{worse}{ind.crit})"))
        if ind.warn is not None:
            rules.append(("warn", f"AND(ISNUMBER({cell}),{cell}{worse}{ind.warn})"))
        floor = ind.warn if ind.warn is not None else ind.crit
        rules.append(("good", f"AND(ISNUMBER({cell}),{cell}{better}{floor})"))
        for lv, formula in rules:
            fill = book.fill(colours.FILLS[lv])
            sh.ws.conditional_format(1, col - 1, sh.rows, col - 1, {"type": "formula", "criteria": "=" + formula,
                                                                    "format": fill, "stop_if_true": True})


def _judged(columns: list, keys: list) -> dict[int, str]:
    """1-based column -> indicator key for the columns showing an indicator (``keys`` aligned
    with ``columns``, None where a column is not one)."""
    assert len(keys) == len(columns), (len(keys), len(columns))
    return {i + 1: k for i, k in enumerate(keys) if k}


def _kind(field: str) -> str:
    if field.endswith("_rate"):
        return "rate"
    if field.startswith("mean_hours"):
        return "hours"
    if field.startswith("score"):
        return "score"
    return "int"


def build_workbook(b: Bulletin) -> bytes:
    out = io.BytesIO()
    wb = Book(out)

    # 封面: what this workbook is
    cv = strings.WORKBOOK_COVER
    info = [
        (cv["title"], b.title), (cv["area"], strings.WITH_NOTE.format(text=b.area.name, note=b.area.code)), (cv["week"], b.week.label),
        (cv["period"], b.period), (cv["as_of"], b.as_of_text), (cv["notes"], strings.CLAUSE_SEP.join(b.notes)),
        (cv["generated"], to_local(b.generated_at).replace(tzinfo=None)),
    ]
    sheet(wb, S["cover"], [(cv["item"], lambda r: r[0], "text"), (cv["value"], lambda r: r[1], "text")], info,
          kinds_per_row=lambda r: ["text", "datetime" if isinstance(r[1], datetime) else "text"])

    # 总体情况: the KPIs with week-on-week change
    fields = list(KPI_FIELDS) + [f for f in ("accepted", "invalid", "due", "closed_on_time") if f not in KPI_FIELDS]

    def kpi_kinds(f):
        k = _kind(f)
        change = {"rate": "pp", "hours": "signed_hours"}.get(k, "signed")
        return ["text", k, k, change, "rate"]

    sheet(wb, S["kpi"], [
        (H["indicator"], lambda f: L[f], "text"),
        (H["current"], lambda f: b.changes[f]["current"], "int"),
        (H["previous"], lambda f: b.changes[f]["previous"], "int"),
        (H["change"], lambda f: b.changes[f]["change"], "signed"),
        (H["relative"], lambda f: b.changes[f]["relative"], "rate"),
    ], fields, kinds_per_row=kpi_kinds)

    # 单位排名 (towns of the county / communities of a town)
    unit_cols: list[Column] = [
        (H["rank"], None, "int"), (C["code"], lambda r: r["code"], "text"), (b.unit_header, lambda r: r["label"], "text"),
    ]
    unit_fields = ("reported", "accepted", "invalid", "valid", "closed", "in_progress", "closure_rate", "due",
                   "closed_on_time", "on_time_rate", "overdue", "rework_rate", "mean_hours_to_close", "supervised")
    for f in unit_fields:
        unit_cols.append((L[f] + (strings.HOURS_SUFFIX if f.startswith("mean_hours") else ""), lambda r, f=f: r[f], _kind(f)))
    unit_cols += [(C["prev_reported"], lambda r: r["prev_reported"], "int"),
                  (C["prev_closure_rate"], lambda r: r["prev_closure_rate"], "rate")]
    units = b.units.to_dict("records")
    rank = 0
    for u in units:
        rank += 1 if u["valid"] > 0 else 0
        u["_rank"] = rank if u["valid"] > 0 else None
    unit_cols[0] = (H["rank"], lambda r: r["_rank"], "int")
    ws = sheet(wb, S["units"].format(unit=strings.BULLETIN_UNITS_SHORT[b.area.level]), unit_cols, units)
    colour_by_meaning(wb, ws, _judged(unit_cols, [None, None, None, *unit_fields, None, "closure_rate"]))

    # 部门综合得分: every handler, those with cases ranked by score
    ranked = b.ranked_departments()
    order = {c: i + 1 for i, c in enumerate(ranked["code"])}
    depts = b.departments.assign(_rank=b.departments["code"].map(order))
    depts = depts.sort_values(["_rank", "label"], na_position="last")
    dept_cols: list[Column] = [
        (H["rank"], lambda r: r["_rank"], "int"), (C["code"], lambda r: r["code"], "text"),
        (H["handler"], lambda r: r["label"], "text"),
        (H["handler_level"], lambda r: strings.HANDLER_LEVEL_LABELS.get(r["level"], r["level"]), "text"),
    ]
    dept_fields = ("valid", "closed", "in_progress", "closure_rate", "due", "closed_on_time", "on_time_rate", "overdue",
                   "reworked", "rework_rate", "mean_hours_to_close", "supervised", "supervised_open", "score_on_time",
                   "score_closure", "score_rework", "score_supervision", "score")
    for f in dept_fields:
        dept_cols.append((L[f] + (strings.HOURS_SUFFIX if f.startswith("mean_hours") else ""), lambda r, f=f: r[f], _kind(f)))
    ws = sheet(wb, S["departments"], dept_cols, depts.to_dict("records"))
    colour_by_meaning(wb, ws, _judged(dept_cols, [None] * 4 + list(dept_fields)))

    # 事件类别
    cat_cols: list[Column] = [(C["parent_category"], lambda r: r["parent_name"], "text"),
                              (C["category_code"], lambda r: r["code"], "text"),
                              (H["category"], lambda r: r["name"], "text")]
    cat_fields = ("reported", "valid", "closed", "in_progress", "closure_rate", "on_time_rate", "overdue",
                  "mean_hours_to_close")
    for f in cat_fields:
        cat_cols.append((L[f] + (strings.HOURS_SUFFIX if f.startswith("mean_hours") else ""), lambda r, f=f: r[f], _kind(f)))
    ws = sheet(wb, S["categories"], cat_cols, b.categories.to_dict("records"))
    colour_by_meaning(wb, ws, _judged(cat_cols, [None] * 3 + list(cat_fields)))

    # 每日趋势
    sheet(wb, S["trend"], [
        (H["day"], lambda r: date.fromisoformat(r["day"]), "date"),
        (L["reported"], lambda r: r["reported"], "int"),
        (L["closed"], lambda r: r["closed"], "int"),
    ], b.trend.to_dict("records"))

    # 超期及督办案件
    sheet(wb, S["cases"], [
        (H["event_id"], lambda r: r["id"], "id"), (H["title"], lambda r: r["title"], "text"),
        (H["category"], lambda r: r["category"], "text"), (H["grid"], lambda r: r["grid"], "text"),
        (H["handler"], lambda r: r["handler"], "text"),
        (H["reported_at"], lambda r: r["reported_at"], "datetime"), (H["accepted_at"], lambda r: r["accepted_at"], "datetime"),
        (H["deadline"], lambda r: r["deadline"], "datetime"),
        (H["overdue_flag"], lambda r: strings.YES_NO[bool(r["overdue"])], "text"),
        (H["hours_overdue"], lambda r: r["hours_overdue"], "hours"),
        (H["supervised_flag"], lambda r: strings.YES_NO[bool(r["supervised"])], "text"),
    ], b.cases.to_dict("records"))

    # 网格员: everyone, most reports first (the deck shows the top of each column)
    workers = b.workers.sort_values(["reports", "visits", "patrol_hours"], ascending=False)
    sheet(wb, S["workers"], [
        (H["worker"], lambda r: r["name"], "text"), (H["town"], lambda r: r["town"], "text"),
        (H["community"], lambda r: r["community"], "text"), (H["grid"], lambda r: r["grid_name"], "text"),
        (L["households"], lambda r: r["households"], "int"),
        (H["reports"], lambda r: r["reports"], "int"), (H["visits"], lambda r: r["visits"], "int"),
        (H["visits_per_household_year"], lambda r: r["visits_per_household_year"], "number"),
        (H["patrol_hours"], lambda r: r["patrol_hours"], "hours"),
        (H["patrol_hours_per_week"], lambda r: r["patrol_hours_per_week"], "hours"),
        (H["patrol_norm_met"] + C["patrol_norm"].format(hours=PATROL_HOURS_PER_WEEK),
         lambda r: strings.YES_NO[bool(r["patrol_norm_met"])], "text"),
        (H["visit_norm_met"] + C["visit_norm"].format(visits=VISITS_PER_HOUSEHOLD_PER_YEAR),
         lambda r: strings.YES_NO[bool(r["visit_norm_met"])], "text"),
    ], workers.to_dict("records"))

    # 预警等级
    counts = b.warning["counts"]
    sheet(wb, S["levels"], [(H["level"], lambda lv: strings.WARNING_LEVEL_LABELS[lv], "text"),
                          (H["grids_at_level"], lambda lv: counts[lv], "int")], [1, 2, 3, 4, 0])
    if b.area.level == "county":
        sheet(wb, S["towns"], [(H["town"], lambda t: t["name"], "text"),
                               (H["level"], lambda t: strings.WARNING_LEVEL_LABELS[t["level"]], "text"),
                               (H["warned_grids"], lambda t: t["n"], "int")], b.warning["towns"])
    sheet(wb, S["alerts"], [(H["grid"], lambda a: a["name"], "text"), (C["code"], lambda a: a["code"], "text"),
                               (H["level"], lambda a: strings.WARNING_LEVEL_LABELS[a["level"]], "text"),
                               (H["reasons"], lambda a: strings.CLAUSE_SEP.join(a["reasons"]), "text")], b.warning["alerts"])

    # 指标说明
    sheet(wb, S["notes"], [(H["indicator"], lambda r: r[0], "text"), (H["definition"], lambda r: r[1], "text")],
          strings.INDICATOR_DEFINITIONS)

    wb.wb.set_properties({"title": strings.WITH_NOTE.format(text=b.title, note=b.week.label),
                          "author": strings.BULLETIN_ISSUER.format(county=b.county.name)})
    wb.wb.close()
    return out.getvalue()
