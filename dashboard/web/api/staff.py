"""The grid workers' app heartbeat: POST /staff/<id>/heartbeat keeps its owner "online"
(see ``presence`` for what online means and when the screens are told)."""

from __future__ import annotations

from dashboard import strings
from dashboard.domain import presence
from dashboard.web.api import ApiError, blueprint
from dashboard.web.api.openapi import document
from dashboard.web.api.schemas import MAX_ID, ErrorOut, Heartbeat, HeartbeatOut
from dashboard.web.api.writes import Write, Written, run_write

_DOC = strings.API_DOC_OPERATIONS["heartbeat"]


def _heartbeat(staff_id: int):
    def handler(w: Write, body: Heartbeat) -> Written:
        # Another town's worker is as unknown as no one: a town's app keeps its own town online.
        person = w.reach.staff(staff_id, lock=True)
        if person is None:
            raise ApiError(404, strings.API_STAFF_NOT_FOUND.format(id=staff_id))
        if not person.active:
            raise ApiError(409, strings.API_STAFF_INACTIVE.format(id=staff_id))
        presence.heartbeat(w.session, person, w.now)
        out = HeartbeatOut(staff_id=person.id, name=person.name, role=person.role, grid=person.grid_code,
                           last_seen_at=person.last_seen_at, online=True)
        return Written(200, out.model_dump(mode="json"))

    return handler


@blueprint.post("/staff/<int:staff_id>/heartbeat")
@document("POST", "/staff/<int:staff_id>/heartbeat", _DOC["summary"],
          {200: (_DOC[200], HeartbeatOut), 404: (_DOC[404], ErrorOut), 409: (_DOC[409], ErrorOut)},
          body=Heartbeat, body_required=False, write=True, tags=[strings.API_DOC_TAGS["staff"]],
          description=_DOC["description"])
def heartbeat(staff_id: int):
    if not 1 <= staff_id <= MAX_ID:
        raise ApiError(404, strings.API_STAFF_NOT_FOUND.format(id=staff_id))
    return run_write(Heartbeat, _heartbeat(staff_id), permission="heartbeat", optional_body=True)
