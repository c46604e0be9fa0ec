"""Accounts in a real Chromium: the login form, the screens under the Content Security Policy (no
console errors: a CSP violation is one), the CSRF token Dash's renderer sends on its callbacks,
and a town officer's screen showing their town only."""

from __future__ import annotations


import pytest

from dashboard.domain import indicators

from dashboard.domain import areas
from dashboard.figures import metrics
from dashboard.domain import windows
from dashboard.store import db as dbmod

from .authsupport import PASSWORD, add
from .browser import LiveServer, Page
from .conftest import AS_OF, settings_for
from .test_bigscreen import KPI, wait_loaded

pytestmark = [pytest.mark.browser]


@pytest.fixture(scope="module")
def live(databases):
    from app import create_app
    from dashboard.demo import seed

    url = databases.new_url()
    engine = dbmod.make_engine(url)
    seed(engine, "nanling", 7, as_of=AS_OF)
    town = sorted(areas.names(engine, "town"))[0]
    add(engine, "town1", "town_officer", town=town, name="张镇干")
    add(engine, "duty1", "duty_officer", name="李值班")
    app = create_app(settings_for(url, auth=True))
    server = LiveServer(app.server)
    yield server, engine, town
    server.stop()
    engine.dispose()


def login(page: Page, username: str):
    page.d.get("about:blank")  # a screen still open would poll without its session cookie: a 401 in the console
    page.d.execute_cdp_cmd("Network.clearBrowserCookies", {})
    page.open("/")
    page.wait(lambda: page.find_all("#username"), message="no login form")
    assert "账号登录" in page.text("h2")
    page.find("#username").send_keys(username)
    page.find("#password").send_keys(PASSWORD)
    page.find("#login-submit").click()
    page.wait(lambda: "/login" not in page.js("return location.pathname") or page.find_all(".gs-message"),
              message="the login form never answered")


def test_town_officer_logs_in_and_sees_their_town_under_the_csp(chrome, live):
    server, engine, town = live
    page = Page(chrome, server.url).viewport(1920, 1080)
    chrome.get_log("browser")
    page.open("/login")
    assert page.console_errors() == []
    login(page, "town1")
    wait_loaded(page)
    name = areas.names(engine, "town")[town]
    assert name in page.text(".bs-title")
    expected = metrics.summary(engine, windows.Window.last_days(7, AS_OF), metrics.Scope(area=town))
    page.wait_text(KPI.format("reported"), lambda t: t == indicators.text("reported", expected["reported"]))
    # the town filter offers my town only
    assert page.find_all(".demo-mark") == []
    assert page.console_errors() == []
    # the explorer (AG Grid compiles with new Function: 'unsafe-eval' is in the CSP for it)
    page.open("/events?range=all")
    page.wait(lambda: len(page.find_all(".ag-row")) > 0, timeout=20, message="the explorer never filled")
    # every row is of my town (read in one go: the grid re-renders its rows while it settles)
    page.wait(lambda: page.js("const c = [...document.querySelectorAll(\".ag-row [col-id='town']\")];"
                              "return c.length > 0 && c.every(e => e.textContent === arguments[0]);", name),
              message="rows of another town in the explorer")
    assert page.console_errors() == []


def test_duty_officer_supervises_through_the_page_with_the_csrf_token(chrome, live):
    from sqlalchemy import select

    from dashboard.store.models import Event, Supervision

    server, engine, _ = live
    with engine.connect() as c:
        ev = c.execute(select(Event.id).where(Event.status == "in_progress").order_by(Event.id)).scalar()
    page = Page(chrome, server.url).viewport(1920, 1080)
    chrome.get_log("browser")
    login(page, "duty1")
    page.wait(lambda: page.find_all(".bs-title"), message="no big screen after login")
    page.open(f"/event/{ev}")
    page.wait(lambda: page.find_all("#ep-note"), message="no case file")
    assert page.text("#ep-actor") == "督办人：李值班" and page.find_all("input#ep-actor") == []
    page.find("#ep-note").send_keys("请尽快处置")
    page.wait(lambda: page.find("#ep-supervise").is_enabled(), message="督办 stays disabled")
    page.find("#ep-supervise").click()
    page.wait_text("#ep-message", lambda t: "李值班" in t)
    with engine.connect() as c:
        assert c.execute(select(Supervision.actor).where(Supervision.event_id == ev)).scalars().all()[-1] == "李值班"
    assert page.console_errors() == []


def test_a_revoked_wall_screen_goes_to_the_login_page_by_itself(chrome, live):
    from dashboard.web import accounts

    server, engine, _ = live
    add(engine, "wall9", "display")
    page = Page(chrome, server.url).viewport(1920, 1080)
    chrome.get_log("browser")
    login(page, "wall9")
    page.wait(lambda: page.find_all(".bs-title"), timeout=30, message="no big screen for the wall screen")
    assert accounts.revoke_sessions(engine, "wall9") == 1
    page.wait(lambda: "/login" in page.d.current_url, timeout=10, message="the revoked screen stayed on")
    assert "登录已失效" in page.text(".gs-message")
