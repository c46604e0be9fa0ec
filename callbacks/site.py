"""The app's pages, in the order the router tries them, and what is derived from the list: the
page a URL names and the desk pages' navigation (filled in by a callback, so a screen module never
needs the list it belongs to)."""

from __future__ import annotations

import html

import flask
from dash import Input, Output, dcc

from dashboard import strings
from dashboard.web import access
from dashboard.web.runtime import Runtime
from layouts import ids

from . import (
    area,
    bigscreen,
    bulletin,
    department,
    event,
    explorer,
    grid,
    sources,
    warnings,
)
from .pages import Page

PAGES: tuple[Page, ...] = (bigscreen.PAGE, explorer.PAGE, warnings.PAGE, bulletin.PAGE, sources.PAGE, area.TOWN,
                           area.COMMUNITY, grid.PAGE, event.PAGE, department.PAGE)


def match(path: str | None) -> tuple[Page | None, dict]:
    path = (path or "/").rstrip("/") or "/"
    for page in PAGES:
        args = page.match(path)
        if args is not None:
            return page, args
    return None, {}


def nav_links() -> list[tuple[str, str]]:
    """The desk's navigation: the pages listed there that the principal may open."""
    return [(p.path, strings.NAV[p.key]) for p in PAGES if p.nav and access.can(p.permission)]


def preload_tags(path: str | None) -> str:
    """``<link rel=preload>`` for the grids' geometry of the page at ``path`` (``Page.grids``). As
    fetch (CORS mode, same-origin credentials) so that the page's own ``fetch(url)`` is given it."""
    page, _ = match(path)
    if page is None or page.grids is None:
        return ""
    return f'<link rel="preload" class="gs-grids" href="{html.escape(page.grids)}" as="fetch" crossorigin="anonymous">'


def register(app, runtime: Runtime) -> None:
    @app.callback(Output(ids.Desk.NAV, "children"), Input(ids.Shell.URL, "pathname"))
    def navigation(_pathname):
        return [dcc.Link(label, href=href, className="desk-nav-link") for href, label in nav_links()]

    plain = app.interpolate_index

    def interpolate_index(**parts):  # the HTML Dash answers for any page: its data preloaded
        parts["metas"] = parts.get("metas", "") + preload_tags(flask.request.path)
        return plain(**parts)

    app.interpolate_index = interpolate_index
