"""Who may see and do what: the one place that decides the scope of the current user.

The web layer (``dashboard.auth``) puts a ``Principal`` on each request; the router, every data
callback, the exports, the explorer and the API ask this module — never the role themselves:

- ``current()``              the principal of this request (outside a request: the command line,
                             trusted like the database itself);
- ``can(perm)``/``require``  a permission: ``pages`` (desk pages), ``export``, ``api`` (API reads),
                             ``supervise`` (督办), ``warn`` (issue and lift manual warnings),
                             ``sources`` (the connector's sources and their sync health);
                             every principal may see the big screen;
- ``sees(code)``             whether an area is inside the principal's scope. Area codes nest
                             (a town's 9 digits begin each of its communities' and grids'
                             codes), so a town officer sees exactly the codes that start with
                             their town's;
- ``area(requested)``        the area a figure may be computed for: the requested one when
                             visible, the principal's whole scope when none is asked, and
                             ``NotVisible`` otherwise;
- ``event_visible``/``department_visible``  the same for a case and a handler;
- ``visible``/``visible_handlers``  a list of choices (towns, areas, handlers, warning scopes)
                             narrowed like the data it selects: no screen offers a choice the
                             principal could not open.

Refusals are exceptions: ``NotVisible`` is answered like "not found" (404, or an empty answer)
so that a crafted request cannot even learn that another town's grid or case exists;
``Forbidden`` (403) is a role lacking a permission.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from dashboard.store import audit as audit_log
from dashboard import strings

PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({"pages", "export", "api", "supervise", "warn", "sources"}),
    "leader": frozenset({"pages", "export", "api"}),
    "duty_officer": frozenset({"pages", "export", "api", "supervise", "warn"}),
    "town_officer": frozenset({"pages", "export", "api"}),
    "display": frozenset(),  # a wall screen: the big screen and nothing else
    "api": frozenset({"api"}),  # a system with an API token: reads (its writes are checked by the API)
}


@dataclass(frozen=True)
class Principal:
    """Who is asking. ``kind``: ``user`` (a login), ``token`` (an API client), ``open`` (no login:
    the demo on loopback or GRIDSCREEN_AUTH=off), ``system`` (the command line), ``nobody``."""

    kind: str
    role: str
    name: str
    area: str | None = None  # the area the principal is limited to (None: everything)
    user_id: int | None = None
    username: str | None = None

    def can(self, permission: str) -> bool:
        if self.kind == "nobody":
            return False
        return permission == "screen" or permission in PERMISSIONS.get(self.role, frozenset())

    def sees(self, code: str | None) -> bool:
        if self.kind == "nobody" or not code:
            return self.kind != "nobody" and self.area is None
        return self.area is None or str(code).startswith(self.area)

    def sees_desk(self, area_code: str | None) -> bool:
        """A handler's desk: county departments (no area) serve every town; an area's own desk
        (town, community, grid) is in scope inside the principal's scope only."""
        return self.kind != "nobody" and (area_code is None or self.sees(area_code))

    @property
    def audit_name(self) -> str:
        return self.username or self.name


SYSTEM = Principal("system", "admin", strings.CLI_ACTOR)
OPEN = Principal("open", "admin", strings.AUTH_OFF_BADGE)
NOBODY = Principal("nobody", "", "")
_G_KEY = "gridscreen_principal"


class Denied(Exception):
    """Outside the principal's scope: answered like "not found"."""

    status = 404

    def __init__(self, message: str | None = None):
        super().__init__(message or strings.NOT_FOUND_BODY)


class Forbidden(Denied):
    """The principal's role may not do this."""

    status = 403

    def __init__(self, message: str | None = None):
        super().__init__(message or strings.FORBIDDEN_ACTION)


NotVisible = Denied


def current() -> Principal:
    """The principal of the request being handled. Outside any request (the command line, tools,
    tests calling functions directly) the caller is trusted; inside a request that the gate did
    not mark, nobody (sees nothing)."""
    from flask import g, has_request_context

    if not has_request_context():
        return SYSTEM
    return g.get(_G_KEY, NOBODY)


def set_current(principal: Principal) -> None:
    from flask import g

    setattr(g, _G_KEY, principal)


def can(permission: str) -> bool:
    return current().can(permission)


def require(permission: str) -> Principal:
    p = current()
    if not p.can(permission):
        raise Forbidden()
    return p


def permissions() -> tuple[str, ...]:
    """What the current principal may do, sorted (part of what a screen's answer depends on)."""
    p = current()
    return tuple(sorted(x for x in PERMISSIONS.get(p.role, frozenset()) if p.can(x)))


def limit() -> str | None:
    """The area the current principal is limited to (None: everything)."""
    return current().area


def sees(code: str | None) -> bool:
    return current().sees(code)


def require_area(code: str | None) -> str | None:
    if not current().sees(code):
        raise NotVisible()
    return code


def area(requested: str | None) -> str | None:
    """The area to compute figures for: ``requested`` when visible; when nothing is asked, the
    principal's whole scope (their town, or None = the county); refused otherwise."""
    p = current()
    if not requested:
        return p.area
    if not p.sees(requested):
        raise NotVisible()
    return requested


def visible_handlers(rows):
    """Filter handler rows (with an ``area_code``) down to the visible ones."""
    p = current()
    return [r for r in rows if p.sees_desk(r.area_code)]


def visible(codes):
    """Filter (code, ...) tuples or codes down to the visible ones."""
    p = current()
    return [c for c in codes if p.sees(c[0] if isinstance(c, (tuple, list)) else c)]


def event_grid(engine: Engine, event_id) -> str | None:
    from dashboard.store.models import Event

    try:
        event_id = int(event_id)
    except (TypeError, ValueError):
        return None
    if not 1 <= event_id <= 2**31 - 1:
        return None
    with Session(engine) as s:
        return s.scalar(select(Event.grid_code).where(Event.id == event_id))


def event_visible(engine: Engine, event_id) -> bool:
    p = current()
    if p.area is None and p.kind != "nobody":
        return True
    grid = event_grid(engine, event_id)
    return grid is not None and p.sees(grid)


def require_event(engine: Engine, event_id) -> None:
    if not event_visible(engine, event_id):
        raise NotVisible()


def department_visible(engine: Engine, code: str | None) -> bool:
    """County departments are visible to all (a town officer sees their work in the town only:
    see ``department_scope``); a town's, community's or grid's own desk only inside its scope."""
    from dashboard.store.models import Department

    p = current()
    if p.kind == "nobody" or not code:
        return False
    with Session(engine) as s:
        dept = s.get(Department, code) if len(code) <= 32 else None
    if dept is None:
        return False
    return p.sees_desk(dept.area_code)


def actor() -> str:
    """The name an act is recorded under (督办, a manual warning): the logged-in account's; without
    login (the demo on loopback) a fixed label. Never a name typed into a form."""
    p = current()
    if p.kind == "open":
        return strings.ACTOR_NO_LOGIN
    return p.name


def audit(engine, action: str, *, target: str | None = None, detail: dict | None = None, outcome: str = "ok",
          principal: Principal | None = None) -> None:
    """Record an act of the current principal in the audit log (``engine`` or a ``Session``)."""
    from flask import has_request_context, request

    p = principal or current()
    kind = {"user": "user", "token": "token", "open": "open", "system": "cli"}.get(p.kind, "anon")
    audit_log.record(engine, action=action, actor=p.audit_name, actor_kind=kind, user_id=p.user_id,
                     outcome=outcome, target=target, detail=detail,
                     remote_addr=request.remote_addr if has_request_context() else None)


# --- what a page's URL names ---------------------------------------------------------------------


def require_subject(engine: Engine, subject: str, value) -> None:
    """The area, handler or case a page's URL names must be inside the principal's scope
    (``NotVisible`` otherwise, answered like "not found")."""
    if subject == "area":
        require_area(value)
    elif subject == "department":
        if not department_visible(engine, value):
            raise NotVisible()
    elif subject == "event":
        require_event(engine, value)
    else:
        raise ValueError(f"unknown page subject {subject!r}")
