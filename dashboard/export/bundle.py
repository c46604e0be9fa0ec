"""A whole weekly bulletin on disk: the deck, the workbook and the deck's charts as PNGs in a zip.

``build`` is what the CLI and the web job runner call. The charts are rendered once, at the size
they take on their slides and at print scale, and the same PNGs go into the deck and the zip.
"""

from __future__ import annotations

import io
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
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


def render_charts(b: bulletin_mod.Bulletin, progress: Progress = _quiet, start: float = 0.1,
                  span: float = 0.6) -> dict[str, bytes]:
    """PNG of every chart of the bulletin at its deck size × ``images.PRINT_SCALE``. Figures are
    built here (database reads), renders go to the shared renderer two at a time (its tabs)."""
    names = list(bulletin_mod.BULLETIN_CHARTS)
    out: dict[str, bytes] = {}
    with ThreadPoolExecutor(max_workers=images.renderer().tabs, thread_name_prefix="bulletin-chart") as pool:
        futures = {}
        for name in names:
            w, h = deck.chart_size(name)
            futures[name] = pool.submit(images.image, b.figure(name), "png", width=w, height=h,
                                        scale=images.PRINT_SCALE)
        for i, name in enumerate(names):
            out[name] = futures[name].result()
            progress("charts", start + span * (i + 1) / len(names),
                     strings.BULLETIN_STEPS["charts"].format(done=i + 1, total=len(names)))
    return out


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
    t0 = time.perf_counter()
    progress("data", 0.02, strings.BULLETIN_STEPS["data"])
    b = bulletin_mod.collect(engine, week, area, now)
    res = Outputs(b)
    res.seconds["data"] = time.perf_counter() - t0

    t = time.perf_counter()
    charts = render_charts(b, progress, 0.1, 0.6)
    res.seconds["charts"] = time.perf_counter() - t
    names = file_names(b)

    t = time.perf_counter()
    progress("deck", 0.72, strings.BULLETIN_STEPS["deck"])
    res.files["pptx"] = out_dir / names["pptx"]
    res.files["pptx"].write_bytes(deck.build_deck(b, charts, font))
    res.seconds["deck"] = time.perf_counter() - t

    t = time.perf_counter()
    progress("workbook", 0.85, strings.BULLETIN_STEPS["workbook"])
    res.files["xlsx"] = out_dir / names["xlsx"]
    res.files["xlsx"].write_bytes(workbook.build_workbook(b))
    res.seconds["workbook"] = time.perf_counter() - t

    t = time.perf_counter()
    progress("zip", 0.95, strings.BULLETIN_STEPS["zip"])
    res.files["zip"] = out_dir / names["zip"]
    res.files["zip"].write_bytes(zip_charts(b, charts))
    res.seconds["zip"] = time.perf_counter() - t
    res.seconds["total"] = time.perf_counter() - t0
    progress("done", 1.0, strings.BULLETIN_STEPS["done"])
    return res
