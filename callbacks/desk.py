"""What every desk page resolves the same way: the time window from the URL, breadcrumbs from the
area lineage, map settings, the range bar, and navigation from map clicks."""

from __future__ import annotations

from urllib.parse import urlencode

from dash import Input, Output, dcc, html, no_update

from dashboard import strings, vocabulary
from dashboard.domain import areas, windows
from dashboard.figures import casefile, gridprofile
from dashboard.present import caserows, fmt
from dashboard.timeutil import to_local
from dashboard.web import access
from dashboard.web.runtime import Runtime
from layouts import desk, ids

from .panel import Source, View

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


def select_window(runtime: Runtime, query: dict | None) -> windows.Selection:
    """The window a desk page's URL asks for; a bad or incomplete custom range falls back to the
    default, so a hand-edited link still opens."""
    return windows.select_range(first(query, "range"), first(query, "start"), first(query, "end"), runtime.now(),
                                default=DEFAULT_RANGE, first=windows.first_report(runtime.engine))


def view(runtime: Runtime, query: dict | None, **fields) -> View:
    """A desk page's ``View``: its window from the URL, the principal's scope, the links' query."""
    sel = select_window(runtime, query)
    root = areas.root(runtime.engine)
    return View(window=sel.window, now=runtime.now(), limit=access.limit(), root=root.code if root else None,
                permissions=access.permissions(), selection=sel, link_query=suffix(query), **fields)


class AreaParams(Source):
    """A desk page about an area of given levels (town and community, or grid): its params store
    holds the area's code and the URL's window. The params are the client's word, not ours: the
    area must be of the page's levels and visible (else it answers like one that does not exist)."""

    def __init__(self, store: str, levels: tuple[str, ...]):
        self.inputs = (Input(store, "data"),)
        self.levels = levels

    def resolve(self, runtime: Runtime, values) -> View:
        params = values[0] or {}
        code = params.get("code")
        if not isinstance(code, str) or vocabulary.level_of_code(code) not in self.levels:
            raise access.NotVisible()
        access.require_area(code)
        return view(runtime, params.get("query"), area=code)


def range_bar(path: str, sel: windows.Selection) -> desk.RangeBar:
    w = sel.window
    return desk.RangeBar(path=path, active=sel.range_key, start_iso=w.start.isoformat(), end_iso=w.end.isoformat(),
                         start_text=fmt.when(w.start, "%Y-%m-%d %H:%M"), end_text=fmt.when(w.end, "%Y-%m-%d %H:%M"),
                         custom_start=sel.start, custom_end=sel.end,
                         asking=strings.CUSTOM_DATES_SHOWING.format(range=strings.RANGE_LABELS[sel.range_key])
                         if sel.asked == "custom" else None)


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


def header(**fields) -> desk.Header:
    """A desk page's header (its navigation is filled in by ``site.py``)."""
    return desk.Header(**fields)


def open_table(rows: list[dict]):
    """Open cases, overdue first: the short list on area and grid pages."""
    out = []
    for r in rows:
        p = caserows.present(r)
        out.append({
            "id": dcc.Link(f"#{r['id']}", href=f"/event/{r['id']}", className="row-link"),
            "title": dcc.Link(r["title"], href=f"/event/{r['id']}", className="row-link"),
            "grid": p["grid"],
            "status": desk.status_badge(r["status"], r["overdue"]),
            "handler": p["handler"],
            "deadline": p["deadline"][5:] if p["deadline"] else "—",
            "overdue": (html.Span(fmt.duration_hours(r["overdue_hours"]), className="bad") if r["overdue"] else "—"),
            "supervised": desk.tag(strings.EVENT_SUPERVISED, "sup") if r["supervised_at"] is not None else "",
            "_overdue": r["overdue"],
        })
    c = strings.EXPLORER_COLUMNS
    cols = [("id", c["id"]), ("title", c["title"]), ("grid", c["grid"]), ("status", c["status"]),
            ("handler", c["handler"]), ("deadline", c["deadline"]), ("overdue", strings.INDICATOR_LABELS["overdue"]), ("supervised", c["supervised"])]
    return desk.table(cols, out, empty=strings.NO_OPEN_EVENTS, class_name="cases",
                      row_class=lambda r: "row-overdue" if r["_overdue"] else None)


def supervise_case(runtime: Runtime, event_id: int, note, refresh):
    """督办 from a desk page (the case file, the explorer): a duty officer's act — checked here on
    the server, whatever the page showed — on a case they may see, in their own name, with the
    life cycle's refusal (no note, a closed case) shown in its words. Returns the message, its
    class, the refresh counter and the note box's new value."""
    access.require("supervise")
    access.require_event(runtime.engine, event_id)
    actor = access.actor()
    now = runtime.now()
    try:
        done = casefile.supervise(runtime.engine, event_id, actor=actor, note=note or "", at=now)
    except casefile.SuperviseError as exc:
        return str(exc), "desk-message bad", no_update, no_update
    if not done.repeated:  # a repeat within minutes is the same act: nothing new to audit
        access.audit(runtime.engine, "supervise", target=f"event:{event_id}")
    msg = f"#{event_id} " + strings.SUPERVISE_DONE.format(when=fmt.when(now, "%m-%d %H:%M"), actor=actor)
    return msg, "desk-message good", (refresh or 0) + 1, ""
