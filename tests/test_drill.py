"""The desk pages' data: the explorer's server-side filtering, paging and counts (against
``metrics``), the CSV/XLSX exports, supervision (督办), the case file, stage times, and the 404s of
every drill-down route."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from urllib.parse import parse_qs

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from dashboard.figures import casefile
from dashboard import vocabulary
from dashboard.export import eventfiles
from dashboard.figures import caselist
from dashboard.present import caserows
from dashboard.figures import metrics
from dashboard.warnings import board
from dashboard.domain import windows
from dashboard.store.models import Category, Event, Supervision
from dashboard.timeutil import LOCAL_TZ

from .conftest import AS_OF
from .factories import CLOSE, DEPT, DEPT2, GRID_A, GRID_B, TOWN, case, small_county

ALL = windows.Window(AS_OF - timedelta(days=200), AS_OF)
H = timedelta(hours=1)


def q(**params) -> caselist.Filters:
    return caselist.from_query(params, AS_OF)


# --- explorer: filters, counts, paging ----------------------------------------------------------


@pytest.mark.parametrize("window", [ALL, windows.Window.last_days(7, AS_OF), windows.Window.last_days(30, AS_OF)])
def test_counts_match_metrics(demo_engine, window):
    s = metrics.summary(demo_engine, window)
    base = caselist.Filters(start=window.start, end=window.end)
    assert caselist.count(demo_engine, base, AS_OF) == s["reported"]
    assert caselist.count(demo_engine, caselist.Filters(start=window.start, end=window.end,
                                                        statuses=vocabulary.OPEN_STATUSES), AS_OF) == s["in_progress"]
    assert caselist.count(demo_engine, caselist.Filters(start=window.start, end=window.end, overdue=True),
                          AS_OF) == s["overdue"]
    assert caselist.count(demo_engine, caselist.Filters(start=window.start, end=window.end, statuses=("closed",)),
                          AS_OF) == s["closed"]
    assert caselist.count(demo_engine, caselist.Filters(start=window.start, end=window.end, supervised=True),
                          AS_OF) == s["supervised"]


def test_seed_figures_through_the_explorer(demo_engine):
    f = q(range="all")
    assert caselist.count(demo_engine, f, AS_OF) == 983  # 979 accepted + 4 awaiting intake
    assert caselist.count(demo_engine, q(status="closed"), AS_OF) == 917
    assert caselist.count(demo_engine, q(status="open"), AS_OF) == 32
    assert caselist.count(demo_engine, q(status="invalid"), AS_OF) == 30


def test_area_handler_and_category_filters_match_metrics(demo_engine):
    for town in ("340223100", "340223105"):
        assert caselist.count(demo_engine, caselist.Filters(start=ALL.start, end=ALL.end, area=town), AS_OF) == \
            metrics.summary(demo_engine, ALL, metrics.Scope(area=town))["reported"]
    s = metrics.summary(demo_engine, ALL, metrics.Scope(department="D03"))
    assert caselist.count(demo_engine, caselist.Filters(handler="D03", start=ALL.start, end=ALL.end), AS_OF) == \
        s["reported"]
    assert caselist.count(demo_engine, caselist.Filters(handler="D03", overdue=True), AS_OF) == s["overdue"]
    # A top-level category includes its sub-categories.
    cats = metrics.by_group(demo_engine, ALL, "category")
    with demo_engine.connect() as c:
        top, = c.execute(select(Category.code).where(Category.parent_code.is_(None)).order_by(Category.code)
                         .limit(1)).one()
        kids = set(c.execute(select(Category.code).where(Category.parent_code == top)).scalars())
    expected = int(cats[cats["code"].isin(kids | {top})]["reported"].sum())
    assert expected > 0
    assert caselist.count(demo_engine, caselist.Filters(category=top), AS_OF) == expected


def _all_ids(engine, f, key, reverse):
    """The matching rows fetched independently of the explorer's ORDER BY, sorted in Python."""
    with engine.connect() as c:
        rows = c.execute(select(Event.id, Event.reported_at, Event.deadline).where(*caselist.conditions(f, AS_OF))).all()
    return [r.id for r in sorted(rows, key=key, reverse=reverse)]


def test_pages_are_the_right_slices(demo_engine):
    f = q(range="all")
    newest = _all_ids(demo_engine, f, key=lambda r: (r.reported_at, r.id), reverse=True)
    assert len(newest) == 983
    for page in (0, 1, 2, 19):
        got = [r["id"] for r in caselist.rows(demo_engine, f, AS_OF, offset=page * 50, limit=50)]
        assert got == newest[page * 50:(page + 1) * 50]
    # Another sort: deadline ascending (no deadline last), ties by id.
    f = q(status="open")
    by_deadline = _all_ids(demo_engine, f, key=lambda r: (r.deadline is None, r.deadline or AS_OF, r.id), reverse=False)
    got = [r["id"] for r in caselist.rows(demo_engine, f, AS_OF, sort=[("deadline", "asc")], offset=10, limit=10)]
    assert got == by_deadline[10:20]
    # Within a time window another sort takes the window's rows first (a materialised subquery).
    f = q(range="30d")
    by_deadline = _all_ids(demo_engine, f, key=lambda r: (r.deadline is None, r.deadline or AS_OF, r.id),
                           reverse=False)
    got = [r["id"] for r in caselist.rows(demo_engine, f, AS_OF, sort=[("deadline", "asc")], offset=20, limit=30)]
    assert got == by_deadline[20:50]
    # Pages never overlap and together hold every row exactly once.
    n = caselist.count(demo_engine, q(range="all", area="340223100"), AS_OF)
    seen = []
    for page in range(0, n // 50 + 2):
        seen += [r["id"] for r in caselist.rows(demo_engine, q(range="all", area="340223100"), AS_OF,
                                                sort=[("status", "asc")], offset=page * 50, limit=50)]
    assert len(seen) == len(set(seen)) == n


def test_rows_carry_names_and_the_overdue_clock(demo_engine):
    rows = caselist.rows(demo_engine, q(overdue="1"), AS_OF, sort=[("deadline", "asc")], limit=5)
    assert rows and all(r["overdue"] and r["open"] for r in rows)
    r = rows[0]
    assert r["overdue_hours"] == pytest.approx((AS_OF - r["deadline"]).total_seconds() / 3600)
    assert r["grid_name"].endswith("网格") and r["town_name"] and r["category_name"]
    p = caserows.present(r)
    assert p["overdue"] == "是" and p["status"] in ("已受理", "已派遣", "处置中", "已处置")


def test_text_search(demo_engine):
    one = caselist.rows(demo_engine, q(), AS_OF, limit=1)[0]
    assert [r["id"] for r in caselist.rows(demo_engine, q(q=str(one["id"])), AS_OF)][:1] == [one["id"]]
    word = one["title"][-4:]
    hits = caselist.rows(demo_engine, q(q=word), AS_OF, limit=1000)
    assert one["id"] in {r["id"] for r in hits} and all(word in r["title"] or str(r["id"]) == word for r in hits)
    assert caselist.count(demo_engine, q(q="100%_不存在"), AS_OF) == 0  # LIKE wildcards are escaped


def test_query_round_trip_and_bad_values():
    f = q(range="30d", area="340223100001", category="SQ", status="open", handler="D03", overdue="1",
          supervised="1", q="路灯")
    assert f.statuses == (caselist.OPEN,) and f.overdue and f.supervised and f.area == "340223100001"
    again = caselist.from_query(parse_qs(caselist.to_query(f)), AS_OF)
    assert again.key() == f.key()
    custom = q(start="2026-11-01", end="2026-11-10")
    assert custom.range_key == "custom" and (custom.end - custom.start) == timedelta(days=10)
    bad = q(range="yesterday", area="abc", status="nope")
    assert (bad.range_key, bad.area, bad.statuses) == ("all", None, ())
    with pytest.raises(caselist.FilterError) as err:
        caselist.from_query({"area": "abc", "status": "nope"}, AS_OF, strict=True)
    assert set(err.value.fields) == {"area", "status"}


# --- exports -------------------------------------------------------------------------------------


def _expected_ids(demo_engine, f):
    return [r["id"] for r in caselist.iter_rows(demo_engine, f, AS_OF)]


@pytest.mark.parametrize("query", ["status=open", "range=30d&area=340223100", "overdue=1", ""])
def test_csv_export_holds_exactly_the_filtered_rows(api, demo_engine, query):
    r = api.get(f"/api/v1/explorer/events.csv?{query}")
    assert r.status_code == 200 and r.mimetype == "text/csv"
    assert "attachment" in r.headers["Content-Disposition"]
    text = r.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == caserows.headers()
    f = caselist.from_query(dict(p.split("=") for p in query.split("&") if p), AS_OF)
    ids = [int(x[0]) for x in rows[1:]]
    assert ids == _expected_ids(demo_engine, f)
    assert len(ids) == caselist.count(demo_engine, f, AS_OF)


def test_xlsx_export_holds_exactly_the_filtered_rows(api, demo_engine):
    r = api.get("/api/v1/explorer/events.xlsx?range=30d&status=open")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.data), read_only=True)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == caserows.headers()
    f = caselist.from_query({"range": "30d", "status": "open"}, AS_OF)
    expected = caselist.rows(demo_engine, f, AS_OF, limit=1000)
    assert [int(x[0]) for x in rows[1:]] == [e["id"] for e in expected]
    # Times are local wall-clock datetimes in the cells (Excel has no time zones).
    col = caserows.COLUMNS.index("reported_at")
    local = expected[0]["reported_at"].astimezone(LOCAL_TZ).replace(tzinfo=None)
    assert abs((rows[1][col] - local).total_seconds()) < 1


def test_xlsx_refuses_more_rows_than_its_bound(api, monkeypatch):
    monkeypatch.setattr(eventfiles, "XLSX_MAX_ROWS", 10)
    r = api.get("/api/v1/explorer/events.xlsx")
    assert r.status_code == 413
    assert "CSV" in r.get_json()["error"]


def test_export_refuses_a_bad_filter(api):
    r = api.get("/api/v1/explorer/events.csv?area=abc&status=nope")
    assert r.status_code == 400
    assert set(r.get_json()["fields"]) == {"area", "status"}


# --- 督办 -----------------------------------------------------------------------------------------


@pytest.fixture
def county(engine):
    small_county(engine)
    return engine


T0 = AS_OF - timedelta(days=5)


def test_supervision_is_stored_per_act_and_counted_once(county):
    open_id = case(county, T0, [("accept", 1), ("dispatch", 2, DEPT)])  # 24 h limit: overdue by now
    closed_id = case(county, T0, CLOSE)
    w = windows.Window(T0 - H, AS_OF)
    before = metrics.summary(county, w, metrics.Scope(department=DEPT))
    assert before["supervised"] == 0 and before["score_supervision"] == 10
    casefile.supervise(county, open_id, actor="值班员甲", note="超期未办结，请今日反馈", at=AS_OF - 3 * H)
    casefile.supervise(county, open_id, actor="值班员乙", note="再次督办", at=AS_OF - 2 * H)
    with county.connect() as c:
        acts = c.execute(select(Supervision.actor, Supervision.note).where(Supervision.event_id == open_id)
                         .order_by(Supervision.id)).all()
        ev = c.execute(select(Event.supervised, Event.supervised_at).where(Event.id == open_id)).one()
    assert [a.actor for a in acts] == ["值班员甲", "值班员乙"]  # every act kept
    assert ev.supervised and ev.supervised_at == AS_OF - 3 * H  # the flag once, at the first act
    after = metrics.summary(county, w, metrics.Scope(department=DEPT))
    assert (after["supervised"], after["supervised_open"]) == (1, 1)  # one case, however often chased
    assert after["score_supervision"] == pytest.approx(10 - 0.5 - 1)
    assert after["score"] == pytest.approx(before["score"] - 1.5)
    # The big screen's department ranking reads the same flag.
    ranking = metrics.department_ranking(county, w).set_index("code")
    assert ranking.loc[DEPT, "supervised"] == 1 and ranking.loc[DEPT, "score"] == pytest.approx(after["score"])
    # The case file shows both acts, in its timeline too.
    cf = casefile.case_file(county, open_id, AS_OF)
    assert [s["actor"] for s in cf["supervisions"]] == ["值班员甲", "值班员乙"]
    assert [i["action"] for i in cf["timeline"]][-2:] == ["supervise", "supervise"]
    # A closed case cannot be supervised, nor can a case without a name, or an unknown one.
    with pytest.raises(casefile.SuperviseError, match="不在办理中"):
        casefile.supervise(county, closed_id, actor="值班员甲", note="", at=AS_OF)
    with pytest.raises(casefile.SuperviseError, match="姓名"):
        casefile.supervise(county, open_id, actor="  ", note="x", at=AS_OF)
    with pytest.raises(casefile.SuperviseError, match="不存在"):
        casefile.supervise(county, 999999, actor="值班员甲", note="", at=AS_OF)
    with county.connect() as c:
        assert c.scalar(select(func.count()).select_from(Supervision)) == 2  # refusals wrote nothing


# --- case file and stage times -------------------------------------------------------------------


def test_case_file_timeline_and_stages_with_rework_and_send_back(county):
    eid = case(county, T0, [("accept", 1), ("dispatch", 2, DEPT), ("send_back", 4), ("dispatch", 5, DEPT2),
                            ("start", 6), ("dispose", 10), ("verify_fail", 12), ("start", 13), ("dispose", 20),
                            ("supervise", 21), ("verify_ok", 30)])
    cf = casefile.case_file(county, eid, AS_OF)
    assert cf["event"]["status"] == "closed" and not cf["open"] and not cf["overdue"]
    actions = [i["action"] for i in cf["timeline"]]
    assert actions == ["report", "accept", "dispatch", "send_back", "dispatch", "start", "dispose", "verify_fail",
                       "start", "dispose", "supervise", "verify_ok"]
    assert cf["timeline"][4]["handler_name"] == "县住建局"
    stages = {s.stage: s for s in cf["stages"]}
    assert stages["intake"].hours == pytest.approx(1)
    assert stages["dispatch"].hours == pytest.approx(1 + 1)  # before the first dispatch and after the send-back
    assert (stages["disposal"].hours, stages["disposal"].rounds) == (pytest.approx(2 + 1 + 4 + 1 + 7), 3)
    assert (stages["verification"].hours, stages["verification"].rounds) == (pytest.approx(2 + 10), 2)
    assert sum(s.hours for s in cf["stages"] if s.stage != "intake") == pytest.approx(29)  # accepted -> closed
    assert cf["limit_hours"] == pytest.approx(24)
    assert cf["remaining_hours"] == pytest.approx(24 + 1 - 30)  # closed 5 h late
    # The department's mean stage times are the same arithmetic over its closed cases.
    w = windows.Window(T0 - H, AS_OF)
    sh = metrics.stage_hours(county, w, metrics.Scope(department=DEPT2)).set_index("stage")["hours"]
    assert sh["dispatch"] == pytest.approx(2) and sh["verification"] == pytest.approx(12)


def test_open_case_stage_runs_until_now(county):
    eid = case(county, T0, [("accept", 1), ("dispatch", 2, DEPT), ("start", 3)])
    cf = casefile.case_file(county, eid, AS_OF)
    assert cf["open"] and cf["overdue"]
    last = cf["stages"][-1]
    assert last.stage == "disposal" and last.running and last.end is None
    assert last.hours == pytest.approx((AS_OF - (T0 + 2 * H)).total_seconds() / 3600)
    assert cf["remaining_hours"] == pytest.approx(-((AS_OF - (T0 + 25 * H)).total_seconds() / 3600))
    seg = casefile.segments(cf["log"], AS_OF, "in_progress")
    assert seg[-1]["running"] and seg[-1]["end"] == AS_OF


def test_stage_means_add_up_to_hours_to_close(demo_engine):
    for scope in (metrics.Scope(), metrics.Scope(department="D03"), metrics.Scope(area="340223100")):
        sh = metrics.stage_hours(demo_engine, ALL, scope).set_index("stage")
        s = metrics.summary(demo_engine, ALL, scope)
        assert sh.loc[["dispatch", "disposal", "verification"], "hours"].sum() == pytest.approx(s["mean_hours_to_close"])
        assert int(sh["cases"].iloc[0]) == s["closed"]


def test_rate_series_and_stage_counts_add_up(demo_engine):
    scope = metrics.Scope(department="D03")
    s = metrics.summary(demo_engine, ALL, scope)
    rs = metrics.rate_series(demo_engine, ALL, scope)
    assert rs["reported"].sum() == s["reported"] and rs["closed"].sum() == s["closed"]
    assert rs["period"].is_monotonic_increasing
    daily = metrics.rate_series(demo_engine, windows.Window.last_days(7, AS_OF), metrics.Scope())
    assert len(daily) <= 8 and daily["reported"].sum() == metrics.summary(
        demo_engine, windows.Window.last_days(7, AS_OF))["reported"]
    st = metrics.stage_counts(demo_engine, ALL, metrics.Scope()).set_index("stage")
    county = metrics.summary(demo_engine, ALL)
    assert st.loc["closed", "n"] == 917 and st["n"].sum() == 983
    assert st.loc["invalid", "n"] == county["invalid"]
    assert st.loc[["dispatch", "disposal", "verification"], "n"].sum() == county["in_progress"]
    assert st["overdue"].sum() == county["overdue"]


# --- warnings as the desk reads them: the engine's levels and the warnings list ----------------


def test_warnings_for_reads_the_engine_with_reasons_and_history(county):
    from dashboard import warnings as W

    W.issue(county, scope=TOWN, level=4, reason="节假日", until=T0 - 24 * H, issued_by="值班长", at=T0 - 48 * H)
    W.issue(county, scope=GRID_A, level=2, reason="汛期重点防范", until=AS_OF + 24 * H, issued_by="值班长", at=T0)
    W.run_once(county, W.load_rules(), AS_OF)
    w = board.warnings_for(county, AS_OF, GRID_A)
    assert w.level_of(GRID_A) == 2 and any("汛期重点防范" in r for r in w.reasons[GRID_A])
    assert list(w.history["scope_code"]) == [GRID_A, TOWN]  # newest first; the town's covers this grid
    assert w.history.iloc[1]["ended_at"] == T0 - 24 * H
    town = board.warnings_for(county, AS_OF, TOWN)
    assert town.level_of(TOWN) == 2 and town.counts()[2] == 1 and town.level_of(GRID_B) == 0
    # The grid page's panel shows the level, the reasons and both entries of the history.
    from callbacks.grid import warning_panel, warning_part

    figures = metrics.summary(county, windows.Window.last_days(7, AS_OF), metrics.Scope(area=GRID_A))
    text = _text(warning_panel({**warning_part(w, GRID_A), "figures": figures}, GRID_A))
    assert "Ⅱ级（橙色）" in text and "汛期重点防范" in text and "节假日" in text and "值班长" in text


def _text(component) -> str:
    """All the words of a component tree."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    return _text(getattr(component, "children", None))


# --- 404s ------------------------------------------------------------------------------------------


def _resolve(demo_app, path, search=""):
    from callbacks.router import resolve
    from dashboard.web.runtime import EXTENSION_KEY

    return resolve(demo_app.server.extensions[EXTENSION_KEY], path, search)


def _is_404(component) -> bool:
    return getattr(component, "className", "") == "not-found"


@pytest.mark.parametrize("path", [
    "/grid/999", "/grid/340223100001999", "/grid/340223100001", "/event/abc", "/event/99999999", "/event/-1",
    "/event/12345678901234567890", "/town/340223100001001", "/town/999999999", "/community/340223100",
    "/community/abc", "/department/NOPE", "/department/" + "x" * 40, "/nowhere", "/town",
])
def test_unknown_codes_and_ids_get_the_404_page(demo_app, path):
    assert _is_404(_resolve(demo_app, path))


@pytest.mark.parametrize("path, search", [
    ("/town/340223100", ""), ("/community/340223100001", "?range=30d"), ("/grid/340223100001001", "?range=all"),
    ("/event/1", ""), ("/department/D03", "?range=custom&start=2026-11-01&end=2026-11-10"), ("/events", "?status=open"),
    ("/town/340223100", "?range=custom&start=bad"),  # a broken range falls back, it does not 404
])
def test_known_pages_render(demo_app, path, search):
    assert not _is_404(_resolve(demo_app, path, search))


def test_a_desk_panel_sends_only_the_outputs_that_changed():
    """The grid page's panel answers a refresh with the outputs that differ from the screen's: an
    unchanged map layer is not sent, so it is not drawn again (which would close an open tooltip)."""
    from dash import html, no_update

    from callbacks import panel
    from callbacks.grid import PANELS

    assert PANELS["grid-body"].patch is panel.only_changed
    points = {"type": "FeatureCollection", "features": [{"id": 1}]}
    before = [points, html.Div("甲"), {"data": [1]}]
    after = [dict(points), html.Div("乙"), {"data": [1]}]
    assert panel.only_changed(None, after) == after  # nothing on screen yet: everything
    assert panel.only_changed(before, after) == [no_update, after[1], no_update]
    assert panel.only_changed(before, [dict(points), html.Div("甲"), {"data": [1]}]) == [no_update] * 3


def _labels(component, class_name: str) -> list[str]:
    """The words of every element of ``class_name`` in a component tree."""
    out = []
    if isinstance(component, (list, tuple)):
        for c in component:
            out += _labels(c, class_name)
    elif component is not None and not isinstance(component, (str, int, float)):
        if class_name in (getattr(component, "className", "") or "").split():
            out.append(_text(component))
        out += _labels(getattr(component, "children", None), class_name)
    return out


@pytest.mark.parametrize("path", ["/grid/340223100001001", "/town/340223100", "/department/D03"])
@pytest.mark.parametrize("search, label", [("", "近7日（期内）"), ("?range=30d", "近30日（期内）"), ("?range=all", "全部（期内）"),
                                           ("?range=custom&start=2026-11-01&end=2026-11-10", "自定义（期内）")])
def test_a_desk_pages_flow_figures_are_labelled_with_its_range(demo_app, path, search, label):
    labels = _labels(_resolve(demo_app, path, search), "kpi-group-label")
    assert labels[:2] == [label, "当前"]
