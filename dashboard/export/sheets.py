"""Cells of the spreadsheets we write (CSV and XLSX): text that came from outside stays text.

Titles, names of areas, categories, handlers and staff, notes and warning reasons are typed by
people and systems we do not control. A spreadsheet program reads a cell beginning with ``=``
(and, depending on the program, ``+``, ``-``, ``@``, or a tab / line break before them) as a
formula: ``=HYPERLINK(...)`` or a DDE call would run on the reader's machine when they open our
export. Every CSV and XLSX writer goes through this module, so the rule lives in one place:

- **CSV** (OWASP's CSV-injection rule): a text value whose first character, after any leading
  spaces, is a formula trigger gets a single quote in front (``=1+1`` → ``'=1+1``), so the program
  shows it as text. Only ``str`` values are touched: numbers stay numbers (``-5`` the number is
  written as ``-5``; ``"-5"`` typed as a title is text and is written as ``'-5``).
- **XLSX**: every ``str`` value is written as a typed string cell, never as a formula (openpyxl
  would make ``=…`` a formula) or an error value (``#N/A``): with openpyxl an inline string
  (``text_cell``), with XlsxWriter ``write_string`` (``xlsxwriter_cell``; its generic ``write``
  would take ``=…`` for a formula too). The text is kept as it is, apart from the control
  characters that XML 1.0 cannot carry at all, which become U+FFFD (openpyxl would refuse the
  whole file), and Excel's cell limit of 32,767 characters.

The full-width forms ＝＋－＠ count as triggers in CSV too. LibreOffice Calc 7.4 reads them as
text (checked here with ``soffice --convert-to``); Excel and WPS, the programs our users open
files with, convert full-width operators typed into a formula and could not be checked here, so a
quote in front of such a rare title is the cheap side of the trade.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date
from typing import Any

# First characters that make a spreadsheet program read a cell as a formula (OWASP: = + - @ tab
# CR; LF as well, and the full-width operators, see above).
FORMULA_TRIGGERS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
# Looked past before the first character is judged: a program may trim them ("  =1+1").
_LEADING_BLANKS = " \u00a0\u3000\u200b\ufeff"
CSV_TEXT_PREFIX = "'"
XLSX_MAX_CHARS = 32_767
# Characters XML 1.0 cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): C0 controls but tab, LF, CR.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
REPLACEMENT = "\ufffd"


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet program could read ``text`` as a formula."""
    head = text.lstrip(_LEADING_BLANKS)
    return bool(head) and head[0] in FORMULA_TRIGGERS


def csv_value(value: Any) -> Any:
    """A value for ``csv.writer``: None as empty, formula-like text quoted, anything else as is."""
    if value is None:
        return ""
    if isinstance(value, str) and looks_like_formula(value):
        return CSV_TEXT_PREFIX + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_value(v) for v in values]


def xlsx_text(text: str) -> str:
    """``text`` as an XLSX cell can hold it (see the module's note)."""
    return _XML_ILLEGAL.sub(REPLACEMENT, text)[:XLSX_MAX_CHARS]


def text_cell(ws, text: str):
    """A cell for ``ws.append`` holding ``text`` as a string, whatever it begins with. Works for
    normal and write-only worksheets (openpyxl places a ready cell where the value would go)."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=xlsx_text(text))
    cell.data_type = "s"  # set after the value: binding "=…" made it a formula, "#N/A" an error
    return cell


def xlsx_row(ws, values: Iterable[Any]) -> list[Any]:
    """Values for ``ws.append``: every ``str`` as a typed text cell, anything else (numbers, dates,
    None, cells already built) as is."""
    return [text_cell(ws, v) if isinstance(v, str) else v for v in values]


def xlsxwriter_cell(ws, row: int, col: int, value: Any, fmt=None) -> None:
    """Write ``value`` into an XlsxWriter worksheet at 0-based (``row``, ``col``) with ``fmt``: text
    always as a string, numbers as numbers, dates and naive times as Excel date-times, None (and a
    number that is not finite, which a cell cannot hold) as an empty cell in its format."""
    if isinstance(value, str):
        ws.write_string(row, col, xlsx_text(value), fmt)
    elif value is None or (isinstance(value, float) and not math.isfinite(value)):
        ws.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        ws.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(row, col, value, fmt)
    elif isinstance(value, date):  # datetime too
        ws.write_datetime(row, col, value, fmt)
    else:
        ws.write_string(row, col, xlsx_text(str(value)), fmt)
