"""Read endpoints: the summary of indicators and the data version screens poll."""

from __future__ import annotations

from flask import jsonify, request
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from dashboard import strings
from dashboard.web import access
from dashboard.domain import areas
from dashboard.store import db
from dashboard.figures import metrics
from dashboard.domain import windows
from dashboard.connector.runs import late_sources
from dashboard.store.models import Department
from dashboard.web.runtime import current
from dashboard.timeutil import to_local
from dashboard.web.api import ApiError, bad_query, blueprint


def window_from_args(args, now) -> windows.Window:
    try:
        return windows.parse_window(args.get("start"), args.get("end"), now)
    except windows.WindowError as exc:
        raise bad_query(exc.fields, strings.API_BAD_TIME) from None


@blueprint.get("/summary")
def summary():
    rt = current()
    window = window_from_args(request.args, rt.now())
    area_code = request.args.get("area") or None
    dept_code = request.args.get("department") or None
    if area_code and dept_code:
        raise ApiError(400, strings.API_AREA_OR_DEPARTMENT, {"department": strings.API_NOT_WITH_AREA})
    body = {"start": to_local(window.start).isoformat(), "end": to_local(window.end).isoformat()}
    if dept_code:
        with Session(rt.engine) as s:
            dept = s.get(Department, dept_code)
        if dept is None or not access.department_visible(rt.engine, dept_code):  # another town's desk is unknown
            raise ApiError(404, strings.API_UNKNOWN_HANDLER.format(code=dept_code), {"department": strings.API_MISSING})
        scope = metrics.Scope(department=dept_code, area=access.limit())  # a town's account: its town's part
        body.update(department=dept.code, department_name=dept.name, handler_level=dept.level)
    else:
        # no area = the whole of what the caller may see (their town, or the county)
        scope_code = area_code or access.limit()
        info = areas.get(rt.engine, scope_code) if scope_code else areas.root(rt.engine)
        if info is None or not access.sees(info.code):
            raise ApiError(404, strings.API_UNKNOWN_AREA.format(code=area_code), {"area": strings.API_MISSING})
        scope = metrics.Scope(area=info.code)
        body.update(area=info.code, area_name=info.name, level=info.level)
    body.update(metrics.summary(rt.engine, window, scope))
    return jsonify(body)


@blueprint.get("/version")
def version():
    """The data-version counters (cheap: one small table), from where the screens read their
    figures (a replica when configured). 503 while the database is away."""
    rt = current().reads
    try:
        v = db.versions(rt.engine)
        changed = db.data_time(rt.engine)
        late = late_sources(rt.engine, rt.now(), rt.settings.sync_late_seconds)  # the banner names them
    except DBAPIError:  # the screen shows "stale" in words and keeps its last data
        raise ApiError(503, strings.API_DATABASE_AWAY) from None
    return jsonify(version=v, changed_at=changed.isoformat() if changed else None, now=rt.now().isoformat(),
                   late_sources=late)
