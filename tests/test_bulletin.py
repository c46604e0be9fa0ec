"""The weekly bulletin: the deck and the workbook are opened with python-pptx and openpyxl and every
figure checked against the indicator module for that week and area (county and a town), with
week-on-week changes from the previous week's figures; the zip holds the deck's charts."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest

from dashboard.domain import indicators

from dashboard.export.bulletin import KPI_FIELDS
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation
from pptx.oxml.ns import qn

from dashboard import warnings as W
from dashboard import strings
from dashboard.domain import areas
from dashboard.present import charts
from dashboard.figures import fieldwork
from dashboard.present import fmt
from dashboard.figures import metrics
from dashboard.domain import windows
from dashboard.export import bulletin, bundle, deck, images

from .conftest import AS_OF

TOWN = "340223100"
W46 = bulletin.Week(2026, 46)


# --- weeks ------------------------------------------------------------------------------------


def test_iso_weeks_and_their_windows():
    w = bulletin.Week.parse("2026-W47")
    assert (w.monday.isoformat(), w.sunday.isoformat()) == ("2026-11-16", "2026-11-22")
    assert w.start.isoformat() == "2026-11-15T16:00:00+00:00"  # Monday 00:00 in Nanling
    assert w.period_text() == "2026年第47周（11月16日—11月22日）"
    assert bulletin.Week.parse("2026w01") == bulletin.Week(2026, 1)
    for bad in ("2026-47", "2026-W54", "W47", ""):
        with pytest.raises(bulletin.BulletinError):
            bulletin.Week.parse(bad)

    current, previous, partial = bulletin.week_windows(W46, AS_OF)
    assert not partial and current == windows.Window(W46.start, W46.end)
    assert previous == current.previous()  # a complete week compares with the whole week before

    current, previous, partial = bulletin.week_windows(bulletin.Week(2026, 47), AS_OF)
    assert partial and current.end == AS_OF  # still running: as of now (Friday 24:00) ...
    assert (previous.start, previous.end) == (current.start - timedelta(days=7), AS_OF - timedelta(days=7))  # ... vs Mon-Fri
    with pytest.raises(bulletin.BulletinError):
        bulletin.week_windows(bulletin.Week(2026, 48), AS_OF)


def test_weeks_available_run_from_the_first_report(demo_engine):
    weeks = bulletin.weeks_available(demo_engine, AS_OF)
    assert weeks[0] == bulletin.Week(2026, 47)
    assert weeks[-1] == bulletin.Week.of(windows.first_report(demo_engine))
    assert weeks == sorted(weeks, reverse=True) and len(set(weeks)) == len(weeks)


def test_collect_takes_every_figure_from_the_indicator_module(demo_engine):
    b = bulletin.collect(demo_engine, "2026-W46", None, AS_OF)
    window = windows.Window(W46.start, W46.end)
    assert b.summary == metrics.summary(demo_engine, window)
    prev = metrics.summary(demo_engine, window.previous())
    assert b.previous_summary == prev
    for f in ("reported", "closed", "overdue", "closure_rate"):
        assert b.changes[f]["previous"] == prev[f]
        assert b.changes[f]["change"] == pytest.approx(b.summary[f] - prev[f])
    assert b.changes["reported"]["relative"] == pytest.approx((b.summary["reported"] - prev["reported"]) / prev["reported"])
    assert b.changes["closure_rate"]["relative"] is None  # no relative change of a rate
    # the backlog list is exactly what the counts count
    backlog = metrics.summary(demo_engine, windows.Window(windows.first_report(demo_engine), window.end))
    assert int(b.cases["overdue"].sum()) == backlog["overdue"] == b.backlog["overdue"]
    assert int((b.cases["supervised"]).sum()) == backlog["supervised_open"]


def test_collect_refuses_bad_areas(demo_engine):
    with pytest.raises(bulletin.BulletinError) as e:
        bulletin.collect(demo_engine, "2026-W46", "340223100001", AS_OF)  # a community: towns and the county only
    assert e.value.field == "area"


# --- the files ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def county_files(demo_engine, tmp_path_factory):
    return bundle.build(demo_engine, W46, None, tmp_path_factory.mktemp("county"), now=AS_OF)


@pytest.fixture(scope="module")
def town_files(demo_engine, tmp_path_factory):
    return bundle.build(demo_engine, W46, TOWN, tmp_path_factory.mktemp("town"), now=AS_OF)


def slide_texts(slide) -> list[str]:
    return [sh.text_frame.text for sh in slide.shapes if sh.has_text_frame]


def slide_tables(slide) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in sh.table.rows] for sh in slide.shapes if sh.has_table]


def find_slide(prs, heading: str):
    hits = [s for s in prs.slides if heading in slide_texts(s)]
    assert hits, f"no slide {heading!r}"
    return hits[0]


def kpi_boxes(slide) -> dict[str, tuple[str, str]]:
    """label -> (value text, change text) from the KPI cards (label, value, change boxes in order)."""
    texts = slide_texts(slide)
    out = {}
    for f in KPI_FIELDS:
        label = strings.INDICATOR_LABELS[f]
        i = texts.index(label)
        out[f] = (texts[i + 1], texts[i + 2])
    return out


def expected_change(f: str, cur, prev) -> str:
    """The week-on-week words, written out independently of the deck's code."""
    if cur == prev:
        return "与上周持平"
    sign = "+" if cur > prev else "−"
    if f.endswith("_rate"):
        return f"较上周 {sign}{abs(cur - prev) * 100:.1f}个百分点"
    return f"较上周 {sign}{abs(cur - prev):,}件"


@pytest.mark.parametrize("which", ["county", "town"])
def test_deck_kpis_equal_the_module_with_week_on_week(demo_engine, county_files, town_files, which):
    res = county_files if which == "county" else town_files
    scope = metrics.Scope(area=None if which == "county" else TOWN)
    window = windows.Window(W46.start, W46.end)
    cur = metrics.summary(demo_engine, window, scope)
    prev = metrics.summary(demo_engine, window.previous(), scope)
    prs = Presentation(str(res.files["pptx"]))
    assert prs.slide_width * 9 == prs.slide_height * 16  # 16:9
    name = "南陵县" if which == "county" else "籍山镇"
    title = prs.slides[0]
    assert f"{name}网格化治理工作周通报" in slide_texts(title)
    assert "2026年第46周（11月9日—11月15日）" in slide_texts(title)

    kpis = kpi_boxes(find_slide(prs, strings.BULLETIN_SECTIONS["kpi"]))
    for f, (value, change) in kpis.items():
        assert value.split(" ")[0] == indicators.text(f, cur[f]), f
        if f in ("reported", "valid", "closed", "in_progress", "overdue", "supervised", "closure_rate", "on_time_rate"):
            if prev[f] is not None and cur[f] is not None:
                assert change.startswith(expected_change(f, cur[f], prev[f])), (f, change)
    (sentence,) = [t for t in slide_texts(find_slide(prs, strings.BULLETIN_SECTIONS["kpi"])) if t.startswith("本周")]
    assert f"共上报事件 {cur['reported']} 件" in sentence and fmt.rate(cur["closure_rate"]) in sentence


def test_deck_unit_ranking_equals_by_group(demo_engine, county_files):
    window = windows.Window(W46.start, W46.end)
    prs = Presentation(str(county_files.files["pptx"]))
    slide = find_slide(prs, strings.BULLETIN_SECTIONS["units"].format(units="镇（街道）"))
    (table,) = slide_tables(slide)
    assert table[0] == ["名次", "镇（街道）", "上报", "办结", "办结率", "按期办结率", "超期", "上周上报"]
    names = areas.names(demo_engine, "town")
    now = metrics.by_group(demo_engine, window, "town").set_index("code")
    before = metrics.by_group(demo_engine, window.previous(), "town").set_index("code")
    by_name = {names[c]: c for c in names}
    assert {r[1] for r in table[1:]} == set(names.values())  # every town, with or without events
    for row in table[1:]:
        code = by_name[row[1]]
        g = now.loc[code] if code in now.index else None
        assert row[2] == fmt.count(g["reported"] if g is not None else 0)
        assert row[3] == fmt.count(g["closed"] if g is not None else 0)
        assert row[4] == fmt.rate(g["closure_rate"] if g is not None else None)
        assert row[7] == fmt.count(before.loc[code, "reported"] if code in before.index else 0)
    rates = [now.loc[by_name[r[1]], "closure_rate"] for r in table[1:] if by_name[r[1]] in now.index]
    assert rates == sorted(rates, reverse=True)


def test_deck_departments_carry_the_module_scores(demo_engine, county_files):
    window = windows.Window(W46.start, W46.end)
    ranking = charts.label_handlers(metrics.department_ranking(demo_engine, window)).set_index("label")
    prs = Presentation(str(county_files.files["pptx"]))
    rows = []
    for slide in prs.slides:
        texts = slide_texts(slide)
        if any(t.startswith(strings.BULLETIN_SECTIONS["departments"]) for t in texts):
            for table in slide_tables(slide):
                assert table[0][-1] == "综合得分"
                rows += table[1:]
    assert len(rows) == int((ranking["valid"] > 0).sum())
    for row in rows:
        r = ranking.loc[row[1]]
        assert (row[2], row[3], row[4], row[8]) == (fmt.count(r["valid"]), fmt.rate(r["closure_rate"]),
                                                     fmt.rate(r["on_time_rate"]), indicators.text("score", r["score"]))
    scores = [ranking.loc[r[1], "score"] for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert [r[0] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]


def test_deck_cases_workers_map_and_notes(demo_engine, county_files):
    window = windows.Window(W46.start, W46.end)
    prs = Presentation(str(county_files.files["pptx"]))
    backlog = metrics.summary(demo_engine, windows.Window(windows.first_report(demo_engine), window.end))
    cases = find_slide(prs, strings.BULLETIN_SECTIONS["cases"])
    (note,) = [t for t in slide_texts(cases) if t.startswith("截至")]
    assert f"超期未办结 {backlog['overdue']} 件" in note and f"督办未办结 {backlog['supervised_open']} 件" in note
    open_ids = set(metrics.open_cases(demo_engine, windows.Window(windows.first_report(demo_engine), window.end))["id"])
    (table,) = slide_tables(cases)
    assert {int(r[0]) for r in table[1:]} <= open_ids and len(table) > 1

    workers = fieldwork.worker_stats(demo_engine, window)
    slide = find_slide(prs, strings.BULLETIN_SECTIONS["workers"])
    reports, visits, patrol = slide_tables(slide)
    top = workers.sort_values(["visits", "reports", "patrol_hours"], ascending=False).head(5)
    assert [r[1] for r in visits[1:]] == list(top["name"])
    assert [r[3] for r in visits[1:]] == [fmt.count(v) for v in top["visits"]]
    top = workers.sort_values(["patrol_hours", "reports", "visits"], ascending=False).head(5)
    assert [r[3] for r in patrol[1:]] == [fmt.hours(v) for v in top["patrol_hours"]]
    assert all(int(r[3]) > 0 for r in reports[1:])

    levels = find_slide(prs, strings.BULLETIN_SECTIONS["map"])
    counts = {row[1]: int(row[2]) for row in slide_tables(levels)[0][1:]}
    engine_counts = W.county_rollup(demo_engine, at=window.end)["counts"]  # the engine's levels at the week's end
    assert counts == {strings.WARNING_LEVEL_LABELS[lv]: n for lv, n in engine_counts.items()}
    assert sum(counts.values()) == 211 and counts[strings.WARNING_LEVEL_LABELS[0]] < 211

    notes = find_slide(prs, strings.BULLETIN_SECTIONS["notes"])
    assert slide_tables(notes)[0][1:] == [list(x) for x in strings.INDICATOR_DEFINITIONS]


def test_every_text_run_has_the_cjk_font(county_files):
    prs = Presentation(str(county_files.files["pptx"]))
    runs = 0
    for slide in prs.slides:
        for r in slide.shapes._spTree.iter(qn("a:r")):
            rpr = r.find(qn("a:rPr"))
            assert rpr is not None, r.findtext(qn("a:t"))
            faces = {tag: rpr.find(qn(f"a:{tag}")) for tag in ("latin", "ea", "cs")}
            assert all(el is not None and el.get("typeface") == deck.FONT for el in faces.values()), r.findtext(qn("a:t"))
            runs += 1
    assert runs > 300


def test_deck_pictures_are_the_print_charts(county_files):
    prs = Presentation(str(county_files.files["pptx"]))
    pics = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    sizes = sorted(Image.open(io.BytesIO(p.image.blob)).size for p in pics)
    expected = sorted((w * images.PRINT_SCALE, h * images.PRINT_SCALE)
                      for w, h in (deck.chart_size(n) for n in bulletin.BULLETIN_CHARTS))
    assert sizes == expected


def test_zip_holds_the_same_charts(county_files):
    prs = Presentation(str(county_files.files["pptx"]))
    deck_pngs = {sh.image.blob for s in prs.slides for sh in s.shapes if sh.shape_type == 13}
    with zipfile.ZipFile(county_files.files["zip"]) as z:
        names = z.namelist()
        assert names[0] == "01-网格预警等级分布.png" and len(names) == len(bulletin.BULLETIN_CHARTS)
        assert {z.read(n) for n in names} == deck_pngs


@pytest.mark.parametrize("which", ["county", "town"])
def test_workbook_has_real_formatted_numbers(demo_engine, county_files, town_files, which):
    res = county_files if which == "county" else town_files
    area = None if which == "county" else TOWN
    window = windows.Window(W46.start, W46.end)
    cur = metrics.summary(demo_engine, window, metrics.Scope(area=area))
    prev = metrics.summary(demo_engine, window.previous(), metrics.Scope(area=area))
    wb = load_workbook(res.files["xlsx"])
    unit_sheet = "镇排名" if which == "county" else "社区排名"
    expected_sheets = ["封面", "总体情况", unit_sheet, "部门综合得分", "事件类别", "每日趋势", "超期及督办案件", "网格员履职",
                       "预警等级"] + (["镇街预警"] if which == "county" else []) + ["红橙预警网格", "指标说明"]
    assert wb.sheetnames == expected_sheets
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2", ws.title
        assert all(isinstance(c.value, str) and c.value for c in ws[1]), ws.title  # Chinese headers
        assert ws.column_dimensions["A"].width >= 8

    ws = wb["总体情况"]
    assert [c.value for c in ws[1]] == ["指标", "本周", "上周", "变化", "环比"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    label = strings.INDICATOR_LABELS
    for f in ("reported", "valid", "closed", "overdue", "supervised"):
        row = rows[label[f]]
        assert (row[1].value, row[2].value, row[3].value) == (cur[f], prev[f], cur[f] - prev[f])
        assert isinstance(row[1].value, int) and row[1].number_format == "#,##0"
    row = rows[label["closure_rate"]]
    assert row[1].value == pytest.approx(cur["closure_rate"]) and row[1].number_format == "0.0%"
    assert row[2].value == pytest.approx(prev["closure_rate"])
    assert row[3].value == pytest.approx(cur["closure_rate"] - prev["closure_rate"])
    assert rows[label["mean_hours_to_close"]][1].number_format == "0.0"

    ws = wb[unit_sheet]
    headers = [c.value for c in ws[1]]
    level = "town" if which == "county" else "community"
    groups = metrics.by_group(demo_engine, window, level, metrics.Scope(area=area)).set_index("code")
    col = {h: i for i, h in enumerate(headers)}
    seen = 0
    for r in ws.iter_rows(min_row=2, values_only=True):
        code = r[col["编码"]]
        if code in groups.index:
            g = groups.loc[code]
            assert r[col["上报"]] == g["reported"] and r[col["办结"]] == g["closed"]
            assert r[col["办结率"]] == pytest.approx(g["closure_rate"])
            seen += 1
        else:
            assert r[col["上报"]] == 0 and r[col["办结率"]] is None
    assert seen == len(groups)
    assert ws.cell(row=2, column=col["办结率"] + 1).number_format == "0.0%"

    ws = wb["部门综合得分"]
    headers = [c.value for c in ws[1]]
    ranking = metrics.department_ranking(demo_engine, window, metrics.Scope(area=area)).set_index("code")
    for r in ws.iter_rows(min_row=2, values_only=True):
        code, score = r[headers.index("编码")], r[headers.index("综合得分")]
        expected = ranking.loc[code, "score"]
        assert (score is None and expected != expected) or score == pytest.approx(expected)

    ws = wb["超期及督办案件"]
    assert ws.max_row - 1 == len(metrics.open_cases(
        demo_engine, windows.Window(windows.first_report(demo_engine), window.end), metrics.Scope(area=area)))
    assert ws.cell(row=2, column=8).number_format == "yyyy-mm-dd hh:mm"


def test_town_bulletin_ranks_the_towns_communities(demo_engine, town_files):
    prs = Presentation(str(town_files.files["pptx"]))
    slide = find_slide(prs, strings.BULLETIN_SECTIONS["units"].format(units="社区（村）"))
    (table,) = slide_tables(slide)
    assert table[0][1] == "社区（村）"
    assert {r[1] for r in table[1:]} == {a.name for a in areas.children(demo_engine, TOWN)}
    assert town_files.files["pptx"].name == "周通报-籍山镇-2026-W46.pptx"


def test_partial_week_says_so(demo_engine, tmp_path):
    b = bulletin.collect(demo_engine, "2026-W47", None, AS_OF)
    assert b.partial and b.as_of_text == "11月20日24时"
    assert b.notes[0] == "本周尚未结束，数据截至 11月20日24时"
    assert b.notes[1] == "环比为与上周同期（11月9日—11月13日）相比"
    assert b.summary == metrics.summary(demo_engine, windows.Window(bulletin.Week(2026, 47).start, AS_OF))
    data = deck.build_deck(b, {})  # without pictures: the tables and words alone
    prs = Presentation(io.BytesIO(data))
    assert "本周尚未结束，数据截至 11月20日24时" in slide_texts(prs.slides[0])[-1]


def test_page_preview_renders_the_same_tables(demo_engine):
    from callbacks.bulletin import preview
    from dashboard.export import tables

    b = bulletin.collect(demo_engine, "2026-W46", TOWN, AS_OF)
    sections = preview(b)
    assert len(sections) == 8
    text = str(sections)
    for row in tables.units(b).rows:
        assert row[1] in text
    assert tables.summary_sentence(b) in text
