"""URL → screen. Unknown paths and unknown codes get the Chinese 404 page, never a traceback."""

from __future__ import annotations

import re

from dash import Input, Output

from sqlalchemy import select

from dashboard import areas, geo
from dashboard.models import Area
from dashboard.runtime import Runtime
from layouts import bigscreen, common, ids

from . import bigscreen as bigscreen_callbacks
from .resilience import keep_last_on_db_error

ROUTES: list[tuple[re.Pattern, callable]] = []


def route(pattern: str):
    def deco(fn):
        ROUTES.append((re.compile(pattern), fn))
        return fn

    return deco


def resolve(runtime: Runtime, pathname: str | None):
    path = (pathname or "/").rstrip("/") or "/"
    for pattern, fn in ROUTES:
        m = pattern.fullmatch(path)
        if m:
            page = fn(runtime, **m.groupdict())
            if page is not None:
                return page
            break
    return common.not_found()


def screen_context(runtime: Runtime):
    engine = runtime.engine
    root = areas.root(engine)
    if root is None:
        return None
    with engine.connect() as conn:
        geometry = conn.execute(select(Area.geometry).where(Area.code == root.code)).scalar()
    minx, miny, maxx, maxy = geo.from_geojson(geometry).bounds
    s = runtime.settings
    hideout, fp = bigscreen_callbacks.initial_map(runtime)
    tile = s.tile_url.replace("{tk}", s.tile_key or "").replace("{key}", s.tile_key or "") if s.tile_url else None
    return bigscreen.ScreenContext(
        county_name=root.name, towns=sorted(areas.names(engine, "town").items()), bounds=[[miny, minx], [maxy, maxx]],
        center=[root.centroid_lat, root.centroid_lon],
        demo=s.embedded, tile_url=tile, tile_attribution=s.tile_attribution,
        frozen_now=s.frozen_now.isoformat() if s.frozen_now else None, hideout=hideout, hideout_fingerprint=fp)


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
    @app.callback(Output(ids.Shell.PAGE, "children"), Input(ids.Shell.URL, "pathname"))
    @keep_last_on_db_error
    def render(pathname):
        return resolve(runtime, pathname)
