"""URL → screen. Unknown paths and unknown codes get the Chinese 404 page, never a traceback."""

from __future__ import annotations

import inspect
import re
from urllib.parse import parse_qs

from dash import Input, Output, callback_context, no_update

from sqlalchemy import select

from dashboard import access, areas, geo
from dashboard.models import Area
from dashboard.runtime import Runtime
from layouts import bigscreen, common, ids

from . import bigscreen as bigscreen_callbacks
from .resilience import keep_last_on_db_error

ROUTES: list[tuple[re.Pattern, callable]] = []


# --- issue 5: routes may read the query string (``query``: parse_qs dict) and may own it --------
# A route that ``owns_query`` keeps its page when only the query changes (the explorer writes its
# filters there itself); every other page is rendered afresh, so a link to ``?range=30d`` works.
def route(pattern: str, *, owns_query: bool = False):
    def deco(fn):
        fn.owns_query = owns_query
        fn.takes_query = "query" in inspect.signature(fn).parameters
        ROUTES.append((re.compile(pattern), fn))
        return fn

    return deco


def match(pathname: str | None):
    path = (pathname or "/").rstrip("/") or "/"
    for pattern, fn in ROUTES:
        m = pattern.fullmatch(path)
        if m:
            return fn, m.groupdict()
    return None, {}


def resolve(runtime: Runtime, pathname: str | None, search: str | None = None):
    fn, args = match(pathname)
    if fn is not None:
        # --- issue 8: the page must be the user's (role, town); refusals look like "not found" ---
        try:
            access.check_page(runtime.engine, pathname, args)
            if getattr(fn, "takes_query", False):
                args["query"] = parse_qs((search or "").lstrip("?"))
            page = fn(runtime, **args)
        except access.Forbidden:
            return common.forbidden()
        except access.Denied:
            return common.not_found()
        if page is not None:
            return _with_badge(runtime, page)
        # --- end issue 8 ---
    return common.not_found()
# --- end issue 5 ---------------------------------------------------------------------------------


def _with_badge(runtime: Runtime, page):
    """issue 8: a logged-in person sees who they are and can log out (wall screens and the demo: no tag)."""
    from dashboard import strings

    p = access.current()
    if p.kind != "user" or p.role == "display":
        return page
    role = strings.USER_ROLE_LABELS.get(p.role, p.role)
    town = areas.names(runtime.engine, "town").get(p.town) if p.town else None
    text = (strings.USER_BADGE_TOWN.format(name=p.name, role=role, town=town) if town
            else strings.USER_BADGE.format(name=p.name, role=role))
    return [page, common.user_badge(text)]


def screen_context(runtime: Runtime):
    engine = runtime.engine
    root = areas.root(engine)
    if root is None:
        return None
    # --- issue 8: a town's account (or a town's wall screen) gets its town's screen ---
    town = access.limit()
    focus = areas.get(engine, town) if town else root
    if focus is None:
        return None
    title = root.name + (focus.name if town else "")
    # --- end issue 8 ---
    with engine.connect() as conn:
        geometry = conn.execute(select(Area.geometry).where(Area.code == focus.code)).scalar()
    minx, miny, maxx, maxy = geo.from_geojson(geometry).bounds
    s = runtime.settings
    colours, fp = bigscreen_callbacks.initial_map(runtime)
    tile = s.tile_url.replace("{tk}", s.tile_key or "").replace("{key}", s.tile_key or "") if s.tile_url else None
    return bigscreen.ScreenContext(
        county_name=title, towns=access.visible(sorted(areas.names(engine, "town").items())),
        bounds=[[miny, minx], [maxy, maxx]], center=[focus.centroid_lat, focus.centroid_lon],
        demo=s.embedded or not s.auth_required, tile_url=tile, tile_attribution=s.tile_attribution,
        frozen_now=s.frozen_now.isoformat() if s.frozen_now else None, colours=colours, colours_fingerprint=fp)


@route(r"/")
def _bigscreen(runtime: Runtime):
    ctx = screen_context(runtime)
    return bigscreen.layout(ctx) if ctx else common.not_found("数据库中还没有区域数据，请先导入或生成演示数据。")


# --- warnings ---
@route(r"/warnings")
def _warnings(runtime: Runtime):
    from .warnings import page_layout

    return page_layout(runtime)


def register(app, runtime: Runtime) -> None:
    @app.callback(Output(ids.Shell.PAGE, "children"), Input(ids.Shell.URL, "pathname"),
                  Input(ids.Shell.URL, "search"))
    @keep_last_on_db_error
    def render(pathname, search):
        # issue 5: the query is part of a page (its time range); a page that owns its query (the
        # explorer's filters) is not rebuilt when only the query moved.
        if set(callback_context.triggered_prop_ids) == {f"{ids.Shell.URL}.search"}:
            fn, _ = match(pathname)
            if getattr(fn, "owns_query", False):
                return no_update
        return resolve(runtime, pathname, search)
