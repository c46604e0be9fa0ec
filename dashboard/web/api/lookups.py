"""Everything a write names, looked up as the writing client may see it.

A write names things by id or code: the case it moves, the staff member it keeps online or names
as reporter, the grid it files to (given, or found from a point), the desk it dispatches to. Each
lookup goes through ``Reach``, which answers None both for what does not exist and for what lies
outside the client's scope (its town, ``access.Principal.sees``). The handlers refuse a None with
one message per kind of thing, so another town's ids, codes and points answer exactly like ones
that do not exist: same status, same message, no other town's code in it.

County departments serve every town, so they stay dispatchable for a town's client; a town's,
community's or grid's own desk is in reach only inside the client's town (as ``access`` shows
handlers to a town officer).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from dashboard.web import access
from dashboard.domain import places
from dashboard.store.models import Area, Department, Event, Staff
from dashboard.web.runtime import current


@dataclass(frozen=True)
class Reach:
    session: Session
    principal: access.Principal

    def event(self, event_id: int, *, lock: bool = False) -> Event | None:
        """The case, locked for update with ``lock`` (two clients moving it are serialised)."""
        event = self.session.get(Event, event_id, with_for_update=lock)
        return event if event is not None and self.principal.sees(event.grid_code) else None

    def staff(self, staff_id: int, *, lock: bool = False) -> Staff | None:
        """A staff member of a grid in reach (active or not: the caller decides what an inactive one may do)."""
        person = self.session.get(Staff, staff_id, with_for_update=lock)
        return person if person is not None and self.principal.sees(person.grid_code) else None

    def grid(self, code: str) -> Area | None:
        area = self.session.get(Area, code)
        return area if area is not None and area.level == "grid" and self.principal.sees(area.code) else None

    def locate(self, lon: float, lat: float) -> str | None:
        """The grid in reach containing the point; None for a point in no grid, or in one out of reach."""
        code = places.places(current().engine).locate(lon, lat)
        return code if code is not None and self.principal.sees(code) else None

    def handler(self, code: str) -> Department | None:
        """A desk the client may dispatch to: any county department, or an area's own desk in reach."""
        dept = self.session.get(Department, code)
        return dept if dept is not None and self.principal.sees_desk(dept.area_code) else None
