"""The bulletin's tables and KPI cards as text, shared by the deck and the ``/bulletin`` preview so
both show the same rows. Values come from the ``Bulletin`` (``metrics``/``fieldwork``) and are
only formatted here, with ``fmt``; the workbook writes the same values unformatted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard import strings
from dashboard.present import colours, fmt
from dashboard.figures.fieldwork import PATROL_HOURS_PER_WEEK, VISITS_PER_HOUSEHOLD_PER_YEAR
from dashboard.timeutil import to_local
from dashboard.domain.indicators import INDICATORS
from dashboard.export.bulletin import KPI_FIELDS, Bulletin, day_text

H = strings.TABLE_HEADERS
L = strings.INDICATOR_LABELS



@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    align: list[str]  # per column: l, c, r
    widths: list[float]  # relative column widths
    more: int = 0  # rows left out (see the workbook)
    fills: dict = field(default_factory=dict)  # (row, col) -> warning level, for coloured cells
    shades: dict = field(default_factory=dict)  # (row, col) -> the value's level (good, warn, crit): colour by meaning


def shade(rows, columns: dict[int, str]) -> dict:
    """Cells coloured by meaning: ``rows`` of records, ``columns`` table column -> indicator key."""
    out = {}
    for i, r in enumerate(rows):
        for col, key in columns.items():
            lv = colours.level(key, getattr(r, key))
            if lv in colours.FILLS:
                out[(i, col)] = lv
    return out


def change_text(field_name: str, ch: dict) -> str:
    """"较上周 +5件（+8.3%）", "较上周 −3.2个百分点", "与上周持平", "上周无数据"."""
    change = ch.get("change")
    if change is None:
        return strings.CHANGE_NONE
    if abs(change) < 1e-12:
        return strings.CHANGE_FLAT
    template = strings.CHANGE_UP if change > 0 else strings.CHANGE_DOWN
    mag = abs(change)
    if field_name.endswith("_rate"):
        return template.format(v=strings.PERCENT_POINTS.format(v=mag * 100))
    if field_name.startswith("mean_hours"):
        return template.format(v=fmt.hours(mag) + strings.HOURS)
    text = template.format(v=fmt.count(mag) + INDICATORS[field_name].unit)
    if ch.get("relative") is not None:
        text += strings.CHANGE_RELATIVE.format(sign="+" if change > 0 else "−", v=abs(ch["relative"]) * 100)
    return text


def kpi_cards(b: Bulletin) -> list[dict]:
    out = []
    for f in KPI_FIELDS:
        ch = b.changes[f]
        ind = INDICATORS[f]
        out.append({"field": f, "label": ind.label, "value": ind.text(b.summary.get(f)), "unit": ind.unit,
                    "change": change_text(f, ch), "direction": ind.direction(ch.get("change"))})
    return out


def summary_sentence(b: Bulletin) -> str:
    sm = b.summary
    return strings.BULLETIN_SUMMARY.format(
        area=b.area.name, **{f: INDICATORS[f].text(sm[f]) for f in ("reported", "valid", "closed", "closure_rate",
                                                                  "on_time_rate", "overdue", "supervised")})


LEVEL_ORDER = (1, 2, 3, 4, 0)


def level_counts(b: Bulletin) -> Table:
    counts = b.warning["counts"]
    return Table(["", H["level"], H["grids_at_level"]],
                 [["", strings.WARNING_LEVEL_LABELS[lv], fmt.count(counts[lv])] for lv in LEVEL_ORDER],
                 ["c", "l", "r"], [0.22, 1.6, 0.9], fills={(i, 0): lv for i, lv in enumerate(LEVEL_ORDER)})


def town_levels(b: Bulletin, limit: int | None = None) -> Table | None:
    """Each town's worst warning level, in code order; when more than ``limit`` towns (a city's
    hundreds), the ``limit`` most severe (then most warned grids), the rest counted in ``more``."""
    towns = b.warning["towns"]
    if not towns or b.area.level != "county":
        return None
    shown = towns
    if limit is not None and len(towns) > limit:
        shown = sorted(towns, key=lambda t: (LEVEL_ORDER.index(t["level"]), -t["n"]))[:limit]
    return Table([H["town"], H["level"], H["warned_grids"]],
                 [[t["name"], strings.WARNING_LEVEL_LABELS[t["level"]], fmt.count(t["n"])] for t in shown],
                 ["l", "c", "r"], [1.35, 1.15, 0.9],
                 fills={(i, 1): t["level"] for i, t in enumerate(shown) if t["level"]}, more=len(towns) - len(shown))


def alerts(b: Bulletin, limit: int = 6) -> list[tuple[int, str, str]]:
    return [(a["level"], a["name"], strings.CLAUSE_SEP.join(a["reasons"]) or "—") for a in b.warning["alerts"][:limit]]


def level_note(b: Bulletin) -> str:
    return strings.BULLETIN_LEVEL_NOTE.format(as_of=b.as_of_text)


def units(b: Bulletin, limit: int | None = None) -> Table:
    d = b.units if limit is None else b.units.head(limit)
    rows, rank = [], 0
    for r in d.itertuples():
        has = r.valid > 0
        rank += 1 if has else 0
        rows.append([str(rank) if has else "—", r.label, fmt.count(r.reported), fmt.count(r.closed),
                     fmt.rate(r.closure_rate), fmt.rate(r.on_time_rate), fmt.count(r.overdue), fmt.count(r.prev_reported)])
    return Table([H["rank"], b.unit_header, *(L[f] for f in ("reported", "closed", "closure_rate", "on_time_rate", "overdue")),
                  strings.WORKBOOK_COLUMNS["prev_reported"]], rows,
                 ["c", "l", "r", "r", "r", "r", "r", "r"], [0.5, 1.5, 0.6, 0.6, 0.8, 0.95, 0.55, 0.8],
                 more=len(b.units) - len(d),
                 shades=shade(d.itertuples(), {4: "closure_rate", 5: "on_time_rate", 6: "overdue"}))


def departments(b: Bulletin) -> Table:
    d = b.ranked_departments()
    rows = [[str(i + 1), r.label, fmt.count(r.valid), fmt.rate(r.closure_rate), fmt.rate(r.on_time_rate),
             fmt.rate(r.rework_rate), fmt.count(r.overdue), fmt.count(r.supervised), INDICATORS["score"].text(r.score)]
            for i, r in enumerate(d.itertuples())]
    return Table([H["rank"], H["handler"], *(L[f] for f in ("valid", "closure_rate", "on_time_rate", "rework_rate",
                                                             "overdue", "supervised", "score"))], rows,
                 ["c", "l", "r", "r", "r", "r", "r", "r", "r"], [0.45, 2.1, 0.5, 0.75, 0.9, 0.7, 0.5, 0.5, 0.8],
                 shades=shade(d.itertuples(), {3: "closure_rate", 4: "on_time_rate", 5: "rework_rate", 6: "overdue",
                                               8: "score"}))


def cases_note(b: Bulletin) -> str:
    if not len(b.cases):
        return strings.BULLETIN_NO_CASES.format(as_of=b.as_of_text)
    return strings.BULLETIN_CASES_NOTE.format(as_of=b.as_of_text, since=day_text(to_local(b.since).date()),
                                              overdue=fmt.count(b.backlog["overdue"]),
                                              supervised=fmt.count(b.backlog["supervised_open"]))


def cases(b: Bulletin, limit: int | None = None) -> Table:
    d = b.cases if limit is None else b.cases.head(limit)
    rows = [[str(r.id), r.title, r.category or "", r.grid or "", r.handler or "", fmt.when(r.deadline),
             fmt.hours(r.hours_overdue) if r.overdue else "—", strings.YES_NO[bool(r.supervised)]]
            for r in d.itertuples()]
    return Table([H["event_id"], H["title"], H["category"], H["grid"], H["handler"], H["deadline"], H["hours_overdue"],
                  H["supervised_flag"]], rows, ["c", "l", "l", "l", "l", "c", "r", "c"],
                 [0.7, 3.2, 1.3, 1.6, 1.9, 1.2, 1.3, 0.6], more=len(b.cases) - len(d))


def workers(b: Bulletin, column: str) -> Table:
    top = b.top_workers(column)
    value = {"reports": lambda r: fmt.count(r.reports), "visits": lambda r: fmt.count(r.visits),
             "patrol_hours": lambda r: fmt.hours(r.patrol_hours)}[column]
    rows = [[str(k + 1), r.name, f"{r.town}·{r.grid_name}", value(r)] for k, r in enumerate(top.itertuples())]
    return Table([H["rank"], H["worker"], H["grid"], H[column]], rows, ["c", "l", "l", "r"], [0.45, 0.85, 2.1, 0.9])


def workers_note(b: Bulletin) -> list[str]:
    met = b.workers["patrol_norm_met"]
    first = (strings.BULLETIN_WORKERS_MET.format(n=fmt.count(len(b.workers)), met=fmt.count(int(met.sum())))
             if len(b.workers) else "")
    return [first, strings.BULLETIN_WORKER_NOTE.format(hours=PATROL_HOURS_PER_WEEK, visits=VISITS_PER_HOUSEHOLD_PER_YEAR)]


def notes() -> Table:
    return Table([H["indicator"], H["definition"]], [[k, v] for k, v in strings.INDICATOR_DEFINITIONS], ["l", "l"],
                 [1.6, 10.7])
