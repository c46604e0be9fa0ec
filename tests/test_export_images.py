"""Server-side chart exports: every chart of the catalogue as PNG (figure size × scale), SVG (parses)
and PDF (a real one-page PDF), in the print theme, over HTTP with the screen's filters, and the
static warning map coloured from stored warnings."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from PIL import Image, ImageStat

from dashboard.present import charts
from dashboard.present import plots
from dashboard.figures import metrics
from dashboard.domain import windows
from dashboard.export import images
from dashboard.web.exports import chart_url

from .conftest import AS_OF
from .factories import GRID_A, GRID_B, TOWN2, small_county

WEEK = windows.Window.last_days(7, AS_OF)


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(data)).size


def pdf_pages(data: bytes) -> int:
    assert data.startswith(b"%PDF-")
    assert b"%%EOF" in data[-1024:]
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


@pytest.mark.parametrize("name", sorted(charts.CHARTS))
def test_every_chart_as_png_svg_and_pdf(demo_engine, name):
    spec = charts.CHARTS[name]
    png = images.chart(demo_engine, name, "png", WEEK)
    assert png_size(png) == (spec.width * images.PRINT_SCALE, spec.height * images.PRINT_SCALE)

    svg = images.chart(demo_engine, name, "svg", WEEK, width=800, height=500)
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert (float(root.get("width")), float(root.get("height"))) == (800, 500)
    assert "Noto Sans CJK SC" in svg.decode()  # the CJK font is named, not left to chance

    pdf = images.chart(demo_engine, name, "pdf", WEEK)
    assert pdf_pages(pdf) == 1


def test_png_size_is_figure_size_times_scale(demo_engine):
    png = images.chart(demo_engine, "trend", "png", WEEK, width=640, height=360, scale=2)
    assert png_size(png) == (1280, 720)


def test_print_theme_is_light_and_titles_are_chinese(demo_engine):
    fig = charts.figure(demo_engine, "category", WEEK, theme="print")
    assert fig.layout.paper_bgcolor == plots.THEMES["print"].paper == "#ffffff"
    assert fig.layout.title.text == "事件类别分布"
    # the same builder as the screen, only the theme differs
    screen = charts.figure(demo_engine, "category", WEEK, theme="screen", title=False)
    assert list(screen.data[0].x) == list(fig.data[0].x)


def test_chart_data_follows_the_area(demo_engine):
    town = "340223100"
    fig = charts.figure(demo_engine, "trend", WEEK, town)
    expected = metrics.daily_trend(demo_engine, WEEK, metrics.Scope(area=town))
    assert list(fig.data[0].y) == list(expected["reported"])
    towns = charts.figure(demo_engine, "towns", WEEK, town)
    assert towns.layout.title.text == "社区（村）办结率排名"
    assert len(towns.data[0].y) == len(charts.unit_ranking(demo_engine, WEEK, town))


def test_a_closed_renderer_starts_again(demo_engine):
    r = images.Renderer(tabs=1)
    fig = charts.figure(demo_engine, "split", WEEK)
    assert png_size(r.render(fig, "png", 300, 120, 1)) == (300, 120)
    r.close()  # as after a crash: the next render starts a fresh browser
    assert png_size(r.render(fig, "png", 300, 120, 2)) == (600, 240)
    r.close()


def test_http_chart_download_uses_the_screen_filters(api, demo_engine):
    r = api.get("/export/chart/category.png?range=30d&area=340223100")
    assert r.status_code == 200 and r.mimetype == "image/png"
    assert png_size(r.data) == (1000 * images.PRINT_SCALE, 600 * images.PRINT_SCALE)
    assert "attachment" in r.headers["Content-Disposition"]
    assert "filename*=UTF-8''" in r.headers["Content-Disposition"]  # the Chinese file name survives
    r = api.get("/export/chart/heatmap-day.svg?range=custom&start=2026-11-01&end=2026-11-20")
    assert r.status_code == 200 and r.mimetype == "image/svg+xml"
    ET.fromstring(r.data)
    r = api.get("/export/chart/map.pdf")
    assert r.status_code == 200 and pdf_pages(r.data) == 1


@pytest.mark.parametrize("url,status,field", [
    ("/export/chart/nope.png", 404, "name"),
    ("/export/chart/trend.gif", 404, "format"),
    ("/export/chart/trend.png?range=90d", 400, "range"),
    ("/export/chart/trend.png?range=custom&start=2026-11-20&end=2026-11-01", 400, "end"),
    ("/export/chart/trend.png?area=999999999", 404, "area"),
    ("/export/chart/trend.png?width=20", 400, "width"),
    ("/export/chart/trend.png?scale=abc", 400, "scale"),
])
def test_http_chart_errors_are_json_in_chinese(api, url, status, field):
    r = api.get(url)
    assert r.status_code == status
    j = r.get_json()
    assert field in j["fields"] and j["error"]


def test_screen_links_carry_range_dates_and_town():
    q = parse_qs(urlparse(chart_url("trend", "svg", "30d", None, None, "340223100")).query)
    assert q == {"range": ["30d"], "area": ["340223100"]}
    q = parse_qs(urlparse(chart_url("trend", "png", "custom", "2026-11-01", "2026-11-20T00:00:00", None)).query)
    assert q == {"range": ["custom"], "start": ["2026-11-01"], "end": ["2026-11-20"]}
    # an incomplete custom range means the last 7 days, as on the screen
    assert parse_qs(urlparse(chart_url("trend", "png", "custom", "2026-11-01", None)).query) == {"range": ["7d"]}


def test_heatmap_link_follows_the_panel_mode():
    from callbacks.bigscreen import export_chart as chart_name

    assert chart_name("heatmap", "hour") == "heatmap-hour"
    assert chart_name("heatmap", "day") == "heatmap-day"
    assert chart_name("trend", "day") == "trend"


def test_warning_map_colours_grids_by_the_engines_levels(engine):
    from dashboard import warnings as W

    small_county(engine)
    W.issue(engine, scope=GRID_A, level=1, reason="汛期", until=None, issued_by="值班员", at=AS_OF - timedelta(days=1))
    # a town's warning floors its grids: GRID_C is the town's only grid
    W.issue(engine, scope=TOWN2, level=3, reason="节假日", until=None, issued_by="值班员", at=AS_OF - timedelta(days=1))
    # expired: must not colour anything
    W.issue(engine, scope=GRID_B, level=2, reason="过期", until=AS_OF - timedelta(days=2), issued_by="值班员",
            at=AS_OF - timedelta(days=9))
    W.run_once(engine, W.load_rules(), AS_OF)
    fig = charts.figure(engine, "map", windows.Window.last_days(7, AS_OF))
    fills = {tr.name: tr.fillcolor for tr in fig.data if tr.fill == "toself"}
    assert fills == {"Ⅰ级（红色）  1个": plots.LEVEL_COLORS[1], "Ⅲ级（黄色）  1个": plots.LEVEL_COLORS[3],
                     "正常  1个": plots.PRINT_NORMAL_COLOR}
    png = images.image(fig, "png", width=400, height=400, scale=1)
    img = Image.open(io.BytesIO(png)).convert("RGB")
    colours = {c for _n, c in img.getcolors(400 * 400)}
    red = tuple(int(plots.LEVEL_COLORS[1][i:i + 2], 16) for i in (1, 3, 5))
    assert red in colours  # the red grid is really drawn


def test_the_renderer_loads_the_cartesian_bundle_of_the_plotly_packages_version():
    from dashboard.export import browser

    # fails when plotly is upgraded without the bundle (plotlyjs/README.md says how to update it)
    assert browser.plotly_js() == browser.CARTESIAN_JS


def _square_grids(n: int, per_row: int = 45) -> dict:
    """``n`` adjacent square grids (0.01° a side) as the map's GeoJSON."""
    feats = []
    for i in range(n):
        x, y = 118 + (i % per_row) * 0.01, 31 - (i // per_row) * 0.01
        ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
        feats.append({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                      "properties": {"c": f"g{i:05d}", "n": f"网格{i}", "lon": x + 0.005, "lat": y + 0.005}})
    return {"type": "FeatureCollection", "features": feats}


@pytest.mark.parametrize("n", [plots.PICTURE_OVER, plots.PICTURE_OVER + 60])
def test_a_map_of_many_grids_draws_them_as_one_picture_in_their_colours(n):
    grids = _square_grids(n)
    red = {f["properties"]["c"] for f in grids["features"][:900]}  # the top 20 rows: level Ⅰ
    fig = plots.warning_map(grids, {c: 1 for c in red}, None, "print", "预警")
    picture = n > plots.PICTURE_OVER
    assert len(fig.layout.images) == (1 if picture else 0)
    legend = [t.name for t in fig.data if t.showlegend]
    assert any(name.startswith("Ⅰ级") and "900" in name for name in legend)
    assert any(f"{n - 900}" in name for name in legend)  # 正常 and its count
    png = Image.open(io.BytesIO(images.image(fig, "png", width=600, height=600, scale=1))).convert("RGB")
    # the same drawing as shapes or as a picture: red rows on top, the normal colour below
    # (the mean of a patch: the grids' white edges cross it)
    top, bottom = (ImageStat.Stat(png.crop((x - 15, y - 15, x + 15, y + 15))).mean for x, y in ((300, 150), (300, 450)))
    assert top[0] > 190 and top[1] < 110 and top[2] < 110, top  # Ⅰ级 #e02424
    assert all(abs(a - b) < 20 for a, b in zip(bottom, (0xD5, 0xEC, 0xDF))), bottom  # plots.PRINT_NORMAL_COLOR
