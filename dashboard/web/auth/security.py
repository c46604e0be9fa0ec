"""Hardening that holds for every response: security headers with a Content Security Policy Dash
runs under, the same-origin check on state-changing requests, and error answers that never show a
traceback but carry an id the user can quote.

The CSP, and why each exception to ``'self'`` is there:

- ``script-src 'self'`` plus the SHA-256 of each inline script Dash writes into its page (its
  renderer start-up and the inline clientside callbacks; ``Dash.csp_hashes()``). No
  ``'unsafe-eval'``: nothing the screens run evaluates strings as code. The explorer's AG Grid
  expressions (``cellClassRules``, ``rowClassRules``, the ``{"function": ...}`` theme) are read by
  dash-ag-grid's own expression parser, not AG Grid's ``new Function`` path; plotly.js, Leaflet,
  dash-leaflet and the Dash renderer only mention ``new Function("return this")`` as a fallback
  for ``globalThis``, which every supported browser has. A browser test opens every page under
  this policy and fails on any violation (tests/test_screen_security.py). No inline script runs
  unless its hash is listed, so injected markup cannot execute.
- ``style-src 'self' 'unsafe-inline'``: plotly.js, Leaflet and the React components set inline
  ``style`` attributes and insert ``<style>`` elements at run time (chart sizes, map panes);
  styles cannot run code.
- ``img-src 'self' data: blob:`` (plotly's modebar icons and image exports) plus the configured
  tile server's origin, if any.
- ``frame-ancestors 'none'`` (and ``X-Frame-Options: DENY``): no one may frame the screens.
"""

from __future__ import annotations

import logging
import secrets
from urllib.parse import urlsplit

from flask import Response, current_app, jsonify, render_template_string, request

from dashboard import strings

log = logging.getLogger(__name__)

CSP_KEY = "GRIDSCREEN_CSP"
JSON_PREFIXES = ("/api/", "/_dash-", "/export/")
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def build_csp(script_hashes, tile_url: str | None = None) -> str:
    img = ["'self'", "data:", "blob:"]
    if tile_url:
        parts = urlsplit(tile_url.replace("{s}", "a"))
        if parts.scheme and parts.netloc:
            # {s} subdomains: allow the tile server's whole host family.
            host = parts.netloc if "{s}" not in tile_url else "*." + parts.netloc.split(".", 1)[-1]
            img.append(f"{parts.scheme}://{host}")
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": img,
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{k} {' '.join(v)}" for k, v in directives.items())


def add_headers(response: Response) -> Response:
    h = response.headers
    csp = current_app.config.get(CSP_KEY)
    if csp:
        h.setdefault("Content-Security-Policy", csp)
    h.setdefault("X-Content-Type-Options", "nosniff")
    h.setdefault("X-Frame-Options", "DENY")
    # Same-origin requests keep their full Referer (the CSRF check may use it); none leaves the site.
    h.setdefault("Referrer-Policy", "same-origin")
    h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        h.setdefault("Strict-Transport-Security", "max-age=31536000")
    if request.path.startswith(("/api/", "/_dash-update-component", "/export/", "/login")) and "Cache-Control" not in h:
        h["Cache-Control"] = "no-store"  # answers with data (or a login form) are never kept by caches
    return response


# --- same-origin check (CSRF) ---------------------------------------------------------------------


def request_origin() -> str | None:
    """The origin a browser says the request comes from: Origin, else the Referer's origin."""
    origin = request.headers.get("Origin")
    if origin and origin != "null":
        return origin.rstrip("/")
    ref = request.headers.get("Referer")
    if ref:
        p = urlsplit(ref)
        if p.scheme and p.netloc:
            return f"{p.scheme}://{p.netloc}"
    return "null" if origin == "null" else None


def own_origins(trusted=()) -> set[str]:
    return {request.host_url.rstrip("/"), *trusted}


def origin_ok(trusted=(), *, required: bool) -> bool:
    """Whether a state-changing request may proceed. Browsers send Origin on every POST (fetch,
    forms), so a request riding on a session cookie must come from our own pages (``required``);
    without cookies (no login) only a foreign origin is refused."""
    if request.method not in UNSAFE_METHODS:
        return True
    origin = request_origin()
    if origin is None:
        return not required
    return origin in own_origins(trusted)


# --- error answers --------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · {{ app }}</title><link rel="stylesheet" href="/assets/login.css"></head>
<body class="gs-plain"><main class="gs-card">
<h1>{{ title }}</h1><p>{{ body }}</p>{% if error_id %}<p class="gs-error-id">{{ error_id }}</p>{% endif %}
<p><a class="gs-button" href="{{ link }}">{{ link_text }}</a></p>
</main></body></html>"""


def wants_json() -> bool:
    return request.path.startswith(JSON_PREFIXES)


def page(title: str, body: str, status: int, *, error_id: str | None = None, link: str = "/",
         link_text: str | None = None) -> Response:
    html = render_template_string(PAGE, title=title, body=body, app=strings.APP_TITLE,
                                  error_id=strings.ERROR_ID.format(id=error_id) if error_id else None, link=link,
                                  link_text=link_text or strings.BACK_TO_SCREEN)
    return Response(html, status=status, mimetype="text/html")


def refuse(status: int, message: str, *, title: str | None = None) -> Response:
    """A refusal in the shape the client expects: JSON for API, callbacks and exports, else a page."""
    if wants_json():
        return jsonify(error=message), status
    return page(title or strings.FORBIDDEN_TITLE, message, status)


def new_error_id() -> str:
    return secrets.token_hex(4).upper()


def unexpected(exc: Exception):
    """Any unhandled exception: logged with an id (the traceback stays in the log), answered
    with that id and no detail."""
    error_id = new_error_id()
    log.error("error %s answering %s %s", error_id, request.method, request.path, exc_info=exc)
    if wants_json():
        return jsonify(error=strings.ERROR_JSON.format(id=error_id), error_id=error_id), 500
    return page(strings.ERROR_TITLE, strings.ERROR_BODY, 500, error_id=error_id)


def database_away(exc: Exception):
    """The database is unreachable: callbacks answer "no update" (the screen keeps its last data
    under the stale banner), the rest a 503 in words."""
    log.warning("database unavailable answering %s %s (%s)", request.method, request.path, exc.__class__.__name__)
    if request.path.startswith("/_dash-update-component"):
        return "", 204
    if wants_json():
        return jsonify(error=strings.DATABASE_AWAY_TITLE), 503
    return page(strings.DATABASE_AWAY_TITLE, strings.DATABASE_AWAY_BODY, 503)
