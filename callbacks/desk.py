"""What every desk page resolves the same way: the time window from the URL, breadcrumbs from the
area lineage, map settings, the range bar, and navigation from map clicks."""

from __future__ import annotations

from urllib.parse import urlencode

from dash import Input, Output, no_update

from dashboard.domain import areas
from dashboard.present import fmt
from dashboard.figures import gridprofile
from dashboard.domain import windows
from dashboard import strings
from dashboard.web import access
from dashboard.web.runtime import Runtime
from dashboard.timeutil import to_local
from layouts import desk, ids

DEFAULT_RANGE = "7d"  # the big screen opens on 近7日: a click from it lands on the same window
AREA_PATHS = {"town": "/town/", "community": "/community/", "grid": "/grid/"}


def first(query: dict | None, name: str) -> str | None:
    v = (query or {}).get(name)
    if isinstance(v, list):
        v = v[0] if v else None
    return (v or "").strip() or None


def window_query(query: dict | None) -> dict:
    """The part of a desk page's query that travels with links: its time range."""
    out = {}
    rk = first(query, "range")
    if rk and rk in windows.RANGES and rk != DEFAULT_RANGE:
        out["range"] = rk
    if rk == "custom":
        for k in ("start", "end"):
            if first(query, k):
                out[k] = first(query, k)
    return out


def suffix(query: dict | None) -> str:
    q = window_query(query)
    return "?" + urlencode(q) if q else ""


def resolve_window(runtime: Runtime, query: dict | None):
    """(window, range key, custom start, custom end) from the URL; a bad or incomplete custom range
    falls back to the default, so a hand-edited link still opens."""
    now = runtime.now()
    rk = first(query, "range") or DEFAULT_RANGE
    start, end = first(query, "start"), first(query, "end")
    if rk not in windows.RANGES:
        rk = DEFAULT_RANGE
    try:
        window = windows.window_for(rk, now, first=windows.first_report(runtime.engine), start=start, end=end)
    except ValueError:
        rk, start, end = DEFAULT_RANGE, None, None
        window = windows.window_for(rk, now)
    return window, rk, (start if rk == "custom" else None), (end if rk == "custom" else None)


def range_bar(path: str, window: windows.Window, rk: str, start: str | None, end: str | None) -> desk.RangeBar:
    return desk.RangeBar(path=path, active=rk, start_iso=window.start.isoformat(), end_iso=window.end.isoformat(),
                         start_text=fmt.when(window.start, "%Y-%m-%d %H:%M"),
                         end_text=fmt.when(window.end, "%Y-%m-%d %H:%M"), custom_start=start, custom_end=end)


def area_crumbs(engine, code: str, query: dict | None, *, link_last: bool = False) -> list[desk.Crumb]:
    """县 › 镇 › 社区 › 网格: the county links back to the big screen (the county view)."""
    sfx = suffix(query)
    line = areas.lineage(engine, code)
    out = []
    for i, a in enumerate(line):
        last = i == len(line) - 1
        if a.level == "county":
            href = "/"
        else:
            href = AREA_PATHS[a.level] + a.code + sfx
        out.append(desk.Crumb(a.name, href if (not last or link_last) else None))
    return out


def map_settings(runtime: Runtime, code: str, pad: float = 0.0) -> desk.MapSettings | None:
    s = runtime.settings
    b = gridprofile.bounds(runtime.engine, code, crs=s.tile_crs)
    if b is None:
        return None
    if pad:
        dy, dx = (b[1][0] - b[0][0]) * pad, (b[1][1] - b[0][1]) * pad
        b = [[b[0][0] - dy, b[0][1] - dx], [b[1][0] + dy, b[1][1] + dx]]
    tile = s.tile_url.replace("{tk}", s.tile_key or "").replace("{key}", s.tile_key or "") if s.tile_url else None
    return desk.MapSettings(bounds=b, tile_url=tile, tile_attribution=s.tile_attribution)


def local_date(v) -> str:
    return to_local(v).strftime("%Y-%m-%d")


def register(app, runtime: Runtime) -> None:
    # A custom range from the picker of any desk page: the URL carries it, the page re-renders.
    @app.callback(
        Output(ids.Shell.URL, "search", allow_duplicate=True),
        Input(ids.Desk.DATES, "start_date"),
        Input(ids.Desk.DATES, "end_date"),
        prevent_initial_call=True,
    )
    def custom_range(start, end):
        if not start or not end:
            return no_update
        return "?" + urlencode({"range": "custom", "start": start[:10], "end": end[:10]})


def open_grid_from_click(click, search):
    """Map click on a grid -> its page, keeping the time range."""
    code = (click or {}).get("code")
    if not code:
        return no_update, no_update
    return f"/grid/{code}", search or ""


def nav_links() -> list[tuple[str, str]]:
    """The desk's navigation: the pages the registry lists there that the principal may open."""
    from .pages import pages

    return [(p.path, strings.NAV[p.key]) for p in pages() if p.nav and access.can(p.permission)]


def header(**fields) -> desk.Header:
    """A desk page's header with the desk's navigation."""
    return desk.Header(nav=nav_links(), **fields)
