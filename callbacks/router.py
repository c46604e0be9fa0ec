"""URL → screen. Unknown paths and unknown codes get the Chinese 404 page, never a traceback."""

from __future__ import annotations

import re

from dash import Input, Output

from dashboard.runtime import Runtime
from layouts import bigscreen, common, ids

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


@route(r"/")
def _bigscreen(runtime: Runtime):
    return bigscreen.layout(demo=runtime.settings.embedded)


# --- warnings ---
@route(r"/warnings")
def _warnings(runtime: Runtime):
    from .warnings import page_layout

    return page_layout(runtime)


def register(app, runtime: Runtime) -> None:
    @app.callback(Output(ids.Shell.PAGE, "children"), Input(ids.Shell.URL, "pathname"))
    def render(pathname):
        return resolve(runtime, pathname)
