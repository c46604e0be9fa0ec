"""The county big screen in a real headless Chromium: it fills any screen without scrollbars or
console errors, its figures equal the summary API, the map selects grids, filters change the
figures, and a new event shows up within one refresh without a reload."""

from datetime import timedelta

import pytest

from dashboard.domain import indicators
from selenium.webdriver.common.action_chains import ActionChains
from sqlalchemy import select
from shapely.geometry import Point

from dashboard.present import fmt
from dashboard.domain import geo
from dashboard.present import mapdata
from dashboard.domain import windows
from dashboard.store.db import transaction
from dashboard.domain.lifecycle import report
from dashboard.store.models import Area

from .browser import LiveServer, Page
from .conftest import AS_OF, settings_for

pytestmark = pytest.mark.browser
KPI = "[id*='\"type\":\"bs-kpis\"'][id*='\"field\":\"{}\"']"


def kpi_text(page, field):
    return page.text(KPI.format(field))


def api_window(api, window: windows.Window) -> dict:
    return api.get("/api/v1/summary", query_string={"start": window.start.isoformat(), "end": window.end.isoformat()}).get_json()


def wait_loaded(page):
    page.wait_text(KPI.format("reported"))
    page.wait(lambda: page.js("return performance.getEntriesByType('resource').some("
                              "e => e.name.includes('/api/v1/geo/grid.') && e.responseEnd > 0)"),
              message="the map's geometry never loaded")
    page.wait(lambda: page.find_all("canvas.leaflet-zoom-animated"), message="the map never drew")
    page.wait(lambda: len(page.find_all(".feed-item")) > 0, message="the feed never filled")


@pytest.mark.parametrize("size", [(1920, 1080), (3840, 2160), (1366, 768), (3840, 1080)])
def test_fills_the_screen_without_scrollbars_or_errors(page, size):
    w, h = size
    page.viewport(w, h).open("/")
    wait_loaded(page)
    assert page.scrollbars() == (False, False)
    rect = page.js("const r = document.querySelector('.stage').getBoundingClientRect();"
                   "return [r.left, r.top, r.width, r.height];")
    design = 3840 if w / h >= 2.6 else 1920  # a 32:9 strip has a stage of its own (assets/scale.js)
    scale = min(w / design, h / 1080)
    assert rect[2] == pytest.approx(design * scale, abs=1) and rect[3] == pytest.approx(1080 * scale, abs=1)
    assert rect[0] >= -0.5 and rect[1] >= -0.5 and rect[0] + rect[2] <= w + 0.5 and rect[1] + rect[3] <= h + 0.5
    assert page.text(".bs-title").startswith("南陵县")
    assert page.console_errors() == []


def test_kpis_equal_the_summary_api(page, api):
    page.open("/")
    wait_loaded(page)
    expected = api_window(api, windows.Window.last_days(7, AS_OF))  # the screen opens on 近7日
    for field in ("reported", "accepted", "closed", "closure_rate", "on_time_rate", "open_now", "overdue_now",
                  "online_rate", "population", "houses", "grids"):
        assert page.wait_text(KPI.format(field), lambda t, f=field: t == indicators.text(f, expected[f])) == indicators.text(
            field, expected[field]), field


def test_changing_the_time_range_changes_the_figures(page, api):
    page.open("/")
    wait_loaded(page)
    week = kpi_text(page, "reported")
    page.d.find_element("xpath", "//label[normalize-space()='今日']").click()
    today = api_window(api, windows.Window.today(AS_OF))["reported"]
    page.wait_text(KPI.format("reported"), lambda t: t == fmt.count(today))
    assert fmt.count(today) != week
    page.d.find_element("xpath", "//label[normalize-space()='全部']").click()
    page.wait_text(KPI.format("accepted"), lambda t: t == "979")
    assert kpi_text(page, "closed") == "917"
    # What stands open now is the same whatever the window: all the demo's open cases are in it.
    assert kpi_text(page, "open_now") == fmt.count(api_window(api, windows.Window.last_days(7, AS_OF))["open_now"])


def test_clicking_a_grid_selects_it(page, demo_engine):
    page.open("/")
    wait_loaded(page)
    page.wait(lambda: page.find(".map-legend").text.startswith("预警等级"))
    # As a person does: point at a grid (its tooltip names it and its figures), then click it.
    grids = "const g = window.gridscreen.map.grids['bs-grid-layer']; return g && g._map ? g.n : 0"
    page.wait(lambda: page.js(grids) == 211, message="the grids were never drawn")
    ActionChains(page.d).move_to_element(page.find(".bs-map")).perform()
    moves = []

    def hovered():  # a real mouse sends many small moves; Leaflet throttles hover detection
        if page.find_all(".grid-tip"):
            return True
        moves.append(1)
        ActionChains(page.d).move_by_offset(1 if len(moves) % 2 else -1, 0).perform()
        return False

    page.wait(hovered, timeout=10, message="no grid tooltip on hover")
    tips = page.find_all(".grid-tip")
    assert tips and "预警等级" in tips[0].text and "当前在办" in tips[0].text, "no grid tooltip on hover"
    tip = tips[0].text
    ActionChains(page.d).click().perform()
    page.wait(lambda: page.find(".map-selected").is_displayed(), message="no selection card")
    link = page.find(".map-selected a").get_attribute("href")
    code = link.rsplit("/", 1)[-1]
    with demo_engine.connect() as c:
        county = geo.from_geojson(c.scalar(select(Area.geometry).where(Area.level == "county")))
        grid = geo.from_geojson(c.scalar(select(Area.geometry).where(Area.code == code)))
        name = c.scalar(select(Area.name).where(Area.code == code))
    minx, miny, maxx, maxy = county.bounds
    assert grid.buffer(0.003).contains(Point((minx + maxx) / 2, (miny + maxy) / 2))  # the clicked spot
    assert page.text(".sel-name") == name
    assert name in tip and code in tip  # the tooltip was about the grid that got selected
    assert page.console_errors() == []


@pytest.fixture
def live_page(chrome, demo_copy):
    from app import create_app

    app = create_app(settings_for(demo_copy.url.render_as_string(hide_password=False)))
    server = LiveServer(app.server)
    chrome.get_log("browser")
    yield Page(chrome, server.url).viewport(1920, 1080), demo_copy
    chrome.get("about:blank")  # the shared browser must not keep polling a server that is gone
    server.stop()


def test_a_new_event_appears_within_one_refresh_without_reload(live_page):
    page, engine = live_page
    page.open("/")
    wait_loaded(page)
    before = kpi_text(page, "reported")
    page.js("window.__still_here = true;")
    with transaction(engine) as s:
        grid = s.scalar(select(Area.code).where(Area.level == "grid").limit(1))
        report(s, title="测试新上报事件XYZ", category_code="SQ01", source="patrol", grid_code=grid,
               at=AS_OF - timedelta(seconds=30), actor="测试")
    feed = "return document.querySelector('.feed-list').textContent"  # the feed rolls: not all of it is in view
    page.wait(lambda: "测试新上报事件XYZ" in page.js(feed), timeout=10, message="the new event never showed")
    page.wait_text(KPI.format("reported"), lambda t: t == fmt.count(int(before.replace(",", "")) + 1))
    assert page.js("return window.__still_here === true;")  # no reload
    assert page.console_errors() == []


def test_warning_board_and_map_show_the_engines_levels(page, demo_engine):
    from dashboard import warnings as W

    page.open("/")
    wait_loaded(page)
    counts = W.county_rollup(demo_engine)["counts"]
    assert counts[1] > 0 and counts[2] > 0, "the demo has red and orange grids"
    page.wait(lambda: [e.text for e in page.find_all(".board-counts .lv-n")] == [str(counts[k]) for k in (1, 2, 3, 4)],
              message="board counts differ from the engine")
    top = W.top_grids(demo_engine, (1, 2))
    text = page.js("return document.querySelector('.alert-list').textContent")
    for r in top.itertuples():
        assert r.name in text and r.reasons[0]["text"] in text  # which grids are red, and why, in words


def test_map_colours_are_the_engines_levels(demo_app, demo_engine):
    from callbacks.bigscreen import map_payload
    from dashboard import warnings as W
    from dashboard.web.runtime import EXTENSION_KEY

    colours, _ = map_payload(demo_app.server.extensions[EXTENSION_KEY], "7d", "level")
    stored = W.levels_by_grid(demo_engine)
    codes = mapdata.grid_index(demo_engine).codes  # the order of the map's features (``i``)
    assert {codes[i]: v for i, v in enumerate(colours["v"]) if v} == stored
    assert len(colours["v"]) == 211


def test_the_map_is_recoloured_in_place_never_rebuilt(live_page):
    """A new measure or a new event redraws the one canvas layer of every grid in its new colours
    (assets/map.js ``recolour``); the layer, and the 19,000 grids of a city in it, are never
    rebuilt by a refresh. What is checked is what the canvas shows: the pixels inside the largest
    grids have the colour of their value."""
    from selenium.webdriver.common.by import By

    from callbacks.bigscreen import map_payload
    from dashboard.web.runtime import Runtime
    from layouts.ids import BigScreen

    page, engine = live_page
    layer, M = BigScreen.GRID_LAYER, "window.gridscreen.map"
    page.open("/")
    wait_loaded(page)
    page.wait(lambda: page.js(f"const g = {M}.grids['{layer}']; return {M}.state['{layer}'] && g && g._map ? g.n : 0") == 211,
              message="the colours were never applied to the grids")
    page.js(f"{M}.grids['{layer}'].__probe = 1;")  # a rebuilt layer would not carry it
    consistent = f"""
        const M = {M}, h = M.state['{layer}'], g = M.grids['{layer}'], map = g._map, bad = [];
        if (!g.__probe) return ['rebuilt'];
        const area = k => (g.box[4 * k + 2] - g.box[4 * k]) * (g.box[4 * k + 3] - g.box[4 * k + 1]);
        const big = [...Array(g.n).keys()].sort((a, b) => area(b) - area(a)).slice(0, 25);
        const asked = (arguments[0] || []).map(c => g.index[c]);
        // a point of grid k at least 3 px from its edges (on a 9 x 9 lattice over its box), or null
        const inside = k => {{
          for (let i = 1; i < 9; i++) for (let j = 1; j < 9; j++) {{
            const ll = map.unproject(L.point(g.box[4 * k] + (g.box[4 * k + 2] - g.box[4 * k]) * i / 9,
                                             g.box[4 * k + 1] + (g.box[4 * k + 3] - g.box[4 * k + 1]) * j / 9), 0);
            const c = map.latLngToContainerPoint(ll);
            if ([[0, 0], [3, 0], [-3, 0], [0, 3], [0, -3]].every(d => g.gridAt(map.containerPointToLatLng(c.add(d))) === k)) return ll;
          }}
          return null;
        }};
        const probe = document.createElement('canvas').getContext('2d');
        let seen = 0;
        for (const k of big.concat(asked)) {{
          const ll = inside(k);
          if (!ll) {{ if (asked.includes(k)) bad.push('no inside point for ' + g.props[k].c); continue; }}
          const p = map.latLngToLayerPoint(ll).subtract(g._bounds.min), r = L.Browser.retina ? 2 : 1;
          const px = g._ctx.getImageData(Math.round(p.x * r), Math.round(p.y * r), 1, 1).data;
          probe.fillStyle = M.fill(M.value(h, g.props[k]), h);
          const want = [1, 3, 5].map(i => parseInt(probe.fillStyle.slice(i, i + 2), 16));
          seen += 1;
          if (want.some((x, i) => Math.abs(x - px[i]) > 4)) bad.push(g.props[k].c + ' ' + probe.fillStyle + ' ' + [...px]);
        }}
        return seen >= 5 ? bad.slice(0, 5) : ['too few grids seen: ' + seen];"""
    assert page.js(consistent) == []

    page.d.find_element(By.XPATH, "//label[contains(., '事件密度')]").click()
    page.wait(lambda: page.js(f"return {M}.state['{layer}'].measure") == "density", message="no recolour on a new measure")
    page.wait(lambda: page.find(".map-legend").text.startswith("事件密度"))
    runtime = Runtime(settings_for(engine.url.render_as_string(hide_password=False)), engine)
    expected, _ = map_payload(runtime, "7d", "density")
    assert page.js(f"return {M}.state['{layer}'].v") == expected["v"]
    assert page.js(consistent) == []

    with transaction(engine) as s:  # a new event: its grid's density goes up, a Patch recolours it
        grid = s.scalar(select(Area.code).where(Area.level == "grid").order_by(Area.code).limit(1))
        report(s, title="重绘测试事件", category_code="SQ01", source="patrol", grid_code=grid,
               at=AS_OF - timedelta(seconds=30), actor="测试")
    after, _ = map_payload(runtime, "7d", "density")
    i = mapdata.grid_index(engine).position[grid]
    assert after["v"][i] != expected["v"][i]
    page.wait(lambda: page.js(f"return {M}.state['{layer}'].v[{i}]") == after["v"][i], message="the new event never recoloured its grid")
    assert page.js(f"return {M}.state['{layer}'].v") == after["v"]
    assert page.js(consistent, [grid]) == []
    assert page.js("return performance.getEntriesByName('gs-recolour').length") >= 1  # the benchmark's mark
    assert page.console_errors() == []
