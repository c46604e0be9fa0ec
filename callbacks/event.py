"""/event/<id>: the case file — route, the case's content, and 督办."""

from __future__ import annotations

from dash import Input, Output, State, dcc, html, no_update

from dashboard import strings
from dashboard.web import access
from dashboard.figures import casefile
from dashboard.present import plots
from dashboard.present import fmt
from dashboard.domain import geo
from dashboard.web.runtime import Runtime
from layouts import desk, ids
from layouts import event as page

from . import desk as common
from . import panel
from .panel import Panel, Source, View
from .pages import Page

E = ids.EventPage
ACTION_CLASS = {"verify_fail": "bad", "send_back": "warn", "supervise": "sup", "verify_ok": "good", "invalidate": "muted"}


def _exists(runtime: Runtime, eid: str) -> bool:
    event_id = casefile.parse_id(eid)
    return event_id is not None and access.event_grid(runtime.engine, event_id) is not None


def event_page(runtime: Runtime, eid: str, query: dict):
    event_id = casefile.parse_id(eid)
    if event_id is None:
        return None
    cf = casefile.case_file(runtime.engine, event_id, runtime.now())
    if cf is None:
        return None
    ev = cf["event"]
    m = common.map_settings(runtime, ev["grid_code"], pad=0.3)
    if m is None:
        return None
    crumbs = common.area_crumbs(runtime.engine, ev["grid_code"], query, link_last=True)
    crumbs.append(desk.Crumb(strings.EVENT_CRUMB.format(id=event_id)))
    header = common.header(crumbs=crumbs, title=ev["title"], kind=strings.EVENT_TITLE, code=f"#{event_id}")
    point = {"type": "FeatureCollection", "features": []}
    if ev["lat"] is not None and ev["lon"] is not None:
        lon, lat = ev["lon"], ev["lat"]
        if runtime.settings.tile_crs == "gcj02":
            lon, lat = geo.wgs84_to_gcj02(lon, lat)
        point["features"].append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                                  "properties": {"id": event_id, "title": ev["title"], "status": ev["status"],
                                                 "overdue": cf["overdue"], "big": True}})
    ctx = page.EventContext(event_id=event_id, grid=ev["grid_code"], header=header, map=m, point=point,
                                   params={"id": event_id}, actor=access.actor())
    return page.layout(ctx)


class CaseParams(Source):
    """The case file's params: a case the principal may see (its grid in their scope)."""

    inputs = (Input(E.PARAMS, "data"),)

    def resolve(self, runtime: Runtime, values) -> View:
        event_id = (values[0] or {}).get("id")
        grid = access.event_grid(runtime.engine, event_id)
        if grid is None:  # no such case: the page's params are the client's word
            raise access.NotVisible()
        access.require_event(runtime.engine, event_id)
        return common.view(runtime, None, area=grid, subject=int(event_id))


def _body_data(rt: Runtime, v: View, _refresh) -> dict | None:
    cf = casefile.case_file(rt.engine, v.subject, v.now)
    if cf is None:
        return None
    cf["segments"] = casefile.segments(cf["log"], cf["now"], cf["event"]["status"])
    return cf


def _body_view(v: View, cf, _refresh) -> list:
    if cf is None:  # gone since the page was built
        return [html.Div(strings.NOT_FOUND_BODY, className="desk-quiet"), None, None, None, plots.empty(), None, True]
    fig = plots.stage_gantt(cf["segments"], cf["event"]["deadline"], cf["now"] if cf["open"] else None)
    return [head(cf), details(cf), timeline(cf), stage_table(cf), fig, supervisions(cf),
            not (cf["open"] and "supervise" in v.permissions)]


PANELS = {
    "event-body": Panel("event-body", [Output(E.HEAD, "children"), Output(E.DETAILS, "children"),
                                       Output(E.TIMELINE, "children"), Output(E.STAGES, "children"),
                                       Output(E.STAGE_CHART, "figure"), Output(E.SUPERVISIONS, "children"),
                                       Output(E.SUPERVISE_FORM, "hidden")],
                        CaseParams(), ("events", "catalog", "areas", "staff"), _body_data, _body_view,
                        inputs=[Input(E.REFRESH, "data")]),
}


def register(app, runtime: Runtime) -> None:
    for p in PANELS.values():
        panel.register(app, runtime, p)

    @app.callback(
        Output(E.MESSAGE, "children"),
        Output(E.MESSAGE, "className"),
        Output(E.REFRESH, "data"),
        Output(E.NOTE, "value"),
        Input(E.SUPERVISE, "n_clicks"),
        State(E.NOTE, "value"),
        State(E.PARAMS, "data"),
        State(E.REFRESH, "data"),
        prevent_initial_call=True,
    )
    def supervise(n, note, params, refresh):
        if not n or not params or "id" not in params:
            return no_update, no_update, no_update, no_update
        return common.supervise_case(runtime, params["id"], note, refresh)


def _remaining(cf) -> tuple[str, str]:
    r = cf["remaining_hours"]
    status = cf["event"]["status"]
    if r is None:
        return (strings.EVENT_NO_DEADLINE if status == "reported" else "—"), ""
    if status == "closed":
        return ((strings.EVENT_CLOSED_ON_TIME, "good") if r >= 0
                else (strings.EVENT_CLOSED_LATE.format(d=fmt.duration_hours(-r)), "bad"))
    return ((strings.EVENT_LEFT.format(d=fmt.duration_hours(r)), "") if r >= 0
            else (strings.EVENT_OVERDUE_BY.format(d=fmt.duration_hours(-r)), "bad"))


def head(cf):
    ev = cf["event"]
    tags = [desk.status_badge(ev["status"], cf["overdue"])]
    if cf["overdue"]:
        tags.append(desk.tag(strings.EVENT_OVERDUE, "bad"))
    if ev["severity"] != "normal":
        tags.append(desk.tag(strings.SEVERITY_LABELS[ev["severity"]], "bad"))
    if cf["supervisions"]:
        tags.append(desk.tag(strings.EVENT_SUPERVISED_TIMES.format(n=len(cf["supervisions"])), "sup"))
    if ev["rework_count"]:
        tags.append(desk.tag(strings.EVENT_REWORK.format(n=ev["rework_count"]), "warn"))
    if ev["sendback_count"]:
        tags.append(desk.tag(strings.EVENT_SENDBACK.format(n=ev["sendback_count"]), "warn"))
    text, cls = _remaining(cf)
    return [html.Div(tags, className="case-tags"), html.Div(text, className=f"case-remaining {cls}".strip())]


def details(cf):
    ev = cf["event"]
    f = strings.EVENT_FIELDS
    line = cf["lineage"]
    grid_name = " › ".join(a.name for a in line[1:]) if line else ev["grid_code"]
    cat = f"{cf['category_parent']} › {cf['category']}" if cf["category_parent"] else cf["category"]
    handler = "—"
    if cf["handler_name"]:
        handler = [dcc.Link(cf["handler_name"], href=f"/department/{ev['handler_code']}", className="handler-link"),
                   strings.WITH_NOTE.format(text="", note=strings.HANDLER_LEVEL_LABELS[cf["handler_level"]]) if cf["handler_level"] else ""]
    text, cls = _remaining(cf)
    items = [
        ("id", str(ev["id"])),
        ("ext_id", ev["ext_id"] or "—"),
        ("category", cat),
        ("source", strings.SOURCE_LABELS.get(ev["source"], ev["source"])),
        ("severity", strings.SEVERITY_LABELS.get(ev["severity"], ev["severity"])),
        ("reporter", cf["reporter"] or strings.SOURCE_LABELS.get(ev["source"], "—")),
        ("reported_at", fmt.when(ev["reported_at"], "%Y-%m-%d %H:%M")),
        ("grid", grid_name),
        ("location", f"{ev['lat']:.5f}, {ev['lon']:.5f}" if ev["lat"] is not None else "—"),
        ("handler", handler),
        ("time_limit", fmt.duration_hours(cf["limit_hours"]) if cf["limit_hours"] is not None else "—"),
        ("deadline", fmt.when(ev["deadline"], "%Y-%m-%d %H:%M")),
        ("remaining", html.Span(text, className=cls or None)),
        ("description", ev["description"] or "—"),
    ]
    if ev["photo_url"]:
        items.append(("photo", ev["photo_url"]))  # shown as text: the page loads nothing from elsewhere
    return html.Dl([x for k, v in items for x in (html.Dt(f[k]), html.Dd(v, className=f"dd-{k}"))], className="case-dl")


def timeline(cf):
    out = []
    for item in cf["timeline"]:
        action = item["action"]
        label = strings.ACTION_LABELS.get(action, action)
        bits = [html.Span(fmt.when(item["at"], "%Y-%m-%d %H:%M"), className="tl-time"),
                html.Span(label, className="tl-action")]
        if item["kind"] == "log" and item["from_status"]:
            bits.append(html.Span(f"{strings.STATUS_LABELS[item['from_status']]} → {strings.STATUS_LABELS[item['to_status']]}",
                                  className="tl-status"))
        meta = [html.Span(strings.LABELLED.format(label=strings.TIMELINE_BY, value=item["actor"]), className="tl-actor")]
        if item.get("handler_name"):
            meta.append(html.Span(strings.LABELLED.format(label=strings.TIMELINE_TO, value=item["handler_name"]), className="tl-handler"))
        if item.get("note"):
            meta.append(html.Span(item["note"], className="tl-note"))
        out.append(html.Li([html.Div(bits, className="tl-line"), html.Div(meta, className="tl-meta")],
                           className=f"tl-item {ACTION_CLASS.get(action, '')} kind-{item['kind']}".strip()))
    return out


def stage_table(cf):
    ev = cf["event"]
    deadline = ev["deadline"]
    limit = cf["limit_hours"]
    rows = []
    for s in cf["stages"]:
        if s.running:
            against = strings.STAGE_RUNNING
        elif deadline is None or s.stage == "intake":
            against = "—"  # the clock starts at acceptance
        elif s.end <= deadline:
            against = strings.STAGE_BEFORE_DEADLINE
        else:
            against = html.Span(strings.STAGE_AFTER_DEADLINE.format(d=fmt.duration_hours(
                (s.end - deadline).total_seconds() / 3600)), className="bad")
        rows.append({
            "stage": html.Span(strings.STAGE_LABELS[s.stage], className=f"stage-dot st-{s.stage}"),
            "start": fmt.when(s.start, "%m-%d %H:%M"),
            "end": fmt.when(s.end, "%m-%d %H:%M") if s.end else strings.STAGE_RUNNING,
            "hours": fmt.duration_hours(s.hours) + (strings.STAGE_ROUNDS.format(n=s.rounds) if s.rounds > 1 else ""),
            "share": fmt.rate(s.hours / limit, 0) if limit and s.stage != "intake" else "—",
            "actor": s.actor or "—",
            "against": against,
        })
    cols = [(k, strings.STAGE_COLUMNS[k]) for k in ("stage", "start", "end", "hours", "share", "actor", "against")]
    return desk.table(cols, rows, class_name="compact stages")


def supervisions(cf):
    sups = cf["supervisions"]
    out = []
    if sups:
        out.append(html.Ul([html.Li([html.Span(fmt.when(s["at"], "%m-%d %H:%M"), className="tl-time"),
                                     html.B(s["actor"]), html.Span(s["note"] or "", className="tl-note")])
                            for s in sups], className="sup-list"))
    elif cf["open"]:
        out.append(html.Div(strings.SUPERVISE_HISTORY_EMPTY, className="desk-quiet"))
    if not cf["open"]:
        out.append(html.Div(strings.SUPERVISE_NOT_OPEN, className="muted"))
    return out


PAGE = Page("event", "/event/<eid>", event_page, register, subject="event", exists=_exists)
