"""The event explorer's queries: filtered, sorted and paged on the server, counted cheaply, and
exported (CSV streamed, XLSX bounded). No Dash here; the /events screen and the export endpoints
share these functions, so the table and the files always hold the same rows.

Strategy at a million events:
- every filter is a plain condition on ``events`` columns that have an index (report time; the
  town / community / grid / handler / category + report-time composites; status; deadline;
  supervision time); 全部 adds no time condition at all, so the planner starts from the index of
  the filter that actually selects. The one unindexed condition is title words (``LIKE``): it
  scans what the other filters leave (a trigram index would be PostgreSQL-only);
- a page is LIMIT/OFFSET over ORDER BY (column, id): in the default newest-first order that is a
  backward scan of the report-time index; another sort column uses its index (deadline) or sorts
  the matching rows (top-N); within a time window of up to ``MATERIALIZE_MAX_ROWS`` cases the
  window's rows are selected first and then sorted (a MATERIALIZED subquery), so the planner
  cannot walk a million deadlines looking for last month's; NULLS LAST is asked for only on
  nullable columns so PostgreSQL can still use an index on the others;
- names (category, area, handler) are looked up only for the codes on the page, never joined;
- the total is one ``COUNT(*)`` per filter and data version (cached in the process), not per page;
- exports walk the matching rows in keyset-paged chunks (no OFFSET, no long-lived cursor), so
  memory stays flat; CSV has no limit, XLSX stops at ``XLSX_MAX_ROWS``.
``benchmarks/explorer.py`` measures all of this on any database.

States are evaluated **now** (the table shows where each case stands at this moment), so with a
window ending now the counts equal ``metrics.summary`` (reported, in progress, overdue ...).
"""

from __future__ import annotations

import csv
import io
import threading
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Iterator
from urllib.parse import urlencode

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Engine

from dashboard import strings
from dashboard.domain import casestate
from dashboard.store import db
from dashboard import vocabulary
from dashboard.figures import eventquery
from dashboard.export import sheets
from dashboard.domain import windows
from dashboard.store.models import Area, Category, Department, Event
from dashboard.timeutil import to_local, to_utc

PAGE_SIZE = 50
MATERIALIZE_MAX_ROWS = 100_000  # a time window this small is sorted by itself (see ``rows``)
EXPORT_CHUNK = 2000
# openpyxl writes about 1,600 rows a second here (text as typed string cells, see ``sheets``):
# 50,000 rows take about half a minute, well inside the server's 120 s request timeout. Beyond
# that the CSV (streamed, no limit) is the export.
XLSX_MAX_ROWS = 50_000
DEFAULT_RANGE = "all"
STATUS_OPEN = "open"  # in URLs: every open, valid status (在办)

# Columns of the table and the exports, in order (labels in ``strings.EXPLORER_COLUMNS``).
COLUMNS = ("id", "reported_at", "title", "category", "town", "community", "grid", "source", "severity", "status",
           "handler", "accepted_at", "deadline", "closed_at", "overdue", "overdue_hours", "supervised", "rework_count",
           "sendback_count")
# Sortable columns: the table's column -> the events column it sorts by (ties broken by id).
SORTS = {
    "id": Event.id, "reported_at": Event.reported_at, "title": Event.title, "category": Event.category_code,
    "town": Event.town_code, "community": Event.community_code, "grid": Event.grid_code, "source": Event.source,
    "severity": Event.severity, "status": Event.status, "handler": Event.handler_code,
    "accepted_at": Event.accepted_at, "deadline": Event.deadline, "closed_at": Event.closed_at,
    "overdue_hours": Event.deadline, "supervised": Event.supervised_at, "rework_count": Event.rework_count,
    "sendback_count": Event.sendback_count,
}
DEFAULT_SORT = (("reported_at", "desc"),)
_ROW_COLUMNS = (Event.id, Event.ext_id, Event.title, Event.category_code, Event.town_code, Event.community_code,
                Event.grid_code, Event.source, Event.severity, Event.status, Event.handler_code, Event.reported_at,
                Event.accepted_at, Event.deadline, Event.closed_at, Event.supervised, Event.supervised_at,
                Event.rework_count, Event.sendback_count,
                # what ``casestate.state`` reads besides the shown columns
                Event.invalid_at, Event.dispatched_at, Event.disposed_at, Event.updated_at)


@dataclass(frozen=True)
class Filters:
    """What the explorer shows. Every condition is optional; report time is [start, end)."""

    start: datetime | None = None
    end: datetime | None = None
    area: str | None = None
    category: str | None = None  # a top-level category includes its sub-categories
    statuses: tuple[str, ...] = ()
    handler: str | None = None
    overdue: bool = False
    supervised: bool = False
    text: str | None = None
    # The URL's own words, kept so a page can rebuild its controls and links from them.
    range_key: str = DEFAULT_RANGE
    start_text: str | None = None
    end_text: str | None = None

    def key(self) -> tuple:
        return (self.start, self.end, self.area, self.category, self.statuses, self.handler, self.overdue,
                self.supervised, self.text)


class FilterError(ValueError):
    def __init__(self, fields: dict[str, str]):
        self.fields = fields
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))


def _one(params, name: str) -> str | None:
    v = params.get(name)
    if isinstance(v, (list, tuple)):
        v = v[0] if v else None
    v = (v or "").strip()
    return v or None


def from_query(params, now: datetime, first: datetime | None = None, strict: bool = False) -> Filters:
    """Filters from URL query parameters (``range``, ``start``, ``end``, ``area``, ``category``,
    ``status`` comma-separated or ``open``, ``handler``, ``overdue=1``, ``supervised=1``, ``q``).
    Bad values are dropped (a hand-edited link still opens), or refused with ``strict``."""
    bad: dict[str, str] = {}
    range_key = _one(params, "range") or (windows.RANGES[-1] if (_one(params, "start") or _one(params, "end"))
                                          else DEFAULT_RANGE)
    if range_key not in windows.RANGES:
        bad["range"] = "应为 today、7d、30d、all 或 custom"
        range_key = DEFAULT_RANGE
    start_text, end_text = _one(params, "start"), _one(params, "end")
    try:
        window = windows.window_for(range_key, now, first=first, start=start_text, end=end_text)
    except windows.WindowError as exc:
        bad.update(exc.fields)
        range_key, window = DEFAULT_RANGE, windows.window_for(DEFAULT_RANGE, now, first=first)
    except ValueError as exc:
        bad["range"] = str(exc)
        range_key, window = DEFAULT_RANGE, windows.window_for(DEFAULT_RANGE, now, first=first)
    area = _one(params, "area")
    if area and vocabulary.level_of_code(area) is None:
        bad["area"] = "应为6-15位数字编码"
        area = None
    statuses: list[str] = []
    for s in (_one(params, "status") or "").split(","):
        s = s.strip()
        if not s:
            continue
        if s == STATUS_OPEN:
            statuses.extend(vocabulary.OPEN_STATUSES)
        elif s in vocabulary.STATUSES:
            statuses.append(s)
        else:
            bad["status"] = f"未知状态 {s}"
    if bad and strict:
        raise FilterError(bad)
    text = _one(params, "q")
    if range_key == "all":
        # Every case: no time condition at all, so the planner picks the index of the filter that
        # selects (status, area, supervision ...) rather than the report-time range of everything.
        window = None
    return Filters(
        start=window.start if window else None, end=window.end if window else None, area=area, category=_one(params, "category"),
        statuses=tuple(dict.fromkeys(statuses)), handler=_one(params, "handler"),
        overdue=_one(params, "overdue") in ("1", "true"), supervised=_one(params, "supervised") in ("1", "true"),
        text=text[:100] if text else None, range_key=range_key,
        start_text=start_text if range_key == "custom" else None, end_text=end_text if range_key == "custom" else None,
    )


def to_query(f: Filters, **changes) -> str:
    """The URL query string for these filters (what ``from_query`` reads back)."""
    f = replace(f, **changes) if changes else f
    q: dict[str, str] = {}
    if f.range_key != DEFAULT_RANGE:
        q["range"] = f.range_key
    if f.range_key == "custom":
        if f.start_text:
            q["start"] = f.start_text
        if f.end_text:
            q["end"] = f.end_text
    if f.area:
        q["area"] = f.area
    if f.category:
        q["category"] = f.category
    if f.statuses:
        q["status"] = (STATUS_OPEN if set(f.statuses) == set(vocabulary.OPEN_STATUSES) and len(f.statuses) == 4
                       else ",".join(f.statuses))
    if f.handler:
        q["handler"] = f.handler
    if f.overdue:
        q["overdue"] = "1"
    if f.supervised:
        q["supervised"] = "1"
    if f.text:
        q["q"] = f.text
    return urlencode(q)


# --- conditions ----------------------------------------------------------------------------------


def conditions(f: Filters, now: datetime) -> list:
    """The API's event conditions (``eventquery``) plus the explorer's free-text search."""
    out = eventquery.conditions(eventquery.EventFilter(
        start=f.start, end=f.end, area=f.area, category=f.category, statuses=f.statuses, handler=f.handler,
        overdue=True if f.overdue else None, supervised=True if f.supervised else None), now)
    if f.text:
        t = f.text.strip()
        match = [Event.ext_id == t, Event.title.contains(t, autoescape=True)]
        if t.isdigit() and len(t) < 10:
            match.append(Event.id == int(t))
        out.append(or_(*match))
    return out


# --- counting ------------------------------------------------------------------------------------

_count_cache: dict[tuple, int] = {}
_count_lock = threading.Lock()
_COUNT_CACHE_SIZE = 512


def count(engine: Engine, f: Filters, now: datetime) -> int:
    """How many events match. One ``COUNT(*)`` per filter and data version: paging through a
    result does not count it again. The overdue filter depends on the clock, so it is keyed to the
    minute as well."""
    version = db.versions(engine).get("events", 0)
    minute = to_utc(now).replace(second=0, microsecond=0) if f.overdue else None
    key = (engine.url.render_as_string(hide_password=True), f.key(), version, minute)
    with _count_lock:
        hit = _count_cache.get(key)
    if hit is not None:
        return hit
    with engine.connect() as conn:
        n = int(conn.execute(select(func.count()).select_from(Event).where(*conditions(f, now))).scalar() or 0)
    with _count_lock:
        if len(_count_cache) >= _COUNT_CACHE_SIZE:
            _count_cache.clear()
        _count_cache[key] = n
    return n


# --- rows ----------------------------------------------------------------------------------------


def _order(sort, table=None) -> list:
    """ORDER BY for a sort model [(column, 'asc'|'desc'), ...]; unknown columns are ignored, and the
    id breaks ties so pages never overlap or skip rows. ``table``: order a subquery's columns."""
    def col(attr):
        return attr if table is None else table.c[attr.key]

    order, last_desc = [], True
    for name, direction in (sort or DEFAULT_SORT):
        expr = SORTS.get(name)
        if expr is None:
            continue
        desc = direction == "desc"
        ordered = col(expr).desc() if desc else col(expr).asc()
        # NULLS LAST only where NULLs exist: PostgreSQL serves "DESC" of a NOT NULL column from its
        # index backwards, but not "DESC NULLS LAST" (it would sort the whole result).
        order.append(ordered.nulls_last() if expr.nullable else ordered)
        last_desc = desc
    if not order:
        order.append(col(Event.reported_at).desc())
    order.append(col(Event.id).desc() if last_desc else col(Event.id).asc())
    return order


def _by_report_time(sort) -> bool:
    first = next((name for name, _ in (sort or DEFAULT_SORT) if name in SORTS), "reported_at")
    return first in ("reported_at", "id")


def _lookup_names(conn, rows) -> dict[str, dict]:
    """Names for the codes on these rows only (one small IN query per kind)."""
    areas_ = {c for r in rows for c in (r["town_code"], r["community_code"], r["grid_code"]) if c}
    cats = {r["category_code"] for r in rows}
    handlers = {r["handler_code"] for r in rows if r["handler_code"]}
    out = {"area": {}, "category": {}, "handler": {}}
    if areas_:
        out["area"] = dict(conn.execute(select(Area.code, Area.name).where(Area.code.in_(areas_))).all())
    if cats:
        out["category"] = dict(conn.execute(select(Category.code, Category.name).where(Category.code.in_(cats))).all())
    if handlers:
        out["handler"] = dict(conn.execute(select(Department.code, Department.name)
                                           .where(Department.code.in_(handlers))).all())
    return out


def _finish(rows, names, now: datetime) -> list[dict]:
    now = to_utc(now)
    out = []
    for r in rows:
        d = dict(r)
        st = casestate.state(d, now)
        d.update(
            category_name=names["category"].get(d["category_code"], d["category_code"]),
            town_name=names["area"].get(d["town_code"], d["town_code"]),
            community_name=names["area"].get(d["community_code"], d["community_code"]),
            grid_name=names["area"].get(d["grid_code"], d["grid_code"]),
            handler_name=names["handler"].get(d["handler_code"]) if d["handler_code"] else None,
            overdue=st.overdue,
            overdue_hours=((now - d["deadline"]).total_seconds() / 3600) if st.overdue else None,
            open=st.open,
            kind=st.kind,
        )
        out.append(d)
    return out


def rows(engine: Engine, f: Filters, now: datetime, *, sort=None, offset: int = 0, limit: int = PAGE_SIZE) -> list[dict]:
    """One page of matching events as plain dicts (aware UTC times, codes and names)."""
    limit = max(0, min(int(limit), 1000))
    conds = conditions(f, now)
    if (f.start is not None and not _by_report_time(sort)
            and count(engine, f, now) <= MATERIALIZE_MAX_ROWS):
        # Sorted by another column within a time window: select the window's rows first, then
        # sort them. Left to itself the planner may walk the other column's index (deadline)
        # through a million rows looking for the few recent ones.
        m = select(*_ROW_COLUMNS).where(*conds).cte("matching").prefix_with("MATERIALIZED")
        stmt = select(m).order_by(*_order(sort, m))
    else:
        stmt = select(*_ROW_COLUMNS).where(*conds).order_by(*_order(sort))
    stmt = stmt.offset(max(0, int(offset))).limit(limit)
    with engine.connect() as conn:
        got = conn.execute(stmt).mappings().all()
        names = _lookup_names(conn, got)
    return _finish(got, names, now)


def iter_rows(engine: Engine, f: Filters, now: datetime, chunk: int = EXPORT_CHUNK,
              limit: int | None = None) -> Iterator[dict]:
    """Every matching event, newest report first, fetched in keyset-paged chunks of ``chunk``
    rows (each a short query on the report-time index: no OFFSET, no long-lived cursor)."""
    conds = conditions(f, now)
    after = None
    sent = 0
    while True:
        stmt = select(*_ROW_COLUMNS).where(*conds)
        if after is not None:
            at, eid = after
            stmt = stmt.where(or_(Event.reported_at < at, and_(Event.reported_at == at, Event.id < eid)))
        stmt = stmt.order_by(Event.reported_at.desc(), Event.id.desc()).limit(chunk)
        with engine.connect() as conn:
            got = conn.execute(stmt).mappings().all()
            names = _lookup_names(conn, got)
        if not got:
            return
        for r in _finish(got, names, now):
            if limit is not None and sent >= limit:
                return
            yield r
            sent += 1
        if len(got) < chunk:
            return
        after = (got[-1]["reported_at"], got[-1]["id"])


# --- presentation (shared by the table and the files) --------------------------------------------


def _t(v: datetime | None) -> str:
    return to_local(v).strftime("%Y-%m-%d %H:%M") if v else ""


def present(r: dict) -> dict:
    """A row as people read it: local times, names and labels in Chinese (the table's row data
    and the export's cells)."""
    return {
        "id": r["id"],
        "reported_at": _t(r["reported_at"]),
        "title": r["title"],
        "category": r["category_name"],
        "town": r["town_name"],
        "community": r["community_name"],
        "grid": r["grid_name"],
        "grid_code": r["grid_code"],
        "source": strings.SOURCE_LABELS.get(r["source"], r["source"]),
        "severity": strings.SEVERITY_LABELS.get(r["severity"], r["severity"]),
        "status": strings.STATUS_LABELS.get(r["status"], r["status"]),
        "status_code": r["status"],
        "handler": r["handler_name"] or "",
        "accepted_at": _t(r["accepted_at"]),
        "deadline": _t(r["deadline"]),
        "closed_at": _t(r["closed_at"]),
        "overdue": strings.EXPLORER_YES if r["overdue"] else strings.EXPLORER_NO,
        "overdue_hours": round(r["overdue_hours"], 1) if r["overdue_hours"] is not None else None,
        "supervised": strings.EXPLORER_YES if r["supervised_at"] is not None else strings.EXPLORER_NO,
        "rework_count": r["rework_count"],
        "sendback_count": r["sendback_count"],
        "open": r["open"],
    }


def headers() -> list[str]:
    return [strings.EXPLORER_COLUMNS[c] for c in COLUMNS]


def csv_chunks(engine: Engine, f: Filters, now: datetime) -> Iterator[bytes]:
    """The CSV file in pieces of a few hundred rows (UTF-8 with a BOM so Excel opens the Chinese
    right). Titles and names are text from outside: ``sheets`` keeps them from being formulas."""
    buf = io.StringIO()
    w = csv.writer(buf)
    buf.write("\ufeff")
    w.writerow(sheets.csv_row(headers()))
    for n, r in enumerate(iter_rows(engine, f, now), start=1):
        p = present(r)
        w.writerow(sheets.csv_row(p[c] for c in COLUMNS))
        if n % 500 == 0:
            yield buf.getvalue().encode("utf-8")
            buf.seek(0)
            buf.truncate()
    if buf.getvalue():
        yield buf.getvalue().encode("utf-8")


class TooManyRows(ValueError):
    def __init__(self, n: int, limit: int):
        self.n, self.limit = n, limit
        super().__init__(strings.EXPLORER_XLSX_TOO_MANY.format(n=f"{limit:,}"))


def write_xlsx(engine: Engine, f: Filters, now: datetime, out, limit: int | None = None) -> int:
    """The matching rows as an XLSX workbook written to ``out`` (streamed row by row with
    openpyxl's write-only mode). Refuses more than ``limit`` rows rather than cut them silently.
    Every text cell is a typed string (``sheets``): a title is never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    limit = XLSX_MAX_ROWS if limit is None else limit
    n = count(engine, f, now)
    if n > limit:
        raise TooManyRows(n, limit)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(strings.EXPLORER_TITLE)
    widths = {"title": 36, "reported_at": 17, "accepted_at": 17, "deadline": 17, "closed_at": 17, "category": 16,
              "grid": 18, "handler": 16}
    for i, c in enumerate(COLUMNS):
        ws.column_dimensions[_col_letter(i)].width = widths.get(c, 11)
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    head = sheets.xlsx_row(ws, headers())
    for cell in head:
        cell.font = bold
    ws.append(head)
    written = 0
    times = {"reported_at", "accepted_at", "deadline", "closed_at"}
    for r in iter_rows(engine, f, now, limit=limit):
        p = present(r)
        # No per-cell styles (several times faster); times as local wall-clock datetimes, which
        # Excel shows as dates (it has no time zones).
        ws.append(sheets.xlsx_row(ws, [(to_local(r[c]).replace(tzinfo=None, microsecond=0) if r[c] is not None
                                        else None) if c in times else p[c] for c in COLUMNS]))
        written += 1
    wb.save(out)
    return written


def _col_letter(i: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def export_name(f: Filters, now: datetime, ext: str) -> str:
    return f"events-{to_local(now):%Y%m%d-%H%M}.{ext}"


# --- small helpers for screens -------------------------------------------------------------------


def open_and_overdue(engine: Engine, area: str | None, now: datetime, limit: int = 12, handler: str | None = None,
                     overdue_only: bool = False) -> list[dict]:
    """Open cases in an area (or of a handler), overdue first and then by deadline, for the
    desk pages' short lists (the explorer shows the rest)."""
    f = Filters(area=area, handler=handler, statuses=vocabulary.OPEN_STATUSES, overdue=overdue_only)
    overdue_first = (("deadline", "asc"),)
    return rows(engine, f, now, sort=overdue_first, limit=limit)


def recent(engine: Engine, area: str | None, now: datetime, window: windows.Window, limit: int = 12) -> list[dict]:
    f = Filters(start=window.start, end=window.end, area=area)
    return rows(engine, f, now, sort=DEFAULT_SORT, limit=limit)
