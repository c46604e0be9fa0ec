"""Files of the cases a filter finds (``figures.caselist``): CSV streamed without a row limit,
XLSX bounded by ``XLSX_MAX_ROWS``; the columns and cells are ``present.caserows``', so a file
holds exactly what the explorer's table shows. Text from outside never becomes a formula
(``sheets``)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Iterator

from sqlalchemy import select
from sqlalchemy.engine import Engine

from dashboard import strings
from dashboard.domain import areas
from dashboard.export import sheets
from dashboard.figures import caselist
from dashboard.present import caserows
from dashboard.store.models import Category
from dashboard.timeutil import to_local

# openpyxl writes about 1,600 rows a second here (text as typed string cells, see ``sheets``):
# 50,000 rows take about half a minute, well inside the server's 120 s request timeout. Beyond
# that the CSV (streamed, no limit) is the export.
XLSX_MAX_ROWS = 50_000
CSV_PIECE_ROWS = 500
XLSX_WIDTHS = {"title": 36, "reported_at": 17, "accepted_at": 17, "deadline": 17, "closed_at": 17, "category": 16,
               "grid": 18, "handler": 16}
XLSX_WIDTH = 11


def csv_chunks(engine: Engine, f: caselist.Filters, now: datetime) -> Iterator[bytes]:
    """The CSV file in pieces of a few hundred rows (UTF-8 with a BOM so Excel opens the Chinese
    right)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    buf.write("\ufeff")
    w.writerow(sheets.csv_row(caserows.headers()))
    for n, r in enumerate(caselist.iter_rows(engine, f, now), start=1):
        p = caserows.present(r)
        w.writerow(sheets.csv_row(p[c] for c in caserows.COLUMNS))
        if n % CSV_PIECE_ROWS == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    if buf.getvalue():
        yield buf.getvalue().encode("utf-8")


class TooManyRows(ValueError):
    def __init__(self, n: int, limit: int):
        self.n, self.limit = n, limit
        super().__init__(strings.EXPLORER_XLSX_TOO_MANY.format(n=f"{limit:,}"))


def write_xlsx(engine: Engine, f: caselist.Filters, now: datetime, out, limit: int | None = None) -> int:
    """The matching rows as an XLSX workbook written to ``out`` (streamed row by row with
    openpyxl's write-only mode). Refuses more than ``limit`` rows rather than cut them silently."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    limit = XLSX_MAX_ROWS if limit is None else limit
    n = caselist.count(engine, f, now)
    if n > limit:
        raise TooManyRows(n, limit)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(strings.EXPLORER_TITLE)
    for i, c in enumerate(caserows.COLUMNS):
        ws.column_dimensions[get_column_letter(i + 1)].width = XLSX_WIDTHS.get(c, XLSX_WIDTH)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    head = sheets.xlsx_row(ws, caserows.headers())
    for cell in head:
        cell.font = bold
    ws.append(head)
    written = 0
    for r in caselist.iter_rows(engine, f, now, limit=limit):
        p = caserows.present(r)
        # No per-cell styles (several times faster); times as local wall-clock datetimes, which
        # Excel shows as dates (it has no time zones).
        ws.append(sheets.xlsx_row(ws, [_local(r[c]) if c in caserows.TIMES else p[c] for c in caserows.COLUMNS]))
        written += 1
    wb.save(out)
    return written


def _local(v: datetime | None) -> datetime | None:
    return None if v is None else to_local(v).replace(tzinfo=None, microsecond=0)


def file_name(engine: Engine, f: caselist.Filters, now: datetime, ext: str) -> str:
    """What the file holds, in its name: the area, the report dates, the filter's flags, category
    and statuses, and when it was made: 籍山镇-事件-20261125-20261201-超期-督办-导出0802.csv."""
    info = areas.get(engine, f.area) if f.area else areas.root(engine)
    parts = [info.name if info else "", strings.EXPORT_EVENTS_NAME]
    if f.start or f.end:
        first = f"{to_local(f.start):%Y%m%d}" if f.start else ""
        last = f"{to_local(f.end - timedelta(microseconds=1)):%Y%m%d}" if f.end else ""
        parts.append(first if first == last else f"{first}-{last}")
    parts += [strings.EXPORT_FLAG_WORDS[k] for k in ("overdue", "handler_overdue", "supervised") if getattr(f, k)]
    if f.category:
        with engine.connect() as conn:
            name = conn.execute(select(Category.name).where(Category.code == f.category)).scalar()
        parts.append(name or f.category)
    parts += [strings.STATUS_LABELS.get(s, strings.EXPORT_FLAG_WORDS["open"] if s == caselist.OPEN else s)
              for s in f.statuses]
    if f.text:
        parts.append(strings.EXPORT_TEXT_WORD.format(text=f.text[:20]))
    parts.append(strings.EXPORT_MADE_AT.format(time=f"{to_local(now):%Y%m%d%H%M}"))
    return "-".join(p for p in parts if p) + f".{ext}"
