"""The data behind each chart, assembled once for the screens and for the exports: labels for
codes, the departments flagged on screen, and each chart of the catalogue as a figure for a window
and an area. Numbers come from ``metrics`` (and ``fieldwork``); this module only selects, joins
names and hands tidy frames to the builders in ``charts``.
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
    """The departments flagged on screen: the lowest closure rates (then on-time rates) among the
    county departments with enough cases to judge — the measure the ranking is drawn by."""
    d = ranking[(ranking["level"] == "county_department") & (ranking["valid"] >= min_cases)]
    d = d[d["closure_rate"] < 1]
    return set(d.sort_values(["closure_rate", "on_time_rate"], na_position="first").head(n)["code"])


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


@dataclass(frozen=True)
class Request:
    engine: object
    window: windows.Window
    area: str | None  # None = the whole county
    theme: str = "print"
    title: bool = True  # print files carry their title; screen panels have theirs in the panel head
    levels: pd.Series | None = None  # warning level per grid (see ``warnings.board.warning_levels``); None = stored levels


@dataclass(frozen=True)
class ChartSpec:
    name: str
    width: int  # default print size in CSS pixels (the PNG is this × scale)
    height: int
    build: Callable[[Request], go.Figure]

    def title(self, area: str | None = None) -> str:
        if self.name == "towns":
            return strings.CHART_TITLES[{"town": "towns", "community": "communities", "grid": "grids"}[unit_level(area)]]
        return strings.CHART_TITLES[self.name]


def _title(r: Request, name: str) -> str | None:
    return CHARTS[name].title(r.area) if r.title else None


def _scope(r: Request) -> metrics.Scope:
    return metrics.Scope(area=r.area)


def _category(r: Request) -> go.Figure:
    cats = metrics.category_day_matrix(r.engine, r.window, _scope(r))
    return plots.category_bar(cats, category_names(r.engine), r.theme, _title(r, "category"))


def _trend(r: Request) -> go.Figure:
    return plots.trend(metrics.daily_trend(r.engine, r.window, _scope(r)), r.theme, _title(r, "trend"))


def _heatmap_hour(r: Request) -> go.Figure:
    return plots.hour_weekday_heatmap(metrics.hour_weekday_matrix(r.engine, r.window, _scope(r)), r.theme,
                                       _title(r, "heatmap-hour"))


def _heatmap_day(r: Request) -> go.Figure:
    cats = metrics.category_day_matrix(r.engine, r.window, _scope(r))
    days = list(metrics.daily_trend(r.engine, r.window, _scope(r))["day"])
    return plots.category_day_heatmap(cats, category_names(r.engine), days, r.theme, _title(r, "heatmap-day"))


def _departments(r: Request) -> go.Figure:
    ranking = label_handlers(metrics.department_ranking(r.engine, r.window, _scope(r)))
    return plots.department_ranking(ranking, laggards(ranking), r.theme, _title(r, "departments"))


def _scores(r: Request) -> go.Figure:
    ranking = rank_by_score(label_handlers(metrics.department_ranking(r.engine, r.window, _scope(r))))
    return plots.department_scores(ranking, r.theme, _title(r, "scores"))


def _split(r: Request) -> go.Figure:
    ranking = metrics.department_ranking(r.engine, r.window, _scope(r))
    fig = plots.handler_split(metrics.handler_level_split(ranking), r.theme, _title(r, "split"))
    fig.update_layout(showlegend=True, legend=dict(traceorder="normal"))  # legend in the bars' order
    return fig


def _towns(r: Request) -> go.Figure:
    return plots.town_ranking(unit_ranking(r.engine, r.window, r.area), r.theme, _title(r, "towns"))


def _map(r: Request) -> go.Figure:
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
    return plots.warning_map(grids, {k: int(v) for k, v in levels.items()}, outlines, r.theme, _title(r, "map"))


CHARTS: dict[str, ChartSpec] = {s.name: s for s in (
    ChartSpec("category", 1000, 600, _category),
    ChartSpec("trend", 1200, 560, _trend),
    ChartSpec("heatmap-hour", 1200, 520, _heatmap_hour),
    ChartSpec("heatmap-day", 1200, 560, _heatmap_day),
    ChartSpec("departments", 1000, 1000, _departments),
    ChartSpec("scores", 1000, 1000, _scores),
    ChartSpec("split", 1000, 200, _split),
    ChartSpec("towns", 1000, 600, _towns),
    ChartSpec("map", 1000, 1000, _map),
)}


def figure(engine, name: str, window: windows.Window, area: str | None = None, theme: str = "print",
           title: bool = True, levels: pd.Series | None = None) -> go.Figure:
    """Chart ``name`` of the catalogue for the window and area, in the theme, at its print size."""
    spec = CHARTS[name]
    fig = spec.build(Request(engine, window, area, theme, title, levels))
    fig.update_layout(width=spec.width, height=spec.height)
    return fig
