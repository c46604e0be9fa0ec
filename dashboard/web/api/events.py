"""Cases over HTTP: report (POST /events), move along the life cycle (POST /events/<id>/transitions),
find (GET /events) and read one with its log (GET /events/<id>).

Writes go through ``lifecycle`` (``report``, ``apply``, ``supervise``) inside ``run_write``'s
transaction; every refusal is an ``ApiError`` raised before the transaction commits, so a refused
request leaves no trace.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from flask import jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard import strings
from dashboard.web import access
from dashboard.figures import caselist
from dashboard.domain import lifecycle
from dashboard.store.models import Area, Category, Department, Event
from dashboard.web.runtime import current
from dashboard.web.api import ApiError, bad_query, blueprint
from dashboard.web.api.openapi import document
from dashboard.web.api.schemas import MAX_ID, ErrorOut, EventDetail, EventOut, EventPage, EventQuery, EventReport, Transition, allowed_actions
from dashboard.web.api.validation import validate_query
from dashboard.web.api.writes import Write, Written, run_write

TAGS = [strings.API_DOC_TAGS["events"]]
OPS = strings.API_DOC_OPERATIONS


def _case_out(r: dict) -> dict:
    """A case row (``caselist``) under the API's field names."""
    return {**r, "category": r["category_code"], "grid": r["grid_code"], "community": r["community_code"],
            "town": r["town_code"], "reporter": r["reporter_staff_id"], "handler": r["handler_code"],
            "allowed_actions": allowed_actions(r["status"])}


def event_detail(session: Session, event_id: int, now: datetime) -> dict | None:
    d = caselist.detail(session, event_id, now)
    if d is None:
        return None
    return EventDetail.model_validate(_case_out(d)).model_dump(mode="json")


def _check_id(value: int, message: str) -> int:
    # Flask's int converter accepts any size; ids beyond 32 bits cannot exist (and would overflow SQL).
    if not 1 <= value <= MAX_ID:
        raise ApiError(404, message)
    return value


# --- POST /events ---------------------------------------------------------------------------------


def _report(w: Write, body: EventReport) -> Written:
    s, reach = w.session, w.reach
    fields: dict[str, str] = {}
    if s.get(Category, body.category) is None:
        fields["category"] = strings.API_UNKNOWN_CATEGORY.format(code=body.category)
    grid = body.grid
    if grid is not None and reach.grid(grid) is None:
        fields["grid"] = strings.API_UNKNOWN_GRID.format(code=grid)
    if body.lat is not None:
        located = reach.locate(body.lon, body.lat)
        if located is None:
            fields["lat"] = fields["lon"] = strings.API_OUTSIDE_REACH.format(lon=body.lon, lat=body.lat)
        elif grid is None:
            grid = located
    if body.reporter is not None:
        reporter = reach.staff(body.reporter)
        if reporter is None:
            fields["reporter"] = strings.API_STAFF_NOT_FOUND.format(id=body.reporter)
        elif not reporter.active:
            fields["reporter"] = strings.API_STAFF_INACTIVE.format(id=body.reporter)
    if fields:
        raise ApiError(422, strings.API_INVALID, fields)
    if body.ext_id is not None:
        taken = s.scalar(select(Event.id).where(Event.ext_id == body.ext_id))
        if taken is not None:
            raise ApiError(409, strings.API_EXT_ID_TAKEN.format(ext_id=body.ext_id, id=taken), {"ext_id": strings.API_EXISTS})
    event = lifecycle.report(
        s, title=body.title, category_code=body.category, source=body.source, grid_code=grid, at=w.now,
        actor=w.client.name, operator=body.operator, description=body.description, severity=body.severity,
        lat=body.lat, lon=body.lon, reporter_staff_id=body.reporter,
        photo_url=str(body.photo_url) if body.photo_url is not None else None, ext_id=body.ext_id,
    )
    s.flush()
    return Written(201, event_detail(s, event.id, w.now), f"{blueprint.url_prefix}/events/{event.id}")


@blueprint.post("/events")
@document("POST", "/events", OPS["report"]["summary"], {201: (OPS["report"][201], EventDetail),
                                                        409: (OPS["report"][409], ErrorOut)},
          body=EventReport, write=True, tags=TAGS, description=OPS["report"]["description"])
def create_event():
    return run_write(EventReport, _report, permission="report")


# --- POST /events/<id>/transitions ----------------------------------------------------------------


def _permission(body: Transition) -> str:
    return "supervise" if body.action == "supervise" else "transition"


def _transition(event_id: int):
    def handler(w: Write, body: Transition) -> Written:
        s = w.session
        # Lock the case (PostgreSQL; SQLite already holds the write lock) so two clients moving it
        # at once are serialised and the second one sees the first one's result.
        event = w.reach.event(event_id, lock=True)
        if event is None:
            raise ApiError(404, strings.API_EVENT_NOT_FOUND.format(id=event_id))
        allowed = allowed_actions(event.status)
        if body.action not in allowed:
            message = strings.API_ILLEGAL_TRANSITION.format(
                id=event_id, status=strings.STATUS_LABELS.get(event.status, event.status),
                action=strings.ACTION_LABELS.get(body.action, body.action),
                allowed=strings.LIST_SEP.join(strings.WITH_NOTE.format(text=a, note=strings.ACTION_LABELS[a])
                                              for a in allowed) or strings.NONE)
            raise ApiError(409, message, status=event.status, allowed=allowed)
        if body.action == "dispatch" and w.reach.handler(body.handler) is None:
            raise ApiError(422, strings.API_INVALID, {"handler": strings.API_UNKNOWN_HANDLER.format(code=body.handler)})
        audited = True
        try:
            if body.action == "supervise":
                done = lifecycle.supervise(s, event, at=w.now, actor=w.client.name, operator=body.operator,
                                           note=body.note or "")
                audited = not done.repeated
            else:
                lifecycle.apply(s, event, body.action, at=w.now, actor=w.client.name, operator=body.operator,
                                handler_code=body.handler, note=body.note)
        except lifecycle.SuperviseRefused as exc:
            raise ApiError(422, strings.API_INVALID, {"note": str(exc)}) from None
        except lifecycle.TransitionError as exc:
            # Allowed in this status but refused all the same: the server's clock is behind the
            # case's last step (the log must stay in time order).
            raise ApiError(409, str(exc), status=event.status, allowed=allowed) from None
        s.flush()
        return Written(200, event_detail(s, event_id, w.now), audited=audited)

    return handler


@blueprint.post("/events/<int:event_id>/transitions")
@document("POST", "/events/<int:event_id>/transitions", OPS["transition"]["summary"],
          {200: (OPS["transition"][200], EventDetail), 404: (OPS["transition"][404], ErrorOut),
           409: (OPS["transition"][409], ErrorOut)},
          body=Transition, write=True, tags=TAGS, description=OPS["transition"]["description"])
def transition_event(event_id: int):
    _check_id(event_id, strings.API_EVENT_NOT_FOUND.format(id=event_id))
    return run_write(Transition, _transition(event_id), permission=_permission)


# --- GET /events, GET /events/<id> -----------------------------------------------------------------


FILTER_PARAMS = ("start", "end", "area", "category", "status", "handler", "source", "severity", "overdue",
                 "handler_overdue", "supervised")


def _filter(q: EventQuery, s: Session, now: datetime) -> caselist.Filters:
    """The explorer's filter for the API's query (its documented parameters only); a bad or an
    unknown value is a 400 naming each (another town's area is unknown)."""
    fields: dict[str, str] = {}
    f = caselist.Filters()
    try:
        f = caselist.from_query(q.model_dump(include=set(FILTER_PARAMS), exclude_none=True), now, strict=True)
    except caselist.FilterError as exc:
        fields.update(exc.fields)
    if q.area and (s.get(Area, q.area) is None or not access.sees(q.area)):  # not theirs = unknown
        fields["area"] = strings.API_UNKNOWN_AREA.format(code=q.area)
    if q.category and s.get(Category, q.category) is None:
        fields["category"] = strings.API_UNKNOWN_CATEGORY.format(code=q.category)
    if q.handler and s.get(Department, q.handler) is None:
        fields["handler"] = strings.API_UNKNOWN_HANDLER.format(code=q.handler)
    if fields:
        raise bad_query(fields)
    return replace(f, area=f.area or access.limit())


@blueprint.get("/events")
@document("GET", "/events", OPS["events"]["summary"],
          {200: (OPS["events"][200], EventPage), 400: (OPS["events"][400], ErrorOut)}, query=EventQuery, tags=TAGS)
def list_events():
    rt = current()
    q = validate_query(EventQuery, request.args)
    now = rt.now()
    with Session(rt.engine) as s:
        f = _filter(q, s, now)
    rows = caselist.rows(rt.engine, f, now, sort=caselist.api_sort(q.sort), offset=(q.page - 1) * q.per_page,
                         limit=q.per_page, every_column=True)
    total = caselist.count(rt.engine, f, now)
    items = [EventOut.model_validate(_case_out(r)) for r in rows]
    page = EventPage(items=items, total=total, page=q.page, per_page=q.per_page, sort=q.sort)
    return jsonify(page.model_dump(mode="json"))


@blueprint.get("/events/<int:event_id>")
@document("GET", "/events/<int:event_id>", OPS["event"]["summary"],
          {200: (OPS["event"][200], EventDetail), 404: (OPS["event"][404], ErrorOut)}, tags=TAGS)
def get_event(event_id: int):
    rt = current()
    _check_id(event_id, strings.API_EVENT_NOT_FOUND.format(id=event_id))
    with Session(rt.engine) as s:
        body = event_detail(s, event_id, rt.now())
    if body is None or not access.sees(body.get("grid")):  # another town's case is not there
        raise ApiError(404, strings.API_EVENT_NOT_FOUND.format(id=event_id))
    return jsonify(body)

