"""Hostile names and titles in a real Chromium, and the Content Security Policy on every screen.

A town, a community and a grid named like markup (``<img src=x onerror=…><b>粗</b>``, as an
import could name them) and a case titled ``<i>斜</i><script>…`` (as the API could receive it)
must show as those characters in the map's labels and tooltips: no element is made of them and
no script runs. Every page then runs under the policy without ``'unsafe-eval'``: a violation, or
any console error, fails the test."""

from __future__ import annotations

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from sqlalchemy import select, update

from dashboard.store import db as dbmod
from dashboard.figures import gridprofile
from dashboard.store.models import Area, Event

from .browser import LiveServer, Page
from .conftest import AS_OF, settings_for

pytestmark = pytest.mark.browser
SLOW = 60
TOWN = "<img src=x onerror=window.__pwned=1><b>粗</b>镇"
COMMUNITY = "<img src=x onerror=window.__pwned=2><b>粗</b>社区"
GRID = "<img src=x onerror=window.__pwned=3><b>粗</b>网格"
TITLE = "<i>斜</i><script>window.__pwned=4</script>"
# Collects every CSP violation of the page (registered before any of the page's scripts run).
VIOLATIONS = ("window.__csp = []; document.addEventListener('securitypolicyviolation', "
              "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));")
MARKUP = "img, b, i, script"


@pytest.fixture(scope="module")
def hostile(databases, chrome):
    """The demo county with one town, community and grid renamed as markup, and an open case of
    that grid titled as markup at the grid's centre (the other cases moved to its corner)."""
    from app import create_app
    from dashboard.demo import seed

    url = databases.new_url()
    engine = dbmod.make_engine(url)
    seed(engine, "nanling", 7, as_of=AS_OF)
    with engine.connect() as c:
        ev = c.execute(select(Event.id, Event.grid_code).where(Event.status == "in_progress").order_by(Event.id)).first()
    grid = ev.grid_code
    (s, w), (n, e) = gridprofile.bounds(engine, grid)
    with engine.begin() as c:
        c.execute(update(Area).where(Area.code == grid[:9]).values(name=TOWN))
        c.execute(update(Area).where(Area.code == grid[:12]).values(name=COMMUNITY))
        c.execute(update(Area).where(Area.code == grid).values(name=GRID))
        c.execute(update(Event).where(Event.grid_code == grid, Event.id != ev.id).values(lat=s + (n - s) * 0.05,
                                                                                        lon=w + (e - w) * 0.05))
        c.execute(update(Event).where(Event.id == ev.id).values(title=TITLE, lat=(s + n) / 2, lon=(w + e) / 2))
    app = create_app(settings_for(url))
    server = LiveServer(app.server)
    hook = chrome.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": VIOLATIONS})["identifier"]
    chrome.get("about:blank")  # no screen of an earlier test polling a server that has gone
    chrome.get_log("browser")  # and an empty console
    yield Page(chrome, server.url).viewport(1920, 1080), engine, grid, ev.id, app
    chrome.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": hook})
    chrome.get("about:blank")
    server.stop()
    engine.dispose()


def no_script_ran(page):
    assert page.js("return window.__pwned === undefined"), "markup from data ran a script"


def markup_in(page, css: str) -> int:
    return page.js(f"return [...document.querySelectorAll(arguments[0])].reduce((n, el) => "
                   f"n + el.querySelectorAll('{MARKUP}').length, 0);", css)


# The big screen's grids: one canvas layer (assets/gridlayer.js) that knows each grid by code and
# opens its tooltip as a hover would.
HAS_GRID = ("const g = window.gridscreen.map.grids['bs-grid-layer'];"
            "return !!(g && g._map && g.index[arguments[0]] !== undefined)")
OPEN_TIP = "const g = window.gridscreen.map.grids['bs-grid-layer']; g.openTooltip(g.index[arguments[0]]);"


def test_hostile_names_are_text_in_the_big_screens_labels_and_tooltips(hostile):
    page, _engine, grid, _eid, _app = hostile
    page.open("/")
    # the town's label on the map: the name's characters, no element made of them
    page.wait(lambda: page.js("return [...document.querySelectorAll('.town-label')].some(e => e.textContent === arguments[0])",
                              TOWN), SLOW, "the town's label never showed its name as text")
    assert markup_in(page, ".town-label") == 0
    # a grid's tooltip (the layer bound by assets/map.js, opened as a hover would)
    page.wait(lambda: page.js(HAS_GRID, grid), SLOW, "the grid layer never loaded")
    page.js(OPEN_TIP, grid)
    page.wait(lambda: page.find_all(".leaflet-tooltip.grid-tip"), SLOW, "no tooltip")
    tip = page.js("return document.querySelector('.leaflet-tooltip.grid-tip').textContent")
    assert GRID in tip and grid in tip
    assert markup_in(page, ".leaflet-tooltip") == 0
    no_script_ran(page)
    assert page.js("return window.__csp") == []
    assert page.console_errors() == []


def tooltip_text(page) -> str:
    return page.js("return [...document.querySelectorAll('.leaflet-tooltip')].map(e => e.textContent).join('|')")


def test_hostile_names_are_text_in_the_desk_pages_labels_and_tooltips(hostile):
    page, _engine, grid, eid, _app = hostile
    # the town page names its communities on the map
    page.open(f"/town/{grid[:9]}")
    page.wait(lambda: page.js("return [...document.querySelectorAll('.town-label')].some(e => e.textContent === arguments[0])",
                              COMMUNITY), SLOW, "the community's label never showed its name as text")
    assert markup_in(page, ".town-label") == 0
    assert TOWN in page.text(".desk-title")  # the page's title: text
    # the grid page: the case on the map, its grid around it (each tooltip opened as a hover would)
    page.open(f"/grid/{grid}")
    page.wait(lambda: page.find_all("#gp-map canvas"), SLOW, "no map")
    cases = "window.gridscreen.drill.bound.cases"
    page.wait(lambda: page.js(f"return !!{cases}[arguments[0]]", eid), SLOW, "the case's point never loaded")
    page.js(f"{cases}[arguments[0]].openTooltip();", eid)
    page.wait(lambda: TITLE in tooltip_text(page), SLOW, f"the case's tooltip never showed its title (got {tooltip_text(page)!r})")
    assert f"#{eid} {TITLE}" in tooltip_text(page)
    assert markup_in(page, ".leaflet-tooltip") == 0

    grids = "window.gridscreen.drill.bound.areas"
    page.wait(lambda: page.js(f"return !!{grids}[arguments[0]]", grid), SLOW, "the grid's outline never loaded")
    page.js(f"{grids}[arguments[0]].openTooltip();", grid)
    page.wait(lambda: GRID in tooltip_text(page), SLOW, f"the grid's tooltip never showed its name (got {tooltip_text(page)!r})")
    assert markup_in(page, ".leaflet-tooltip") == 0
    no_script_ran(page)
    assert page.js("return window.__csp") == []
    assert page.console_errors() == []


def click_fresh(page, css: str) -> bool:
    """Click what ``css`` finds now; False when it is not there or was redrawn meanwhile."""
    try:
        found = page.find_all(css)
        if not found:
            return False
        found[0].click()
        return True
    except StaleElementReferenceException:
        return False


def test_every_screen_runs_under_the_csp_without_unsafe_eval(hostile):
    page, _engine, grid, eid, app = hostile
    csp = app.server.test_client().get("/").headers["Content-Security-Policy"]
    script_src = csp.split("script-src", 1)[1].split(";")[0]
    assert "'unsafe-eval'" not in script_src and "'unsafe-inline'" not in script_src
    pages = {
        "/": lambda: page.wait(lambda: page.find_all("#bs-depts .trace.bars"), SLOW, "big screen charts"),
        f"/town/{grid[:9]}": lambda: page.wait(lambda: page.find_all("#ap-trend .main-svg"), SLOW, "town charts"),
        f"/community/{grid[:12]}": lambda: page.wait(lambda: page.find_all("#ap-trend .main-svg"), SLOW, "charts"),
        f"/grid/{grid}": lambda: page.wait(lambda: page.find_all("#gp-trend .main-svg"), SLOW, "grid charts"),
        f"/event/{eid}": lambda: page.wait(lambda: page.find_all("#ep-timeline li"), SLOW, "case file"),
        "/department/D03": lambda: page.wait(lambda: page.find_all("#dp-rates .main-svg"), SLOW, "department"),
        "/events?range=all&overdue=1": lambda: page.wait(lambda: page.find_all(".ex-grid .row-overdue"), SLOW,
                                                          "explorer rows with their overdue class"),
        "/warnings": lambda: page.wait(lambda: page.find_all("#wn-current tbody tr"), SLOW, "warnings"),
        "/bulletin": lambda: page.wait(lambda: page.find_all(".bl-slide .main-svg"), SLOW, "bulletin preview"),
    }
    for path, loaded in pages.items():
        page.d.get_log("browser")
        page.open(path)
        loaded()
        if path == "/":  # the map's interactions: a measure, the heat layer, a grid's tooltip
            page.d.find_element("xpath", "//*[@id='bs-measure']//label[2]").click()
            page.find("#bs-heat-toggle input").click()
            page.wait(lambda: page.js(HAS_GRID, grid), SLOW)
            page.js(OPEN_TIP, grid)
        if path.startswith("/events"):  # AG Grid: sort by a column, select a row
            page.find(".ag-header-cell[col-id='deadline'] .ag-header-cell-label").click()
            sorted_by = ".ag-header-cell[col-id='deadline'][aria-sort$='ending']"  # ascending or descending
            page.wait(lambda: page.find_all(sorted_by), SLOW, "the column never sorted")
            page.wait_idle(SLOW)  # the sorted rows have arrived: a row clicked before would be replaced

            def selected():  # a row replaced by a reload under the click is clicked again, as a person would
                click_fresh(page, ".ex-grid .ag-center-cols-container .ag-row [col-id='title']")
                return "#" in page.text("#ex-selected")

            page.wait(selected, SLOW, f"no row could be selected (last: {page.text('#ex-selected')!r})")
        assert page.js("return window.__csp") == [], path
        assert page.console_errors() == [], path
        no_script_ran(page)
    # the check can fail: code from a string is refused, and reported
    page.js("setTimeout('window.__evaluated = 1', 0);")
    page.wait(lambda: page.js("return window.__csp.length") > 0, 5, "a string evaluated as code went unnoticed")
    assert page.js("return window.__evaluated") is None
    assert any("eval" in v for v in page.js("return window.__csp"))
    page.d.get_log("browser")
