"""Finding cases: filters, sorting and paging over events, and one case with its log.

Shared by GET /api/v1/events and (when it lands) the /events explorer screen, so both mean the
same thing by "overdue" or "in this town". Rows come back as plain dicts of Python values (aware
UTC datetimes); callers format them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, not_, or_, select
from sqlalchemy.orm import Session, aliased

from dashboard.domain import casestate
from dashboard.domain.casestate import Case
from dashboard.domain import areas
from dashboard.store.models import Area, Category, Department, Event, EventLog, Supervision

EVENT_FIELDS = ("id", "ext_id", "title", "description", "source", "severity", "community_code", "town_code", "lat", "lon",
                "photo_url", "status", "reported_at", "accepted_at", "invalid_at", "dispatched_at", "disposed_at",
                "closed_at", "deadline", "handler_level", "rework_count", "sendback_count", "supervised",
                "supervised_at", "updated_at")
SORTS = {"reported_at": Event.reported_at, "updated_at": Event.updated_at, "deadline": Event.deadline, "id": Event.id}


@dataclass(frozen=True)
class EventFilter:
    """Every condition is optional; ``start``/``end`` bound the report time as [start, end)."""

    start: datetime | None = None
    end: datetime | None = None
    area: str | None = None
    category: str | None = None  # a top-level category includes its sub-categories
    statuses: tuple[str, ...] = ()
    handler: str | None = None
    source: str | None = None
    severity: str | None = None
    overdue: bool | None = None
    supervised: bool | None = None


def conditions(f: EventFilter, now: datetime) -> list:
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
        out.append(Event.status.in_(f.statuses))
    if f.handler is not None:
        out.append(Event.handler_code == f.handler)
    if f.source is not None:
        out.append(Event.source == f.source)
    if f.severity is not None:
        out.append(Event.severity == f.severity)
    if f.overdue is not None:
        overdue = Case(now).overdue
        out.append(overdue if f.overdue else not_(overdue))
    if f.supervised is not None:
        out.append(Event.supervised.is_(f.supervised))
    return out


_Grid = aliased(Area)


def _select():
    return (select(Event, Category.name, _Grid.name, Department.name)
            .outerjoin(Category, Category.code == Event.category_code)
            .outerjoin(_Grid, _Grid.code == Event.grid_code)
            .outerjoin(Department, Department.code == Event.handler_code))


def _row(event: Event, category_name, grid_name, handler_name, now: datetime) -> dict:
    d = {f: getattr(event, f) for f in EVENT_FIELDS}
    d.update(
        category=event.category_code, category_name=category_name, grid=event.grid_code, grid_name=grid_name,
        community=event.community_code, town=event.town_code, reporter=event.reporter_staff_id,
        handler=event.handler_code, handler_name=handler_name,
        overdue=casestate.state(event, now).overdue,
    )
    return d


def page(session: Session, f: EventFilter, now: datetime, *, sort: str = "-reported_at", number: int = 1,
         per_page: int = 50) -> tuple[list[dict], int]:
    """One page of matching cases (newest first by default) and how many match in all."""
    conds = conditions(f, now)
    total = session.scalar(select(func.count(Event.id)).where(*conds))
    desc = sort.startswith("-")
    column = SORTS[sort.lstrip("-")]
    order = [column.desc().nulls_last() if desc else column.asc().nulls_last(), Event.id.desc() if desc else Event.id.asc()]
    stmt = _select().where(*conds).order_by(*order).limit(per_page).offset((number - 1) * per_page)
    return [_row(*r, now) for r in session.execute(stmt).all()], int(total or 0)


def detail(session: Session, event_id: int, now: datetime) -> dict | None:
    """One case with its log (oldest first) and its supervisions."""
    r = session.execute(_select().where(Event.id == event_id)).first()
    if r is None:
        return None
    out = _row(*r, now)
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
