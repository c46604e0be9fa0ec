"""The data of one weekly bulletin (周通报): an ISO week and an area (the county or a town).

Nanling reports every week to all grid workers, grid leaders and the county and town leading
groups: each town's and department's performance, good practice and outstanding grid workers
(seed 000). ``collect`` gathers every figure of that bulletin from ``metrics`` and ``fieldwork``
(and the warning levels from ``levels``); the deck, the workbook, the picture bundle and the
``/bulletin`` preview all render this one object, so they cannot disagree with each other or with
the indicator module.

The week is Monday 00:00 to the next Monday 00:00, Asia/Shanghai. A week that has not ended yet is
evaluated as of now, and compared with the same span of the week before (Monday to the same
weekday and time) — for a complete week that is exactly ``Window.previous()``.
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy import select

from dashboard import strings
from dashboard.domain import areas
from dashboard.present import charts
from dashboard.figures import fieldwork
from dashboard.figures import metrics
from dashboard.domain import windows
from dashboard.domain.areas import AreaInfo
from dashboard.store.models import Category
from dashboard.timeutil import to_local, to_utc
from dashboard.warnings import board

WEEK_RE = re.compile(r"^(\d{4})-?W(\d{2})$", re.IGNORECASE)
TOP_WORKERS = 5
READERS = 3  # database reads of one bulletin at once

# The figures its first slide shows, with their week-on-week change (indicator keys).
KPI_FIELDS = ("reported", "valid", "closed", "in_progress", "closure_rate", "on_time_rate", "overdue",
                       "rework_rate", "mean_hours_to_close", "supervised")
# The charts of a bulletin, in deck order (names of ``charts.CHARTS``).
BULLETIN_CHARTS = ("map", "category", "trend", "heatmap-day", "towns", "scores", "split")


def day_text(d: date) -> str:
    return strings.DAY.format(month=d.month, day=d.day)


class BulletinError(ValueError):
    """Bad bulletin arguments; ``field`` names the argument."""

    def __init__(self, field_name: str, message: str):
        self.field = field_name
        super().__init__(message)


@dataclass(frozen=True, order=True)
class Week:
    year: int
    week: int

    @classmethod
    def parse(cls, text: str) -> "Week":
        m = WEEK_RE.match((text or "").strip())
        if not m:
            raise BulletinError("week", strings.EXPORT_ERRORS["week"])
        year, week = int(m.group(1)), int(m.group(2))
        try:
            date.fromisocalendar(year, week, 1)
        except ValueError:
            raise BulletinError("week", strings.EXPORT_ERRORS["week"]) from None
        return cls(year, week)

    @classmethod
    def of(cls, moment: datetime) -> "Week":
        iso = to_local(moment).isocalendar()
        return cls(iso.year, iso.week)

    @property
    def label(self) -> str:
        return f"{self.year}-W{self.week:02d}"

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def start(self) -> datetime:
        return to_utc(datetime.combine(self.monday, time()))

    @property
    def end(self) -> datetime:
        return self.start + timedelta(days=7)

    def previous(self) -> "Week":
        return Week.of(self.start - timedelta(days=1))

    def period_text(self) -> str:
        return strings.BULLETIN_PERIOD.format(year=self.year, week=self.week, start=day_text(self.monday),
                                              end=day_text(self.sunday))


def week_windows(week: Week, now: datetime) -> tuple[windows.Window, windows.Window, bool]:
    """(this week's window, the comparison window, whether the week is still running)."""
    now = to_utc(now)
    if now <= week.start:
        raise BulletinError("week", strings.EXPORT_ERRORS["future"].format(week=week.label))
    end = min(week.end, now)
    current = windows.Window(week.start, end)
    previous = windows.Window(week.start - timedelta(days=7), end - timedelta(days=7))
    return current, previous, end < week.end


def weeks_available(engine, now: datetime) -> list[Week]:
    """Every ISO week from the first report to now, newest first (the page's week picker)."""
    first = windows.first_report(engine)
    last = Week.of(now)
    w = Week.of(first) if first else last
    out = []
    while w <= last:
        out.append(w)
        w = Week.of(w.end + timedelta(hours=12))
    return out[::-1]


@dataclass
class Bulletin:
    week: Week
    area: AreaInfo
    county: AreaInfo
    window: windows.Window
    previous: windows.Window
    partial: bool
    generated_at: datetime
    summary: dict
    previous_summary: dict
    changes: dict
    unit_level: str
    units: pd.DataFrame
    departments: pd.DataFrame
    categories: pd.DataFrame
    category_day: pd.DataFrame
    trend: pd.DataFrame
    since: datetime
    backlog: dict  # summary of everything reported up to the week's end: its overdue / supervised_open
    cases: pd.DataFrame
    workers: pd.DataFrame
    levels: pd.Series
    warning: dict
    names: dict = field(default_factory=dict)
    chart_data: dict = field(default_factory=dict)  # what the charts draw (``charts.data``), read once

    # -- words ---------------------------------------------------------------------------------
    @property
    def title(self) -> str:
        return strings.BULLETIN_TITLE.format(area=self.area.name)

    @property
    def period(self) -> str:
        return self.week.period_text()

    @property
    def as_of_text(self) -> str:
        """The moment the figures are as of, in words: a local midnight is the end of the day
        before it ("11月20日24时"), as Chinese reports write it."""
        end = to_local(self.window.end)
        if end.hour == 0 and end.minute == 0:
            return strings.DAY_END.format(day=day_text(end.date() - timedelta(days=1)))
        return f"{day_text(end.date())}{end:%H:%M}"

    @property
    def notes(self) -> list[str]:
        out = []
        if self.partial:
            out.append(strings.BULLETIN_PARTIAL.format(as_of=self.as_of_text))
        last = to_local(self.previous.end - timedelta(microseconds=1)).date()
        template = strings.BULLETIN_WOW_PARTIAL if self.partial else strings.BULLETIN_WOW
        out.append(template.format(start=day_text(to_local(self.previous.start).date()), end=day_text(last)))
        return out

    @property
    def unit_header(self) -> str:
        return strings.TABLE_HEADERS[self.unit_level]

    @property
    def file_stem(self) -> str:
        return strings.BULLETIN_FILE_STEM.format(area=self.area.name, week=self.week.label)

    # -- tables with names ----------------------------------------------------------------------
    def ranked_departments(self) -> pd.DataFrame:
        """Handlers with valid cases this week, best 综合得分 first (then closure rate)."""
        return charts.rank_by_score(self.departments)

    def top_workers(self, column: str, n: int = TOP_WORKERS) -> pd.DataFrame:
        """The ``n`` grid workers with the most ``column`` (reports, visits or patrol_hours)."""
        others = [c for c in ("reports", "visits", "patrol_hours") if c != column]
        d = self.workers[self.workers[column] > 0]
        return d.sort_values([column, *others], ascending=False).head(n).reset_index(drop=True)

    # -- charts ---------------------------------------------------------------------------------
    def figure(self, name: str, theme: str = "print", title: bool = True) -> go.Figure:
        """Chart ``name`` of the bulletin from the data read with its tables (the same numbers)."""
        return charts.sized_figure(name, self.chart_data, self.scope_code, theme, title)

    @property
    def scope_code(self) -> str | None:
        return None if self.area.level == "county" else self.area.code


def collect(engine, week: Week | str, area: str | None = None, now: datetime | None = None) -> Bulletin:
    """Every figure of the bulletin of ``week`` for ``area`` (None = the county)."""
    from dashboard.timeutil import now_utc

    week = Week.parse(week) if isinstance(week, str) else week
    now = now or now_utc()
    county = areas.root(engine)
    if county is None:
        raise BulletinError("area", strings.EXPORT_ERRORS["area"].format(area=area or "—"))
    info = areas.get(engine, area) if area else county
    if info is None or info.level not in ("county", "town"):
        raise BulletinError("area", strings.EXPORT_ERRORS["area"].format(area=area))
    window, previous, partial = week_windows(week, now)
    scope_code = None if info.level == "county" else info.code
    scope = metrics.Scope(area=scope_code)

    first = windows.first_report(engine)
    since = min(first, window.start) if first else window.start
    backlog_window = windows.Window(since, window.end)

    # The reads below are independent: a few at once keep the database busy while Python shapes
    # the results (a city's week: ≈ 10 s of queries one after the other).
    with ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="bulletin-read") as pool:
        read = {
            "summary": pool.submit(metrics.summary, engine, window, scope),
            "previous_summary": pool.submit(metrics.summary, engine, previous, scope),
            "backlog": pool.submit(metrics.summary, engine, backlog_window, scope),
            "cases": pool.submit(metrics.open_cases, engine, backlog_window, scope),
            "prev_units": pool.submit(charts.unit_ranking, engine, previous, scope_code),
            "categories": pool.submit(metrics.by_group, engine, window, "category", scope),
            "workers": pool.submit(fieldwork.worker_stats, engine, window, scope_code),
            "warning": pool.submit(board.overview, engine, scope_code, window.end),
        }
        levels = board.warning_levels(engine, window.end)
        if scope_code:
            levels = levels[levels.index.str.startswith(scope_code)]
        # The charts' data, read once: the tables below take their rankings, categories and trend from it.
        chart_data = charts.data(engine, BULLETIN_CHARTS, window, scope_code, levels)
        grid_names = areas.names(engine, "grid")
        all_names = areas.names(engine)
        handler_names = charts.handler_names(engine)
        with engine.connect() as conn:
            parents = dict(conn.execute(select(Category.code, Category.parent_code)).all())
        read = {k: f.result() for k, f in read.items()}

    summary, previous_summary = read["summary"], read["previous_summary"]
    changes = metrics.compare(summary, previous_summary, metrics.EVENT_FIELDS + ("supervised",))

    prev_units = read["prev_units"][["code", "reported", "closure_rate"]]
    units = chart_data["units"].merge(prev_units.rename(columns={"reported": "prev_reported", "closure_rate": "prev_closure_rate"}),
                                      on="code", how="left")

    departments = chart_data["ranking"]
    cat_names = chart_data["categories"]["names"]
    categories = read["categories"]
    categories = categories.assign(name=categories["code"].map(cat_names)).sort_values("reported", ascending=False)
    categories["parent_name"] = categories["code"].map(lambda c: cat_names.get(parents.get(c), ""))
    categories = categories.reset_index(drop=True)

    backlog, cases = read["backlog"], read["cases"]
    cases = cases.assign(category=cases["category_code"].map(cat_names),
                         grid=cases["grid_code"].map(grid_names),
                         handler=[handler_names.get(c, "") if isinstance(c, str) else "" for c in cases["handler_code"]])

    workers = read["workers"]
    workers = workers.assign(community=workers["grid_code"].str[:12].map(all_names),
                             town=workers["grid_code"].str[:9].map(all_names))

    warning = read["warning"]
    # Per day, as the workbook lists it (the chart draws a window of a day or less per hour).
    trend = chart_data["trend"] if "day" in chart_data["trend"] else metrics.daily_trend(engine, window, scope)

    b = Bulletin(
        week=week, area=info, county=county, window=window, previous=previous, partial=partial, generated_at=to_utc(now),
        summary=summary, previous_summary=previous_summary, changes=changes, unit_level=charts.unit_level(scope_code),
        units=units, departments=departments, categories=categories,
        category_day=chart_data["categories"]["matrix"], trend=trend,
        since=since, backlog=backlog, cases=cases, workers=workers, levels=levels, warning=warning,
        names={"categories": cat_names, "areas": all_names, "handlers": handler_names}, chart_data=chart_data,
    )
    return b
