"""The weekly bulletin as an Excel workbook (openpyxl): one sheet per table, Chinese headers, real
numbers (rates as fractions shown with a percent format, hours with one decimal, times as Excel
date-times in Asia/Shanghai), frozen header row, filters and column widths that fit the text.

Values are the ``Bulletin``'s, i.e. ``metrics``' and ``fieldwork``'s, unrounded: the formats only
change how Excel shows them, so anyone can re-add or re-divide the columns and get the same result.
Text (names of areas, handlers, staff, titles, warning reasons) is written as typed string cells
through ``dashboard.sheets``, so nothing typed by anyone becomes a formula.
"""

from __future__ import annotations

import io
import math
from copy import copy
from datetime import date, datetime
from typing import Any, Callable

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

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
HEADER_FILL = PatternFill("solid", fgColor="1E3A8A")
HEADER_FONT = Font(name=FONT_NAME, bold=True, color="FFFFFF")
BODY_FONT = Font(name=FONT_NAME)
TEXT_TOP = Alignment(vertical="top", wrap_text=False)
TEXT_WRAP = Alignment(vertical="top", wrap_text=True)

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


def sheet(wb: Workbook, title: str, columns: list[Column], rows, *, kinds_per_row: Callable | None = None):
    """A sheet: header row, one row per item, formats per column (or per row via ``kinds_per_row``)."""
    ws = wb.create_sheet(title)
    ws.append(sheets.xlsx_row(ws, [c[0] for c in columns]))
    for cell in ws[1]:
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [_width(c[0]) for c in columns]
    column_kinds = [c[2] for c in columns]
    # Styling a cell through its attributes hashes every style object into the workbook's tables;
    # cells of the same look share one style array, built once per look and copied after that.
    looks: dict[tuple[str, bool], Any] = {}
    r = 1  # the row just written; ``ws.max_row`` would rescan every cell on each call
    for item in rows:
        values = [_clean(c[1](item)) for c in columns]
        ws.append(sheets.xlsx_row(ws, values))  # names, titles, reasons: text, never formulas
        r += 1
        kinds = kinds_per_row(item) if kinds_per_row else column_kinds
        for i, (v, kind) in enumerate(zip(values, kinds)):
            cell = ws.cell(row=r, column=i + 1)
            w = _width(v) if kind == "text" else len(str(v)) + 3
            look = (kind, kind == "text" and w > 60)
            if look in looks:
                cell._style = copy(looks[look])
            else:
                cell.font = BODY_FONT
                cell.number_format = FORMATS.get(kind, "General")
                if kind == "text":
                    cell.alignment = TEXT_WRAP if look[1] else TEXT_TOP
                looks[look] = copy(cell._style)
            widths[i] = max(widths[i], min(w, 60))
    for i, w in enumerate(widths):
        ws.column_dimensions[get_column_letter(i + 1)].width = max(8, w + 2)
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    ws.row_dimensions[1].height = 22
    return ws


def colour_by_meaning(ws, columns: dict[int, str]) -> None:
    """Cells coloured by their indicator's thresholds (``colours.FILLS``), as Excel conditional
    formats: the colour follows the value if someone edits it. ``columns``: 1-based column ->
    indicator key; header in row 1."""
    if ws.max_row < 2:
        return
    for col, key in columns.items():
        ind = indicators.get(key)
        if ind.better is None or (ind.warn is None and ind.crit is None):
            continue
        letter = get_column_letter(col)
        ref, cell = f"{letter}2:{letter}{ws.max_row}", f"{letter}2"
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
            fill = colours.FILLS[lv].lstrip("#").upper()
            ws.conditional_formatting.add(ref, FormulaRule(formula=[formula], stopIfTrue=True,
                                                           fill=PatternFill("solid", start_color=fill, end_color=fill)))


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
    wb = Workbook()
    wb.remove(wb.active)

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
    colour_by_meaning(ws, _judged(unit_cols, [None, None, None, *unit_fields, None, "closure_rate"]))

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
    colour_by_meaning(ws, _judged(dept_cols, [None] * 4 + list(dept_fields)))

    # 事件类别
    cat_cols: list[Column] = [(C["parent_category"], lambda r: r["parent_name"], "text"),
                              (C["category_code"], lambda r: r["code"], "text"),
                              (H["category"], lambda r: r["name"], "text")]
    cat_fields = ("reported", "valid", "closed", "in_progress", "closure_rate", "on_time_rate", "overdue",
                  "mean_hours_to_close")
    for f in cat_fields:
        cat_cols.append((L[f] + (strings.HOURS_SUFFIX if f.startswith("mean_hours") else ""), lambda r, f=f: r[f], _kind(f)))
    ws = sheet(wb, S["categories"], cat_cols, b.categories.to_dict("records"))
    colour_by_meaning(ws, _judged(cat_cols, [None] * 3 + list(cat_fields)))

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

    wb.properties.title = strings.WITH_NOTE.format(text=b.title, note=b.week.label)
    wb.properties.creator = strings.BULLETIN_ISSUER.format(county=b.county.name)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
