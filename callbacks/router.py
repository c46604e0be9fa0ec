"""URL → page (``site.py`` lists them). Unknown paths and unknown codes get the Chinese 404
page (and a page request for them the HTTP status 404), never a traceback."""

from __future__ import annotations

from urllib.parse import parse_qs

from dash import Input, Output, callback_context, no_update
from flask import request
from sqlalchemy.exc import DBAPIError

from dashboard import strings
from dashboard.domain import areas
from dashboard.web import access
from dashboard.web.runtime import Runtime
from layouts import common, ids

from . import site


def resolve(runtime: Runtime, pathname: str | None, search: str | None = None):
    """The page a URL shows: the page's own tree, or the Chinese 403 / 404 page. The page must be
    the principal's (role and scope); what lies outside answers like "not found"."""
    page, args = site.match(pathname)
    if page is not None:
        try:
            page.check(runtime, args)
            if page.takes_query:
                args["query"] = parse_qs((search or "").lstrip("?"))
            tree = page.build(runtime, **args)
        except access.Forbidden:
            return common.forbidden()
        except access.Denied:
            return common.not_found()
        if tree is not None:
            return _with_badge(runtime, tree)
    return common.not_found()


def status(runtime: Runtime, pathname: str | None) -> int:
    """The HTTP status of a page's URL, the same way ``resolve`` decides what it shows: 404 for a
    path no route knows, a subject that does not exist or lies outside the principal's scope;
    403 for a role that may not open it; else 200."""
    page, args = site.match(pathname)
    if page is None:
        return 404
    try:
        page.check(runtime, args)
    except access.Forbidden:
        return 403
    except access.Denied:
        return 404
    return 200 if page.exists is None or page.exists(runtime, **args) else 404


def _page_status(app, runtime: Runtime):
    """Dash answers every path with its index page (the router renders the page in the browser);
    this gives a page request the status of what it will show. The body stays the index page, so
    the browser still renders the Chinese 404 or 403 page."""
    prefix = app.config.routes_pathname_prefix
    index_endpoints = {prefix, prefix + "<path:path>"}

    def after(response):
        if (request.method in ("GET", "HEAD") and request.endpoint in index_endpoints and response.status_code == 200
                and response.mimetype == "text/html"):
            try:
                code = status(runtime, request.path)
            except DBAPIError:
                return response  # the page itself says the database is away
            response.status_code = code
        return response

    return after


def _with_badge(runtime: Runtime, page):
    """A logged-in person sees who they are and can log out (wall screens and the demo: no tag)."""

    p = access.current()
    if p.kind != "user" or p.role == "display":
        return page
    role = strings.USER_ROLE_LABELS.get(p.role, p.role)
    where = areas.get(runtime.engine, p.area) if p.area else None
    town = where.name if where else None
    text = (strings.USER_BADGE_TOWN.format(name=p.name, role=role, town=town) if town
            else strings.USER_BADGE.format(name=p.name, role=role))
    return [page, common.user_badge(text)]


def register(app, runtime: Runtime) -> None:
    app.server.after_request(_page_status(app, runtime))

    @app.callback(Output(ids.Shell.PAGE, "children"), Input(ids.Shell.URL, "pathname"),
                  Input(ids.Shell.URL, "search"))
    def render(pathname, search):
        # The query is part of a page (its time range); a page that owns its query (the explorer's
        # filters) is not rebuilt when only the query moved.
        if set(callback_context.triggered_prop_ids) == {f"{ids.Shell.URL}.search"}:
            page, _ = site.match(pathname)
            if page is not None and page.owns_query:
                return no_update
        return resolve(runtime, pathname, search)
