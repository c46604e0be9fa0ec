"""What holds for every request under /api/v1: a body limit, and JSON answers for every error.

Without the catch-all route below, an unknown /api/v1 path would fall through to Dash's page
route and answer 200 with the screen's HTML; clients get a JSON 404 (or 405 with ``Allow``) instead.
Unexpected failures are logged and answered with a JSON 500 that carries no stack trace.
"""

from __future__ import annotations

import logging

from flask import current_app, jsonify, request
from sqlalchemy.exc import DBAPIError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from dashboard import strings
from dashboard.web import access
from dashboard.web.auth.security import new_error_id
from dashboard.web.api import blueprint
from dashboard.web.api.validation import MAX_BODY_BYTES

log = logging.getLogger(__name__)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@blueprint.before_request
def _limit_body():
    # Per request (Flask ≥ 3.1), so the Dash callbacks on the same server keep their own limit.
    request.max_content_length = MAX_BODY_BYTES


@blueprint.before_request
def _clean_query():
    # No parameter of ours may hold control characters; PostgreSQL refuses NUL in text outright,
    # which would otherwise surface as a database error instead of the client's mistake.
    bad = {k: strings.API_BAD_CHARACTERS for k, v in request.args.items(multi=True)
           if any(ord(ch) < 32 or ch == "\x7f" for ch in k + v)}
    if bad:
        return jsonify(error=strings.API_BAD_QUERY, fields=bad), 400


@blueprint.errorhandler(RequestEntityTooLarge)
def _too_large(_exc):
    return jsonify(error=strings.API_TOO_LARGE.format(limit=MAX_BODY_BYTES)), 413


@blueprint.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    # Werkzeug's descriptions are English: the status in our words instead.
    return jsonify(error=strings.API_HTTP_ERROR.format(code=exc.code or 500)), exc.code or 500


@blueprint.errorhandler(DBAPIError)
def _database_away(exc: DBAPIError):
    # The class only: a DBAPIError's text holds the statement (no personal data in logs).
    log.warning("database error answering %s %s: %s", request.method, request.path, exc.__class__.__name__)
    return jsonify(error=strings.API_DATABASE_AWAY), 503


# Scope refusals, and unexpected errors with an id the user can quote.
@blueprint.errorhandler(access.Denied)
def _denied(exc: access.Denied):
    return jsonify(error=str(exc) if exc.status == 403 else strings.NOT_FOUND_BODY), exc.status


@blueprint.errorhandler(Exception)
def _unexpected(exc: Exception):
    error_id = new_error_id()
    log.error("error %s answering %s %s", error_id, request.method, request.path, exc_info=exc)
    return jsonify(error=strings.ERROR_JSON.format(id=error_id), error_id=error_id), 500


@blueprint.route("/", defaults={"rest": ""}, methods=METHODS)
@blueprint.route("/<path:rest>", methods=METHODS)
def not_found(rest: str):
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in METHODS:
        try:
            endpoint, _ = adapter.match(request.path, method=method)
        except HTTPException:
            continue
        if endpoint != "api.not_found":
            allowed.append(method)
    if allowed:
        message = strings.API_METHOD_NOT_ALLOWED.format(path=request.path, method=request.method, allowed=", ".join(allowed))
        return jsonify(error=message), 405, {"Allow": ", ".join(allowed)}
    return jsonify(error=strings.API_NOT_FOUND.format(method=request.method, path=request.path)), 404
