"""The gate every request passes before any view: who is asking, and may they ask this.

With accounts on (``Settings.auth_required``):

- the login page, static files (``/assets/``, Dash's component bundles) are open;
- ``/api/v1`` accepts an API token (``Authorization: Bearer``) or a login session; everything
  else needs a session (Flask-Login over ``accounts``' revocable sessions);
- without one: pages redirect to ``/login?next=…``, everything else is a JSON 401;
- a state-changing request riding on the session cookie must come from our own origin (CSRF);
- the role decides the paths: a wall screen (``display``) gets the big screen, its callbacks,
  the data version and the map geometry; an API token gets ``/api/v1``; ``/export`` and the
  explorer's files need ``export``, ``/api/v1`` needs ``api``.

Without accounts (the embedded demo on loopback, ``GRIDSCREEN_AUTH=off``) only loopback may ask:
the peer address, the Host header (a DNS-rebinding page would name its own host) and the absence
of proxy headers are checked on every request, so a proxy on the same machine cannot expose it
(and ``GRIDSCREEN_TRUSTED_PROXIES`` is refused in that mode: ``Settings.check_web``).

What a principal may *see* once through the gate is ``dashboard.access``'s business.
"""

from __future__ import annotations

import json

from flask import current_app, jsonify, redirect, request
from flask_login import current_user
from sqlalchemy.exc import DBAPIError

from dashboard import strings
from dashboard.web import access
from dashboard.web import apiclients
from dashboard.web.runtime import current as runtime
from dashboard.settings import is_loopback
from dashboard.web.auth import security

OPEN_PREFIXES = ("/assets/", "/_dash-component-suites/", "/_favicon.ico", "/favicon.ico", "/login", "/logout")
DATA_PREFIXES = ("/api/", "/_dash-", "/export/")
# What a wall screen's browser asks for: the page, Dash's plumbing, the poll and the geometry.
DISPLAY_PATHS = ("/", "/_dash-layout", "/_dash-dependencies", "/_dash-update-component", "/api/v1/version")
DISPLAY_PREFIXES = ("/api/v1/geo/",)
SCREEN_IDS_KEY = "GRIDSCREEN_SCREEN_IDS"
CSRF_KEY = "gridscreen_csrf"
CSRF_COOKIE = "_csrf_token"  # the cookie Dash's renderer echoes in X-CSRFToken
FORWARD_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-IP")


def _json(status: int, message: str, **headers):
    resp = jsonify(error=message)
    resp.status_code = status
    resp.headers.update(headers)
    return resp


def _host_is_loopback() -> bool:
    host = request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host
    return is_loopback(host)


def check():
    s = runtime().settings
    path = request.path
    if not s.auth_required:
        if not is_loopback(request.remote_addr) or not _host_is_loopback() or any(h in request.headers
                                                                                    for h in FORWARD_HEADERS):
            return security.refuse(403, strings.OFF_LOOPBACK_REFUSED)
        access.set_current(access.OPEN)
        if not security.origin_ok(s.trusted_origins, required=False):
            return security.refuse(403, strings.CSRF_REFUSED)
        return None
    if path.startswith(OPEN_PREFIXES):
        return None

    bearer = _bearer()
    if bearer is not None and path.startswith("/api/v1/"):
        try:
            client = apiclients.authenticate(runtime().engine, bearer)
        except apiclients.AuthError as exc:
            if exc.reason == "revoked":
                return _json(403, strings.API_AUTH_REVOKED)
            return _json(401, strings.API_AUTH_INVALID, **{"WWW-Authenticate": 'Bearer realm="gridscreen"'})
        principal = access.Principal("token", "api", client.name, area=client.area_code)
    else:
        user = current_user  # loads the session from the database (accounts.load_session)
        if not user or not user.is_authenticated:
            return _unauthenticated(path)
        principal = user.principal
        if not security.origin_ok(s.trusted_origins, required=True) or not _csrf_ok():
            return security.refuse(403, strings.CSRF_REFUSED)
    access.set_current(principal)
    return _role_gate(principal, path)


def _csrf_ok() -> bool:
    """Flask-WTF's check of the request's CSRF token (header X-CSRFToken or form field) against
    the session's; only state-changing requests are checked."""
    from flask_wtf.csrf import CSRFError

    if request.method not in security.UNSAFE_METHODS:
        return True
    try:
        current_app.extensions[CSRF_KEY].protect()
    except CSRFError:
        return False
    return True


def csrf_cookie(response):
    """Hand a logged-in page the CSRF token as a cookie script can read (Dash's renderer copies it
    into the X-CSRFToken header of its callback requests). It is not a secret from the page itself;
    another site can neither read it nor make the browser send it as a header."""
    from flask_wtf.csrf import generate_csrf

    if (runtime().settings.auth_required and access.current().kind == "user" and request.method == "GET"
            and response.mimetype == "text/html" and response.status_code == 200):
        response.set_cookie(CSRF_COOKIE, generate_csrf(), httponly=False, samesite="Strict",
                            secure=runtime().settings.cookie_secure, path="/")
    return response


def _bearer() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip()


def _unauthenticated(path: str):
    if request.method == "GET" and not path.startswith(DATA_PREFIXES):
        nxt = request.full_path if request.query_string else path
        return redirect("/login?" + _urlencode({"next": nxt}))
    return _json(401, strings.AUTH_REQUIRED)


def _urlencode(d):
    from urllib.parse import urlencode

    return urlencode(d)


def _role_gate(p: access.Principal, path: str):
    if p.kind == "token":
        return None if path.startswith("/api/v1/") else _json(403, strings.FORBIDDEN_API.format(what=path))
    if p.role == "display":
        if path in DISPLAY_PATHS or path.startswith(DISPLAY_PREFIXES):
            if path == "/_dash-update-component" and not _screen_callback():
                return security.refuse(403, strings.FORBIDDEN_ACTION)
            return None
        return security.refuse(403, strings.FORBIDDEN_BODY)
    if path.startswith("/export/") or path.startswith("/api/v1/explorer/"):
        return None if p.can("export") else security.refuse(403, strings.FORBIDDEN_ACTION)
    if path.startswith("/api/"):
        return None if p.can("api") else security.refuse(403, strings.FORBIDDEN_ACTION)
    return None


def _screen_callback() -> bool:
    """A wall screen may run the big screen's callbacks only: every output of the callback it asks
    for must be one of the screen's components (ids registered by the callbacks package)."""
    allowed = current_app.config.get(SCREEN_IDS_KEY)
    if not allowed:
        return False
    body = request.get_json(silent=True) or {}
    outputs = _flatten(body.get("outputs"))
    if not outputs:
        return False
    for o in outputs:
        cid = o.get("id") if isinstance(o, dict) else None
        if isinstance(cid, dict):
            cid = cid.get("type")
        if not isinstance(cid, str) or not _allowed_id(cid, allowed):
            return False
    return True


def _flatten(outputs) -> list:
    """A callback's outputs: one dict, a list of them, or (wildcard outputs) lists of lists."""
    if isinstance(outputs, dict):
        return [outputs]
    if not isinstance(outputs, list):
        return []
    flat = []
    for o in outputs:
        flat.extend(_flatten(o) if isinstance(o, list) else [o])
    return flat


def _allowed_id(cid: str, allowed) -> bool:
    exact, prefixes = allowed
    return cid in exact or cid.startswith(tuple(prefixes))


def set_screen_ids(server, exact, prefixes=()) -> None:
    server.config[SCREEN_IDS_KEY] = (frozenset(exact), tuple(prefixes))


def loads(body: bytes):
    try:
        return json.loads(body)
    except ValueError:
        return None


def database_error_guard(fn):
    """Wrap the gate: a database that cannot say who the session belongs to is a 503 (or, for a
    callback, "no update"), not a login page."""

    def wrapper():
        try:
            return fn()
        except DBAPIError as exc:
            return security.database_away(exc)

    return wrapper
