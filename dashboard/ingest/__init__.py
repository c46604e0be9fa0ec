"""Import of a county's own data: departments, categories, areas, events.

Every import validates the whole file first and writes it in one transaction: a bad file
changes nothing, and every bad row is reported with its row number, column and reason.
Imports are idempotent on their natural keys (codes, ``event_id``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from dashboard import strings


@dataclass(frozen=True)
class RowError:
    row: int | None  # 1-based line of a CSV/XLSX (the header is row 1), or feature number of a GeoJSON
    column: str | None
    reason: str
    feature: bool = False  # a GeoJSON's: ``row`` counts features, ``column`` names a property

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append((strings.IMPORT_FEATURE if self.feature else strings.IMPORT_ROW).format(n=self.row))
        if self.column:
            where.append((strings.IMPORT_PROPERTY if self.feature else strings.IMPORT_COLUMN).format(name=self.column))
        return f"{' '.join(where)}: {self.reason}" if where else self.reason


class ImportFailed(ValueError):
    def __init__(self, errors: list[RowError], what: str = strings.IMPORT_FILE):
        self.errors = errors
        shown = "\n".join(f"  - {e}" for e in errors[:50])
        more = strings.IMPORT_FAILED_MORE.format(n=len(errors) - 50) if len(errors) > 50 else ""
        super().__init__(strings.IMPORT_FAILED.format(what=what, n=len(errors), shown=shown, more=more))


@dataclass
class ImportReport:
    kind: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        s = strings.IMPORT_REPORT.format(kind=self.kind, created=self.created, updated=self.updated,
                                         unchanged=self.unchanged)
        if self.warnings:
            s += "\n" + "\n".join(strings.IMPORT_HINT.format(text=w) for w in self.warnings)
        return s


def read_table(path: str | Path, required: list[str], optional: list[str] = ()) -> pd.DataFrame:
    """Read a CSV (UTF-8 with or without BOM, or GB18030 as saved by Chinese Excel) or XLSX file
    as strings. Columns are checked against ``required``; ``row`` holds each line's number."""
    path = Path(path)
    if not path.exists():
        raise ImportFailed([RowError(None, None, strings.IMPORT_FILE_ERRORS["not_found"].format(path=path))])
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            df = _read_xlsx(path)
        elif suffix == ".csv":
            try:
                df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
            except UnicodeDecodeError:
                df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="gb18030")
        else:
            raise ImportFailed([RowError(None, None, strings.IMPORT_FILE_ERRORS["file_type"].format(suffix=suffix))])
    except ImportFailed:
        raise
    except Exception as exc:  # the parser's own message names the problem (bad quoting, not a zip ...)
        raise ImportFailed([RowError(None, None, strings.IMPORT_FILE_ERRORS["unreadable"].format(error=exc))]) from exc
    df.columns = [str(c).strip() for c in df.columns]
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ImportFailed([RowError(1, c, strings.IMPORT_FILE_ERRORS["missing_column"]) for c in missing])
    unknown = [c for c in df.columns if c not in required and c not in optional and c != "row"]
    if unknown:
        raise ImportFailed([RowError(1, c, strings.IMPORT_FILE_ERRORS["unknown_column"]) for c in unknown])
    for c in optional:
        if c not in df.columns:
            df[c] = ""
    df = df.map(lambda v: v.strip() if isinstance(v, str) else v)
    if "row" not in df.columns:
        df["row"] = range(2, len(df) + 2)
    return df


_ZERO_PADDED = re.compile(r"0+")


def _cell_text(cell) -> str:
    """A cell as the text a person sees: codes typed as numbers keep the leading zeros their
    format shows ("0101" in a cell formatted 0000), whole numbers lose the ".0"."""
    v = cell.value
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, int):
        fmt = getattr(cell, "number_format", None) or ""
        return str(v).zfill(len(fmt)) if _ZERO_PADDED.fullmatch(fmt) else str(v)
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    return str(v)


def _read_xlsx(path: Path) -> pd.DataFrame:
    """The first sheet as text, each row with its sheet row number; blank rows are skipped. A
    cell holding a formula is refused by name (its value is whatever Excel last computed, or
    nothing at all when another program wrote the file)."""
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        rows = wb.worksheets[0].iter_rows()
        header_cells = next(rows, ())
        header = [_cell_text(c).strip() for c in header_cells]
        while header and not header[-1]:
            header.pop()
        records, formulas = [], []
        for number, cells in enumerate(rows, start=2):
            values, formula = [], False
            for i, cell in enumerate(cells[:len(header)]):
                if cell.data_type == "f" or type(cell.value).__name__ in ("ArrayFormula", "DataTableFormula"):
                    text = str(getattr(cell.value, "text", cell.value))
                    text = text if len(text) <= 40 else text[:39] + "…"
                    formulas.append(RowError(number, header[i], strings.IMPORT_FILE_ERRORS["formula"].format(text=text)))
                    values.append("")
                    formula = True
                else:
                    values.append(_cell_text(cell))
            values += [""] * (len(header) - len(values))
            if formula or any(v.strip() for v in values):
                records.append(values + [number])
    finally:
        wb.close()
    if formulas:
        raise ImportFailed(formulas)
    return pd.DataFrame(records, columns=header + ["row"])
