"""Noticing, inside the browser, the moment something new appears on an open screen.

A MutationObserver on the page checks each pending target whenever the DOM changes and records
the wall-clock time it first holds (``performance.timeOrigin + performance.now()``: the same clock
as Python's ``time.time()`` on this machine, to the microsecond). Two kinds of target:

- ``text``: a string appearing anywhere in the page text (a new event's unique title in a
  rolling latest-events panel);
- ``css``: an element's text becoming exactly a value (a KPI count going up by one).

It also records when the screen's poller first *saw* a new data version (it wraps ``fetch`` for
/api/v1/version), so a latency can be split into "waiting for the poll" and "recompute + render".
Used by the live end-to-end test and by ``benchmarks latency``.
"""

from __future__ import annotations

import time

INSTALL = r"""
if (!window.__gsArrival) {
  const now = () => performance.timeOrigin + performance.now();
  const A = window.__gsArrival = {targets: {}, seen: {}, versions: [], lastVersion: null};
  A.check = function () {
    for (const [id, t] of Object.entries(A.targets)) {
      let hit = false;
      if (t.kind === "text") hit = document.body.textContent.includes(t.value);
      else { const el = document.querySelector(t.css); hit = !!el && el.textContent.trim() === t.value; }
      if (hit) { A.seen[id] = now(); delete A.targets[id]; }
    }
  };
  new MutationObserver(A.check).observe(document.body, {subtree: true, childList: true, characterData: true});
  const fetch0 = window.fetch;
  window.fetch = async function (input, init) {
    const r = await fetch0.apply(this, arguments);
    const url = typeof input === "string" ? input : input.url;
    if (url.includes("/api/v1/version") && r.ok) {
      r.clone().json().then(j => {
        const v = JSON.stringify(j.version);
        if (A.lastVersion !== null && v !== A.lastVersion) A.versions.push(now());
        A.lastVersion = v;
      }).catch(() => {});
    }
    return r;
  };
}
return true;
"""


class Arrivals:
    """Watch targets on the page driven by ``page`` (a ``tests.browser.Page``)."""

    def __init__(self, page):
        self.page = page
        self.n = 0
        page.js(INSTALL)

    def watch_text(self, text: str) -> str:
        return self._watch({"kind": "text", "value": text})

    def watch_css(self, css: str, value: str) -> str:
        return self._watch({"kind": "css", "css": css, "value": value})

    def _watch(self, target: dict) -> str:
        self.n += 1
        tid = f"t{self.n}"
        self.page.js("window.__gsArrival.targets[arguments[0]] = arguments[1]; window.__gsArrival.check();", tid, target)
        return tid

    def wait(self, tid: str, timeout: float = 15.0) -> float:
        """The wall-clock time (``time.time()`` scale) the target first held."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            t = self.page.js("return window.__gsArrival.seen[arguments[0]] || null;", tid)
            if t is not None:
                return t / 1000.0
            time.sleep(0.02)
        raise AssertionError(f"target {tid} never appeared on the page within {timeout} s")

    def version_seen_after(self, t: float) -> float | None:
        """When the poller first saw a new data version after ``t`` (time.time() scale)."""
        times = self.page.js("return window.__gsArrival.versions;") or []
        later = [v / 1000.0 for v in times if v / 1000.0 >= t]
        return min(later) if later else None

    def still_installed(self) -> bool:
        """False after a reload (the page's state is gone)."""
        return bool(self.page.js("return !!window.__gsArrival;"))
