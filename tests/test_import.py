"""Imports of a county's own data: good files land, bad files change nothing and name every bad
row, re-imports are idempotent and extend cases that moved on."""

import csv
import json

import openpyxl
import pytest
from shapely.geometry import box, mapping
from sqlalchemy import func, select

from dashboard.ingest import ImportFailed
from dashboard.ingest.areas import import_areas
from dashboard.ingest.catalog import import_categories, import_departments
from dashboard.ingest.events import COLUMNS, import_events
from dashboard.store.models import Area, Category, Department, Event, EventLog

from .factories import GRID_A, GRID_B, small_county


def write_csv(path, header, rows, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def count(engine, model):
    with engine.connect() as c:
        return c.scalar(select(func.count()).select_from(model))


def errors_of(exc) -> set[tuple]:
    return {(e.row, e.column) for e in exc.value.errors}


# --- departments and categories ---------------------------------------------------------------

def test_departments_good_then_idempotent(engine, tmp_path):
    f = write_csv(tmp_path / "d.csv", ["code", "name", "level"],
                  [["GA", "县公安局", "county_department"], ["ZJ", "县住建局", "county_department"]], encoding="gb18030")
    r = import_departments(engine, f)
    assert (r.created, r.updated) == (2, 0)
    r = import_departments(engine, f)
    assert (r.created, r.unchanged) == (0, 2)
    with engine.connect() as c:
        assert c.scalar(select(Department.name).where(Department.code == "GA")) == "县公安局"


def test_bad_departments_file_changes_nothing(engine, tmp_path):
    f = write_csv(tmp_path / "d.csv", ["code", "name", "level"],
                  [["GA", "县公安局", "county_department"], ["GA", "重复", "county_department"], ["X", "", "ministry"]])
    with pytest.raises(ImportFailed) as e:
        import_departments(engine, f)
    assert errors_of(e) == {(3, "code"), (4, "name"), (4, "level")}
    assert "第3行" in str(e.value) and "“code”列" in str(e.value)
    assert count(engine, Department) == 0
    g = write_csv(tmp_path / "g.csv", ["code", "name"], [["GA", "x"]])
    with pytest.raises(ImportFailed, match="缺少必需的列"):
        import_departments(engine, g)


def test_categories_parents_any_order_flags_inherited(engine, tmp_path):
    import_departments(engine, write_csv(tmp_path / "d.csv", ["code", "name", "level"], [["GA", "公安", "county_department"]]))
    f = write_csv(tmp_path / "c.csv", ["code", "name", "parent_code", "time_limit_hours", "default_handler_code", "is_dispute"],
                  [["JF01", "邻里纠纷", "JF", "168", "GA", ""], ["JF", "矛盾纠纷", "", "168", "", "是"]])
    r = import_categories(engine, f)
    assert r.created == 2
    with engine.connect() as c:
        assert c.execute(select(Category.is_dispute, Category.time_limit_hours).where(Category.code == "JF01")).one() == (True, 168.0)
    bad = write_csv(tmp_path / "b.csv", ["code", "name", "parent_code", "time_limit_hours", "default_handler_code"],
                    [["A", "甲", "NOPE", "24", ""], ["B", "乙", "", "-3", ""], ["C", "丙", "", "24", "NOBODY"],
                     ["X", "循", "Y", "1", ""], ["Y", "环", "X", "1", ""]])
    with pytest.raises(ImportFailed) as e:
        import_categories(engine, bad)
    assert errors_of(e) == {(2, "parent_code"), (3, "time_limit_hours"), (4, "default_handler_code"), (5, "parent_code"),
                            (6, "parent_code")}
    assert count(engine, Category) == 2


# --- areas --------------------------------------------------------------------------------------

def feature(code, name, level, parent, geom, **props):
    return {"type": "Feature", "properties": {"code": code, "name": name, "level": level, "parent_code": parent, **props},
            "geometry": mapping(geom)}


def county_geojson(tmp_path, extra=(), name="areas.geojson"):
    def sq(x0, x1):
        return box(118 + x0, 30.8, 118 + x1, 30.9)

    feats = [
        feature("340223", "南陵县", "county", None, sq(0, 0.2)),
        feature("340223100", "籍山镇", "town", "340223", sq(0, 0.2)),
        feature("340223100001", "和顺社区", "community", "340223100", sq(0, 0.2)),
        feature("340223100001001", "和顺社区第1网格", "grid", "340223100001", sq(0, 0.1), households=420, houses=400, population=900),
        feature("340223100001002", "和顺社区第2网格", "grid", "340223100001", sq(0.1, 0.2), households=380),
        *extra,
    ]
    p = tmp_path / name
    p.write_text(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False), encoding="utf-8")
    return p


def test_areas_good_creates_hierarchy_and_area_handlers(engine, tmp_path):
    r = import_areas(engine, county_geojson(tmp_path))
    assert r.created == 5 and not r.warnings
    with engine.connect() as c:
        assert c.execute(select(Area.households, Area.population).where(Area.code == "340223100001001")).one() == (420, 900)
        assert c.scalar(select(Department.level).where(Department.code == "340223100001002")) == "grid"
    assert import_areas(engine, county_geojson(tmp_path)).unchanged == 5


def test_bad_areas_file_names_each_feature(engine, tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[118, 30.8], [118.1, 30.9], [118.1, 30.8], [118, 30.9], [118, 30.8]]]}
    extra = [
        feature("340223100001003", "重叠网格", "grid", "340223100001", box(118.05, 30.8, 118.15, 30.85)),
        feature("3402231000010", "位数不对", "grid", "340223100001", box(118.3, 30.8, 118.4, 30.9)),
        {"type": "Feature", "properties": {"code": "340223100001005", "name": "自相交", "level": "grid",
                                           "parent_code": "340223100001"}, "geometry": bowtie},
        feature("340223100001006", "国外", "grid", "340223100001", box(10, 10, 11, 11)),
        feature("340223100002", "上级错", "community", "340223101", box(118.3, 30.8, 118.4, 30.9)),
    ]
    with pytest.raises(ImportFailed) as e:
        import_areas(engine, county_geojson(tmp_path, extra))
    assert {(6, "geometry"), (7, "code"), (8, "geometry"), (9, "geometry"), (10, "parent_code")} <= errors_of(e)
    assert "交叉重叠" in str(e.value) and "Self-intersection" in str(e.value)
    assert count(engine, Area) == 0


# --- events -------------------------------------------------------------------------------------

EV = dict(event_id="NL-1", title="健身器材松动", category_code="SQ01", grid_code=GRID_A, lat="30.85", lon="118.05",
          source="网格员巡查", severity="一般", reported_at="2026-11-01 08:00", accepted_at="2026-11-01 08:30",
          invalid_at="", dispatched_at="2026-11-01 09:00", handler_code="D01", deadline="", disposed_at="2026-11-01 15:00",
          closed_at="2026-11-01 18:00", rework_count="1")


def ev_rows(*changes):
    out = []
    for ch in changes:
        r = dict(EV)
        r.update(ch)
        out.append([r[c] for c in COLUMNS])
    return out


@pytest.fixture
def county(engine):
    small_county(engine)
    return engine


def test_events_good_csv_builds_the_log_and_is_idempotent(county, tmp_path):
    rows = ev_rows({}, {"event_id": "NL-2", "closed_at": "", "disposed_at": "", "grid_code": GRID_B, "lon": "118.15",
                        "source": "hotline", "handler_code": GRID_B},
                   {"event_id": "NL-3", "accepted_at": "", "dispatched_at": "", "disposed_at": "", "closed_at": "",
                    "invalid_at": "2026-11-01 09:00", "handler_code": "", "rework_count": "0"})
    f = write_csv(tmp_path / "e.csv", COLUMNS, rows)
    r = import_events(county, f)
    assert r.created == 3
    with county.connect() as c:
        e1 = c.execute(select(Event).where(Event.ext_id == "NL-1")).one()
        assert (e1.status, e1.rework_count, e1.handler_level) == ("closed", 1, "county_department")
        assert e1.deadline.isoformat() == "2026-11-02T00:30:00+00:00"  # 08:30 local + 24 h, stored in UTC
        acts = [a for (a,) in c.execute(select(EventLog.action).where(EventLog.event_id == e1.id).order_by(EventLog.id))]
        assert acts == ["report", "accept", "dispatch", "dispose", "verify_ok"]
        assert c.execute(select(Event.status, Event.handler_level).where(Event.ext_id == "NL-2")).one() == ("dispatched", "grid")
        assert c.scalar(select(Event.status).where(Event.ext_id == "NL-3")) == "invalid"
    logs = count(county, EventLog)
    r = import_events(county, f)
    assert (r.created, r.updated, r.unchanged) == (0, 0, 3)
    assert count(county, EventLog) == logs
    # NL-2 moves on: disposed and closed now
    later = write_csv(tmp_path / "e2.csv", COLUMNS, ev_rows({"event_id": "NL-2", "grid_code": GRID_B, "lon": "118.15",
                                                             "source": "hotline", "handler_code": GRID_B}))
    r = import_events(county, later)
    assert r.updated == 1
    assert count(county, EventLog) == logs + 2


def test_events_xlsx(county, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(COLUMNS)
    for row in ev_rows({}, {"event_id": "NL-9"}):
        ws.append(row)
    wb.save(tmp_path / "e.xlsx")
    assert import_events(county, tmp_path / "e.xlsx").created == 2


def test_bad_events_file_names_every_bad_row_and_writes_nothing(county, tmp_path):
    rows = ev_rows(
        {},  # row 2 is fine, but must not be written either
        {"event_id": "B1", "grid_code": "340223100001999"},
        {"event_id": "B2", "reported_at": "2026-13-01"},
        {"event_id": "B3", "closed_at": "2026-11-01 12:00"},  # closed before disposed
        {"event_id": "B4", "invalid_at": "2026-11-01 09:00"},  # accepted and invalid
        {"event_id": "B5", "reported_at": "2099-01-01", "accepted_at": "", "dispatched_at": "", "disposed_at": "",
         "closed_at": "", "handler_code": ""},
        {"event_id": "B6", "lat": "40.0", "lon": "116.4"},  # Beijing, not Nanling
        {"event_id": "B7", "source": "微博"},
        {"event_id": "B8", "rework_count": "-1"},
        {"event_id": "NL-1"},  # duplicate of row 2
        {"event_id": "B9", "handler_code": "NOBODY"},
    )
    f = write_csv(tmp_path / "bad.csv", COLUMNS, rows)
    with pytest.raises(ImportFailed) as e:
        import_events(county, f)
    assert errors_of(e) == {(3, "grid_code"), (4, "reported_at"), (5, "closed_at"), (6, "invalid_at"), (7, "reported_at"),
                            (8, "lat"), (9, "source"), (10, "rework_count"), (11, "event_id"), (12, "handler_code")}
    assert count(county, Event) == 0 and count(county, EventLog) == 0


def test_reimport_that_contradicts_stored_case_is_refused(county, tmp_path):
    import_events(county, write_csv(tmp_path / "a.csv", COLUMNS, ev_rows({})))
    with pytest.raises(ImportFailed, match="不一致"):
        import_events(county, write_csv(tmp_path / "b.csv", COLUMNS, ev_rows({"closed_at": "2026-11-01 19:00"})))
