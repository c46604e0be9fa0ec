"""The headless Chromium that draws the print charts: one per process, kept alive, driven by kaleido.

A cold start costs seconds (the browser, then plotly.js parsed in a tab: ≈ 3-7 s here), so
``Renderer.start`` begins it in the background and returns at once: a caller that will need
pictures starts it first and reads its data meanwhile. The first tab serves as soon as plotly.js
has loaded in it; the other tabs load while it draws. Afterwards each chart is a fraction of a
second and any thread (web requests, the bulletin job, the CLI) can ask for one.

Light on purpose (no pandas, no plotly figures, no database): the CLI imports it and starts the
browser before the heavy modules load. MathJax is off and plotly.js is the copy inside the plotly
package, so nothing is fetched from the network; Chinese text renders with Noto Sans CJK (Debian
``fonts-noto-cjk``).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import logging
import os
import re
import shutil
import threading
from pathlib import Path

log = logging.getLogger(__name__)

FORMATS = ("png", "svg", "pdf")
RENDER_TIMEOUT = 60.0  # seconds for one image (and for the browser to start); a hung browser is restarted
# A tab draws this many charts between reloads: plotly.js keeps no state between exports
# (``Plotly.toImage`` draws into a fresh element and purges it), and a reload costs ≈ 0.3 s of a
# busy machine, so it is done now and then only, to bound what a long-lived page may accumulate.
RENDERS_PER_RELOAD = 25


# plotly.js's cartesian bundle (see plotlyjs/README.md): every trace type the chart catalogue
# draws at a third of the full bundle's size: a tab parses it ≈ 1 s sooner on this machine.
CARTESIAN_JS = Path(__file__).with_name("plotlyjs") / "plotly-cartesian.min.js"
_VERSION = re.compile(rb"plotly\.js[^\n]*? v(\d+\.\d+\.\d+)")


class RenderError(RuntimeError):
    pass


def _js_version(path: Path) -> str | None:
    try:
        with open(path, "rb") as f:
            m = _VERSION.search(f.read(300))
    except OSError:
        return None
    return m.group(1).decode() if m else None


def plotly_js() -> Path | None:
    """The plotly.js the tabs load: the cartesian bundle when it is the plotly package's own
    plotly.js version (figures are built for that one), else None: kaleido's default, the full
    bundle inside the plotly package."""
    import plotly

    full = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
    if _js_version(CARTESIAN_JS) and _js_version(CARTESIAN_JS) == _js_version(full):
        return CARTESIAN_JS
    log.warning("plotly.js bundle %s is not the plotly package's version: the full bundle is used", CARTESIAN_JS)
    return None


def _browser_path() -> str | None:
    # BROWSER_PATH wins (choreographer's own override); else Debian's chromium on PATH.
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def _kaleido_class():
    import kaleido

    class ReusingKaleido(kaleido.Kaleido):
        """Kaleido as this process uses it, relying on kaleido 1.x internals (pinned < 2 in
        pyproject.toml):

        - ``open`` returns once the first tab has loaded plotly.js; the other tabs are then created
          and loaded in the background and join the queue when ready (kaleido waits for them all
          before it returns: ≈ 2 s more per tab here).
        - Kaleido reloads a tab before it hands back each image; here the tab goes back at once
          and is reloaded only every ``RENDERS_PER_RELOAD`` charts, in the background."""

        async def populate_targets(self):
            await super(kaleido.Kaleido, self).populate_targets()  # choreographer: the tab it opened with
            first = list(self.tabs.values())
            await self._conform_tabs(first)  # alone: two tabs loading at once delay the first by ≈ 1-2 s here
            self._growing = {asyncio.get_running_loop().create_task(self._more_tab())
                             for _ in range(max(0, self._n - len(first)))}

        async def _more_tab(self):
            try:
                await self._create_kaleido_tab()
            except Exception as exc:  # noqa: BLE001 - fewer tabs still render, only slower
                log.warning("kaleido tab not opened: %s", exc)

        async def _get_kaleido_tab(self):
            tab = await super()._get_kaleido_tab()
            if not getattr(tab, "checked", False):
                await self._check(tab)
            return tab

        async def _check(self, tab):
            """Make sure the tab's script context is the loaded page's: kaleido enables the
            runtime after it starts the navigation, and when the page commits later it keeps the
            blank page's context ("kaleido_scopes is not defined" on the first chart). A reload
            then records the page's own context."""
            r = await tab.tab.send_command("Runtime.evaluate", params={
                "expression": "typeof kaleido_scopes", "contextId": tab._current_js_id, "returnByValue": True})
            if r.get("result", {}).get("result", {}).get("value") != "object":
                log.info("kaleido tab %s had a stale script context: reloaded", tab.tab.target_id[:4])
                await tab.reload()
            tab.checked = True

        async def _return_kaleido_tab(self, tab):
            tab.renders = getattr(tab, "renders", 0) + 1
            if tab.renders < RENDERS_PER_RELOAD:
                await self.tabs_ready.put(tab)
                return

            async def reload_then_return():
                tab.renders, tab.checked = 0, False
                try:
                    await tab.reload()
                except Exception as exc:  # noqa: BLE001 - a broken tab fails its next render, which restarts
                    log.warning("kaleido tab reload failed: %s", exc)
                await self.tabs_ready.put(tab)

            task = asyncio.get_running_loop().create_task(reload_then_return())
            self._growing.add(task)  # keep a reference until it is done
            task.add_done_callback(self._growing.discard)

        async def close(self):
            for task in list(getattr(self, "_growing", ())):
                task.cancel()
            await super().close()

    return ReusingKaleido


class Renderer:
    """One long-lived kaleido browser for this process, started by ``start`` or on first use.

    Thread-safe: requests are scheduled on the renderer's own event loop with
    ``run_coroutine_threadsafe`` and kaleido hands each to a free tab. After a fork (gunicorn
    workers) the parent's browser is not ours, so the process id is checked and a fresh browser
    started in the child.
    """

    def __init__(self, tabs: int = 2):
        self.tabs = tabs
        self._lock = threading.Lock()
        self._pid = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._opening: concurrent.futures.Future | None = None  # -> the open kaleido browser

    def _begin(self) -> None:
        """Start opening a browser on a new event-loop thread (the lock is held)."""
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="gridscreen-kaleido", daemon=True).start()

        async def open_browser():
            js = plotly_js()
            k = _kaleido_class()(n=self.tabs, mathjax=False, timeout=RENDER_TIMEOUT, path=_browser_path(),
                                 **({"plotlyjs": str(js)} if js else {}))
            await k.open()
            log.info("kaleido renderer started (pid %s)", os.getpid())
            return k

        self._loop, self._pid = loop, os.getpid()
        self._opening = asyncio.run_coroutine_threadsafe(open_browser(), loop)

    def _current(self):
        with self._lock:
            if self._opening is None or self._pid != os.getpid():
                self._begin()
            return self._opening, self._loop

    def start(self) -> None:
        """Begin starting the browser, if it is not running or starting, and return at once."""
        self._current()

    def ensure(self):
        """The running browser and its loop, started (or restarted after a fork) if need be."""
        opening, loop = self._current()
        try:
            return opening.result(RENDER_TIMEOUT), loop
        except BaseException:
            with self._lock:
                if self._opening is opening:  # a failed start: the next call tries afresh
                    self._opening = self._loop = None
                    loop.call_soon_threadsafe(loop.stop)
            raise

    def render(self, fig, fmt: str, width: int, height: int, scale: float = 1) -> bytes:
        """``fig`` (a plotly figure or its dict) as ``fmt`` bytes at ``width`` × ``height`` CSS px."""
        if fmt not in FORMATS:
            raise ValueError(f"unknown image format {fmt!r}")
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        for attempt in (1, 2):  # a crashed or hung browser is restarted once
            try:
                k, loop = self.ensure()
            except Exception as exc:  # noqa: BLE001 - no browser: try a fresh one once
                log.warning("kaleido start failed (attempt %s): %s", attempt, exc)
                if attempt == 2:
                    raise RenderError(str(exc)) from exc
                continue
            future = asyncio.run_coroutine_threadsafe(k.calc_fig(fig, opts), loop)
            try:
                return future.result(RENDER_TIMEOUT + 5)
            except (ValueError, TypeError, KeyError, AttributeError):
                raise  # a bad figure or option: a new browser would not help
            except Exception as exc:  # noqa: BLE001 - timeouts, a closed pipe, a crashed browser
                future.cancel()
                log.warning("kaleido render failed (attempt %s): %s", attempt, exc)
                self.close()
                if attempt == 2:
                    raise RenderError(str(exc)) from exc
        raise AssertionError("unreachable")

    def close(self):
        with self._lock:
            opening, loop, pid = self._opening, self._loop, self._pid
            self._opening = self._loop = None
            if opening is None or pid != os.getpid():
                return
            try:
                k = opening.result(RENDER_TIMEOUT)
            except Exception:  # noqa: BLE001 - it never opened: only its loop to stop
                k = None
            try:
                if k is not None:
                    asyncio.run_coroutine_threadsafe(k.close(), loop).result(15)
            except Exception as exc:  # noqa: BLE001 - shutting down: nothing more to do
                log.warning("closing kaleido: %s", exc)
            loop.call_soon_threadsafe(loop.stop)


_renderer = Renderer()
atexit.register(_renderer.close)


def renderer() -> Renderer:
    """This process's renderer."""
    return _renderer
