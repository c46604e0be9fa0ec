"""A real headless Chromium (Debian's chromium + chromedriver) driving the app served on loopback.

The flags keep Chromium off the network (only loopback is reachable here) and the viewport is set
exactly with the DevTools protocol, so 1920×1080 means a 1920×1080 page.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import threading

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait
from werkzeug.serving import make_server

CHROME = os.environ.get("DASH_TEST_CHROMEPATH") or shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
OFFLINE_FLAGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-default-apps", "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1"]


class LiveServer:
    """The Flask/Dash app on 127.0.0.1:<free port> in a background thread."""

    def __init__(self, wsgi_app):
        logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log in test output
        self.httpd = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.httpd.shutdown()


def make_driver():
    if not os.path.exists(CHROME) or not os.path.exists(DRIVER):
        pytest.fail("browser tests need Debian's chromium and chromium-driver (scripts/test installs them)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROME
    for f in OFFLINE_FLAGS:
        opts.add_argument(f)
    opts.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='gs-chrome-')}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(DRIVER), options=opts)


class Page:
    def __init__(self, driver, base_url: str):
        self.d = driver
        self.base = base_url

    def viewport(self, width: int, height: int):
        self.d.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
        return self

    def open(self, path: str = "/"):
        self.d.get(self.base + path)
        return self

    def find(self, css: str):
        return self.d.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css: str):
        return self.d.find_elements(By.CSS_SELECTOR, css)

    # How long a wait may take before it fails: generous, because a loaded 2-core machine running
    # two browsers and two servers can take seconds for a first screen; a wait ends as soon as its
    # condition holds, so a healthy run never waits this long.
    TIMEOUT = 30

    def wait(self, predicate, timeout: float = TIMEOUT, message: str = ""):
        try:
            # A condition that read an element the page has just redrawn is asked again.
            return WebDriverWait(self.d, timeout, poll_frequency=0.1,
                                 ignored_exceptions=(StaleElementReferenceException,)).until(lambda d: predicate())
        except TimeoutException:
            raise AssertionError(message or "timed out waiting in the browser") from None

    def text(self, css: str) -> str:
        els = self.find_all(css)
        return els[0].text if els else ""

    def wait_text(self, css: str, predicate=lambda t: t not in ("", "—"), timeout: float = TIMEOUT) -> str:
        self.wait(lambda: predicate(self.text(css)), timeout, f"{css}: text never satisfied the condition "
                                                             f"(last: {self.text(css)!r})")
        return self.text(css)

    def js(self, script: str, *args):
        return self.d.execute_script(script, *args)

    def console_errors(self) -> list[str]:
        """The console's errors that concern this page. A screen of an earlier test (another server
        on loopback, stopped by now) can still log a failed poll while the browser leaves it: those
        name another origin and are not this page's."""
        other = re.compile(r"https?://(127\.0\.0\.1|localhost):(\d+)/")
        mine = self.base.rstrip("/")

        def foreign(message: str) -> bool:
            m = other.match(message)
            return bool(m) and m.group(0).rstrip("/") != mine

        return [e["message"] for e in self.d.get_log("browser") if e["level"] == "SEVERE" and not foreign(e["message"])]

    def scrollbars(self) -> tuple[bool, bool]:
        return tuple(self.js("const e = document.scrollingElement; return [e.scrollWidth > e.clientWidth, "
                             "e.scrollHeight > e.clientHeight];"))

    def wait_idle(self, timeout: float = TIMEOUT):
        """Until no callback is running: Dash marks a component ``data-dash-is-loading`` while a
        callback computes it (checked twice in a row, so a callback chain in flight counts)."""
        busy = "return document.querySelectorAll('[data-dash-is-loading=\"true\"]').length"
        quiet = []

        def idle():
            quiet.append(self.js(busy) == 0)
            return len(quiet) >= 2 and quiet[-1] and quiet[-2]

        self.wait(idle, timeout, "callbacks were still running")

    def screenshot(self, path):
        self.d.save_screenshot(str(path))


