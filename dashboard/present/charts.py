"""The chart catalogue: every chart of the product by name, as its data and its drawing, for the
screens and the exports alike. Labels for codes, the departments flagged on screen, the ranking of
the units below an area. Numbers come from ``metrics``; this module selects, joins names and hands
tidy frames to the plotly builders in ``plots``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy import select

from dashboard import strings
from dashboard.domain import areas
from dashboard.present import plots
from dashboard import vocabulary
from dashboard.figures import metrics
from dashboard.domain import windows
from dashboard.store.models import Category, Department


def category_names(engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(Category.code, Category.name)).all())


def handler_names(engine) -> dict[str, str]:
    with engine.connect() as conn:
        return dict(conn.execute(select(Department.code, Department.name)).all())


def label_handlers(ranking: pd.DataFrame) -> pd.DataFrame:
    """``metrics.department_ranking`` with a ``label``: the department's name, or the words for
    the three area handler levels (网格处置, 社区处置, 镇街处置)."""
    return ranking.assign(label=[n if isinstance(n, str) else strings.HANDLER_LEVEL_LABELS[c]
                                 for c, n in zip(ranking["code"], ranking["name"])])


def rank_by_score(ranking: pd.DataFrame) -> pd.DataFrame:
    """Handlers with valid cases, best 综合得分 first (then closure rate, then more cases): the
    order of the bulletin's department ranking, in its chart and its table."""
    d = ranking[ranking["valid"] > 0]
    return d.sort_values(["score", "closure_rate", "valid"], ascending=[False, False, False]).reset_index(drop=True)


def laggards(ranking: pd.DataFrame, n: int = 3, min_cases: int = 5) -> set[str]:
    """The departments flagged on screen: the lowest on-time disposal rates (then the most past
    their deadline now) among the county departments with enough cases due to judge — the
    measure the ranking is drawn by, on the handler's own clock."""
    d = ranking[(ranking["level"] == "county_department") & (ranking["disposal_due"] >= min_cases)]
    d = d[d["on_time_disposal_rate"] < 1]
    return set(d.sort_values(["on_time_disposal_rate", "handler_overdue_now"], ascending=[True, False])
               .head(n)["code"])


def unit_level(area: str | None) -> str:
    """The level one below ``area`` that its rankings list (a grid lists itself)."""
    level = vocabulary.level_of_code(area) if area else "county"
    return vocabulary.CHILD_LEVEL.get(level, "grid")


def unit_ranking(engine, window: windows.Window, area: str | None) -> pd.DataFrame:
    """Indicators for every unit one level below ``area`` (towns of the county, communities of a
    town, grids of a community), units without events included with zero counts; sorted by
    closure rate, then on-time rate, then reports."""
    level = unit_level(area)
    root = areas.root(engine)
    scope_code = area or (root.code if root else None)
    if scope_code is None:
        units = {}
    elif vocabulary.level_of_code(scope_code) == "grid":
        units = {scope_code: areas.get(engine, scope_code).name}
    else:
        units = {a.code: a.name for a in areas.children(engine, scope_code)}
    df = metrics.by_group(engine, window, level, metrics.Scope(area=area))
    df = pd.DataFrame({"code": list(units), "label": list(units.values())}).merge(df, on="code", how="left")
    counts = ["reported", "accepted", "invalid", "valid", "closed", "in_progress", "due", "closed_on_time", "overdue",
              "reworked", "supervised", "supervised_open"]
    df[counts] = df[counts].fillna(0).astype("int64")
    return df.sort_values(["closure_rate", "on_time_rate", "reported"], ascending=[False, False, False],
                          na_position="last").reset_index(drop=True)


# --- the catalogue: every chart of the screens, by name, for a window and an area ----------------
#
# A chart is its data (``DATASETS``: what it reads, computed once however many charts share it)
# and its drawing (``ChartSpec.draw``: a figure from that data in a theme). Screens ask for the
# data of their panels' charts and draw them in the screen theme; exports draw the same data in
# the print theme at the chart's print size. One home for each chart.


@dataclass(frozen=True)
class Request:
    engine: object
    window: windows.Window
    area: str | None  # None = the whole county
    levels: pd.Series | None = None  # warning level per grid (see ``warnings.board.warning_levels``); None = stored levels

    @property
    def scope(self) -> metrics.Scope:
        return metrics.Scope(area=self.area)


def _categories(r: Request) -> dict:
    return {"matrix": metrics.category_day_matrix(r.engine, r.window, r.scope), "names": category_names(r.engine)}


HOURLY_UP_TO = pd.Timedelta(days=1)  # a window this short (今日, one custom day) is drawn per hour


def _trend(r: Request) -> pd.DataFrame:
    """Per hour for a window of a day or less (今日), else per day."""
    if r.window.end - r.window.start <= HOURLY_UP_TO:
        return metrics.hourly_trend(r.engine, r.window, r.scope)
    return metrics.daily_trend(r.engine, r.window, r.scope)


def trend_days(trend: pd.DataFrame) -> list[str]:
    """The local days (YYYY-MM-DD) a trend covers, whether drawn per day or per hour."""
    if "day" in trend:
        return list(trend["day"])
    return list(dict.fromkeys(h[:10] for h in trend["hour"]))


def _rhythm(r: Request) -> pd.DataFrame:
    return metrics.hour_weekday_matrix(r.engine, r.window, r.scope)


def _ranking(r: Request) -> pd.DataFrame:
    return label_handlers(metrics.department_ranking(r.engine, r.window, r.scope))


def _units(r: Request) -> pd.DataFrame:
    return unit_ranking(r.engine, r.window, r.area)


def _map(r: Request) -> dict:
    from dashboard.figures.geometry import feature_collection
    from dashboard.warnings.board import warning_levels

    root = areas.root(r.engine)
    code = r.area or (root.code if root else None)
    level = vocabulary.level_of_code(code) if code else "county"
    within = None if level == "county" else code
    grids = feature_collection(r.engine, "grid", within)
    outline_level = {"county": "town", "town": "community"}.get(level, "community")
    outlines = feature_collection(r.engine, outline_level, within if level != "community" else code[:12])
    if level in ("community", "grid"):  # the community itself (and, for a grid, its neighbours' context)
        outlines = {"type": "FeatureCollection",
                    "features": [f for f in outlines["features"] if f["properties"]["c"] == code[:12]]}
        grids = feature_collection(r.engine, "grid", code[:12])
    levels = r.levels if r.levels is not None else warning_levels(r.engine, r.window.end)
    return {"grids": grids, "outlines": outlines, "levels": {k: int(v) for k, v in levels.items()}}


DATASETS: dict[str, Callable[[Request], object]] = {
    "categories": _categories, "trend": _trend, "rhythm": _rhythm, "ranking": _ranking, "units": _units, "map": _map,
}


@dataclass(frozen=True)
class ChartSpec:
    name: str
    width: int  # default print size in CSS pixels (the PNG is this × scale)
    height: int
    needs: tuple[str, ...]  # the datasets it draws
    draw: Callable[..., go.Figure]  # draw(data, theme, title) -> figure; ``data``: dataset name -> value

    def title(self, area: str | None = None) -> str:
        if self.name == "towns":
            return strings.CHART_TITLES[{"town": "towns", "community": "communities", "grid": "grids"}[unit_level(area)]]
        return strings.CHART_TITLES[self.name]


# Handlers the big screen's ranking names (the lowest on-time rates; print shows all of them).
WALL_HANDLERS = 14


def _split(data, theme, title):
    fig = plots.handler_split(metrics.handler_level_split(data["ranking"]), theme, title)
    if theme != "screen":  # on paper a legend in the bars' order; on screen the bars name their levels
        fig.update_layout(showlegend=True, legend=dict(traceorder="normal"))
    return fig


CHARTS: dict[str, ChartSpec] = {s.name: s for s in (
    ChartSpec("category", 1000, 600, ("categories",),
              lambda d, theme, title: plots.category_bar(d["categories"]["matrix"], d["categories"]["names"], theme,
                                                         title)),
    ChartSpec("trend", 1200, 560, ("trend",), lambda d, theme, title: plots.trend(d["trend"], theme, title)),
    ChartSpec("heatmap-hour", 1200, 520, ("rhythm",),
              lambda d, theme, title: plots.hour_weekday_heatmap(d["rhythm"], theme, title)),
    ChartSpec("heatmap-day", 1200, 560, ("categories", "trend"),
              lambda d, theme, title: plots.category_day_heatmap(d["categories"]["matrix"], d["categories"]["names"],
                                                                 trend_days(d["trend"]), theme, title)),
    ChartSpec("departments", 1000, 1000, ("ranking",),
              lambda d, theme, title: plots.department_ranking(d["ranking"], laggards(d["ranking"]), theme, title,
                                                               limit=WALL_HANDLERS if theme == "screen" else None)),
    ChartSpec("scores", 1000, 1000, ("ranking",),
              lambda d, theme, title: plots.department_scores(rank_by_score(d["ranking"]), theme, title)),
    ChartSpec("split", 1000, 200, ("ranking",), _split),
    ChartSpec("towns", 1000, 600, ("units",), lambda d, theme, title: plots.town_ranking(d["units"], theme, title)),
    ChartSpec("map", 1000, 1000, ("map",),
              lambda d, theme, title: plots.warning_map(d["map"]["grids"], d["map"]["levels"], d["map"]["outlines"],
                                                        theme, title)),
)}


def data(engine, names, window: windows.Window, area: str | None = None, levels: pd.Series | None = None) -> dict:
    """What the charts ``names`` draw, each dataset read once: dataset name -> value."""
    r = Request(engine, window, area, levels)
    needed = dict.fromkeys(d for n in names for d in CHARTS[n].needs)
    return {d: DATASETS[d](r) for d in needed}


def draw(name: str, data_: dict, theme: str = "screen", title: str | None = None) -> go.Figure:
    """Chart ``name`` from ``data`` (see ``data``) in the theme; screens put the title in their panel."""
    return CHARTS[name].draw(data_, theme, title)


def figure(engine, name: str, window: windows.Window, area: str | None = None, theme: str = "print",
           title: bool = True, levels: pd.Series | None = None) -> go.Figure:
    """Chart ``name`` of the catalogue for the window and area, in the theme, at its print size."""
    return sized_figure(name, data(engine, (name,), window, area, levels), area, theme, title)


def sized_figure(name: str, data_: dict, area: str | None = None, theme: str = "print", title: bool = True) -> go.Figure:
    """Chart ``name`` drawn from ``data`` already read (``data``) for ``area``, at its print size."""
    spec = CHARTS[name]
    fig = draw(name, data_, theme, spec.title(area) if title else None)
    fig.update_layout(width=spec.width, height=spec.height)
    return fig
