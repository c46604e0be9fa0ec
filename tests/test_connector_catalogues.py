"""Imports that take real catalogues: major categories (大类) without a time limit of their own,
minor ones (小类) that carry one or run on their parent's, codes in the shapes real catalogues use,
and an xlsx cell holding a formula named as such. Acceptance runs on the inherited limit."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone

import openpyxl
import pytest
from sqlalchemy import select

from dashboard.domain import lifecycle
from dashboard.store.db import transaction
from dashboard.ingest import ImportFailed
from dashboard.ingest.catalog import import_categories, import_departments
from dashboard.store.models import Category, Event

from .factories import GRID_A, small_county

HEADER = ["code", "name", "parent_code", "time_limit_hours", "default_handler_code", "is_major"]
T0 = datetime(2026, 11, 20, 1, 0, tzinfo=timezone.utc)


def write_csv(path, rows, header=HEADER):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def errors_of(exc) -> dict[tuple, str]:
    return {(e.row, e.column): e.reason for e in exc.value.errors}


def stored(engine) -> dict[str, tuple]:
    with engine.connect() as c:
        return {r.code: (r.parent_code, r.time_limit_hours, r.is_major)
                for r in c.execute(select(Category.code, Category.parent_code, Category.time_limit_hours,
                                          Category.is_major))}


def test_a_real_catalogue_lands(engine, tmp_path):
    import_departments(engine, write_csv(tmp_path / "d.csv", [["JT-ZD", "县交警大队", "county_department"]],
                                         ["code", "name", "level"]))
    f = write_csv(tmp_path / "c.csv", [
        ["01", "社会治安类", "", "", "", ""],
        ["0101", "治安隐患", "01", "24", "", ""],
        ["02", "城市管理类", "", "72", "", ""],
        ["A01.02", "占道经营", "02", "", "", ""],  # runs on 城市管理类's 72 h
        ["03", "安全生产类", "", "", "", "是"],
        ["JT-001", "道路交通隐患", "03", "12", "JT-ZD", ""],
        ["A_1", "下划线编码", "", "8", "", ""],
    ])
    r = import_categories(engine, f)
    assert r.created == 7
    cats = stored(engine)
    assert cats["01"] == (None, None, False) and cats["0101"] == ("01", 24.0, False)
    assert cats["A01.02"] == ("02", None, False) and cats["JT-001"] == ("03", 12.0, True)


def test_a_minor_category_with_no_limit_to_inherit_is_refused_with_the_reason(engine, tmp_path):
    import_categories(engine, write_csv(tmp_path / "ok.csv", [["02", "城市管理类", "", "72", "", ""],
                                                             ["0201", "占道经营", "02", "", "", ""]]))
    bad = write_csv(tmp_path / "bad.csv", [
        ["04", "环境卫生类", "", "", "", ""],
        ["04.01", "垃圾堆放", "04", "", "", ""],  # nothing to inherit
        ["02", "城市管理类", "", "", "", ""],  # its stored minor category 0201 runs on this limit
        ["-x", "坏编码", "", "1", "", ""],
        ["A 01", "空格", "", "1", "", ""],
        ["05", "零时限", "", "0", "", ""],
    ])
    with pytest.raises(ImportFailed) as e:
        import_categories(engine, bad)
    errs = errors_of(e)
    assert "没有时限可继承" in errs[(3, "time_limit_hours")]
    assert "下级类别 0201 没有自己的时限" in errs[(4, "time_limit_hours")]
    assert "只能由字母、数字、点、横线和下划线组成" in errs[(5, "code")] and (6, "code") in errs
    assert "不是正数" in errs[(7, "time_limit_hours")]
    assert stored(engine)["02"] == (None, 72.0, False)  # nothing written


def test_acceptance_runs_on_the_inherited_limit(engine, tmp_path):
    small_county(engine)
    with transaction(engine) as s:
        s.add(Category(code="CG", name="城市管理类", time_limit_hours=72))
        s.add(Category(code="DL", name="大类无时限"))
        s.flush()
        s.add(Category(code="CG.01", name="占道经营", parent_code="CG"))
        s.add(Category(code="DL.01", name="小类也无时限", parent_code="DL"))
    with transaction(engine) as s:
        ev = lifecycle.report(s, title="占道", category_code="CG.01", source="patrol", grid_code=GRID_A, at=T0, actor="测试")
        lifecycle.apply(s, ev, "accept", at=T0 + timedelta(hours=1), actor="测试")
        assert ev.deadline == T0 + timedelta(hours=1 + 72)
        other = lifecycle.report(s, title="无时限", category_code="DL.01", source="patrol", grid_code=GRID_A, at=T0,
                                 actor="测试")
        with pytest.raises(lifecycle.TransitionError, match="都没有办理时限"):
            lifecycle.apply(s, other, "accept", at=T0 + timedelta(hours=1), actor="测试")
        # ... unless the county gives the deadline itself
        lifecycle.apply(s, other, "accept", at=T0 + timedelta(hours=1), actor="测试", deadline=T0 + timedelta(days=3))
        assert other.deadline == T0 + timedelta(days=3)
    with engine.connect() as c:
        assert c.execute(select(Event.status).where(Event.title == "无时限")).scalar() == "accepted"


def test_an_xlsx_formula_is_named_as_a_formula_not_as_empty(engine, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["01", "社会治安类", "", "", "", ""])
    ws.append(["0101", "治安隐患", "01", "=24*1", "", ""])
    ws.append([None, None, None, None, None, None])  # a blank row is no row
    ws.append(["0102", "=B3", "01", "168", "", ""])
    wb.save(tmp_path / "c.xlsx")
    with pytest.raises(ImportFailed) as e:
        import_categories(engine, tmp_path / "c.xlsx")
    errs = errors_of(e)
    assert set(errs) == {(3, "time_limit_hours"), (5, "name")}
    assert errs[(3, "time_limit_hours")].startswith("是公式（=24*1）")
    assert "不能为空" not in str(e.value)


def test_xlsx_codes_typed_as_numbers_keep_their_leading_zeros(engine, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append([1, "社会治安类", None, None, None, None])
    ws.append([101, "治安隐患", 1, 24, None, None])
    for row in (2, 3):
        ws.cell(row, 1).number_format = "0000" if row == 3 else "00"
    ws.cell(3, 3).number_format = "00"
    wb.save(tmp_path / "c.xlsx")
    import_categories(engine, tmp_path / "c.xlsx")
    assert stored(engine) == {"01": (None, None, False), "0101": ("01", 24.0, False)}


def test_the_api_catalogue_says_a_major_category_has_no_limit_of_its_own(engine, tmp_path):
    from app import create_app

    from .conftest import settings_for

    small_county(engine)
    import_categories(engine, write_csv(tmp_path / "c.csv", [["05", "大类", "", "", "", ""],
                                                             ["05.01", "小类", "05", "6", "", ""]]))
    client = create_app(settings_for(engine.url.render_as_string(hide_password=False), warm_geometry=False)).server.test_client()
    body = client.get("/api/v1/catalog").get_json()
    cats = {c["code"]: c for c in body["categories"]}
    assert cats["05"]["time_limit_hours"] is None and cats["05.01"]["time_limit_hours"] == 6
