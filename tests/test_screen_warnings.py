"""/warnings in a real browser: the engine's levels on the desk page, a manual warning issued
from the form floors its town, and lifting it ends the floor.

Waits are generous (``SLOW``): the machine is shared, and a wait is a bound, not a measurement."""

import os
from pathlib import Path

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from dashboard import warnings as W

from .browser import LiveServer, Page
from .conftest import AS_OF, settings_for

pytestmark = pytest.mark.browser
SLOW = 60
# GRIDSCREEN_TEST_SCREENSHOTS=<dir>: keep pictures of the states worth looking at.
SCREENSHOTS = Path(os.environ["GRIDSCREEN_TEST_SCREENSHOTS"]) if os.environ.get("GRIDSCREEN_TEST_SCREENSHOTS") else None


@pytest.fixture
def desk(chrome, demo_copy):
    from app import create_app

    app = create_app(settings_for(demo_copy.url.render_as_string(hide_password=False)))
    server = LiveServer(app.server)
    chrome.get("about:blank")
    chrome.get_log("browser")  # start with an empty console
    yield Page(chrome, server.url), demo_copy
    chrome.get("about:blank")  # stop polling before the server goes
    server.stop()


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_the_page_shows_the_engines_levels(desk, size):
    page, engine = desk
    page.viewport(*size).open("/warnings")
    counts = W.county_rollup(engine)["counts"]
    page.wait_text(".wn-summary", lambda t: f"红 {counts[1]}" in t and f"正常 {counts[0]}" in t, SLOW)
    page.wait(lambda: len(page.find_all("#wn-current tbody tr")) == 211 - counts[0], SLOW, "current table")
    first = page.find_all("#wn-current tbody tr")[0].text
    top = W.top_grids(engine, (1,)).iloc[0]
    assert top["name"] in first and top["reasons"][0]["text"] in first
    page.wait(lambda: len(page.find_all("#wn-history tbody tr")) > 0, SLOW, "history table")
    assert page.scrollbars() == (False, False)
    assert page.console_errors() == []



def test_a_long_table_is_read_a_page_at_a_time(desk):
    """The history of level changes over the page's default week: 50 rows a page, the pager names
    the page, 下一页 shows the rest in the engine's order, and a new filter goes back to page 1."""
    from datetime import timedelta

    from callbacks.warnings import PAGE_ROWS
    from dashboard.timeutil import parse_time, to_local

    page, engine = desk
    now = to_local(AS_OF)
    hist = W.history(engine, start=parse_time((now - timedelta(days=7)).strftime("%Y-%m-%d")),
                     end=parse_time(now.strftime("%Y-%m-%d"), end_of_day=True), levels=(1, 2, 3, 4), limit=10**6)
    assert PAGE_ROWS < len(hist) <= 2 * PAGE_ROWS, "the demo's week should fill one page and part of another"
    page.viewport(1920, 1080).open("/warnings")

    def rows():  # read in one go: the table is replaced when the page turns
        return page.js("return [...document.querySelectorAll('#wn-history tbody tr')].map(e => e.innerText)")

    page.wait(lambda: len(rows()) == PAGE_ROWS, SLOW, "the first page of the history")
    assert page.text("#wn-history-text") == "第 1 页" and page.text("#wn-history-count") == f"{PAGE_ROWS} 条以上"
    assert not page.find("#wn-history-prev").is_enabled() and page.find("#wn-history-next").is_enabled()
    assert hist.iloc[0]["grid_name"] in rows()[0]
    page.find("#wn-history-next").click()
    page.wait(lambda: len(rows()) == len(hist) - PAGE_ROWS, SLOW, "the second page of the history")
    assert page.text("#wn-history-text") == "第 2 页" and page.text("#wn-history-count") == str(len(hist))
    assert hist.iloc[PAGE_ROWS]["grid_name"] in rows()[0]
    assert page.find("#wn-history-prev").is_enabled() and not page.find("#wn-history-next").is_enabled()
    # A new filter (level Ⅰ off) starts again from the first page.
    red = W.history(engine, start=parse_time((now - timedelta(days=7)).strftime("%Y-%m-%d")),
                    end=parse_time(now.strftime("%Y-%m-%d"), end_of_day=True), levels=(2, 3, 4), limit=10**6)
    page.find_all("#wn-levels input")[0].click()  # Ⅰ级 off
    page.wait(lambda: len(rows()) == min(len(red), PAGE_ROWS), SLOW, "the filtered first page")
    page.wait(lambda: page.text("#wn-history-count") in (str(len(red)), f"{PAGE_ROWS} 条以上"), SLOW, "count")
    assert page.find("#wn-history-bar").is_displayed() == (len(red) > PAGE_ROWS)
    assert page.console_errors() == []

def test_issue_and_lift_a_manual_warning_from_the_page(desk):
    page, engine = desk
    page.viewport(1920, 1080).open("/warnings")
    page.wait(lambda: page.find_all("#wn-scope"), SLOW, "form")
    page.find("#wn-submit").click()  # empty form: refused with the fields named
    page.wait_text("#wn-feedback", lambda t: "预警范围" in t and "预警原因" in t, SLOW)
    # The issuer is who is logged in (here: the demo without login), never a typed name.
    assert page.text("#wn-actor") == "演示（未登录）" and page.find_all("input#wn-by") == []
    page.find("#wn-scope").click()
    search = page.wait(lambda: page.find_all(".dash-dropdown-search, input[type=search]"), SLOW, "dropdown search")
    search[0].send_keys("三里镇")
    page.wait(lambda: [o for o in page.find_all("[role=option]") if o.text.startswith("镇（街道）｜三里镇")],
              SLOW, "option")[0].click()
    page.d.find_element(By.CSS_SELECTOR, "body").send_keys(Keys.ESCAPE)
    page.find_all("#wn-level input")[1].click()  # Ⅱ级 (orange)
    page.find("#wn-reason").send_keys("冬季用电高峰，加强巡查")
    page.find("#wn-submit").click()
    page.wait_text("#wn-feedback", lambda t: "已发布Ⅱ级（橙色）预警" in t, SLOW)
    # The answer does not wait for the evaluation of every grid; the floor is stored right after it.
    page.wait(lambda: [lv for c, lv in W.levels_by_grid(engine).items() if c.startswith("340223103")] == [2] * 14,
              SLOW, "the town's grids never reached the floor")
    page.wait(lambda: "冬季用电高峰" in page.text("#wn-list"), SLOW, "list shows the new warning")
    new_id = int(W.list_warnings(engine, AS_OF, kind="manual", status="active")["id"].max())
    def click_lift():  # the list may re-render between finding the button and clicking it
        try:
            page.find(f"[id*='\"id\":{new_id}']").click()
            return True
        except StaleElementReferenceException:
            return False

    # 解除 only asks: the confirmation names the warning, and 取消 leaves it in force.
    page.wait(click_lift, SLOW, "lift button")
    page.wait(lambda: page.find("#wn-lift-confirm").is_displayed(), SLOW, "no confirmation")
    assert f"#{new_id}" in page.text("#wn-lift-confirm-text") and "三里镇" in page.text("#wn-lift-confirm-text")
    page.find("#wn-lift-no").click()
    page.wait(lambda: not page.find("#wn-lift-confirm").is_displayed(), SLOW, "取消 left the confirmation open")
    assert [lv for c, lv in W.levels_by_grid(engine).items() if c.startswith("340223103")] == [2] * 14
    page.wait(click_lift, SLOW, "lift button")
    page.wait(lambda: page.find("#wn-lift-confirm").is_displayed(), SLOW, "no confirmation")
    if SCREENSHOTS:
        page.screenshot(SCREENSHOTS / "warnings-lift-confirm.png")
    assert W.list_warnings(engine, AS_OF, kind="manual", status="active", warning_id=new_id).shape[0] == 1
    page.find("#wn-lift-yes").click()
    page.wait_text("#wn-feedback", lambda t: f"已解除预警 #{new_id}" in t, SLOW)
    page.wait(lambda: not page.find("#wn-lift-confirm").is_displayed(), SLOW, "the confirmation stayed open")
    page.wait(lambda: not any(c.startswith("340223103") for c in W.levels_by_grid(engine)), SLOW,
              "the floor stayed after the lift")
    assert page.console_errors() == []
