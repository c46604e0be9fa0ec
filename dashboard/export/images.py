"""Server-side chart images: PNG, SVG and PDF from the same plotly figures the screens draw, in the
light print theme, drawn by this process's headless Chromium (``browser.Renderer``: kaleido with
Debian's chromium).
"""

from __future__ import annotations

import plotly.graph_objects as go

from dashboard import strings
from dashboard.present import charts
from dashboard.domain import windows
from dashboard.export import limits
from dashboard.export.browser import FORMATS, RenderError, Renderer, renderer  # noqa: F401 - this module's API

MEDIA_TYPES = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
PRINT_SCALE = 3  # PNG pixels per figure pixel: a 1000 px wide chart is 3000 px, ≈ 25 cm at 300 dpi
MIN_SIDE, MAX_SIDE = 100, 4000  # CSS pixels of a chart's width and height
MAX_SCALE = 6
# Output pixels of one PNG (width × height × scale²): 36 million is a 6000 × 6000 picture, four
# times the default map (1000 × 1000 × 3²) and more than an A2 poster at 300 dpi (4961 × 7016);
# Chromium holds ≈ 4 bytes a pixel, so one render stays near 150 MB.
MAX_PIXELS = 36_000_000


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
    return renderer().render(fig, fmt, width, height, scale)


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
