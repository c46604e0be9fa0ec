"""Finding cases: one filter, its conditions, counts, pages, a walk over every match, and one case
with its log. The /events explorer (its URL, table and files), GET /api/v1/events and the desk
pages' short lists all read cases here, so they mean the same thing by "open", "overdue" or "in
this town" (the states themselves are ``casestate``'s). Rows are plain dicts of Python values
(aware UTC times, codes, names and state flags); ``present.caserows`` shows them to people and
``export.eventfiles`` writes them to files.

Strategy at a million events:
- every filter is a plain condition on ``events`` columns that have an index (report time; the
  town / community / grid / handler / category + report-time composites; status; closure time;
  deadline; supervision time); 全部 adds no time condition at all, so the planner starts from the
  index of the filter that actually selects. The one unindexed condition is title words
  (``LIKE``): it scans what the other filters leave (a trigram index would be PostgreSQL-only);
- a page is LIMIT/OFFSET over ORDER BY (column, id): in the default newest-first order that is a
  backward scan of the report-time index; another sort column uses its index (deadline) or sorts
  the matching rows (top-N); within a time window of up to ``MATERIALIZE_MAX_ROWS`` cases the
  window's rows are selected first and then sorted (a MATERIALIZED subquery), so the planner
  cannot walk a million deadlines looking for last month's; NULLS LAST is asked for only on
  nullable columns so PostgreSQL can still use an index on the others;
- names (category, area, handler) are looked up only for the codes on the page, never joined;
- the total is one ``COUNT(*)`` per filter and data version (cached in the process), not per page;
- a walk over every match (the exports) goes in keyset-paged chunks (no OFFSET, no long-lived
  cursor), so memory stays flat.
``benchmarks/explorer.py`` measures all of this on any database.

States are evaluated **now** (where each case stands at this moment), so with a window ending now
the counts equal ``metrics.summary``'s (reported, in progress, overdue ...).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Iterator
from urllib.parse import urlencode

from sqlalchemy import and_, func, literal, not_, or_, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from dashboard import strings, vocabulary
from dashboard.domain import casestate, windows
from dashboard.domain.casestate import Case
from dashboard.domain import areas
from dashboard.store import db
from dashboard.store.models import Area, Category, Department, Event, EventLog, Supervision
from dashboard.timeutil import to_utc

PAGE_SIZE = 50
MAX_PAGE = 1000
MATERIALIZE_MAX_ROWS = 100_000  # a time window this small is sorted by itself (see ``rows``)
CHUNK = 2000
DEFAULT_RANGE = "all"
OPEN = "open"  # a status word of the URL: every open case (在办, ``Case(now).open``)
TEXT_MAX = 100
FLAGS = ("overdue", "handler_overdue", "supervised")
# What a sort model may name (the explorer table's columns, the API's ``sort``) -> the events
# column it sorts by; ties are broken by id.
SORTS = {
    "id": Event.id, "reported_at": Event.reported_at, "title": Event.title, "category": Event.category_code,
    "town": Event.town_code, "community": Event.community_code, "grid": Event.grid_code, "source": Event.source,
    "severity": Event.severity, "status": Event.status, "handler": Event.handler_code,
    "accepted_at": Event.accepted_at, "deadline": Event.deadline, "closed_at": Event.closed_at,
    "overdue_hours": Event.deadline, "supervised": Event.supervised_at, "rework_count": Event.rework_count,
    "sendback_count": Event.sendback_count, "updated_at": Event.updated_at,
}
NEWEST_FIRST = (("reported_at", "desc"),)
OVERDUE_FIRST = (("deadline", "asc"),)  # among open cases: past their deadline first, the longest past on top
# A list row's columns: what the explorer shows and what ``casestate.state`` reads.
_LIST_COLUMNS = (Event.id, Event.ext_id, Event.title, Event.category_code, Event.town_code, Event.community_code,
                 Event.grid_code, Event.source, Event.severity, Event.status, Event.handler_code, Event.reported_at,
                 Event.accepted_at, Event.deadline, Event.closed_at, Event.supervised, Event.supervised_at,
                 Event.rework_count, Event.sendback_count, Event.invalid_at, Event.dispatched_at, Event.disposed_at,
                 Event.updated_at)
# Every column of a case (the API's answers, one case's file).
_ALL_COLUMNS = tuple(Event.__table__.c)


@dataclass(frozen=True)
class Filters:
    """Which cases. Every condition is optional; report time is [start, end); a flag is True
    (only those), False (none of those) or None (either)."""

    start: datetime | None = None
    end: datetime | None = None
    area: str | None = None
    category: str | None = None  # a top-level category includes its sub-categories
    statuses: tuple[str, ...] = ()  # status codes, and ``OPEN`` for every open case
    handler: str | None = None
    source: str | None = None
    severity: str | None = None
    overdue: bool | None = None  # the area's clock: open and past the deadline (超期)
    handler_overdue: bool | None = None  # the handler's clock: with the handler and past the deadline (超期未处置)
    supervised: bool | None = None
    text: str | None = None  # an id, a case number, or words of the title
    # The URL's own words, kept so a page can rebuild its controls and links from them.
    range_key: str = DEFAULT_RANGE
    start_text: str | None = None
    end_text: str | None = None

    def key(self) -> tuple:
        """What selects the cases (not how the URL said it)."""
        return (self.start, self.end, self.area, self.category, self.statuses, self.handler, self.source,
                self.severity, self.overdue, self.handler_overdue, self.supervised, self.text)

    @property
    def on_the_clock(self) -> bool:
        """Whether the matches change as time passes, data unchanged (deadlines run out)."""
        return OPEN in self.statuses or any(getattr(self, flag) is not None for flag in FLAGS)


class FilterError(windows.WindowError):
    """Refused query parameters; ``fields`` maps each to the reason, in Chinese."""


# --- reading a query -----------------------------------------------------------------------------


def _one(params, name: str) -> str | None:
    v = params.get(name)
    if isinstance(v, (list, tuple)):
        v = v[0] if v else None
    if v is None or isinstance(v, bool):
        return None
    v = str(v).strip()
    return v or None


def _flag(params, name: str, bad: dict) -> bool | None:
    v = params.get(name)
    if isinstance(v, bool):  # a query already read by a schema
        return v
    word = (_one(params, name) or "").lower()
    if not word:
        return None
    if word in ("1", "true"):
        return True
    if word in ("0", "false"):
        return False
    bad[name] = strings.FILTER_NOT_FLAG
    return None


def _spelled(params, name: str, words: vocabulary.Vocabulary, bad: dict) -> str | None:
    text = _one(params, name)
    if text is None:
        return None
    code = words.code(text)
    if code is None:
        bad[name] = strings.API_BAD_CHOICE.format(choices=words.choices())
    return code


def _statuses(params, bad: dict) -> tuple[str, ...]:
    out = []
    for s in (_one(params, "status") or "").split(","):
        s = s.strip()
        if s == OPEN or s in vocabulary.STATUSES:
            out.append(s)
        elif s:
            bad["status"] = strings.FILTER_UNKNOWN_STATUS.format(value=s[:20], choices=strings.LIST_SEP.join(
                strings.WITH_NOTE.format(text=c, note=label)
                for c, label in ((OPEN, strings.EXPLORER_STATUS_OPEN), *strings.STATUS_LABELS.items())))
    return tuple(dict.fromkeys(out))


def from_query(params, now: datetime, strict: bool = False) -> Filters:
    """Filters from query parameters: ``range`` (``windows.RANGES``; without it, ``start`` or
    ``end`` alone bound the report time, as the API documents), ``start``, ``end``, ``area``,
    ``category``, ``status`` (comma-separated codes, or ``open``), ``handler``, ``source``,
    ``severity`` (code or Chinese label), the flags ``overdue``, ``handler_overdue``,
    ``supervised`` (1/true, 0/false) and ``q``. ``params`` is a mapping of text (or lists of
    text, as ``parse_qs`` gives; a flag may be a bool). Bad values are dropped, so a hand-edited
    link still opens; with ``strict`` they are refused (``FilterError`` naming each one)."""
    bad: dict[str, str] = {}
    start_text, end_text = _one(params, "start"), _one(params, "end")
    range_key = _one(params, "range") or ("custom" if (start_text or end_text) else DEFAULT_RANGE)
    if range_key not in windows.RANGES:
        bad["range"] = strings.RANGE_UNKNOWN
        range_key = DEFAULT_RANGE
    start = end = None
    try:
        if range_key == "custom":
            start, end = windows.parse_bounds(start_text, end_text)
        elif range_key != "all":  # 全部: no time condition at all (see the module's strategy)
            w = windows.window_for(range_key, now)
            start, end = w.start, w.end
    except windows.WindowError as exc:
        bad.update(exc.fields)
        range_key = DEFAULT_RANGE
    area = _one(params, "area")
    if area and vocabulary.level_of_code(area) is None:
        bad["area"] = strings.API_AREA_CODE_FORM
        area = None
    statuses = _statuses(params, bad)
    source = _spelled(params, "source", vocabulary.SOURCE, bad)
    severity = _spelled(params, "severity", vocabulary.SEVERITY, bad)
    flags = {name: _flag(params, name, bad) for name in FLAGS}
    if bad and strict:
        raise FilterError(bad)
    text = _one(params, "q")
    custom = range_key == "custom"
    return Filters(
        start=start, end=end, area=area, category=_one(params, "category"), statuses=statuses,
        handler=_one(params, "handler"), source=source, severity=severity, **flags,
        text=text[:TEXT_MAX] if text else None, range_key=range_key,
        start_text=start_text if custom else None, end_text=end_text if custom else None,
    )


def to_query(f: Filters, **changes) -> str:
    """The URL query string for these filters (what ``from_query`` reads back)."""
    f = replace(f, **changes) if changes else f
    q: dict[str, str] = {}
    if f.range_key != DEFAULT_RANGE:
        q["range"] = f.range_key
    if f.range_key == "custom":
        q.update({k: v for k, v in (("start", f.start_text), ("end", f.end_text)) if v})
    for name in ("area", "category"):
        if getattr(f, name):
            q[name] = getattr(f, name)
    if f.statuses:
        q["status"] = ",".join(f.statuses)
    for name in ("handler", "source", "severity"):
        if getattr(f, name):
            q[name] = getattr(f, name)
    for name in FLAGS:
        if getattr(f, name) is not None:
            q[name] = "1" if getattr(f, name) else "0"
    if f.text:
        q["q"] = f.text
    return urlencode(q)


# --- conditions ----------------------------------------------------------------------------------


def _is_not(condition):
    """NOT ``condition``, where a condition that SQL finds unknown (a missing time) counts as false."""
    return not_(func.coalesce(condition, literal(False)))


def conditions(f: Filters, now: datetime) -> list:
    """The SQL conditions on ``events`` that select the cases of ``f``, states as of ``now``."""
    case = Case(now)
    out = []
    if f.start is not None:
        out.append(Event.reported_at >= f.start)
    if f.end is not None:
        out.append(Event.reported_at < f.end)
    if f.area is not None:
        out.append(areas.events_within(f.area))
    if f.category is not None:
        children = select(Category.code).where(Category.parent_code == f.category)
        out.append(or_(Event.category_code == f.category, Event.category_code.in_(children)))
    if f.statuses:
        codes = [s for s in f.statuses if s != OPEN]
        out.append(or_(*([case.open] if OPEN in f.statuses else []), *([Event.status.in_(codes)] if codes else [])))
    if f.handler is not None:
        out.append(Event.handler_code == f.handler)
    if f.source is not None:
        out.append(Event.source == f.source)
    if f.severity is not None:
        out.append(Event.severity == f.severity)
    for flag, condition in ((f.overdue, case.overdue), (f.handler_overdue, case.handler_overdue),
                            (f.supervised, case.supervised)):
        if flag is not None:
            out.append(condition if flag else _is_not(condition))
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
    """How many cases match. One ``COUNT(*)`` per filter and data version (cases, and the
    catalogue a category's children come from): paging through a result does not count it again.
    A filter on the clock (``Filters.on_the_clock``) is keyed to the minute as well."""
    versions = db.versions(engine)
    minute = to_utc(now).replace(second=0, microsecond=0) if f.on_the_clock else None
    key = (engine.url.render_as_string(hide_password=True), f.key(), versions.get("events", 0),
           versions.get("catalog", 0), minute)
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


def api_sort(sort: str) -> list[tuple[str, str]]:
    """A sort model from one ``column`` or ``-column`` (descending) word."""
    return [(sort.lstrip("-"), "desc" if sort.startswith("-") else "asc")]


def _order(sort, table=None) -> list:
    """ORDER BY for a sort model [(column, 'asc'|'desc'), ...]; unknown columns are ignored, and the
    id breaks ties so pages never overlap or skip rows. ``table``: order a subquery's columns."""
    def col(attr):
        return attr if table is None else table.c[attr.key]

    order, last_desc = [], True
    for name, direction in (sort or NEWEST_FIRST):
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
    first = next((name for name, _ in (sort or NEWEST_FIRST) if name in SORTS), "reported_at")
    return first in ("reported_at", "id")


def _lookup_names(conn, rows) -> dict[str, dict]:
    """Names for the codes on these rows only (one small IN query per kind)."""
    areas_ = {c for r in rows for c in (r["town_code"], r["community_code"], r["grid_code"]) if c}
    cats = {r["category_code"] for r in rows}
    handlers = {r["handler_code"] for r in rows if r["handler_code"]}
    out: dict[str, dict] = {"area": {}, "category": {}, "handler": {}}
    if areas_:
        out["area"] = dict(conn.execute(select(Area.code, Area.name).where(Area.code.in_(areas_))).all())
    if cats:
        out["category"] = dict(conn.execute(select(Category.code, Category.name).where(Category.code.in_(cats))).all())
    if handlers:
        out["handler"] = dict(conn.execute(select(Department.code, Department.name)
                                           .where(Department.code.in_(handlers))).all())
    return out


def _finish(rows, names, now: datetime) -> list[dict]:
    """Rows with their names and their state as of ``now`` (``casestate.state``)."""
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
            open=st.open,
            overdue=st.overdue,
            handler_overdue=st.handler_overdue,
            kind=st.kind,
            stage=st.stage,
            overdue_hours=((now - d["deadline"]).total_seconds() / 3600) if st.overdue else None,
        )
        out.append(d)
    return out


def rows(engine: Engine, f: Filters, now: datetime, *, sort=None, offset: int = 0, limit: int = PAGE_SIZE,
         every_column: bool = False) -> list[dict]:
    """One page of matching cases (a list row's columns, or with ``every_column`` all of them),
    with names and state flags."""
    limit = max(0, min(int(limit), MAX_PAGE))
    columns = _ALL_COLUMNS if every_column else _LIST_COLUMNS
    conds = conditions(f, now)
    if (f.start is not None and not _by_report_time(sort)
            and count(engine, f, now) <= MATERIALIZE_MAX_ROWS):
        # Sorted by another column within a time window: select the window's rows first, then
        # sort them. Left to itself the planner may walk the other column's index (deadline)
        # through a million rows looking for the few recent ones.
        m = select(*columns).where(*conds).cte("matching").prefix_with("MATERIALIZED")
        stmt = select(m).order_by(*_order(sort, m))
    else:
        stmt = select(*columns).where(*conds).order_by(*_order(sort))
    stmt = stmt.offset(max(0, int(offset))).limit(limit)
    with engine.connect() as conn:
        got = conn.execute(stmt).mappings().all()
        names = _lookup_names(conn, got)
    return _finish(got, names, now)


def iter_rows(engine: Engine, f: Filters, now: datetime, chunk: int = CHUNK,
              limit: int | None = None) -> Iterator[dict]:
    """Every matching case, newest report first, fetched in keyset-paged chunks of ``chunk``
    rows (each a short query on the report-time index: no OFFSET, no long-lived cursor)."""
    conds = conditions(f, now)
    after = None
    sent = 0
    while True:
        stmt = select(*_LIST_COLUMNS).where(*conds)
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


def detail(session: Session, event_id: int, now: datetime) -> dict | None:
    """One case (every column, names, state flags) with its log (oldest first) and its
    supervisions. Read through ``session``, so a write's own transaction sees what it wrote."""
    got = session.execute(select(*_ALL_COLUMNS).where(Event.id == event_id)).mappings().all()
    if not got:
        return None
    out = _finish(got, _lookup_names(session, got), now)[0]
    out["log"] = [
        {"id": e.id, "at": e.at, "action": e.action, "from_status": e.from_status, "to_status": e.to_status,
         "actor": e.actor, "operator": e.operator, "handler": e.handler_code, "note": e.note}
        for e in session.scalars(select(EventLog).where(EventLog.event_id == event_id).order_by(EventLog.at, EventLog.id))
    ]
    out["supervisions"] = [
        {"id": s.id, "at": s.at, "actor": s.actor, "operator": s.operator, "note": s.note}
        for s in session.scalars(select(Supervision).where(Supervision.event_id == event_id)
                                 .order_by(Supervision.at, Supervision.id))
    ]
    return out


# --- the desk pages' short lists (the explorer shows the rest) -----------------------------------


def open_cases(engine: Engine, area: str | None, now: datetime, limit: int = 12) -> list[dict]:
    """An area's open cases, overdue first (the area's clock), then by deadline."""
    return rows(engine, Filters(area=area, statuses=(OPEN,)), now, sort=OVERDUE_FIRST, limit=limit)


def overdue_with_handler(engine: Engine, handler: str, now: datetime, area: str | None = None,
                         limit: int = 30) -> list[dict]:
    """The cases a handler holds past their deadline (超期未处置: the handler's clock, so not a
    case it has disposed of or sent back), within ``area``, the longest overdue first."""
    f = Filters(area=area, handler=handler, handler_overdue=True)
    return rows(engine, f, now, sort=OVERDUE_FIRST, limit=limit)


def recent(engine: Engine, area: str | None, now: datetime, window: windows.Window, limit: int = 12) -> list[dict]:
    """The cases reported in ``window``, newest first."""
    return rows(engine, Filters(start=window.start, end=window.end, area=area), now, sort=NEWEST_FIRST, limit=limit)
