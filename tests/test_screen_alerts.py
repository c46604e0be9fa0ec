"""Alerts on the open big screen, in a real headless Chromium, with the background runner running
for real (warnings and alerts) on a demo seeded up to now: an urgent report posted through the API
raises the banner, pins the case atop the feed and pulses its grid; it stays until a duty officer
acknowledges it (stored once, audited); a wall screen (display role) sees it and cannot
acknowledge it, even with a crafted callback. And the board and the feed page whole rows."""

from __future__ import annotations

import re
import uuid

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import warnings as W
from dashboard.demo import default_as_of, seed
from dashboard.domain import areas
from dashboard.runner import Runner
from dashboard.store import audit, db
from dashboard.store.models import Alert, Area
from dashboard.warnings import board
from dashboard.web import apiclients

from .authsupport import Browser, add
from .browser import LiveServer, Page
from .conftest import AS_OF, settings_for
from .test_auth_browser import login
from .test_bigscreen import wait_loaded

pytestmark = pytest.mark.browser
SLOW = 60  # a bound, not a measurement: the machine is shared

VISIBLE_ROWS = """
const list = document.getElementById(arguments[0]);
if (!list) return null;
const box = list.getBoundingClientRect();
const rows = [...list.children].filter(li => getComputedStyle(li).display !== 'none');
return {rows: rows.length, all: list.children.length, page: (document.querySelector('[data-pager="' + arguments[0] + '"]') || {}).textContent || '',
        cut: rows.filter(li => { const r = li.getBoundingClientRect(); return r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5; }).length,
        first: rows.length ? rows[0].textContent : ''};
"""


@pytest.fixture(scope="module")
def alerting(databases):
    """The demo seeded up to now, served with login on and a live clock, its runner running."""
    from app import create_app

    url = databases.new_url()
    engine = db.make_engine(url)
    seed(engine, "nanling", 7, as_of=default_as_of())
    add(engine, "duty1", "duty_officer", name="李值班")
    add(engine, "wall1", "display", name="大屏一")
    _, token = apiclients.create(engine, "告警测试")
    settings = settings_for(url, auth=True, frozen_now=None, runner_every=0.5, simulate=False)
    app = create_app(settings)
    runner = Runner(settings, engine).start()
    server = LiveServer(app.server)
    yield server, engine, token, app
    server.stop()
    runner.close()
    engine.dispose()


def post_urgent(base: str, token: str, title: str, engine) -> int:
    catalog = requests.get(f"{base}/api/v1/catalog", timeout=10, headers={"Authorization": f"Bearer {token}"}).json()
    grid = catalog["grids"][3]
    r = requests.post(f"{base}/api/v1/events", timeout=10,
                      headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
                      json={"category": "SQ01", "title": title, "grid": grid["code"], "severity": "urgent",
                            "reporter": grid["worker"]["id"]})
    assert r.status_code == 201, r.text
    return r.json()["id"]


def alert_of(engine, event_id: int) -> Alert | None:
    with Session(engine) as s:
        return s.scalar(select(Alert).where(Alert.kind == "case", Alert.event_id == event_id))


def test_an_urgent_report_raises_the_alert_until_a_duty_officer_acknowledges_it(chrome, alerting):
    server, engine, token, _ = alerting
    page = Page(chrome, server.url).viewport(1920, 1080)
    chrome.get_log("browser")
    login(page, "duty1")
    wait_loaded(page)
    page.js("window.__still_here = true;")

    title = f"化工厂泄漏 {uuid.uuid4().hex[:6]}"
    eid = post_urgent(server.url, token, title, engine)
    page.wait(lambda: title in page.text("#bs-alert-body"), SLOW, "the banner never named the urgent case")
    assert "on" in page.find("#bs-alert-banner").get_attribute("class").split()
    assert page.text(".alert-badge") == "紧急"
    # pinned atop the feed, in view
    page.wait(lambda: title in page.text("#bs-feed-pinned"), SLOW, "the case was never pinned atop the feed")
    # and the feed itself shows the new report on the page in view (it pages, it does not roll away)
    page.wait(lambda: title in (page.js(VISIBLE_ROWS, "bs-feed") or {}).get("first", ""), SLOW,
              "the new report is not the first row in view in the feed")
    # its grid pulses on the map (an SVG outline and, for a small grid, a ring)
    grid = alert_of(engine, eid).grid_code
    page.wait(lambda: page.js("const s = window.gridscreen.map.pulseState;"
                              "return !!s && s.grids.some(g => g[0] === arguments[0] && g[2] === 1);", grid),
              SLOW, "the alert's grid is not among the pulsing ones")
    page.wait(lambda: len(page.find_all("path.gs-pulse")) > 0, SLOW, "no pulsing outline on the map")

    # it stays: more data arrives, the screen refreshes, the banner still names it
    other = f"普通上报 {uuid.uuid4().hex[:6]}"
    catalog = requests.get(f"{server.url}/api/v1/catalog", timeout=10, headers={"Authorization": f"Bearer {token}"}).json()
    g = catalog["grids"][5]
    requests.post(f"{server.url}/api/v1/events", timeout=10,
                  headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
                  json={"category": "SQ01", "title": other, "grid": g["code"], "reporter": g["worker"]["id"]})
    page.wait(lambda: other in page.js("return document.getElementById('bs-feed').textContent"), SLOW,
              "the next report never reached the feed")
    assert title in page.text("#bs-alert-body")
    assert alert_of(engine, eid).acknowledged_at is None

    page.find("#bs-alert-ack").click()
    page.wait(lambda: title not in page.text("#bs-alert-body"), SLOW, "the banner still names the acknowledged alert")
    page.wait(lambda: "李值班" in page.text("#bs-alert-feedback"), SLOW, "no acknowledgement shown")
    a = alert_of(engine, eid)
    assert a.acknowledged_at is not None and a.acknowledged_by == "李值班"
    entries = [e for e in audit.recent(engine, 200, action="alert.ack") if e.target == f"alert:{a.id}"]
    assert len(entries) == 1 and entries[0].actor == "duty1"
    assert title not in page.text("#bs-feed-pinned")
    assert page.js("return window.__still_here === true"), "the screen reloaded"
    assert page.console_errors() == []


def test_a_wall_screen_shows_alerts_but_cannot_acknowledge_them(chrome, alerting):
    server, engine, token, app = alerting
    title = f"山体滑坡 {uuid.uuid4().hex[:6]}"
    eid = post_urgent(server.url, token, title, engine)
    page = Page(chrome, server.url).viewport(1920, 1080)
    chrome.get_log("browser")
    login(page, "wall1")
    wait_loaded(page)
    page.wait(lambda: title in page.text("#bs-alert-body"), SLOW, "the wall screen never showed the alert")
    assert page.find_all("#bs-alert-ack") == []  # no button for a wall screen
    assert page.console_errors() == []

    a = alert_of(engine, eid)
    wall = Browser(app)
    wall.login("wall1")
    r = wall.callback("bs-alert-feedback.children", {"bs-alert-ack.n_clicks": 1, "bs-alert-top.data": {"id": a.id}})
    assert r.status_code == 403
    assert alert_of(engine, eid).acknowledged_at is None
    # a duty officer's crafted second click (another screen at the same moment) stores nothing more
    duty = Browser(app)
    duty.login("duty1")
    for _ in range(2):
        r = duty.callback("bs-alert-feedback.children", {"bs-alert-ack.n_clicks": 1, "bs-alert-top.data": {"id": a.id}})
        assert r.status_code == 200
    assert len([e for e in audit.recent(engine, 200, action="alert.ack") if e.target == f"alert:{a.id}"]) == 1
    # an alert that is not there answers like one outside the scope
    r = duty.callback("bs-alert-feedback.children", {"bs-alert-ack.n_clicks": 1, "bs-alert-top.data": {"id": 2**31 - 1}})
    assert r.status_code == 404


# --- the board and the feed page whole rows; an area's manual warning is one row --------------------


@pytest.fixture
def warned(chrome, demo_copy):
    """The demo with a manual Ⅱ warning on a whole town, served without login."""
    from app import create_app

    town = next(c for c, n in sorted(areas.names(demo_copy, "town").items()) if n == "三里镇")
    W.issue(demo_copy, scope=town, level=2, reason="冬季用电高峰", until=None, issued_by="值班员", at=AS_OF)
    W.run_once(demo_copy, W.load_rules(), AS_OF)
    app = create_app(settings_for(demo_copy.url.render_as_string(hide_password=False)))
    server = LiveServer(app.server)
    chrome.get("about:blank")
    chrome.get_log("browser")
    yield Page(chrome, server.url).viewport(1920, 1080), demo_copy, town
    chrome.get("about:blank")
    server.stop()


def test_an_area_warning_is_one_row_and_the_lists_page_whole_rows(warned):
    page, engine, town = warned
    expected = board.overview(engine, limit=60)
    area_rows = [r for r in expected["alerts"] if r["area"]]
    assert len(area_rows) == 1 and area_rows[0]["code"] == town and area_rows[0]["n"] >= 2
    n = area_rows[0]["n"]
    with engine.connect() as c:
        names = {code: name for code, name in c.execute(select(Area.code, Area.name).where(Area.parent_code.like(town + "%")))}
    page.open("/")
    wait_loaded(page)
    page.wait(lambda: page.find_all("#bs-board-list"), SLOW, "no board rows")
    texts = page.js("return [...document.querySelectorAll('#bs-board-list li')].map(li => li.textContent)")
    assert sum(t.startswith(f"三里镇（{n}个网格）") for t in texts) == 1
    listed_alone = {r["code"] for r in expected["alerts"] if not r["area"]}
    for code, name in names.items():  # the town's grids folded into its row are not listed one by one
        if code not in listed_alone and len(code) == 15:
            assert not any(t.startswith(name) for t in texts), name
    # rows are ordered by severity: every red row before every orange one
    levels = page.js("return [...document.querySelectorAll('#bs-board-list li .alert-lv')].map(e => e.className)")
    order = [1 if "lv1" in c else 2 for c in levels]
    assert order == sorted(order)

    # whole rows only, page after page (the board turns every few seconds)
    for list_id in ("bs-board-list", "bs-feed"):
        seen = set()
        page.wait(lambda lid=list_id: (page.js(VISIBLE_ROWS, lid) or {}).get("rows"), SLOW, f"{list_id}: no rows")
        for _ in range(2):
            state = page.js(VISIBLE_ROWS, list_id)
            assert state["cut"] == 0, (list_id, state)
            assert state["rows"] < state["all"], f"{list_id}: everything fits, nothing to page"
            seen.add(state["page"])
            before = state["page"]
            page.wait(lambda lid=list_id, b=before: (page.js(VISIBLE_ROWS, lid) or {}).get("page") != b, SLOW,
                      f"{list_id}: the page never turned")
        assert len(seen) == 2 and all(re.fullmatch(r"\d+/\d+", p) for p in seen)
    # the feed shows the date, not only the time
    times = page.js("return [...document.querySelectorAll('#bs-feed .feed-time')].map(e => e.textContent)")
    assert times and all(re.fullmatch(r"\d\d-\d\d \d\d:\d\d", t) for t in times)
    assert page.console_errors() == []


def test_the_map_fits_the_county_and_zooms_to_a_chosen_town(warned):
    page, _engine, town = warned
    page.open("/")
    wait_loaded(page)
    towns = "window.gridscreen.map.layers['bs-town-layer'] || {}"
    page.wait(lambda: page.js(f"return Object.keys({towns}).length") >= 9, SLOW, "the towns were never drawn")

    def filled():  # the share of the map's panel the shown area's outline spans (width, height)
        return page.js(f"""
            const reg = {towns}; const codes = Object.keys(reg); const map = reg[codes[0]]._map;
            const chosen = arguments[0]; let b = null;
            (chosen ? [chosen] : codes).forEach(c => {{ const lb = reg[c].getBounds(); b = b ? b.extend(lb) : L.latLngBounds(lb.getSouthWest(), lb.getNorthEast()); }});
            const s = map.getSize(); const a = map.latLngToContainerPoint(b.getNorthWest()); const z = map.latLngToContainerPoint(b.getSouthEast());
            return [(z.x - a.x) / s.x, (z.y - a.y) / s.y];""", town if chosen[0] else None)

    chosen = [False]
    page.wait(lambda: max(filled()) > 0.9, SLOW, f"the county does not fill the map: {filled()}")
    county_span = filled()
    chosen[0] = True
    page.find("#bs-town").click()
    page.wait(lambda: [o for o in page.find_all("[role=option]") if o.text == "三里镇"], SLOW, "no town option")[0].click()
    page.wait(lambda: max(filled()) > 0.9, SLOW, "the chosen town does not fill the map")
    assert all(0 < x <= 1.01 for x in filled()) and county_span != filled()
    assert page.console_errors() == []


def test_the_pulse_marks_every_red_and_orange_grid(warned):
    page, engine, _town = warned
    page.open("/")
    wait_loaded(page)
    hot = {r.code for r in W.top_grids(engine, (1, 2)).itertuples()}
    page.wait(lambda: set(page.js("const s = window.gridscreen.map.pulseState; return s ? s.grids.map(g => g[0]) : []"))
              == hot, SLOW, "the pulsing grids are not the red and orange ones")
    page.wait(lambda: len(page.find_all("path.gs-pulse")) >= len(hot), SLOW, "not every hot grid is outlined")
    assert page.js("return window.gridscreen.map.pulseState.layer") == "bs-grid-layer"
    assert page.console_errors() == []
