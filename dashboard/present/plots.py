"""Every chart of the product, built once as plotly figures (plotly, not Dash: exports and the
bulletin use the same builders as the screens).

Each builder takes tidy data from ``metrics`` and a theme: ``"screen"`` (dark, large type, for the
big screen and desk pages) or ``"print"`` (light, for exported images and the weekly bulletin).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import strings
from dashboard.present import colours, fmt

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"

# Four-level warning colours (national convention) and the normal colour; shared with the map.
# 正常 is a neutral dark fill on the maps: only the warned grids carry colour.
LEVEL_COLORS = {1: "#e02424", 2: "#ff8a00", 3: "#f5d90a", 4: "#2f7cf6", 0: "#1f3150"}
REPORTED_COLOR = "#35c8ff"
CLOSED_COLOR = "#2ed47a"
BAD_COLOR = "#ff4d4f"
HANDLER_LEVEL_COLORS = {"grid": "#2ed47a", "community": "#35c8ff", "town": "#a98bff", "county_department": "#ffb020"}


@dataclass(frozen=True)
class Theme:
    name: str
    paper: str
    plot: str
    text: str
    muted: str
    grid: str
    font_size: int
    small: int  # the smallest text drawn (axis labels, bar texts): the wall reads nothing under 16 px
    bar: str
    heat: list


THEMES = {
    "screen": Theme("screen", "rgba(0,0,0,0)", "rgba(0,0,0,0)", "#e6f0ff", "#8fa8cc", "rgba(143,168,204,0.18)", 16, 16,
                    "#35c8ff", [[0, "#0b2452"], [0.35, "#1565c0"], [0.7, "#35c8ff"], [1, "#fff59d"]]),
    "print": Theme("print", "#ffffff", "#ffffff", "#1f2937", "#4b5563", "#e5e7eb", 13, 11, "#1d4ed8",
                   [[0, "#f1f5ff"], [0.4, "#93c5fd"], [0.75, "#2563eb"], [1, "#1e3a8a"]]),
}


def _theme(theme: str | Theme) -> Theme:
    return theme if isinstance(theme, Theme) else THEMES[theme]


def _layout(fig: go.Figure, t: Theme, title: str | None = None, **kw) -> go.Figure:
    fig.update_layout(
        template="none",
        paper_bgcolor=t.paper,
        plot_bgcolor=t.plot,
        font=dict(family=FONT, size=t.font_size, color=t.text),
        margin=dict(l=8, r=12, t=36 if title else 8, b=8),
        title=dict(text=title, x=0.01, font=dict(size=t.font_size + 3)) if title else None,
        showlegend=kw.pop("showlegend", False),
        legend=dict(orientation="h", x=1, xanchor="right", y=1.02, yanchor="bottom", bgcolor="rgba(0,0,0,0)"),
        hoverlabel=dict(font=dict(family=FONT)),
        **kw,
    )
    fig.update_xaxes(gridcolor=t.grid, zeroline=False, automargin=True, tickfont=dict(color=t.muted))
    fig.update_yaxes(gridcolor=t.grid, zeroline=False, automargin=True, tickfont=dict(color=t.text))
    return fig


def empty(theme: str | Theme = "screen", message: str = strings.NO_DATA) -> go.Figure:
    t = _theme(theme)
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font=dict(size=t.font_size + 2, color=t.muted), x=0.5, y=0.5,
                       xref="paper", yref="paper")
    _layout(fig, t)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


# --- axes that say what they count -------------------------------------------------------------

DAY_MS = 86_400_000
BAR_SHARE = 0.12  # the most of a chart's length one bar may take: a lone bar stays a bar, not a slab


def count_step(top: float, ticks: int = 5) -> int:
    """A whole step (1, 2, 5, 10, 20, 50 …) giving at most ``ticks`` ticks up to ``top``: counts of
    cases are whole, so an axis never reads 0.5 件."""
    top = max(float(top or 0), 1.0)
    mag = 1
    while True:
        for m in (1, 2, 5):
            if top / (m * mag) <= ticks:
                return m * mag
        mag *= 10


def count_axis(top: float) -> dict:
    """Axis settings for a count of cases: from 0, whole ticks."""
    return dict(rangemode="tozero", tickformat=",d", tick0=0, dtick=count_step(top))


def percent_axis() -> dict:
    """Axis settings for a rate drawn in percent: always from 0 to 100 %, so a bar's length is its
    rate and two charts compare."""
    return dict(range=[0, 104], tickvals=[0, 20, 40, 60, 80, 100], ticksuffix="%")


def day_axis(days) -> dict:
    """Axis settings for local days: one tick per day, or every few days, never two ticks on the
    same date (plotly's automatic ticks fall at noon on short ranges)."""
    x = pd.to_datetime(pd.Series(list(days)))
    if x.empty:
        return dict(tickformat="%m-%d")
    n = (x.max() - x.min()).days + 1
    step = max(1, math.ceil(n / 8))
    return dict(type="date", tickformat="%m-%d", tick0=x.min(), dtick=step * DAY_MS, hoverformat="%Y-%m-%d")


def cap_bars(fig: go.Figure, n: int) -> go.Figure:
    """Few bars in a tall (or wide) panel: widen the gaps so that no bar takes more than
    ``BAR_SHARE`` of the chart, whatever the panel's size."""
    if n and n * BAR_SHARE < 1:
        fig.update_layout(bargap=max(fig.layout.bargap or 0.2, 1 - n * BAR_SHARE))
    return fig


def category_bar(df: pd.DataFrame, names: dict[str, str], theme: str | Theme = "screen", title: str | None = None) -> go.Figure:
    """Reports per (top-level) category: ``df`` has columns category, n."""
    t = _theme(theme)
    if df.empty:
        return empty(t)
    d = df.groupby("category", as_index=False)["n"].sum().sort_values("n")
    labels = [names.get(c, c) for c in d["category"]]
    fig = go.Figure(go.Bar(x=d["n"], y=labels, orientation="h", marker_color=t.bar, text=d["n"], textposition="outside",
                           cliponaxis=False, hovertemplate=strings.CHART_HOVER["category"]))
    _layout(fig, t, title, bargap=0.35)
    fig.update_xaxes(**count_axis(d["n"].max()))
    cap_bars(fig, len(d))
    return fig


def trend(df: pd.DataFrame, theme: str | Theme = "screen", title: str | None = None) -> go.Figure:
    """Reports and closures per local day (``metrics.daily_trend``: a ``day`` column) or, for a
    window of one day, per local hour (``metrics.hourly_trend``: an ``hour`` column)."""
    t = _theme(theme)
    if df.empty:
        return empty(t)
    hourly = "hour" in df
    x = pd.to_datetime(df["hour" if hourly else "day"])
    hover = "_hour" if hourly else ""
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=df["reported"], name=strings.INDICATOR_LABELS["reported"], marker_color=REPORTED_COLOR,
                         opacity=0.85, hovertemplate=strings.CHART_HOVER["reported" + hover]))
    fig.add_trace(go.Scatter(x=x, y=df["closed"], name=strings.INDICATOR_LABELS["closed"],
                             mode="lines+markers" if len(df) <= 31 else "lines", line=dict(color=CLOSED_COLOR, width=3),
                             hovertemplate=strings.CHART_HOVER["closed" + hover]))
    _layout(fig, t, title, showlegend=True, bargap=0.25)
    if hourly:
        fig.update_xaxes(type="date", tickformat="%H:%M", tick0=x.min(), dtick=3 * 3_600_000)
    else:
        fig.update_xaxes(**day_axis(x))
    fig.update_xaxes(tickfont=dict(color=t.muted))
    fig.update_yaxes(**count_axis(max(df["reported"].max(), df["closed"].max())))
    return cap_bars(fig, len(df))


def category_day_heatmap(df: pd.DataFrame, names: dict[str, str], days: list[str], theme: str | Theme = "screen",
                         title: str | None = None) -> go.Figure:
    """Reports per category (rows) and local day (columns)."""
    t = _theme(theme)
    if df.empty:
        return empty(t)
    m = df.pivot_table(index="category", columns="day", values="n", aggfunc="sum", fill_value=0).reindex(columns=days, fill_value=0)
    m = m.loc[m.sum(axis=1).sort_values().index]
    fig = go.Figure(go.Heatmap(z=m.values, x=pd.to_datetime(m.columns), y=[names.get(c, c) for c in m.index],
                               colorscale=t.heat, showscale=False, xgap=1, ygap=1,
                               hovertemplate=strings.CHART_HOVER["category_day"]))
    _layout(fig, t, title)
    fig.update_xaxes(**day_axis(m.columns), showgrid=False)
    fig.update_yaxes(showgrid=False)
    return fig


def hour_weekday_heatmap(df: pd.DataFrame, theme: str | Theme = "screen", title: str | None = None) -> go.Figure:
    """Reports per weekday (rows, Monday on top) and hour of day."""
    t = _theme(theme)
    z = [[0] * 24 for _ in range(7)]
    for r in df.itertuples():
        z[int(r.weekday)][int(r.hour)] += int(r.n)
    fig = go.Figure(go.Heatmap(z=z, x=[strings.CHART_HOUR.format(h=h) for h in range(24)], y=strings.WEEKDAY_LABELS,
                               colorscale=t.heat, showscale=False, xgap=1, ygap=1,
                               hovertemplate=strings.CHART_HOVER["hour_weekday"]))
    _layout(fig, t, title)
    fig.update_yaxes(autorange="reversed", showgrid=False)
    fig.update_xaxes(showgrid=False, dtick=2)
    return fig


def department_ranking(df: pd.DataFrame, flagged: set[str], theme: str | Theme = "screen", title: str | None = None,
                       height: int | None = None, limit: int | None = None) -> go.Figure:
    """Handlers on their own clock, in the order given (best first, drawn on top): the bar is the
    on-time disposal rate (按期处置率), the label adds what is with the handler past its deadline
    now (当前超期未处置). ``df`` is a ``metrics.department_ranking`` with a label column; codes in
    ``flagged`` are drawn red (the laggards). The axis runs from 0 to 100 %: a bar's length is
    its rate. With ``limit``, only the last ``limit`` rows (the laggards: a wall names each at a
    readable size rather than all of them small)."""
    t = _theme(theme)
    d = df[df["valid"] > 0]
    if d.empty:
        return empty(t)
    if limit and len(d) > limit:  # the last rows, and every flagged handler whatever its place
        keep = d["code"].isin(flagged)
        room = max(0, limit - int(keep.sum()))
        tail = d[~keep].tail(room).index if room else []
        d = d[keep | d.index.isin(tail)]
    d = d.iloc[::-1]  # plotly draws the first row at the bottom
    rate = d["on_time_disposal_rate"]
    # colour by meaning (the rate's level); the flagged laggards red whatever their level
    colors = [colours.MARKS[t.name]["crit"] if c in flagged else colours.mark("on_time_disposal_rate", r, t.name)
              for c, r in zip(d["code"], rate)]
    labels = [("⚠ " if c in flagged else "") + lab for c, lab in zip(d["code"], d["label"])]
    # what is past its deadline with the handler now, named only when there is some and the words
    # fit inside the bar or beside it (else the rate alone; the count stays in the hover). The
    # long label takes about three quarters of the axis at the wall's size, the rate alone a third.
    text, inside = [], []
    for shown, r, o in zip(rate, rate.fillna(0), d["handler_overdue_now"]):
        if o and (r > 0.75 or r < 0.25):
            text.append(strings.CHART_DEPARTMENT_BAR.format(rate=fmt.rate(shown), overdue=int(o)))
            inside.append(bool(r > 0.75))
        else:
            text.append(fmt.rate(shown))
            inside.append(bool(r > 0.35))
    custom = list(zip(d["code"], d["closure_rate"].fillna(-1), d["handler_overdue_now"], d["mean_hours_to_close"].fillna(-1),
                      d["valid"],
                      # 督办 shows where the ranking is read (supervised cases, and the score they enter)
                      d["supervised"] if "supervised" in d else [0] * len(d),
                      d["score"].fillna(-1) if "score" in d else [-1] * len(d),
                      d["disposal_due"], [fmt.rate(r) for r in rate]))
    fig = go.Figure(go.Bar(
        x=rate.fillna(0) * 100, y=labels, orientation="h", marker_color=colors, text=text,
        textposition=["inside" if i else "outside" for i in inside],
        insidetextanchor="end", customdata=custom,
        # white inside the bar; outside it the theme's text colour (white would vanish on paper)
        textfont=dict(color=["#ffffff" if i else t.text for i in inside], size=t.small),
        hovertemplate=strings.CHART_HOVER["department"],
    ))
    _layout(fig, t, title, bargap=0.18, height=height, uniformtext=dict(minsize=t.small, mode="show"))
    fig.update_xaxes(**percent_axis(), showgrid=True)
    cap_bars(fig, len(d))
    fig.update_yaxes(tickfont=dict(size=t.small), dtick=1)  # every handler named, none skipped
    return fig


def handler_split(df: pd.DataFrame, theme: str | Theme = "screen", title: str | None = None) -> go.Figure:
    """Where valid events were handled (网格/社区/镇/县) as one stacked bar of shares."""
    t = _theme(theme)
    total = int(df["valid"].sum()) if not df.empty else 0
    if total == 0:
        return empty(t)
    fig = go.Figure()
    for level in ("grid", "community", "town", "county_department"):
        n = int(df.loc[df["code"] == level, "valid"].sum())
        share = n / total
        fig.add_trace(go.Bar(
            x=[share * 100], y=[""], orientation="h", name=strings.HANDLER_LEVEL_LABELS[level],
            marker_color=HANDLER_LEVEL_COLORS[level],
            text=f"{strings.HANDLER_LEVEL_SHORT[level]} {share:.0%}" if share >= 0.07 else "", textposition="inside",
            insidetextanchor="middle", textfont=dict(color="#0b1d3a", size=t.font_size),
            hovertemplate=strings.CHART_HOVER_SPLIT.format(label=strings.HANDLER_LEVEL_LABELS[level], n=n, share=share),
        ))
    _layout(fig, t, title, barmode="stack")
    fig.update_xaxes(visible=False, range=[0, 100])
    fig.update_yaxes(visible=False)
    return fig


def town_ranking(df: pd.DataFrame, theme: str | Theme = "print", title: str | None = None) -> go.Figure:
    """Towns (or the units below any area) in the order given, best first and drawn on top, with
    closure rate and report counts: ``df`` has label, reported, closure_rate (as
    ``chartdata.unit_ranking`` ranks them, so the chart and the tables agree on ties)."""
    t = _theme(theme)
    if df.empty:
        return empty(t)
    d = df.iloc[::-1]  # plotly draws the first row at the bottom
    rates = d["closure_rate"].fillna(0)
    # The label sits inside a long bar (white) and after a short one (theme colour), so it never
    # runs off the side of a narrow chart.
    fig = go.Figure(go.Bar(x=d["closure_rate"] * 100, y=d["label"], orientation="h",
                           marker_color=colours.marks("closure_rate", d["closure_rate"], t.name),
                           text=[strings.CHART_UNIT_BAR.format(rate=r.closure_rate * 100, n=r.reported)
                                 if r.closure_rate == r.closure_rate else "—"
                                 for r in d.itertuples()],
                           textposition=["inside" if r > 0.45 else "outside" for r in rates], insidetextanchor="end",
                           textfont=dict(color=["#ffffff" if r > 0.45 else t.text for r in rates]), cliponaxis=False,
                           hovertemplate=strings.CHART_HOVER["unit_rate"]))
    _layout(fig, t, title, uniformtext=dict(minsize=t.small, mode="show"))
    fig.update_xaxes(**percent_axis())
    cap_bars(fig, len(d))
    return fig


# --- print exports and the weekly bulletin ---------------------------------------------
# A static map drawn from the grid polygons with plain plotly traces (no tiles, so it renders
# offline in kaleido exactly as on screen), and the departments' 综合得分.

PRINT_NORMAL_COLOR = "#d5ecdf"  # 正常 on paper: a pale green, so the few warned grids stand out


def _rings(geometry: dict):
    """Outer rings of a GeoJSON Polygon / MultiPolygon as (xs, ys) lists."""
    polys = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    for poly in polys:
        ring = poly[0]
        yield [p[0] for p in ring], [p[1] for p in ring]


def _path(features: list[dict]) -> tuple[np.ndarray, np.ndarray]:
    """The features' outer rings as one path, a gap (NaN) between rings: float arrays, which
    plotly takes without checking each of a city's 150,000 points and sends as binary."""
    xs, ys = [], []
    gap = math.nan
    for f in features:
        for rx, ry in _rings(f["geometry"]):
            xs += rx
            xs.append(gap)
            ys += ry
            ys.append(gap)
    return np.array(xs, dtype="float64"), np.array(ys, dtype="float64")


# A map of more grids than this draws them as one picture (a city's 19,000: ≈ 5 s of the browser's
# time as vector shapes, a fraction of a second as a picture); the legend, the outlines and the
# names above them stay vector. A county's few hundred stay shapes.
PICTURE_OVER = 2000
PICTURE_PIXELS = 3000  # the picture's longer side: a 1000 px print map at scale 3


def _bounds(features: list[dict]) -> tuple[float, float, float, float]:
    xs = [x for f in features for rx, _ in _rings(f["geometry"]) for x in rx]
    ys = [y for f in features for _, ry in _rings(f["geometry"]) for y in ry]
    return min(xs), min(ys), max(xs), max(ys)


def _grid_picture(groups: dict[int, list[dict]], colors: dict[int, str], edge: str) -> dict:
    """The grids filled in their level's colour with ``edge`` borders, as a PNG laid on the map's
    axes (a plotly layout image spanning the grids' extent), most severe drawn last."""
    import base64
    import io

    from PIL import Image, ImageDraw

    feats = [f for group in groups.values() for f in group]
    x0, y0, x1, y1 = _bounds(feats)
    mid = math.radians((y0 + y1) / 2)
    aspect = (y1 - y0) / max((x1 - x0) * math.cos(mid), 1e-12)  # ground height / width
    w, h = (PICTURE_PIXELS, max(1, round(PICTURE_PIXELS * aspect))) if aspect <= 1 else \
        (max(1, round(PICTURE_PIXELS / aspect)), PICTURE_PIXELS)
    sx, sy = (w - 1) / max(x1 - x0, 1e-12), (h - 1) / max(y1 - y0, 1e-12)
    img = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    for lv, group in groups.items():
        for f in group:
            for rx, ry in _rings(f["geometry"]):
                pts = [((x - x0) * sx, (y1 - y) * sy) for x, y in zip(rx, ry)]
                draw.polygon(pts, fill=colors[lv])
                draw.line(pts, fill=edge, width=3)  # ≈ 1 px at the bulletin's size, as the shapes' 0.6 px × 3
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=False, compress_level=1)
    return dict(source="data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii"),
                xref="x", yref="y", x=x0, y=y1, sizex=x1 - x0, sizey=y1 - y0, sizing="stretch", layer="below")


def warning_map(grids: dict, levels: dict[str, int], outlines: dict | None = None, theme: str | Theme = "print",
                title: str | None = None) -> go.Figure:
    """Grids coloured by warning level (Ⅰ red … Ⅳ blue, normal green), with the outlines and names
    of the units above them. ``grids`` and ``outlines`` are GeoJSON FeatureCollections with
    properties ``c`` (code), ``n`` (name), ``lon``/``lat`` (label point), as ``api.geo`` serves;
    ``levels`` maps grid code -> level (0 = normal)."""
    t = _theme(theme)
    feats = grids.get("features", [])
    if not feats:
        return empty(t)
    fig = go.Figure()
    normal = PRINT_NORMAL_COLOR if t.name == "print" else LEVEL_COLORS[0]
    edge = "#ffffff" if t.name == "print" else "#0b1d3a"
    groups = {lv: [f for f in feats if int(levels.get(f["properties"]["c"], 0)) == lv] for lv in (0, 4, 3, 2, 1)}
    colors = {lv: normal if lv == 0 else LEVEL_COLORS[lv] for lv in groups}
    picture = len(feats) > PICTURE_OVER
    if picture:
        image = _grid_picture(groups, colors, edge)
        fig.add_layout_image(image)
        # The axes span the grids as the shapes would make them: an unseen line over their extent.
        fig.add_trace(go.Scatter(x=[image["x"], image["x"] + image["sizex"]], y=[image["y"] - image["sizey"], image["y"]],
                                 mode="lines", line=dict(width=0), hoverinfo="skip", showlegend=False))
    for lv, group in groups.items():  # the most severe drawn last, on top
        if not group:
            continue
        name = strings.MAP_LEVEL_LEGEND.format(label=strings.WARNING_LEVEL_LABELS[lv], n=len(group))
        if picture:  # the legend's entry only: the grids are in the picture
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", hoverinfo="skip", name=name, showlegend=True,
                                     marker=dict(symbol="square", size=13, color=colors[lv], line=dict(color=edge, width=0.6))))
            continue
        xs, ys = _path(group)
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=colors[lv],
                                 line=dict(color=edge, width=0.6), hoverinfo="skip", name=name, showlegend=True))
    if outlines and outlines.get("features"):
        xs, ys = _path(outlines["features"])
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", line=dict(color=t.text, width=1.6), hoverinfo="skip",
                                 showlegend=False))
        pts = [f["properties"] for f in outlines["features"] if f["properties"].get("lon") is not None]
        fig.add_trace(go.Scatter(x=[p["lon"] for p in pts], y=[p["lat"] for p in pts], text=[p["n"] for p in pts],
                                 mode="text", textfont=dict(size=t.font_size, color=t.text), hoverinfo="skip",
                                 showlegend=False))
    lats = [y for f in feats for _, ry in _rings(f["geometry"]) for y in ry]
    mid = (min(lats) + max(lats)) / 2
    _layout(fig, t, title, showlegend=True)
    fig.update_layout(legend=dict(orientation="v", x=0.01, xanchor="left", y=0.01, yanchor="bottom",
                                  bgcolor="rgba(255,255,255,0.85)" if t.name == "print" else "rgba(6,18,43,0.85)",
                                  traceorder="reversed"))
    fig.update_xaxes(visible=False)
    # Equal distances on the ground: a degree of longitude is cos(latitude) of a degree of latitude.
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(mid)))
    return fig


def department_scores(df: pd.DataFrame, theme: str | Theme = "print", title: str | None = None,
                      height: int | None = None) -> go.Figure:
    """Handlers by 综合得分 in the order given (best first, drawn on top): ``df`` has label, score
    and valid (rows without valid cases have no score and are left out)."""
    t = _theme(theme)
    d = df[df["score"].notna() & (df["valid"] > 0)].iloc[::-1]  # plotly draws the first row at the bottom
    if d.empty:
        return empty(t)
    fig = go.Figure(go.Bar(x=d["score"], y=d["label"], orientation="h", marker_color=colours.marks("score", d["score"], t.name),
                           text=[f"{v:.1f}" for v in d["score"]], textposition="outside", cliponaxis=False,
                           hovertemplate=strings.CHART_HOVER["score"]))
    _layout(fig, t, title, bargap=0.25, height=height)
    fig.update_xaxes(range=[0, 118], tickvals=[0, 20, 40, 60, 80, 100], showgrid=True)  # room for "100.0"
    cap_bars(fig, len(d))
    fig.update_yaxes(tickfont=dict(size=t.small), dtick=1)
    return fig


# --- drill-down charts (case stages, department score, statuses, rates over time) -------

STAGE_COLORS = {"intake": "#a98bff", "dispatch": "#35c8ff", "disposal": "#ffb020", "verification": "#2ed47a"}
# Where a case stands (``casestate.STAGES``).
STANDING_COLORS = {"intake": "#ffb020", "dispatch": "#a98bff", "disposal": "#35c8ff", "verification": "#7dd3fc",
                   "closed": CLOSED_COLOR, "invalid": "#64748b"}


def stage_gantt(segments: list[dict], deadline=None, now=None, theme: str | Theme = "screen",
                title: str | None = None) -> go.Figure:
    """A case's stays in each stage on a time axis (受理 on top), with its deadline and, while open,
    the present moment. ``segments``: dicts with stage, start, end (aware datetimes), running."""
    from dashboard.timeutil import to_local

    t = _theme(theme)
    if not segments:
        return empty(t)
    order = [s for s in ("intake", "dispatch", "disposal", "verification")]
    fig = go.Figure()
    for stage in order:
        seg = [s for s in segments if s["stage"] == stage]
        if not seg:
            continue
        label = strings.STAGE_LABELS[stage]
        starts = [to_local(s["start"]).replace(tzinfo=None) for s in seg]
        ms = [max(60_000.0, (s["end"] - s["start"]).total_seconds() * 1000) for s in seg]  # a sliver stays visible
        hours = [(s["end"] - s["start"]).total_seconds() / 3600 for s in seg]
        fig.add_trace(go.Bar(
            base=starts, x=ms, y=[label] * len(seg), orientation="h", name=label,
            marker=dict(color=STAGE_COLORS[stage], line=dict(width=0)),
            opacity=1.0, customdata=[[h, strings.STAGE_RUNNING if s["running"] else ""] for h, s in zip(hours, seg)],
            hovertemplate=strings.CHART_HOVER["stage"],
        ))
    _layout(fig, t, title, barmode="overlay", bargap=0.35)
    fig.update_xaxes(type="date", tickformat="%m-%d %H:%M", showgrid=True)
    fig.update_yaxes(categoryorder="array", categoryarray=[strings.STAGE_LABELS[s] for s in reversed(order)])
    for when, text, color, dash in ((deadline, strings.DEADLINE_MARK, BAD_COLOR, "dash"),
                                    (now, strings.NOW_MARK, t.muted, "dot")):
        if when is None:
            continue
        x = to_local(when).replace(tzinfo=None)
        fig.add_shape(type="line", x0=x, x1=x, y0=0, y1=1, yref="paper", line=dict(color=color, width=2, dash=dash))
        fig.add_annotation(x=x, y=1, yref="paper", text=text, showarrow=False, yanchor="bottom",
                           font=dict(color=color, size=t.small))
    fig.update_layout(margin=dict(t=26))
    return fig


def stage_means(df: pd.DataFrame, compare: pd.DataFrame | None = None, theme: str | Theme = "screen",
                title: str | None = None,
                names: tuple[str, str] = (strings.DEPT_THIS, strings.DEPT_COUNTY_MEAN)) -> go.Figure:
    """Mean hours per stage (``metrics.stage_hours``), optionally beside a reference (the county)."""
    t = _theme(theme)
    if df.empty or df["hours"].isna().all():
        return empty(t)
    labels = [strings.STAGE_LABELS[s] for s in df["stage"]]
    fig = go.Figure(go.Bar(
        x=df["hours"], y=labels, orientation="h", name=names[0], marker_color=[STAGE_COLORS[s] for s in df["stage"]],
        text=[("—" if pd.isna(h) else strings.DURATION_HOURS.format(h=h)) for h in df["hours"]], textposition="outside",
        cliponaxis=False, hovertemplate=strings.CHART_HOVER["stage_mean"]))
    if compare is not None and not compare.empty:
        fig.add_trace(go.Scatter(x=compare["hours"], y=[strings.STAGE_LABELS[s] for s in compare["stage"]], mode="markers",
                                 name=names[1], marker=dict(symbol="line-ns-open", size=26, color="#ffffff",
                                                            line=dict(width=3)),
                                 hovertemplate=strings.CHART_HOVER["stage_mean"]))
    _layout(fig, t, title, showlegend=compare is not None, bargap=0.35)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(ticksuffix="h", rangemode="tozero")
    return fig


def score_parts(parts: dict, theme: str | Theme = "screen", title: str | None = None) -> go.Figure:
    """综合得分's four parts against their maximum (``metrics.score`` with default weights)."""
    t = _theme(theme)
    if parts.get("score") is None:
        return empty(t)
    keys = ["score_on_time", "score_closure", "score_rework", "score_supervision"]
    maxima = {"score_on_time": 50, "score_closure": 30, "score_rework": 10, "score_supervision": 10}
    labels = [strings.WITH_NOTE.format(text=strings.SCORE_PART_LABELS[k], note=maxima[k]) for k in keys]
    values = [float(parts[k] or 0) for k in keys]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=[maxima[k] for k in keys], y=labels, orientation="h", marker_color="rgba(143,168,204,0.18)",
                         hoverinfo="skip"))
    fig.add_trace(go.Bar(x=values, y=labels, orientation="h",
                         marker_color=[CLOSED_COLOR if v >= 0.9 * maxima[k] else ("#ffb020" if v >= 0.7 * maxima[k]
                                                                                   else BAD_COLOR)
                                       for k, v in zip(keys, values)],
                         text=[f"{v:.1f}" for v in values], textposition="outside", cliponaxis=False,
                         hovertemplate=strings.CHART_HOVER["score_part"]))
    _layout(fig, t, title, barmode="overlay", bargap=0.35)
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 56], dtick=10)
    return fig


def stage_bar(df: pd.DataFrame, theme: str | Theme = "screen", title: str | None = None) -> go.Figure:
    """Cases by where they stand (``metrics.stage_counts``), the overdue share of each in red."""
    t = _theme(theme)
    d = df[df["n"] > 0]
    if d.empty:
        return empty(t)
    labels = [strings.STANDING_LABELS[s] for s in d["stage"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(x=d["n"] - d["overdue"], y=labels, orientation="h", name=strings.CHART_SERIES["on_time"],
                         marker_color=[STANDING_COLORS[s] for s in d["stage"]],
                         hovertemplate=strings.CHART_HOVER["standing"]))
    fig.add_trace(go.Bar(x=d["overdue"], y=labels, orientation="h", name=strings.INDICATOR_LABELS["overdue"],
                         marker_color=BAD_COLOR, text=[strings.CHART_COUNT.format(n=n) for n in d["n"]],
                         textposition="outside", cliponaxis=False,
                         hovertemplate=strings.CHART_HOVER["standing_overdue"]))
    _layout(fig, t, title, barmode="stack", bargap=0.3, showlegend=bool(d["overdue"].sum()))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(**count_axis(d["n"].max()))
    cap_bars(fig, len(d))
    return fig


def rate_lines(df: pd.DataFrame, theme: str | Theme = "screen", title: str | None = None) -> go.Figure:
    """办结率 and 按期办结率 per period of report (``metrics.rate_series``), cases as bars."""
    t = _theme(theme)
    if df.empty:
        return empty(t)
    x = pd.to_datetime(df["period"])
    fig = go.Figure()
    fig.add_trace(go.Bar(x=x, y=df["valid"], name=strings.CHART_SERIES["valid"], marker_color="rgba(53,200,255,0.28)",
                         yaxis="y2", hovertemplate=strings.CHART_HOVER["valid"]))
    for col, color in (("closure_rate", CLOSED_COLOR), ("on_time_rate", "#ffb020")):
        fig.add_trace(go.Scatter(x=x, y=df[col] * 100, name=strings.INDICATOR_LABELS[col], mode="lines+markers",
                                 connectgaps=False, line=dict(color=color, width=3),
                                 # each point in its level's colour: a line is green only where it is good
                                 marker=dict(size=9, color=colours.marks(col, df[col], t.name),
                                             line=dict(color=color, width=2)),
                                 hovertemplate=strings.CHART_HOVER["rate"]))
    top = int(df["valid"].max()) if len(df) else 0
    _layout(fig, t, title, showlegend=True,
            yaxis2=dict(overlaying="y", side="right", showgrid=False, tickfont=dict(color=t.muted), **count_axis(top)))
    fig.update_layout(yaxis=percent_axis())
    weekly = len(x) > 1 and (x.iloc[1] - x.iloc[0]).days >= 7
    if weekly:
        fig.update_xaxes(type="date", tickformat="%m-%d", tickvals=list(x) if len(x) <= 10 else None)
    else:
        fig.update_xaxes(**day_axis(x))
    return fig
