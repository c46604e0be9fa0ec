"""A whole weekly bulletin on disk: the deck, the workbook and the deck's charts as PNGs in a zip.

``build`` is what the CLI and the web job runner call. The charts are rendered once, at the size
they take on their slides and at print scale, and the same PNGs go into the deck and the zip.
Nothing waits that need not: the browser starts while the data is read, and the charts render on
its tabs while the workbook and the deck's other slides are written.
"""

from __future__ import annotations

import io
import time
import zipfile
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from dashboard import strings
from dashboard.export import bulletin as bulletin_mod
from dashboard.export import deck, images, workbook

Progress = Callable[[str, float, str], None]  # (step, fraction done 0..1, words for people)

KINDS = ("pptx", "xlsx", "zip")
MEDIA_TYPES = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "zip": "application/zip",
}


def _quiet(step, fraction, text):
    pass


def start_charts(b: bulletin_mod.Bulletin, pool: ThreadPoolExecutor) -> dict[str, Future]:
    """Start drawing every chart of the bulletin as a PNG at its deck size × ``images.PRINT_SCALE``,
    one per tab of the shared renderer at a time (the map, the slowest, first); each figure is
    drawn in its worker, so it is built while the one before renders."""
    w_h = {name: deck.chart_size(name) for name in bulletin_mod.BULLETIN_CHARTS}

    def one(name):
        w, h = w_h[name]
        return images.image(b.figure(name), "png", width=w, height=h, scale=images.PRINT_SCALE)

    return {name: pool.submit(one, name) for name in bulletin_mod.BULLETIN_CHARTS}


class PendingCharts(Mapping):
    """The charts' PNGs by name as they finish: reading one waits for it, so the deck builds its
    slides while the charts render and places each picture when it is ready. ``on_wait(done,
    total)`` is told each time a read has to wait."""

    def __init__(self, futures: dict[str, Future], on_wait: Callable[[int, int], None] = lambda done, total: None):
        self._futures = futures
        self._on_wait = on_wait

    def __getitem__(self, name: str) -> bytes:
        future = self._futures[name]
        if not future.done():
            self._on_wait(sum(f.done() for f in self._futures.values()), len(self._futures))
        return future.result()

    def __contains__(self, name) -> bool:
        return name in self._futures

    def __iter__(self):
        return iter(self._futures)

    def __len__(self):
        return len(self._futures)

    def finished(self) -> dict[str, bytes]:
        return {name: f.result() for name, f in self._futures.items()}


def zip_charts(b: bulletin_mod.Bulletin, charts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i, name in enumerate(bulletin_mod.BULLETIN_CHARTS, 1):
            if name in charts:
                z.writestr(f"{i:02d}-{chart_title(b, name)}.png", charts[name])
    return buf.getvalue()


def chart_title(b: bulletin_mod.Bulletin, name: str) -> str:
    from dashboard.present.charts import CHARTS

    return CHARTS[name].title(b.scope_code)


@dataclass
class Outputs:
    bulletin: bulletin_mod.Bulletin
    files: dict[str, Path] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def file_names(b: bulletin_mod.Bulletin) -> dict[str, str]:
    return {"pptx": f"{b.file_stem}.pptx", "xlsx": f"{b.file_stem}.xlsx", "zip": f"{b.file_stem}{strings.BULLETIN_ZIP_SUFFIX}.zip"}


def build(engine, week, area: str | None, out_dir: Path, *, now: datetime | None = None,
          progress: Progress = _quiet, font: str = deck.FONT) -> Outputs:
    """Write the bulletin of ``week`` for ``area`` into ``out_dir``: .pptx, .xlsx and a zip of PNGs."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    images.renderer().start()  # the browser starts (seconds) while the data is read
    t0 = time.perf_counter()
    progress("data", 0.02, strings.BULLETIN_STEPS["data"])
    b = bulletin_mod.collect(engine, week, area, now)
    res = Outputs(b)
    res.seconds["data"] = time.perf_counter() - t0
    names = file_names(b)

    # The charts render in the browser while this thread writes the workbook and the deck.
    with ThreadPoolExecutor(max_workers=images.renderer().tabs, thread_name_prefix="bulletin-chart") as pool:
        t_charts = time.perf_counter()
        futures = start_charts(b, pool)
        last_done = [t_charts]
        for f in futures.values():
            f.add_done_callback(lambda _f: last_done.append(time.perf_counter()))

        t = time.perf_counter()
        progress("workbook", 0.1, strings.BULLETIN_STEPS["workbook"])
        res.files["xlsx"] = out_dir / names["xlsx"]
        res.files["xlsx"].write_bytes(workbook.build_workbook(b))
        res.seconds["workbook"] = time.perf_counter() - t

        t = time.perf_counter()
        progress("deck", 0.25, strings.BULLETIN_STEPS["deck"])

        def waiting(done, total):
            progress("charts", 0.25 + 0.65 * done / total, strings.BULLETIN_STEPS["charts"].format(done=done, total=total))

        charts = PendingCharts(futures, waiting)
        res.files["pptx"] = out_dir / names["pptx"]
        res.files["pptx"].write_bytes(deck.build_deck(b, charts, font))
        res.seconds["deck"] = time.perf_counter() - t
        charts = charts.finished()
        res.seconds["charts"] = max(last_done) - t_charts

    t = time.perf_counter()
    progress("zip", 0.95, strings.BULLETIN_STEPS["zip"])
    res.files["zip"] = out_dir / names["zip"]
    res.files["zip"].write_bytes(zip_charts(b, charts))
    res.seconds["zip"] = time.perf_counter() - t
    res.seconds["total"] = time.perf_counter() - t0
    progress("done", 1.0, strings.BULLETIN_STEPS["done"])
    return res
