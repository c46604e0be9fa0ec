"""Spreadsheet formula injection: titles and names that begin like a formula, sent through the real
export paths (the explorer's CSV and XLSX endpoints, the bulletin workbook), come back out as text
— the CSV with OWASP's quote in front, the XLSX as typed string cells with the text unchanged —
while numbers (negative ones too) stay numbers."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
import zipfile
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from dashboard import strings
from dashboard.present import caserows
from dashboard.domain import lifecycle
from dashboard.export import sheets
from dashboard import warnings as W
from dashboard.store.db import bump, transaction
from dashboard.export import bulletin, workbook
from dashboard.store.models import Area, Category, Department, Staff

from .conftest import AS_OF, settings_for
from .factories import CLOSE, COMMUNITY, DEPT, GRID_A, GRID_B, TOWN, small_county

# Titles a hostile reporter might send: each begins like a formula in some spreadsheet program.
HOSTILE_TITLES = [
    "=1+1",
    '=HYPERLINK("http://127.0.0.1/x","点我")',
    "=cmd|' /C calc'!A0",
    "+1+2",
    "-5",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "  =1+1",
    "＝1+1",
    "＋86 13800000000",
    "－5",
    "＠SUM(1,2)",
]
# Not a formula, but openpyxl would write it as an error value, not as the text typed.
ERROR_TITLE = "#N/A"
# Text a spreadsheet cannot hold at all (a control character from an imported file).
CONTROL_TITLE = "路灯\x07不亮"
PLAIN_TITLES = [ERROR_TITLE, CONTROL_TITLE]
HOSTILE_NAMES = {
    "grid": "=HYPERLINK(\"http://127.0.0.1/g\",\"网格\")",
    "community": "+社区",
    "town": "-甲镇",
    "category": "@公共设施",
    "handler": "=县公安局",
    "staff": "=网格员",
}


def _hostile_county(engine) -> list[int]:
    """The small county with hostile area, category, handler and staff names, and one open
    overdue, supervised case per hostile title (so every export lists them)."""
    small_county(engine)
    ids = []
    with transaction(engine) as s:
        s.execute(update(Area).where(Area.code == GRID_A).values(name=HOSTILE_NAMES["grid"]))
        s.execute(update(Area).where(Area.code == COMMUNITY).values(name=HOSTILE_NAMES["community"]))
        s.execute(update(Area).where(Area.code == TOWN).values(name=HOSTILE_NAMES["town"]))
        s.execute(update(Category).where(Category.code == "SQ01").values(name=HOSTILE_NAMES["category"]))
        s.execute(update(Department).where(Department.code == DEPT).values(name=HOSTILE_NAMES["handler"]))
        s.execute(update(Staff).where(Staff.grid_code == GRID_A, Staff.role == "grid_worker")
                  .values(name=HOSTILE_NAMES["staff"]))
        for i, title in enumerate(HOSTILE_TITLES + PLAIN_TITLES):
            at = AS_OF - timedelta(days=3, hours=i)
            ev = lifecycle.report(s, title=title, category_code="SQ01", source="patrol", grid_code=GRID_A, at=at,
                                  actor="网格员")
            lifecycle.apply(s, ev, "accept", at=at + timedelta(hours=1), actor="值班员")
            lifecycle.apply(s, ev, "dispatch", at=at + timedelta(hours=2), actor="值班员", handler_code=DEPT)
            lifecycle.supervise(s, ev, at=at + timedelta(hours=30), actor="值班员", note="=督办")
            s.flush()
            ids.append(ev.id)
        # one plain closed case in the other grid, so numbers of every kind are in the files
        ev = lifecycle.report(s, title="井盖缺失", category_code="SQ01", source="patrol", grid_code=GRID_B,
                              at=AS_OF - timedelta(days=2), actor="网格员")
        for action, hours, *handler in CLOSE:
            lifecycle.apply(s, ev, action, at=ev.reported_at + timedelta(hours=hours), actor="测试",
                            handler_code=handler[0] if handler else None)
        bump(s, "events", "areas", "catalog", "staff")
    W.issue(engine, scope=GRID_A, level=1, reason="=防汛", until=None, issued_by="值班员", at=AS_OF - timedelta(days=1))
    W.run_once(engine, W.load_rules(), AS_OF)
    return ids


@pytest.fixture
def hostile(db_url, engine):
    from app import create_app
    from dashboard.web.runtime import EXTENSION_KEY

    ids = _hostile_county(engine)
    app = create_app(settings_for(db_url))
    yield app.server.test_client(), engine, ids
    app.server.extensions[EXTENSION_KEY].engine.dispose()  # the app's own connections


def expected_xlsx_text(title: str) -> str:
    return title.replace("\x07", sheets.REPLACEMENT)


def shown_text(value: str) -> str:
    """A cell's text as a spreadsheet program shows it: OOXML writes a control character such as
    a carriage return as ``_x000D_`` (and a literal ``_x…_`` with its underscore as ``_x005F_``),
    which Excel and LibreOffice decode and openpyxl leaves as it is."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


# --- the rule --------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", HOSTILE_TITLES)
def test_every_hostile_title_is_formula_like_and_quoted_for_csv(text):
    assert sheets.looks_like_formula(text)
    assert sheets.csv_value(text) == "'" + text


@pytest.mark.parametrize("value", ["和顺小区井盖缺失", "2026-11-20 08:00", "A=1", "", "'已引用", ERROR_TITLE, 0, -5, -2.5,
                                   3.0])
def test_plain_text_and_numbers_are_left_alone(value):
    assert sheets.csv_value(value) == value


def test_numbers_stay_numbers_in_a_written_csv():
    buf = io.StringIO()
    csv.writer(buf).writerow(sheets.csv_row([-5, -2.5, "-5", None]))
    assert buf.getvalue() == "-5,-2.5,'-5,\r\n"


# --- explorer CSV ------------------------------------------------------------------------------------


def test_explorer_csv_quotes_every_formula_like_cell(hostile):
    client, _engine, ids = hostile
    r = client.get("/api/v1/explorer/events.csv?range=all")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.data.decode("utf-8").lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    col = {c: header.index(caserows.headers()[i]) for i, c in enumerate(caserows.COLUMNS)}
    assert len(body) == len(ids) + 1
    for row in body:
        for cell in row:
            # nothing a spreadsheet would evaluate: formula-like text only behind the quote
            assert not sheets.looks_like_formula(cell), row
    by_id = {int(row[col["id"]]): row for row in body}
    for eid, title in zip(ids, HOSTILE_TITLES):
        row = by_id[eid]
        assert row[col["title"]] == "'" + title  # the whole title, visibly, behind OWASP's quote
        assert row[col["grid"]] == "'" + HOSTILE_NAMES["grid"]
        assert row[col["community"]] == "'" + HOSTILE_NAMES["community"]
        assert row[col["town"]] == "'" + HOSTILE_NAMES["town"]
        assert row[col["category"]] == "'" + HOSTILE_NAMES["category"]
        assert row[col["handler"]] == "'" + HOSTILE_NAMES["handler"]
        assert row[col["overdue"]] == "是" and float(row[col["overdue_hours"]]) > 0  # numbers unquoted
    for eid, title in zip(ids[len(HOSTILE_TITLES):], PLAIN_TITLES):
        assert by_id[eid][col["title"]] == title  # other text is written as it is


# --- explorer XLSX -----------------------------------------------------------------------------------


def _no_formula_in_the_file(data: bytes) -> None:
    """The sheets' XML holds no formula element and no error cell at all."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, name
                assert 't="e"' not in xml, name


def test_explorer_xlsx_writes_text_as_typed_strings(hostile):
    client, _engine, ids = hostile
    r = client.get("/api/v1/explorer/events.xlsx?range=all")
    assert r.status_code == 200
    _no_formula_in_the_file(r.data)
    ws = load_workbook(io.BytesIO(r.data)).worksheets[0]
    header = [c.value for c in ws[1]]
    col = {c: header.index(caserows.headers()[i]) for i, c in enumerate(caserows.COLUMNS)}
    by_id = {}
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                assert cell.data_type == "s", (cell.coordinate, cell.value)
            assert cell.data_type not in ("f", "e"), (cell.coordinate, cell.value)
        by_id[row[col["id"]].value] = row
    assert len(by_id) == len(ids) + 1
    for eid, title in zip(ids, HOSTILE_TITLES + PLAIN_TITLES):
        row = by_id[eid]
        assert row[col["id"]].data_type == "n"
        assert row[col["title"]].value == expected_xlsx_text(title)  # unchanged, no quote
        assert row[col["grid"]].value == HOSTILE_NAMES["grid"]
        assert row[col["handler"]].value == HOSTILE_NAMES["handler"]
        assert row[col["category"]].value == HOSTILE_NAMES["category"]
        hours = row[col["overdue_hours"]]
        assert hours.data_type == "n" and hours.value > 0


# --- bulletin workbook ------------------------------------------------------------------------------


def test_bulletin_workbook_writes_text_as_typed_strings_and_numbers_as_numbers(hostile):
    _client, engine, ids = hostile
    # The week after the reports: every case is still open (the cases sheet lists them) and the
    # week has fewer reports than the one before, so its week-on-week change is negative.
    b = bulletin.collect(engine, "2026-W48", None, AS_OF + timedelta(days=7))
    data = workbook.build_workbook(b)
    _no_formula_in_the_file(data)
    wb = load_workbook(io.BytesIO(data))
    texts = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (ws.title, cell.coordinate, cell.value)
                    texts.add(shown_text(cell.value))
                elif isinstance(cell.value, (int, float)):
                    assert cell.data_type == "n", (ws.title, cell.coordinate, cell.value)
                assert cell.data_type not in ("f", "e"), (ws.title, cell.coordinate, cell.value)
    # the hostile text is there, unchanged: titles (open overdue and supervised cases), area,
    # category, handler and staff names, the cover's area
    assert {expected_xlsx_text(t) for t in HOSTILE_TITLES + PLAIN_TITLES} <= texts
    assert {HOSTILE_NAMES[k] for k in ("grid", "town", "category", "handler", "staff")} <= texts
    # a negative number stays a number
    rows = {r[0].value: r for r in wb["总体情况"].iter_rows(min_row=2)}
    change = rows[strings.INDICATOR_LABELS["reported"]][3]
    assert change.value == -(len(ids) + 1) and change.data_type == "n"


# --- a real spreadsheet program ---------------------------------------------------------------------


def lines(text: str) -> str:
    """Line breaks as one kind (a CSV reader turns a lone CR into LF)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def test_libreoffice_evaluates_nothing_in_the_exports(hostile, tmp_path):
    """LibreOffice Calc opens both files (the CSV with formula evaluation on, as its import
    dialog has it) and saves what it read: no formula, and each hostile title as the text typed."""
    if shutil.which("soffice") is None:
        pytest.fail("this test needs LibreOffice Calc (Debian libreoffice-calc-nogui; scripts/test installs it)")
    client, _engine, ids = hostile
    (tmp_path / "events.csv").write_bytes(client.get("/api/v1/explorer/events.csv?range=all").data)
    (tmp_path / "events.xlsx").write_bytes(client.get("/api/v1/explorer/events.xlsx?range=all").data)
    profile = (tmp_path / "profile").as_uri()
    for source, target, options in (("events.csv", "csv-read.xlsx", ["--infilter=CSV:44,34,76,1"]),
                                    ("events.xlsx", "xlsx-read.xlsx", [])):
        out = tmp_path / target.split("-")[0]
        out.mkdir()
        subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", *options, "--convert-to", "xlsx",
                        "--outdir", str(out), str(tmp_path / source)], check=True, capture_output=True, timeout=300)
        (tmp_path / target).write_bytes((out / (source.rsplit(".", 1)[0] + ".xlsx")).read_bytes())
    for target, shown in (("csv-read.xlsx", lambda t: "'" + t), ("xlsx-read.xlsx", expected_xlsx_text)):
        ws = load_workbook(tmp_path / target).worksheets[0]
        header = [c.value for c in ws[1]]
        col_id, col_title = header.index(caserows.headers()[0]), header.index(strings.EXPLORER_COLUMNS["title"])
        titles = {}
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                assert cell.data_type != "f", (target, cell.coordinate, cell.value)
            titles[int(row[col_id].value)] = row[col_title].value
        for eid, title in zip(ids, HOSTILE_TITLES):
            assert lines(titles[eid]) == lines(shown(title)), target
