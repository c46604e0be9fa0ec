"""REST API under /api/v1 (a Flask blueprint; no Dash here).

Errors are JSON ``{"error": message, "fields": {field: reason}}`` with a 4xx status that says
what was wrong; a request either does all it asks or nothing.
"""

from __future__ import annotations

from flask import Blueprint, jsonify

from dashboard import strings

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


class ApiError(Exception):
    # ``status`` and ``message`` are positional-only so that ``extra`` may carry a "status" key
    # (the 409 of a transition names the case's current status).
    def __init__(self, status: int, message: str, /, fields: dict[str, str] | None = None,
                 headers: dict[str, str] | None = None, **extra):
        super().__init__(message)
        self.status = status
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}
        self.extra = extra


def bad_query(fields: dict[str, str], message: str = strings.API_INVALID_QUERY) -> ApiError:
    """A 400 for query parameters: the message names each bad parameter, ``fields`` says why."""
    return ApiError(400, strings.API_NAMED.format(message=message, names=strings.LIST_SEP.join(fields)), fields)


@blueprint.errorhandler(ApiError)
def _api_error(exc: ApiError):
    body = {"error": exc.message}
    if exc.fields:
        body["fields"] = exc.fields
    body.update(exc.extra)
    return jsonify(body), exc.status, exc.headers


from dashboard.web.api import eventfiles  # noqa: E402,F401  (files of the explorer's filter)
from dashboard.web.api import readers  # noqa: E402,F401  (registers the routes)
from dashboard.web.api import geo  # noqa: E402,F401

# --- warnings ---
from dashboard.web.api import warnings  # noqa: E402,F401  (GET /api/v1/warnings)


# --- reporting API --------------------------------------------------------------------------------
from dashboard.web.api import guards  # noqa: E402,F401  (body limit, JSON errors for everything under /api/v1)
from dashboard.web.api import catalog, events, openapi, staff  # noqa: E402,F401  (register their routes)
