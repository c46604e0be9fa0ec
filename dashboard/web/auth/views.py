"""The login page (Chinese) and logout.

Login is a plain server-rendered form (it must work before any Dash code is allowed to load),
protected by a CSRF token (Flask-WTF) plus the same-origin check, and by brakes on guessing:

- attempts per client address (Flask-Limiter, ``GRIDSCREEN_LOGIN_RATE``);
- attempts on one account from one client address (``GRIDSCREEN_LOGIN_ACCOUNT_RATE``);
- failures of one account from one client address (``GRIDSCREEN_LOGIN_FAILURES`` within 15
  minutes pause that account *from that address*), counted in the audit log so that every worker
  shares the count.

The brakes count per address, never per account alone: anyone can type a duty officer's name ten
times, and a brake on the name would lock the officer out during an incident. From any other
address the owner still logs in; the attacker's guesses stay slow (and each costs an Argon2id
hash). Behind a reverse proxy the client address is the one the trusted proxy reports
(``GRIDSCREEN_TRUSTED_PROXIES``), so users behind one proxy do not share one limit. Every attempt is
in the audit log.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

from flask import Response, redirect, render_template_string, request, session
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from sqlalchemy.exc import DBAPIError

from dashboard import strings
from dashboard.web import access
from dashboard.web import accounts
from dashboard.store import audit
from dashboard.web.runtime import current as runtime
from dashboard.timeutil import now_utc
from dashboard.web.auth import security
from dashboard.web.auth.users import LoginUser

log = logging.getLogger(__name__)
BRAKE_WINDOW = timedelta(minutes=15)

LOGIN_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ s.LOGIN_TITLE }} · {{ s.APP_TITLE }}</title><link rel="icon" href="/_favicon.ico">
<link rel="stylesheet" href="/assets/login.css"></head>
<body class="gs-plain"><main class="gs-card gs-login">
<h1>{{ s.APP_TITLE }}</h1><h2>{{ s.LOGIN_HEADING }}</h2>
{% if message %}<p class="gs-message {{ kind }}" role="alert">{{ message }}</p>{% endif %}
<form method="post" action="/login" autocomplete="on">
<input type="hidden" name="csrf_token" value="{{ csrf }}"><input type="hidden" name="next" value="{{ next }}">
<label>{{ s.LOGIN_USERNAME }}<input name="username" id="username" autocomplete="username" required maxlength="64"
 value="{{ username }}" autofocus></label>
<label>{{ s.LOGIN_PASSWORD }}<input name="password" id="password" type="password" autocomplete="current-password"
 required maxlength="256"></label>
<button type="submit" class="gs-button" id="login-submit">{{ s.LOGIN_SUBMIT }}</button>
</form><p class="gs-note">{{ s.LOGIN_NOTE }}</p></main></body></html>"""

LOGOUT_PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{{ s.LOGOUT }} · {{ s.APP_TITLE }}</title>
<link rel="icon" href="/_favicon.ico"><link rel="stylesheet" href="/assets/login.css"></head>
<body class="gs-plain"><main class="gs-card"><h1>{{ s.LOGOUT }}</h1>
<form method="post" action="/logout"><input type="hidden" name="csrf_token" value="{{ csrf }}"><button type="submit" class="gs-button" id="logout-submit">{{ s.LOGOUT }}</button></form>
<p><a href="/">{{ s.BACK_TO_SCREEN }}</a></p></main></body></html>"""


def favicon():
    """``/favicon.ico``, which browsers ask for on their own: Dash's icon. Open, and it never
    touches the session: sent to the login page instead, it rendered a login form of its own whose
    new CSRF token replaced the one of the form being filled in (表单已过期 on the first try)."""
    return redirect("/_favicon.ico", code=301)


def safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no ``//``): never an open redirect."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target or any(ord(c) < 32 for c in target):
        return "/"
    if target.startswith(("/login", "/logout")):
        return "/"
    return target


def _render(status: int = 200, message: str = "", kind: str = "bad", username: str = "", nxt: str = "/"):
    html = render_template_string(LOGIN_PAGE, s=strings, message=message, kind=kind, csrf=generate_csrf(),
                                  next=safe_next(nxt), username=username)
    return Response(html, status=status, mimetype="text/html")


def name_key(username: str) -> str:
    """How a failed login's name is kept: a hash, so a password typed into the name field never
    lands in the audit log, while attempts on one name can still be counted."""
    return "name:" + hashlib.sha256(username.strip().lower().encode("utf-8")).hexdigest()[:24]


def client_address() -> str:
    """The client's address as the brakes and the audit log keep it."""
    return (request.remote_addr or "")[:64]


def account_address_key() -> str:
    """Flask-Limiter's key for attempts on one account from one address (the name as hashed for
    the audit log: a password typed into the name field is not kept in the limiter's store)."""
    return client_address() + "|" + name_key((request.form.get("username") or "")[:64])


def login():
    rt = runtime()
    s = rt.settings
    if not s.auth_required:
        return redirect("/")
    if request.method == "GET":
        if current_user and current_user.is_authenticated:
            return redirect(safe_next(request.args.get("next")))
        msg = strings.SESSION_ENDED if request.args.get("ended") else ""
        return _render(message=msg, kind="info", nxt=request.args.get("next"))

    form = request.form
    username = (form.get("username") or "").strip()[:64]
    nxt = form.get("next")
    if not security.origin_ok(s.trusted_origins, required=True):
        return _render(403, strings.CSRF_REFUSED, nxt=nxt)
    try:
        validate_csrf(form.get("csrf_token"))
    except (CSRFError, Exception):  # noqa: BLE001 (flask-wtf raises ValidationError for every kind of bad token)
        return _render(400, strings.LOGIN_FORM_EXPIRED, username=username, nxt=nxt)

    engine = rt.engine
    now = now_utc()
    key = name_key(username)
    try:
        if audit.failures_by_target(engine, key, now - BRAKE_WINDOW, remote_addr=client_address()) >= s.login_failures:
            _audit_login(engine, username, "denied", key, reason="paused")
            return _render(429, strings.LOGIN_PAUSED.format(minutes=int(BRAKE_WINDOW.total_seconds() // 60)),
                           username=username, nxt=nxt)
        user = accounts.authenticate(engine, username, form.get("password") or "")
        if user is None:
            _audit_login(engine, username, "failed", key)
            return _render(401, strings.LOGIN_FAILED, username=username, nxt=nxt)
        token, info = accounts.start_session(engine, user, hours=s.session_hours, display_days=s.display_session_days,
                                             now=now)
    except DBAPIError as exc:
        log.warning("login: database unavailable (%s)", exc.__class__.__name__)
        return _render(503, strings.LOGIN_DATABASE_AWAY, username=username, nxt=nxt)
    # A fresh cookie for the new login (no session fixation); a wall screen's outlives the browser.
    session.clear()
    session.permanent = info.sliding
    login_user(LoginUser(info, token))
    access.audit(engine, "login", principal=LoginUser(info, token).principal, target=key)
    return redirect(safe_next(nxt), code=303)


def _audit_login(engine, username: str, outcome: str, key: str, **detail) -> None:
    known = accounts.get_user(engine, username) if username else None
    audit.record(engine, action="login", actor=known.username if known else audit.UNKNOWN_ACTOR, actor_kind="anon",
                 user_id=known.id if known else None, outcome=outcome, target=key, detail=detail or None,
                 remote_addr=client_address())


def rate_limited(_exc):
    """Flask-Limiter's 429 on the login form, in words."""
    try:
        audit.record(runtime().engine, action="login", actor=audit.UNKNOWN_ACTOR, actor_kind="anon", outcome="denied",
                     detail={"reason": "rate"}, remote_addr=client_address())
    except DBAPIError:
        pass
    if request.path.startswith("/login"):
        return _render(429, strings.LOGIN_RATE_LIMITED)
    return security.refuse(429, strings.LOGIN_RATE_LIMITED)


def logout():
    rt = runtime()
    if request.method == "GET":
        return Response(render_template_string(LOGOUT_PAGE, s=strings, csrf=generate_csrf()), mimetype="text/html")
    if not security.origin_ok(rt.settings.trusted_origins, required=True):
        return security.refuse(403, strings.CSRF_REFUSED)
    try:
        validate_csrf(request.form.get("csrf_token"))
    except Exception:  # noqa: BLE001 (flask-wtf raises ValidationError for every kind of bad token)
        return security.refuse(403, strings.CSRF_REFUSED)
    user = current_user
    if user and user.is_authenticated:
        try:
            accounts.end_session(rt.engine, user.token)
            access.audit(rt.engine, "logout", principal=user.principal)
        except DBAPIError as exc:
            log.warning("logout: database unavailable (%s)", exc.__class__.__name__)
    logout_user()
    session.clear()
    return redirect("/login", code=303)
