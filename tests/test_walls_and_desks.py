"""Every wall, every desk, in a real headless Chromium: nothing on the big screen's wall layout is
written under 16 px at 1920×1080 (HTML and plotly's SVG text alike); a 3840×1080 strip gets a
stage of its own that spans the whole wall; every desk page fits 1366×768 with nothing pushed off
the side or scrolling sideways (the explorer's last columns included); the date pickers speak
Chinese in an English browser; 自定义 asks for its dates."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from dashboard import vocabulary
from dashboard.store.models import Area, Event

from .browser import Page
from .conftest import AS_OF

pytestmark = pytest.mark.browser
SLOW = 60

# Visible text and its size on screen: every element with text of its own, scaled by the stage's
# transform (the wall is a 1920×1080 stage scaled to the window).
TEXT_SIZES = """
const out = [];
const vw = window.innerWidth, vh = window.innerHeight;
for (const el of document.querySelectorAll("body *")) {
  if (["SCRIPT", "STYLE", "NOSCRIPT", "TITLE"].includes(el.tagName)) continue;
  const own = [...el.childNodes].filter(n => n.nodeType === 3).map(n => n.textContent).join("").trim();
  if (!own) continue;
  if (!el.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
  const r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1 || r.right <= 0 || r.bottom <= 0 || r.left >= vw || r.top >= vh) continue;
  const stage = el.closest(".stage");
  const scale = stage ? (new DOMMatrix(getComputedStyle(stage).transform).a || 1) : 1;
  out.push([el.tagName.toLowerCase(), own.slice(0, 30), parseFloat(getComputedStyle(el).fontSize) * scale]);
}
return out;
"""

# What lies beyond the right edge of the page (and is not clipped inside a box on the page), and
# what scrolls sideways inside the page.
SIDEWAYS = """
const out = [];
const vw = document.documentElement.clientWidth;
function clipped(el) {
  for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== "visible" && a.getBoundingClientRect().right <= vw + 1) return true;
  }
  return false;
}
for (const el of document.querySelectorAll("body *")) {
  if (!el.checkVisibility({visibilityProperty: true})) continue;
  const st = getComputedStyle(el), r = el.getBoundingClientRect();
  if (r.width < 1 || r.height < 1) continue;
  const scrolls = ["auto", "scroll"].includes(st.overflowX) && el.scrollWidth > el.clientWidth + 1;
  const off = r.right > vw + 1 && st.position !== "fixed" && !clipped(el);
  if (scrolls || off) out.push([el.tagName.toLowerCase(), String(el.className.baseVal ?? el.className).slice(0, 60),
                                (el.innerText || "").slice(0, 20), scrolls ? "scrolls sideways" : "beyond the edge"]);
}
return out;
"""


@pytest.fixture(autouse=True)
def blank_start(chrome):
    chrome.get("about:blank")
    chrome.get_log("browser")


def wait_big_screen(page: Page):
    page.wait(lambda: page.js("return document.querySelectorAll('.stage .main-svg').length >= 5"), SLOW, "charts")
    page.wait(lambda: page.text("[id*='\"field\":\"reported\"']:not([id*='-tile'])") not in ("", "—"), SLOW, "KPIs")
    page.wait_idle(SLOW)


def test_nothing_on_the_wall_is_under_16_px(page):
    page.viewport(1920, 1080).open("/")
    wait_big_screen(page)
    sizes = page.js(TEXT_SIZES)
    assert len(sizes) > 100, "too little text found: the measurement missed the screen"
    assert any(tag == "text" for tag, _, _ in sizes), "plotly's SVG text was not measured"
    small = [(tag, text, round(px, 1)) for tag, text, px in sizes if px < 16 - 0.01]
    assert small == [], small[:20]
    assert page.console_errors() == []


def test_a_32_9_strip_uses_the_whole_wall(page):
    page.viewport(3840, 1080).open("/")
    wait_big_screen(page)
    box = page.js("const r = document.querySelector('.stage').getBoundingClientRect();"
                  "const L = document.querySelector('.col-left').getBoundingClientRect();"
                  "const R = document.querySelector('.col-right').getBoundingClientRect();"
                  "return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, "
                  "cols: [L.left, R.right], strip: document.querySelector('.stage').classList.contains('strip')};")
    assert box["strip"]
    assert box["left"] <= 1 and box["right"] >= 3839, box  # no black bands at the sides
    assert box["top"] <= 1 and box["bottom"] >= 1079, box
    assert box["cols"][0] < 40 and box["cols"][1] > 3800, box  # the panels reach both ends
    assert page.scrollbars() == (False, False)
    # the same wall at 16:9 keeps its own stage
    page.viewport(1920, 1080)
    page.wait(lambda: not page.js("return document.querySelector('.stage').classList.contains('strip')"), SLOW)
    assert page.console_errors() == []


@pytest.fixture(scope="module")
def desk_paths(demo_engine):
    with demo_engine.connect() as c:
        ev = c.execute(select(Event.id, Event.grid_code).where(
            Event.status.in_(vocabulary.OPEN_STATUSES), Event.reported_at >= AS_OF - timedelta(days=7))
            .order_by(Event.id)).first()
        dept = c.execute(select(Event.handler_code).where(Event.handler_code.like("D%")).limit(1)).scalar()
        assert c.execute(select(Area.code).where(Area.code == ev.grid_code)).scalar()
    g = ev.grid_code
    return [f"/town/{g[:9]}", f"/community/{g[:12]}", f"/grid/{g}", f"/event/{ev.id}", f"/department/{dept}",
            "/events", "/warnings", "/bulletin", "/sources"]


def test_every_desk_page_fits_1366_by_768(page, desk_paths):
    page.viewport(1366, 768)
    for path in desk_paths:
        page.open(path)
        page.wait(lambda: page.js("return !!document.querySelector('.page > *')"), SLOW, f"{path} never rendered")
        page.wait_idle(SLOW)
        if path == "/events":  # the explorer's rows arrive from the server after the page
            page.wait(lambda: page.find_all(".ag-row .ag-cell"), SLOW, "explorer rows")
            shown = page.js("return [...document.querySelectorAll('.ag-header-cell')].filter(h => "
                            "h.getBoundingClientRect().right <= document.documentElement.clientWidth)"
                            ".map(h => h.getAttribute('col-id'));")
            assert {"overdue_hours", "supervised"} <= set(shown), shown
        assert page.scrollbars()[0] is False, f"{path} scrolls sideways"
        assert page.js(SIDEWAYS) == [], (path, page.js(SIDEWAYS)[:8])
    assert page.console_errors() == []


def test_date_pickers_speak_chinese_in_an_english_browser(page, desk_paths):
    assert page.js("return navigator.language").startswith("en")  # the test browser's own language
    page.viewport(1366, 768).open(desk_paths[0])
    page.wait(lambda: page.find_all("input#desk-dates"), SLOW, "date picker")  # the id is on the start date
    page.wait_idle(SLOW)
    page.find("input#desk-dates").click()
    page.wait(lambda: page.js("return document.body.innerText.includes('年')"), SLOW, "the calendar never opened")
    text = page.js("return document.body.innerText")
    assert "一" in text and "日" in text, "weekday heads are not Chinese"
    assert not any(w in text for w in ("Mo", "Tu", "January", "February", "November", "December")), text[-400:]
    assert page.console_errors() == []


def test_custom_range_asks_for_dates(page, desk_paths):
    town = desk_paths[0]
    page.viewport(1366, 768).open(town + "?range=custom")
    page.wait(lambda: page.find_all("#desk-dates-prompt"), SLOW, "range bar")
    prompt = page.find("#desk-dates-prompt")
    assert prompt.is_displayed() and "请选择开始和结束日期" in prompt.text and "近7日" in prompt.text
    assert "active" in page.d.find_element("xpath", "//a[normalize-space()='自定义']").get_attribute("class")
    # with both dates it is a plain custom range: no question
    page.open(town + "?range=custom&start=2026-11-20&end=2026-11-22")
    page.wait(lambda: page.find_all("#desk-dates-prompt"), SLOW, "range bar")
    assert not page.find("#desk-dates-prompt").is_displayed()
    # the explorer: choosing 自定义 asks until both dates are there
    page.open("/events")
    page.wait(lambda: page.find_all("#ex-dates-prompt"), SLOW, "explorer")
    page.wait_idle(SLOW)
    assert not page.find("#ex-dates-prompt").is_displayed()
    page.d.find_element("xpath", "//label[normalize-space()='自定义']").click()
    page.wait(lambda: page.find("#ex-dates-prompt").is_displayed(), SLOW, "the explorer did not ask for dates")
    assert page.console_errors() == []
