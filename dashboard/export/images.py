"""Server-side chart images: PNG, SVG and PDF from the same plotly figures the screens draw, in the
light print theme, rendered by kaleido with Debian's chromium.

A cold kaleido call starts a browser (≈ 3-4 s); ``Renderer`` keeps one headless Chromium alive per
process, driven from its own event-loop thread, so each chart afterwards is a fraction of a
second and any thread (web requests, the bulletin job, the CLI) can ask for a picture. MathJax is
off and plotly.js is the copy inside the plotly package, so nothing is fetched from the network;
Chinese text renders with Noto Sans CJK (Debian ``fonts-noto-cjk``).
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import shutil
import threading

import plotly.graph_objects as go

from dashboard import strings
from dashboard.present import charts
from dashboard.domain import windows
from dashboard.export import limits

log = logging.getLogger(__name__)

FORMATS = ("png", "svg", "pdf")
MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
PRINT_SCALE = 3  # PNG pixels per figure pixel: a 1000 px wide chart is 3000 px, ≈ 25 cm at 300 dpi
MIN_SIDE, MAX_SIDE = 100, 4000  # CSS pixels of a chart's width and height
MAX_SCALE = 6
# Output pixels of one PNG (width × height × scale²): 36 million is a 6000 × 6000 picture, four
# times the default map (1000 × 1000 × 3²) and more than an A2 poster at 300 dpi (4961 × 7016);
# Chromium holds ≈ 4 bytes a pixel, so one render stays near 150 MB.
MAX_PIXELS = 36_000_000
RENDER_TIMEOUT = 60.0  # seconds for one image; a hung browser is restarted


class RenderError(RuntimeError):
    pass


def _browser_path() -> str | None:
    # BROWSER_PATH wins (choreographer's own override); else Debian's chromium on PATH.
    return os.environ.get("BROWSER_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


def _kaleido_class():
    import kaleido

    class ReusingKaleido(kaleido.Kaleido):
        """Kaleido reloads a tab (plotly.js and all) before it hands back each image; here the
        image goes back at once and the tab reloads in the background, ready for the next request
        while the other tab serves it (≈ 0.4 s instead of ≈ 0.7 s per chart, measured here). Relies
        on kaleido 1.x internals (``_return_kaleido_tab``): pinned < 2 in pyproject.toml."""

        _reloads: set

        async def _return_kaleido_tab(self, tab):
            async def reload_then_return():
                try:
                    await tab.reload()
                except Exception as exc:  # noqa: BLE001 - a broken tab fails its next render, which restarts
                    log.warning("kaleido tab reload failed: %s", exc)
                await self.tabs_ready.put(tab)

            if not hasattr(self, "_reloads"):
                self._reloads = set()
            task = asyncio.get_running_loop().create_task(reload_then_return())
            self._reloads.add(task)  # keep a reference until it is done
            task.add_done_callback(self._reloads.discard)

    return ReusingKaleido


class Renderer:
    """One long-lived kaleido browser for this process, started on first use.

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
        self._kaleido = None

    def _start(self):
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="gridscreen-kaleido", daemon=True)
        thread.start()

        async def open_browser():
            k = _kaleido_class()(n=self.tabs, mathjax=False, timeout=RENDER_TIMEOUT, path=_browser_path())
            await k.open()
            return k

        try:
            self._kaleido = asyncio.run_coroutine_threadsafe(open_browser(), loop).result(RENDER_TIMEOUT)
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            raise
        self._loop = loop
        self._pid = os.getpid()
        log.info("kaleido renderer started (pid %s)", self._pid)

    def ensure(self):
        """The running browser and its loop, started (or restarted after a fork) if need be."""
        with self._lock:
            if self._kaleido is None or self._pid != os.getpid():
                self._kaleido = self._loop = None
                self._start()
            return self._kaleido, self._loop

    def render(self, fig: go.Figure | dict, fmt: str, width: int, height: int, scale: float = 1) -> bytes:
        if fmt not in FORMATS:
            raise ValueError(f"unknown image format {fmt!r}")
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        for attempt in (1, 2):  # a crashed or hung browser is restarted once
            k, loop = self.ensure()
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
            k, loop, pid = self._kaleido, self._loop, self._pid
            self._kaleido = self._loop = None
            if k is None or pid != os.getpid():
                return
            try:
                asyncio.run_coroutine_threadsafe(k.close(), loop).result(15)
            except Exception as exc:  # noqa: BLE001 - shutting down: nothing more to do
                log.warning("closing kaleido: %s", exc)
            loop.call_soon_threadsafe(loop.stop)


_renderer = Renderer()
atexit.register(_renderer.close)


def renderer() -> Renderer:
    return _renderer


def image(fig: go.Figure, fmt: str, *, width: int | None = None, height: int | None = None,
          scale: float | None = None) -> bytes:
    """``fig`` as PNG / SVG / PDF bytes at ``width`` × ``height`` CSS pixels (default: the
    figure's own size); PNG at ``scale`` (default ``PRINT_SCALE``), vector formats at 1."""
    width = int(width or fig.layout.width or 1000)
    height = int(height or fig.layout.height or 600)
    if fmt == "png":
        scale = PRINT_SCALE if scale is None else scale
    else:
        scale = 1  # vector: size is the page size, scale would only enlarge the page
    return _renderer.render(fig, fmt, width, height, scale)


def check_size(width: int | None, height: int | None, scale: float | None, *, fmt: str = "png",
               default: tuple[int, int] = (1000, 600)) -> None:
    """Refuse a picture outside the bounds (``limits.LimitError`` naming each parameter):
    sides of ``MIN_SIDE``–``MAX_SIDE`` CSS px, scale 1–``MAX_SCALE``, and a PNG of at most
    ``MAX_PIXELS`` (``default``: the chart's own size, used where width or height is not given)."""
    E = strings.EXPORT_FIELD_ERRORS
    fields = {}
    for key, v in (("width", width), ("height", height)):
        if v is not None and not (MIN_SIDE <= v <= MAX_SIDE):
            fields[key] = E["side"].format(lo=MIN_SIDE, hi=MAX_SIDE)
    if scale is not None and not (1 <= scale <= MAX_SCALE):  # NaN and infinity fail both
        fields["scale"] = E["scale"].format(hi=MAX_SCALE)
    if fields:
        raise limits.LimitError(strings.EXPORT_ERRORS["size"].format(lo=MIN_SIDE, hi=MAX_SIDE, scale=MAX_SCALE), fields)
    if fmt == "png":
        w, h = width or default[0], height or default[1]
        s = PRINT_SCALE if scale is None else scale
        if w * h * s * s > MAX_PIXELS:
            mp = MAX_PIXELS // 1_000_000
            raise limits.LimitError(strings.EXPORT_ERRORS["pixels"].format(mp=mp),
                                    {k: E["pixels"].format(mp=mp) for k in ("width", "height", "scale")})


def chart(engine, name: str, fmt: str, window: windows.Window, area: str | None = None, *,
          width: int | None = None, height: int | None = None, scale: float | None = None) -> bytes:
    """Chart ``name`` of the catalogue (``charts.CHARTS``) for the window and area, in the
    print theme, as PNG / SVG / PDF bytes."""
    if name not in charts.CHARTS:
        raise KeyError(name)
    if fmt not in FORMATS:
        raise ValueError(f"unknown image format {fmt!r}")
    spec = charts.CHARTS[name]
    check_size(width, height, scale, fmt=fmt, default=(spec.width, spec.height))
    fig = charts.figure(engine, name, window, area, theme="print")
    return image(fig, fmt, width=width, height=height, scale=scale)
