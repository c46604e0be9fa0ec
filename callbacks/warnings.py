"""/warnings: fill the tables from the warning engine's read functions, issue and lift manual
warnings. Every number here comes from ``dashboard.warnings`` (read → SQL)."""

from __future__ import annotations

from datetime import timedelta

from dash import ALL, Input, Output, State, ctx, html, no_update

from dashboard import strings
from dashboard.web import access
from dashboard.present import fmt
from dashboard import warnings as W
from dashboard.web.runtime import Runtime
from dashboard.timeutil import parse_time, to_local
from layouts import ids
from layouts import warnings as page

from .pages import Page

MAX_ROWS = 200


def page_layout(runtime: Runtime):
    """The page tree with its choices (towns, scopes) and default dates filled from the database.
    Every choice is the principal's (a town's account: its town); the form is for who may issue,
    in their own name."""
    engine = runtime.engine
    now = to_local(runtime.now())
    towns = access.visible([(r["code"], r["name"]) for r in W.rollup(engine, "town").to_dict("records")])
    scopes = [o for o in W.scope_options(engine) if access.sees(o["value"])]
    return page.layout(towns=towns, scopes=scopes,
                       default_until=(now + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M"),
                       default_from=(now - timedelta(days=7)).strftime("%Y-%m-%d"), default_to=now.strftime("%Y-%m-%d"),
                       actor=access.actor(), can_issue=access.can("warn"))


def _when(v) -> str:
    return "—" if v is None or str(v) == "NaT" else fmt.when(v.to_pydatetime() if hasattr(v, "to_pydatetime") else v,
                                                               "%m-%d %H:%M")


def _showing(n: int, total: int) -> str:
    return strings.WARNINGS_SHOWING.format(n=n, total=total) if total > n else f"{total}"


def register(app, runtime: Runtime) -> None:
    engine = runtime.engine
    rules = W.rules_for(runtime.settings)  # refuses to start on a bad GRIDSCREEN_RULES file, with the reasons

    @app.callback(
        Output(ids.Warnings.SUMMARY, "children"),
        Output(ids.Warnings.EVALUATED, "children"),
        Output(ids.Warnings.CURRENT, "children"),
        Output(ids.Warnings.CURRENT_COUNT, "children"),
        Output(ids.Warnings.HISTORY, "children"),
        Output(ids.Warnings.HISTORY_COUNT, "children"),
        # Not on an officer's act: the levels it changes arrive with the live data version once
        # the evaluation is stored; redrawing the big tables before that only costs the browser.
        Input(ids.Shell.LIVE, "data"),
        Input(ids.Warnings.LEVELS, "value"),
        Input(ids.Warnings.TOWN, "value"),
        Input(ids.Warnings.FROM, "value"),
        Input(ids.Warnings.TO, "value"),
    )
    def refresh(_live, levels, town, start, end):
        town = access.area(town)  # a town's account sees its town (and nothing else)
        county = W.county_rollup(engine, access.limit())
        c = county["counts"]
        summary = [html.Span(strings.WARNINGS_COUNTY_SUMMARY.format(grids=county["grids"], n0=c[0], n1=c[1], n2=c[2],
                                                                    n3=c[3], n4=c[4]))]
        evaluated = strings.WARNINGS_EVALUATED_AT.format(time=fmt.when(county["evaluated_at"], "%Y-%m-%d %H:%M")) \
            if county["evaluated_at"] else ""
        levels = tuple(sorted(levels or []))
        cur = W.grid_levels(engine, town, levels) if levels else W.grid_levels(engine, town, (9,))
        cur_rows = [{"level": int(r.level), "name": r.name, "code": r.code, "town_name": r.town_name,
                     "community_name": r.community_name, "since": _when(r.since), "reasons": r.reasons}
                    for r in cur.head(MAX_ROWS).itertuples()]
        try:
            t0 = parse_time(start) if start else None
            t1 = parse_time(end, end_of_day=True) if end else None
        except ValueError:
            t0 = t1 = None
        hist = W.history(engine, area=town, start=t0, end=t1, levels=levels or None, limit=MAX_ROWS + 1)
        hist_rows = [{"at": _when(r.at), "name": r.grid_name, "code": r.grid_code, "old_level": int(r.old_level),
                      "new_level": int(r.new_level), "reasons": r.reasons} for r in hist.head(MAX_ROWS).itertuples()]
        hist_total = f"{MAX_ROWS}+" if len(hist) > MAX_ROWS else str(len(hist))
        return (summary, evaluated, page.table_current(cur_rows), _showing(len(cur_rows), len(cur)),
                page.table_history(hist_rows), hist_total)

    @app.callback(
        Output(ids.Warnings.LIST, "children"),
        Output(ids.Warnings.LIST_COUNT, "children"),
        Input(ids.Shell.LIVE, "data"),
        Input(ids.Warnings.CHANGED, "data"),
        Input(ids.Warnings.KIND, "value"),
        Input(ids.Warnings.STATUS, "value"),
        Input(ids.Warnings.LEVELS, "value"),
        Input(ids.Warnings.TOWN, "value"),
    )
    def listing(_live, _changed, kind, status, levels, town):
        town = access.area(town)
        now = runtime.now()
        df = W.list_warnings(engine, now, area=town, levels=tuple(levels) if levels else None,
                             kind=None if kind == "all" else kind, status=status or "all", limit=MAX_ROWS)
        rows = [{"id": int(r.id), "level": int(r.level), "scope_name": r.scope_name, "kind": r.kind,
                 "issued_at": _when(r.issued_at), "issued_by": r.issued_by,
                 "until": _when(r.lifted_at if r.status == "lifted" else r.expires_at), "status": r.status,
                 "reasons": r.reasons, "can_lift": r.kind == "manual" and r.status in ("active", "pending")
                 and access.can("warn")}
                for r in df.itertuples()]
        return page.table_warnings(rows), str(len(rows))

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
