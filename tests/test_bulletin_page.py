"""/bulletin in a real headless Chromium: the preview shows the week's figures, the downloads are
built in the background with progress and return the files; the big screen's panel links fetch the
server-rendered print file for the screen's current filters."""

from __future__ import annotations

import io
import zipfile
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard.domain import indicators

from dashboard.export.bulletin import KPI_FIELDS
from openpyxl import load_workbook
from PIL import Image
from pptx import Presentation

from dashboard import strings
from dashboard.figures import metrics
from dashboard.domain import windows
from dashboard.export import bulletin
from dashboard.export import images


pytestmark = pytest.mark.browser
W46 = bulletin.Week(2026, 46)


def test_bulletin_page_previews_and_downloads(page, api, demo_engine):
    page.open("/bulletin")
    page.wait(lambda: len(page.find_all(".bl-kpi")) == len(KPI_FIELDS), 30, "no KPI cards")
    expected = metrics.summary(demo_engine, windows.Window(W46.start, W46.end))
    for f in ("reported", "closed", "closure_rate", "overdue"):
        assert page.text(f".bl-kpi[data-field='{f}'] .bl-kpi-value") == indicators.text(f, expected[f])
    assert "2026年第46周" in page.text(".bl-controls")  # the last complete week by default
    headings = [h.text for h in page.find_all(".bl-slide > h2")]
    for key in ("kpi", "map", "events", "departments", "cases", "workers", "notes"):
        assert strings.BULLETIN_SECTIONS[key] in headings
    page.wait(lambda: len(page.find_all(".bl-graph .main-svg")) >= 7, 30, "the charts never drew")

    page.find("#" + "bl-generate").click()
    page.wait(lambda: len(page.find_all(".bl-download")) == 3, 120, "the downloads never appeared")
    assert page.text(".bl-progress-text") == strings.BULLETIN_STEPS["done"]
    links = {a.get_attribute("data-kind"): urlparse(a.get_attribute("href")).path for a in page.find_all(".bl-download")}
    r = api.get(links["pptx"])
    assert r.status_code == 200
    prs = Presentation(io.BytesIO(r.data))
    assert "2026年第46周（11月9日—11月15日）" in [s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame]
    r = api.get(links["xlsx"])
    ws = load_workbook(io.BytesIO(r.data))["总体情况"]
    assert ws.cell(row=2, column=2).value == expected["reported"]
    r = api.get(links["zip"])
    assert zipfile.ZipFile(io.BytesIO(r.data)).testzip() is None
    assert page.console_errors() == []


def test_big_screen_panels_download_print_files_for_their_filters(page, api):
    page.open("/")
    link = "a.tool[href*='/export/chart/category.png']"
    page.wait(lambda: page.find_all(link), 30, "the export links never got their hrefs")
    q = parse_qs(urlparse(page.find(link).get_attribute("href")).query)
    assert q == {"range": ["7d"]}
    heat = [a.get_attribute("href") for a in page.find_all("a.tool[href*='/export/chart/heatmap']")]
    assert heat and all("heatmap-hour" in h for h in heat)  # the panel opens on 时段×星期

    page.d.find_element("xpath", "//label[normalize-space()='近30日']").click()
    page.wait(lambda: "range=30d" in (page.find(link).get_attribute("href") or ""), 15, "links ignored the range")
    page.d.find_element("xpath", "//label[normalize-space()='类别×日期']").click()
    page.wait(lambda: all("heatmap-day" in a.get_attribute("href")
                          for a in page.find_all("a.tool[href*='/export/chart/heatmap']")), 15)

    href = urlparse(page.find(link).get_attribute("href"))
    r = api.get(f"{href.path}?{href.query}")
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert Image.open(io.BytesIO(r.data)).size == (1000 * images.PRINT_SCALE, 600 * images.PRINT_SCALE)
    svg = page.find("a.tool[href*='/export/chart/departments.svg']").get_attribute("href")
    assert "range=30d" in svg
    assert page.console_errors() == []
