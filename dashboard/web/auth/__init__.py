"""Accounts on the web: login sessions, the request gate, hardening. No Dash here.

``init_app(server, runtime)`` wires it all into the Flask server before Dash is created on it
(behind ``GRIDSCREEN_TRUSTED_PROXIES`` reverse proxies, Werkzeug's ProxyFix first, so that the
client address every limit, brake and audit entry uses is the client's, not the proxy's);
``finish(server, script_hashes)`` adds the Content Security Policy once Dash knows its inline
scripts. See ``gate`` (who may ask what), ``views`` (login, logout), ``security`` (headers, CSRF,
error answers) and ``dashboard.access`` (what each principal may see).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from flask import Flask, session
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.exc import DBAPIError
from werkzeug.middleware.proxy_fix import ProxyFix

from dashboard.web import accounts
from dashboard.web.runtime import Runtime
from dashboard.web.auth import gate, security, views
from dashboard.web.auth.gate import set_screen_ids  # noqa: F401  (used by the callbacks package)
from dashboard.web.auth.users import LoginUser

log = logging.getLogger(__name__)
COOKIE_NAME = "gridscreen_session"


def init_app(server: Flask, runtime: Runtime) -> None:
    s = runtime.settings
    s.check_web()
    if s.trusted_proxies:
        # Trust exactly that many proxies' X-Forwarded-* headers (the client address, scheme and
        # host they saw); without it those headers are ignored, whoever sends them.
        n = s.trusted_proxies
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=n, x_proto=n, x_host=n, x_port=n)
    # Without accounts nothing is signed that matters (the login page is off): a per-process key.
    server.secret_key = s.secret_key or secrets.token_urlsafe(32)
    server.config.update(
        SESSION_COOKIE_NAME=COOKIE_NAME,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",  # sent on top-level navigation (links into the app), not cross-site POSTs
        SESSION_COOKIE_SECURE=s.cookie_secure,
        # The cookie of a wall screen (a permanent session) lives as long as its server-side session
        # may; people's cookies end with the browser, and the server ends the session after a shift.
        PERMANENT_SESSION_LIFETIME=timedelta(days=s.display_session_days),
        # The cookie is sent when the session changes (login, logout, a CSRF token, a wall screen's
        # expiry sliding forward: ``_load``), not with every answer: a screen polls every few
        # seconds, and an answer still in flight while its page is left would otherwise put its
        # session back over a login started meanwhile.
        SESSION_REFRESH_EACH_REQUEST=False,
        # CSRF (Flask-WTF): the token lives in the session; the gate checks it on every state-changing
        # request riding on a login (Dash's renderer sends the ``_csrf_token`` cookie back as
        # ``X-CSRFToken``). It lasts as long as the session: a wall screen polls for weeks.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,
        WTF_CSRF_SSL_STRICT=False,  # the same-origin check (security.origin_ok) covers the Referer
        PROPAGATE_EXCEPTIONS=False,
        DEBUG=False,
    )

    server.extensions[gate.CSRF_KEY] = CSRFProtect(server)

    manager = LoginManager()
    # Sessions are revocable on the server; "strong" protection would log a wall screen out when
    # its address changes (DHCP), and adds nothing a revocation cannot do.
    manager.session_protection = None
    manager.init_app(server)

    @manager.user_loader
    def _load(token: str):
        info = accounts.load_session(runtime.engine, token, display_days=s.display_session_days)
        if info and info.renewed:
            session.modified = True  # the permanent cookie's expiry slides with the server's
        return LoginUser(info, token) if info else None

    # Its breach messages name the client address: kept out of the logs (the audit log has them).
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)
    limiter = Limiter(get_remote_address, app=server, storage_uri=s.ratelimit_storage, default_limits=[],
                      strategy="fixed-window", headers_enabled=False)
    # Two limits on login attempts: per client address, and per account from one address (so that
    # guessing one account's password from one place is slow without slowing anyone else).
    login_view = limiter.limit(s.login_rate, methods=["POST"])(
        limiter.limit(s.login_account_rate, key_func=views.account_address_key, methods=["POST"])(views.login))
    server.add_url_rule("/login", "login", login_view, methods=["GET", "POST"])
    server.add_url_rule("/logout", "logout", views.logout, methods=["GET", "POST"])
    server.add_url_rule("/favicon.ico", "favicon", views.favicon, methods=["GET"])
    server.errorhandler(RateLimitExceeded)(views.rate_limited)

    server.before_request(gate.database_error_guard(gate.check))
    server.after_request(security.add_headers)
    server.after_request(gate.csrf_cookie)
    server.register_error_handler(DBAPIError, security.database_away)
    server.register_error_handler(Exception, _unexpected)
    from dashboard.web.access import Denied

    server.register_error_handler(Denied, _denied)


def _unexpected(exc: Exception):
    from werkzeug.exceptions import HTTPException

    if isinstance(exc, HTTPException):  # 404, 405 ... keep their own answers
        return exc
    return security.unexpected(exc)


def _denied(exc):
    from dashboard import strings

    # A callback or URL asking for what is not the user's: nothing of it in the answer.
    return security.refuse(exc.status, str(exc) if exc.status == 403 else strings.NOT_FOUND_BODY,
                           title=strings.FORBIDDEN_TITLE if exc.status == 403 else strings.NOT_FOUND_TITLE)


def finish(server: Flask, script_hashes, tile_url: str | None = None) -> None:
    server.config[security.CSP_KEY] = security.build_csp(script_hashes, tile_url)
