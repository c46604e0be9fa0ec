"""/warnings: fill the tables from the warning engine's read functions, issue and lift manual
warnings. Every number here comes from ``dashboard.warnings`` (read → SQL)."""

from __future__ import annotations

import functools
from datetime import timedelta

from dash import ALL, Input, Output, State, ctx, html, no_update
from dash.exceptions import PreventUpdate

from dashboard import strings
from dashboard.web import access
from dashboard.present import fmt
from dashboard import warnings as W
from dashboard.web.runtime import Runtime
from dashboard.timeutil import parse_time, to_local
from layouts import ids
from layouts import warnings as warnings_page

from .pages import Page
from .panel import fingerprint

PAGE_ROWS = 50  # a page of a table: a duty officer reads it without scrolling far, the browser draws it at once


def page_layout(runtime: Runtime):
    """The page tree with its choices (towns, scopes) and default dates filled from the database.
    Every choice is the principal's (a town's account: its town); the form is for who may issue,
    in their own name."""
    engine = runtime.engine
    now = to_local(runtime.now())
    towns = access.visible([(r["code"], r["name"]) for r in W.rollup(engine, "town").to_dict("records")])
    scopes = [o for o in W.scope_options(engine) if access.sees(o["value"])]
    return warnings_page.layout(towns=towns, scopes=scopes,
                       default_until=(now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
                       default_from=(now - timedelta(days=7)).strftime("%Y-%m-%d"), default_to=now.strftime("%Y-%m-%d"),
                       actor=access.actor(), can_issue=access.can("warn"))


def _when(v) -> str:
    return "—" if v is None or str(v) == "NaT" else fmt.when(v.to_pydatetime() if hasattr(v, "to_pydatetime") else v,
                                                               "%m-%d %H:%M")


def _page(page: int, more: bool, pages: int | None = None) -> tuple:
    """A pager's outputs: hidden while one page holds everything; the page named (of how many, when
    known); previous off on the first page, next off on the last."""
    single = page == 0 and not more
    text = (strings.WARNINGS_PAGER["page_of"].format(page=page + 1, pages=pages) if pages
            else strings.WARNINGS_PAGER["page"].format(page=page + 1))
    return single, page == 0, not more, text


def _count(offset: int, n: int, more: bool) -> str:
    """How many records there are, as far as the pages read so far tell: exact on the last page."""
    return strings.WARNINGS_AT_LEAST.format(n=offset + n) if more else str(offset + n)


def _unless_shown(shown, *parts) -> str:
    """The fingerprint of what a table would show; nothing is sent when the screen shows it already
    (a table drawn again on every tick costs the browser and swaps the buttons under the pointer)."""
    fp = fingerprint(*parts)
    if fp == shown:
        raise PreventUpdate
    return fp


def _pager_outputs(table: str) -> list:
    part = functools.partial(ids.Warnings.pager, table)
    return [Output(part("bar"), "hidden"), Output(part("prev"), "disabled"), Output(part("next"), "disabled"),
            Output(part("text"), "children"), Output(part("shown"), "data")]


def _pager_inputs(table: str) -> list:
    return [Input(ids.Warnings.pager(table, "page"), "data"), State(ids.Warnings.pager(table, "shown"), "data")]


def register(app, runtime: Runtime) -> None:
    engine = runtime.engine
    rules = W.rules_for(runtime.settings)  # refuses to start on a bad GRIDSCREEN_RULES file, with the reasons
    filters = {"current": (ids.Warnings.LEVELS, ids.Warnings.TOWN),
               "history": (ids.Warnings.LEVELS, ids.Warnings.TOWN, ids.Warnings.FROM, ids.Warnings.TO),
               "list": (ids.Warnings.KIND, ids.Warnings.STATUS, ids.Warnings.LEVELS, ids.Warnings.TOWN)}
    for table, inputs in filters.items():
        _register_pages(app, table, inputs)

    @app.callback(
        Output(ids.Warnings.SUMMARY, "children"),
        Output(ids.Warnings.EVALUATED, "children"),
        Input(ids.Shell.LIVE, "data"),
    )
    def summary(_live):
        county = W.county_rollup(engine, access.limit())
        c = county["counts"]
        text = [html.Span(strings.WARNINGS_COUNTY_SUMMARY.format(grids=county["grids"], n0=c[0], n1=c[1], n2=c[2],
                                                                 n3=c[3], n4=c[4]))]
        evaluated = strings.WARNINGS_EVALUATED_AT.format(time=fmt.when(county["evaluated_at"], "%Y-%m-%d %H:%M")) \
            if county["evaluated_at"] else ""
        return text, evaluated

    # Not on an officer's act: the levels it changes arrive with the live data version once the
    # evaluation is stored.
    @app.callback(
        Output(ids.Warnings.CURRENT, "children"),
        Output(ids.Warnings.CURRENT_COUNT, "children"),
        *_pager_outputs("current"),
        Input(ids.Shell.LIVE, "data"),
        Input(ids.Warnings.LEVELS, "value"),
        Input(ids.Warnings.TOWN, "value"),
        *_pager_inputs("current"),
    )
    def current(_live, levels, town, page, shown):
        town = access.area(town)  # a town's account sees its town (and nothing else)
        levels = tuple(sorted(levels or []))
        cur = W.grid_levels(engine, town, levels or (9,))
        pages = max(1, -(-len(cur) // PAGE_ROWS))
        page = min(max(int(page or 0), 0), pages - 1)
        rows = [{"level": int(r.level), "name": r.name, "code": r.code, "town_name": r.town_name,
                 "community_name": r.community_name, "since": _when(r.since), "reasons": r.reasons}
                for r in cur.iloc[page * PAGE_ROWS:(page + 1) * PAGE_ROWS].itertuples()]
        fp = _unless_shown(shown, rows, page, len(cur))
        return (warnings_page.table_current(rows), strings.WARNINGS_TOTAL.format(total=len(cur)),
                *_page(page, page < pages - 1, pages), fp)

    @app.callback(
        Output(ids.Warnings.HISTORY, "children"),
        Output(ids.Warnings.HISTORY_COUNT, "children"),
        *_pager_outputs("history"),
        Input(ids.Shell.LIVE, "data"),
        Input(ids.Warnings.LEVELS, "value"),
        Input(ids.Warnings.TOWN, "value"),
        Input(ids.Warnings.FROM, "value"),
        Input(ids.Warnings.TO, "value"),
        *_pager_inputs("history"),
    )
    def history(_live, levels, town, start, end, page, shown):
        town = access.area(town)
        try:
            t0 = parse_time(start) if start else None
            t1 = parse_time(end, end_of_day=True) if end else None
        except ValueError:
            t0 = t1 = None
        page = max(int(page or 0), 0)
        hist = W.history(engine, area=town, start=t0, end=t1, levels=tuple(levels) if levels else None,
                         limit=PAGE_ROWS + 1, offset=page * PAGE_ROWS)
        more = len(hist) > PAGE_ROWS
        rows = [{"at": _when(r.at), "name": r.grid_name, "code": r.grid_code, "old_level": int(r.old_level),
                 "new_level": int(r.new_level), "reasons": r.reasons} for r in hist.head(PAGE_ROWS).itertuples()]
        fp = _unless_shown(shown, rows, page, more)
        return (warnings_page.table_history(rows), _count(page * PAGE_ROWS, len(rows), more),
                *_page(page, more), fp)

    @app.callback(
        Output(ids.Warnings.LIST, "children"),
        Output(ids.Warnings.LIST_COUNT, "children"),
        *_pager_outputs("list"),
        Input(ids.Shell.LIVE, "data"),
        Input(ids.Warnings.CHANGED, "data"),
        Input(ids.Warnings.KIND, "value"),
        Input(ids.Warnings.STATUS, "value"),
        Input(ids.Warnings.LEVELS, "value"),
        Input(ids.Warnings.TOWN, "value"),
        *_pager_inputs("list"),
    )
    def listing(_live, _changed, kind, status, levels, town, page, shown):
        town = access.area(town)
        page = max(int(page or 0), 0)
        df = W.list_warnings(engine, runtime.now(), area=town, levels=tuple(levels) if levels else None,
                             kind=None if kind == "all" else kind, status=status or "all",
                             limit=PAGE_ROWS + 1, offset=page * PAGE_ROWS)
        more = len(df) > PAGE_ROWS
        rows = [{"id": int(r.id), "level": int(r.level), "scope_name": r.scope_name, "kind": r.kind,
                 "issued_at": _when(r.issued_at), "issued_by": r.issued_by,
                 "until": _when(r.lifted_at if r.status == "lifted" else r.expires_at), "status": r.status,
                 "reasons": r.reasons, "can_lift": r.kind == "manual" and r.status in ("active", "pending")
                 and access.can("warn")}
                for r in df.head(PAGE_ROWS).itertuples()]
        fp = _unless_shown(shown, rows, page, more)
        return (warnings_page.table_warnings(rows), _count(page * PAGE_ROWS, len(rows), more),
                *_page(page, more), fp)

    @app.callback(
        Output(ids.Warnings.LIFT_CONFIRM, "hidden"),
        Output(ids.Warnings.LIFT_CONFIRM_TEXT, "children"),
        Output(ids.Warnings.LIFT_PENDING, "data"),
        Input({"type": ids.Warnings.LIFT, "id": ALL}, "n_clicks"),
        Input(ids.Warnings.LIFT_NO, "n_clicks"),
        prevent_initial_call=True,
    )
    def ask_lift(_lifts, _no):
        """A lift button only asks: it names the warning in the confirmation bar and keeps its id
        until 确认解除 (``act``) or 取消."""
        trigger = ctx.triggered_id
        if trigger == ids.Warnings.LIFT_NO:
            return True, "", None
        # The list re-renders its buttons (with 0 clicks) when data changes: that asks nothing.
        if not isinstance(trigger, dict) or not ctx.triggered or not ctx.triggered[0].get("value"):
            return no_update, no_update, no_update
        access.require("warn")
        found = W.list_warnings(engine, runtime.now(), area=access.limit(), kind="manual", status="all",
                                warning_id=trigger["id"], limit=1)
        if found.empty or not access.sees(found.iloc[0]["scope_code"]):
            raise access.NotVisible()
        w = found.iloc[0]
        text = strings.WARNINGS_LIFT_CONFIRM.format(id=int(w["id"]), scope=w["scope_name"],
                                                    level=strings.WARNING_LEVEL_LABELS[int(w["level"])])
        return False, text, {"id": int(w["id"])}

    @app.callback(
        Output(ids.Warnings.FEEDBACK, "children"),
        Output(ids.Warnings.FEEDBACK, "className"),
        Output(ids.Warnings.CHANGED, "data"),
        Output(ids.Warnings.REASON, "value"),
        Output(ids.Warnings.LIFT_CONFIRM, "hidden", allow_duplicate=True),
        Output(ids.Warnings.LIFT_PENDING, "data", allow_duplicate=True),
        Input(ids.Warnings.SUBMIT, "n_clicks"),
        Input(ids.Warnings.LIFT_YES, "n_clicks"),
        State(ids.Warnings.SCOPE, "value"),
        State(ids.Warnings.LEVEL, "value"),
        State(ids.Warnings.REASON, "value"),
        State(ids.Warnings.UNTIL, "value"),
        State(ids.Warnings.LIFT_PENDING, "data"),
        State(ids.Warnings.CHANGED, "data"),
        prevent_initial_call=True,
    )
    def act(_submit, _yes, scope, level, reason, until, pending, changed):
        """Issue a manual warning, or lift the one the confirmation bar names. Who may (``warn``),
        inside their scope, in their own name (never a typed one); every act is audited."""
        trigger = ctx.triggered_id
        nothing = (no_update,) * 6
        if not ctx.triggered or not ctx.triggered[0].get("value"):
            return nothing
        if trigger == ids.Warnings.LIFT_YES and not pending:
            return nothing  # nothing asked for: a lift needs its confirmation
        now = runtime.now()
        access.require("warn")
        issued_by = access.actor()
        try:
            if trigger == ids.Warnings.SUBMIT:
                if scope:
                    access.require_area(scope)
                w = W.issue(engine, scope=scope or "", level=level, reason=reason or "", until=W.parse_until(until),
                            issued_by=issued_by, at=now)
                access.audit(engine, "warning.issue", target=f"warning:{w.id}",
                             detail={"scope": w.scope_code, "level": w.level})
                message = strings.MANUAL_ISSUED.format(level=strings.WARNING_LEVEL_LABELS[w.level], id=w.id,
                                                       scope=dict((o["value"], o["label"]) for o in
                                                                  W.scope_options(engine)).get(w.scope_code, w.scope_code))
                after = ("", no_update, no_update)  # the reason is cleared; a pending lift still waits
            else:
                found = W.list_warnings(engine, now, kind="manual", status="all", warning_id=pending["id"], limit=1)
                if found.empty or not access.sees(found.iloc[0]["scope_code"]):
                    raise access.NotVisible()
                lifted = W.lift(engine, pending["id"], now)
                access.audit(engine, "warning.lift", target=f"warning:{lifted.id}", detail={"scope": lifted.scope_code})
                message = strings.MANUAL_LIFTED.format(id=lifted.id)
                after = (no_update, True, None)  # the confirmation bar closes
        except W.ManualWarningError as exc:
            labels = {"scope": strings.WARNINGS_FORM_SCOPE, "level": strings.WARNINGS_FORM_LEVEL,
                      "reason": strings.WARNINGS_FORM_REASON, "until": strings.WARNINGS_FORM_UNTIL,
                      "issued_by": strings.WARNINGS_FORM_BY, "id": strings.WARNINGS_COL["id"]}
            return ([html.Div(strings.LABELLED.format(label=labels.get(k, k), value=v)) for k, v in exc.fields.items()], "wn-feedback error", no_update,
                    no_update, True, None)
        # The officer's own write: the floor shows (or lifts) as soon as the grids are evaluated, not
        # at the runner's next look; the answer does not wait for that evaluation (every grid of the
        # county), and the tables follow the stored levels through the live data version.
        W.runner_for(runtime, rules).evaluate_soon()
        return (message, "wn-feedback ok", (changed or 0) + 1, *after)


PAGE = Page("warnings", "/warnings", page_layout, register, nav=True)


def _register_pages(app, table: str, filters: tuple[str, ...]) -> None:
    """A table's page: its previous / next buttons turn it, a new filter goes back to the first."""
    part = functools.partial(ids.Warnings.pager, table)

    @app.callback(Output(part("page"), "data"), Input(part("prev"), "n_clicks"), Input(part("next"), "n_clicks"),
                  *[Input(f, "value") for f in filters], State(part("page"), "data"), prevent_initial_call=True)
    def turn(*args):
        page = max(int(args[-1] or 0), 0)
        if ctx.triggered_id == part("prev"):
            return max(page - 1, 0)
        if ctx.triggered_id == part("next"):
            return page + 1
        return 0

    turn.__name__ = f"turn_{table}_page"
