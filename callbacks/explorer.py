"""/events: the event explorer — route, filters <-> URL, server-side rows, exports, 督办.

The filter lives in the URL's query (shareable, bookmarkable; the back button steps through
filters): one callback keeps the controls and the query in step both ways, and writes the current
filter to a store. The table (AG Grid, infinite row model with pagination) asks the server for
each block of rows with that filter and its sort; a filter change purges the grid's cache.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs

from dash import ClientsideFunction, Input, Output, State, callback_context, no_update
from sqlalchemy import select

from dashboard import strings
from dashboard.web import access
from dashboard.domain import areas
from dashboard import vocabulary
from dashboard.export import eventfiles
from dashboard.figures import caselist
from dashboard.present import caserows, fmt
from dashboard.store.models import Category, Department
from dashboard.web.runtime import Runtime
from layouts import desk, ids
from layouts import explorer as page

from . import desk as common
from .pages import Page

X = ids.Explorer
PATH = "/events"
CONTROLS = [X.RANGE, X.TOWN, X.COMMUNITY, X.GRID, X.CATEGORY, X.STATUS, X.HANDLER, X.FLAGS, X.SEARCH]


def _filters(runtime: Runtime, query: str | dict | None) -> caselist.Filters:
    params = parse_qs((query or "").lstrip("?")) if isinstance(query, str) or query is None else query
    f = caselist.from_query(params, runtime.now())
    # A town's account explores its town (no area = all of it; another town's = refused), and its
    # handlers: another town's desk is refused like one that does not exist.
    if f.handler and not access.department_visible(runtime.engine, f.handler):
        raise access.NotVisible()
    return replace(f, area=access.area(f.area))


def control_values(f: caselist.Filters) -> dict:
    a = f.area or ""
    return {
        "range": f.range_key, "start": f.start_text, "end": f.end_text,
        "town": a[:9] if len(a) >= 9 else None, "community": a[:12] if len(a) >= 12 else None,
        "grid": a if len(a) == 15 else None, "category": f.category, "status": list(f.statuses),
        "handler": f.handler, "flags": [k for k in caselist.FLAGS if getattr(f, k)], "q": f.text or "",
    }


def area_options(engine, parent: str | None) -> list[dict]:
    """The areas under ``parent`` the principal may see (a town's account: its own town only)."""
    if not parent:
        return []
    return [{"label": name, "value": code}
            for code, name in access.visible([(a.code, a.name) for a in areas.children(engine, parent)])]


def category_options(engine) -> list[dict]:
    with engine.connect() as conn:
        rows = conn.execute(select(Category.code, Category.name, Category.parent_code).order_by(Category.code)).all()
    tops = [r for r in rows if r.parent_code is None]
    out = []
    for t in tops:
        out.append({"label": t.name, "value": t.code})
        out += [{"label": strings.EXPLORER_SUBCATEGORY.format(name=r.name), "value": r.code}
                for r in rows if r.parent_code == t.code]
    return out


def handler_options(engine, selected: str | None) -> list[dict]:
    """County departments and the towns' desks the principal may see (a town's account: its own
    town's desk, never another's); a visible handler named in the URL is always offered."""
    cols = (Department.code, Department.name, Department.level, Department.area_code)
    with engine.connect() as conn:
        rows = conn.execute(select(*cols).where(Department.level.in_(["county_department", "town"]))
                            .order_by(Department.level, Department.code)).all()
        if selected and selected not in {r.code for r in rows}:
            rows += conn.execute(select(*cols).where(Department.code == selected)).all()
    return [{"label": r.name, "value": r.code} for r in access.visible_handlers(rows)]


def options(engine, v: dict) -> dict:
    root = areas.root(engine)
    return {
        "town": area_options(engine, root.code) if root else [],
        "community": area_options(engine, v["town"]),
        "grid": area_options(engine, v["community"]),
        "category": category_options(engine),
        "status": [{"label": strings.EXPLORER_STATUS_OPEN, "value": caselist.OPEN}]
        + [{"label": strings.STATUS_LABELS[s], "value": s} for s in vocabulary.STATUSES],
        "handler": handler_options(engine, v["handler"]),
    }


def explorer_page(runtime: Runtime, query: dict):
    f = _filters(runtime, query)
    v = control_values(f)
    root = areas.root(runtime.engine)
    crumbs = [desk.Crumb(root.name if root else strings.APP_TITLE, "/"), desk.Crumb(strings.CRUMB_EXPLORER)]
    header = common.header(crumbs=crumbs, title=strings.EXPLORER_TITLE, kind=strings.LOCAL_TIME_NOTE)
    ctx = page.ExplorerContext(header=header, state=caselist.to_query(f), values=v,
                                         options=options(runtime.engine, v), actor=access.actor())
    return page.layout(ctx)


def query_from_controls(rk, start, end, town, community, grid, category, status, handler, flags, q) -> str:
    params = {"range": rk or caselist.DEFAULT_RANGE}
    if rk == "custom":
        if start:
            params["start"] = start[:10]
        if end:
            params["end"] = end[:10]
    area = grid or community or town
    if area:
        params["area"] = area
    if category:
        params["category"] = category
    if status:
        params["status"] = ",".join(status)
    if handler:
        params["handler"] = handler
    for flag in flags or []:
        params[flag] = "1"
    if q:
        params["q"] = q
    return params


def register(app, runtime: Runtime) -> None:
    engine = runtime.engine

    app.clientside_callback(  # 自定义 asks for both dates (the table waits for them)
        ClientsideFunction(namespace="gridscreen_dates", function_name="promptHidden"),
        Output(X.DATES_PROMPT, "hidden"),
        Input(X.RANGE, "value"), Input(X.DATES, "start_date"), Input(X.DATES, "end_date"),
    )

    @app.callback(
        Output(X.URL, "search"),
        Output(X.STATE, "data"),
        Output(X.RANGE, "value"),
        Output(X.DATES, "start_date"),
        Output(X.DATES, "end_date"),
        Output(X.TOWN, "value"),
        Output(X.COMMUNITY, "value"),
        Output(X.GRID, "value"),
        Output(X.CATEGORY, "value"),
        Output(X.STATUS, "value"),
        Output(X.HANDLER, "value"),
        Output(X.FLAGS, "value"),
        Output(X.SEARCH, "value"),
        Output(X.COMMUNITY, "options"),
        Output(X.GRID, "options"),
        Output(X.HANDLER, "options"),
        Input(X.URL, "search"),
        Input(X.RANGE, "value"),
        Input(X.DATES, "start_date"),
        Input(X.DATES, "end_date"),
        Input(X.TOWN, "value"),
        Input(X.COMMUNITY, "value"),
        Input(X.GRID, "value"),
        Input(X.CATEGORY, "value"),
        Input(X.STATUS, "value"),
        Input(X.HANDLER, "value"),
        Input(X.FLAGS, "value"),
        Input(X.SEARCH, "value"),
        State(X.URL, "pathname"),
        State(X.STATE, "data"),
        prevent_initial_call=True,
    )
    def sync(search, rk, start, end, town, community, grid, category, status, handler, flags, q, pathname, state):
        """Controls <-> URL query, both ways, in one callback (so they never chase each other)."""
        n_out = 16
        trig = callback_context.triggered_id
        if (pathname or "").rstrip("/") != PATH or trig is None:
            return (no_update,) * n_out
        if trig == X.URL:  # back/forward, a link, 清除筛选: the URL wins
            f = _filters(runtime, search)
            new = caselist.to_query(f)
            v = control_values(f)
            return (no_update, new if new != state else no_update, v["range"], v["start"], v["end"], v["town"],
                    v["community"], v["grid"], v["category"], v["status"], v["handler"], v["flags"], v["q"],
                    area_options(engine, v["town"]), area_options(engine, v["community"]),
                    handler_options(engine, v["handler"]))
        # A control moved: keep the area chain consistent, then write the URL.
        community_opts = grid_opts = no_update
        if trig == X.TOWN:
            community, grid = None, None
            community_opts, grid_opts = area_options(engine, town), []
        elif trig == X.COMMUNITY:
            grid = None
            grid_opts = area_options(engine, community)
        if rk == "custom" and not (start and end):
            return (no_update,) * n_out  # wait for both dates
        params = query_from_controls(rk, start, end, town, community, grid, category, status, handler, flags, q)
        f = _filters(runtime, params)  # scoped like the URL
        new = caselist.to_query(f)
        chain = (community if trig == X.TOWN else no_update, grid if trig in (X.TOWN, X.COMMUNITY) else no_update)
        if new == state:
            return (no_update, no_update, *(no_update,) * 4, *chain, *(no_update,) * 5, community_opts, grid_opts,
                    no_update)
        return ("?" + new if new else "", new, *(no_update,) * 4, *chain, *(no_update,) * 5, community_opts,
                grid_opts, no_update)

    @app.callback(
        Output(X.COUNT, "children"),
        Output(X.CSV, "href"),
        Output(X.XLSX, "href"),
        Output(X.XLSX, "className"),
        Output(X.XLSX, "title"),
        Output(X.LINK, "href"),
        Input(X.STATE, "data"),
        Input(X.REFRESH, "data"),
    )
    def summary(state, _refresh):
        f = _filters(runtime, state)
        n = caselist.count(engine, f, runtime.now())
        qs = ("?" + state) if state else ""
        too_many = n > eventfiles.XLSX_MAX_ROWS
        return (strings.EXPLORER_COUNT.format(n=fmt.count(n)), f"/api/v1/explorer/events.csv{qs}",
                f"/api/v1/explorer/events.xlsx{qs}", "desk-button" + (" disabled" if too_many else ""),
                strings.EXPLORER_XLSX_TOO_MANY.format(n=f"{eventfiles.XLSX_MAX_ROWS:,}") if too_many else "",
                f"{PATH}{qs}")

    app.clientside_callback(
        ClientsideFunction(namespace="drill", function_name="reloadGrid"),
        Output(X.PURGED, "data"),
        Input(X.STATE, "data"),
        Input(X.REFRESH, "data"),
        State(X.TABLE, "id"),
        prevent_initial_call=True,
    )

    @app.callback(
        Output(X.TABLE, "getRowsResponse"),
        Input(X.TABLE, "getRowsRequest"),
        State(X.STATE, "data"),
    )
    def rows(request, state):
        if not request:
            return no_update
        now = runtime.now()
        f = _filters(runtime, state)
        start = int(request.get("startRow") or 0)
        end = int(request.get("endRow") or start + page.PAGE_SIZE)
        sort = [(s.get("colId"), s.get("sort")) for s in (request.get("sortModel") or [])]
        got = caselist.rows(engine, f, now, sort=sort or None, offset=start, limit=end - start)
        data = []
        for r in got:
            p = caserows.present(r)
            p["id_link"] = f"[{r['id']}](/event/{r['id']})"
            data.append(p)
        return {"rowData": data, "rowCount": caselist.count(engine, f, now)}

    @app.callback(
        Output(X.SELECTED, "children"),
        Output(X.SUPERVISE, "disabled"),
        Input(X.TABLE, "selectedRows"),
    )
    def selected(rows):
        if not rows:
            return strings.SUPERVISE_SELECT_ROW, True
        r = rows[0]
        text = strings.SUPERVISE_SELECTED.format(id=r["id"], title=r["title"])
        if not r.get("open"):
            return strings.WITH_NOTE.format(text=text, note=strings.SUPERVISE_NOT_OPEN), True
        return text, not access.can("supervise")  # only who may 督办 gets the button (and the callback checks)

    @app.callback(
        Output(X.MESSAGE, "children"),
        Output(X.MESSAGE, "className"),
        Output(X.REFRESH, "data"),
        Output(X.NOTE, "value"),
        Input(X.SUPERVISE, "n_clicks"),
        State(X.TABLE, "selectedRows"),
        State(X.NOTE, "value"),
        State(X.REFRESH, "data"),
        prevent_initial_call=True,
    )
    def supervise(n, rows, note, refresh):
        if not n or not rows:
            return no_update, no_update, no_update, no_update
        return common.supervise_case(runtime, int(rows[0]["id"]), note, refresh)


PAGE = Page("events", "/events", explorer_page, register, owns_query=True, nav=True)
