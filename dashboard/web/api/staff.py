"""The grid workers' app heartbeat: POST /staff/<id>/heartbeat keeps its owner "online"
(see ``presence`` for what online means and when the screens are told)."""

from __future__ import annotations

from dashboard import strings
from dashboard.domain import presence
from dashboard.web.api import ApiError, blueprint
from dashboard.web.api.openapi import document
from dashboard.web.api.schemas import MAX_ID, ErrorOut, Heartbeat, HeartbeatOut
from dashboard.web.api.writes import Write, Written, run_write


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
@document("POST", "/staff/<int:staff_id>/heartbeat", "App 心跳（网格员在线状态）",
          {200: ("已记录；last_seen_at 为服务器时间", HeartbeatOut), 404: ("人员不存在", ErrorOut),
           409: ("人员已停用", ErrorOut)},
          body=Heartbeat, body_required=False, write=True, tags=["人员"],
          description="请求体可以为空或 {}。在线即最近 10 分钟内有心跳。需要令牌权限 heartbeat；限定镇街的令牌只能为本镇街人员发心跳。")
def heartbeat(staff_id: int):
    if not 1 <= staff_id <= MAX_ID:
        raise ApiError(404, strings.API_STAFF_NOT_FOUND.format(id=staff_id))
    return run_write(Heartbeat, _heartbeat(staff_id), permission="heartbeat", optional_body=True)
