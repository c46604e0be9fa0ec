"""End to end: an event posted through the REST API shows up on the open big screen without a
reload, in a real headless Chromium, on an app with a live clock over a demo seeded up to now.

Where it shows: the KPI strip's 上报 (reports today) count goes up by one. When the big screen's
rolling latest-events panel lands, the new event's unique title appearing on the page is the
stronger check (``Arrivals.watch_text``; ``benchmarks latency --detect title``).
"""

import uuid

import pytest
import requests

from dashboard.web import apiclients
from dashboard.store import db
from dashboard.present import fmt
from dashboard.demo import default_as_of, seed
from dashboard.settings import Settings

from .arrival import Arrivals
from .browser import LiveServer, Page
from .test_bigscreen import KPI

pytestmark = pytest.mark.browser
REPORTED = KPI.format("reported")


@pytest.fixture
def live_screen(databases, chrome):
    """The nanling demo seeded up to now, served with a live clock at the default refresh."""
    from app import create_app

    url = databases.new_url()
    engine = db.make_engine(url)
    seed(engine, "nanling", 7, as_of=default_as_of())
    app = create_app(Settings(database_url=url, embedded=False, frozen_now=None, auth=False))
    server = LiveServer(app.server)
    _, token = apiclients.create(engine, "端到端测试")
    chrome.get_log("browser")
    page = Page(chrome, server.url).viewport(1920, 1080)
    yield page, server.url, token
    server.stop()
    engine.dispose()


def test_an_event_posted_through_the_api_appears_on_the_open_screen(live_screen):
    page, base, token = live_screen
    page.open("/")
    before = page.wait_text(REPORTED, lambda t: t not in ("", "—"))
    arrivals = Arrivals(page)
    expected = fmt.count(int(before.replace(",", "")) + 1)
    target = arrivals.watch_css(REPORTED, expected)

    title = f"端到端测试事件 {uuid.uuid4().hex[:8]}"
    catalog = requests.get(f"{base}/api/v1/catalog", timeout=10).json()
    grid = catalog["grids"][0]
    r = requests.post(f"{base}/api/v1/events", timeout=10,
                      headers={"Authorization": f"Bearer {token}", "Idempotency-Key": uuid.uuid4().hex},
                      json={"category": "SQ01", "title": title, "grid": grid["code"], "reporter": grid["worker"]["id"]})
    assert r.status_code == 201, r.text

    arrivals.wait(target, timeout=15)
    assert page.text(REPORTED) == expected
    assert arrivals.still_installed(), "the screen reloaded instead of updating in place"
    assert page.console_errors() == []
