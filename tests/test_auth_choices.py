"""What a screen offers and who an act is recorded under, attacked with the requests a browser (or
someone editing them) sends:

- every list of choices (towns, communities, grids, handlers, warning scopes, bulletin areas) is
  scoped like the data it selects: a town officer never sees another town's code in one;
- a 督办 or a manual warning is recorded under the logged-in account (without login: a fixed
  label), never a typed name, and needs the permission, checked on the server;
- lifting a manual warning takes a confirmation."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from dashboard.domain import areas
from dashboard.domain import lifecycle
from dashboard import warnings as W
from dashboard.store.models import Department, Event, Supervision

from .authsupport import Browser, add, callback_body, txt
from .conftest import AS_OF, settings_for


@pytest.fixture(scope="module")
def site(databases):
    from app import create_app
    from dashboard.store import db as dbmod
    from dashboard.demo import seed

    url = databases.new_url()
    engine = dbmod.make_engine(url)
    seed(engine, "nanling", 7, as_of=AS_OF)
    towns = sorted(areas.names(engine, "town"))
    add(engine, "leader1", "leader", name="王县长")
    add(engine, "duty1", "duty_officer", name="李值班")
    add(engine, "town1", "town_officer", town=towns[0], name="张镇干")
    app = create_app(settings_for(url, auth=True, login_rate="1000 per minute", login_account_rate="1000 per minute",
                                  login_failures=1000))

    class Site:
        pass

    s = Site()
    s.app, s.engine, s.mine, s.others = app, engine, towns[0], towns[1:]
    yield s
    engine.dispose()


def logged_in(site, username: str) -> Browser:
    b = Browser(site.app)
    assert b.login(username).status_code == 303
    return b


def options_in(answer) -> list:
    """Every option value in a callback's answer: the ``options`` of each component in it and the
    option lists it sets directly."""
    found = []

    def walk(node, key=None):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "options" and isinstance(v, list):
                    found.extend(o.get("value") if isinstance(o, dict) else o for o in v)
                else:
                    walk(v, k)
        elif isinstance(node, list):
            if key and key.endswith("options"):
                found.extend(o.get("value") if isinstance(o, dict) else o for o in node)
            for v in node:
                walk(v)

    resp = answer.get_json()["response"]
    for props in resp.values():
        for prop, value in props.items():
            if prop == "options":
                found.extend(o.get("value") for o in value)
            else:
                walk(value)
    return found


def foreign(site, values) -> list:
    """Values naming another town: its code or anything inside it, or its own desks."""
    with site.engine.connect() as c:
        desks = set(c.execute(select(Department.code).where(Department.area_code.is_not(None),
                                                            ~Department.area_code.like(site.mine + "%"))).scalars())
    return [v for v in values if isinstance(v, str) and (v in desks or any(v.startswith(t) for t in site.others))]


def page(b: Browser, path: str):
    r = b.callback("page.children", {"url.pathname": path.split("?")[0],
                                     "url.search": "?" + path.split("?")[1] if "?" in path else ""})
    assert r.status_code == 200, (path, r.status_code)
    return r


# --- every list of choices is scoped ----------------------------------------------------------------


def test_a_town_officer_is_offered_no_other_towns_choices(site):
    b = logged_in(site, "town1")
    seen = {}
    for path in ("/", "/events", "/events?range=all", f"/events?area={site.mine}", "/warnings", "/bulletin"):
        values = options_in(page(b, path))
        assert values, path
        assert foreign(site, values) == [], (path, foreign(site, values)[:5])
        seen[path] = values
    # the explorer's handler list: the county's departments and my town's desk, no other town's
    handlers = [v for v in seen["/events"] if isinstance(v, str) and v.startswith("D")]
    assert handlers, "no county departments offered"
    with site.engine.connect() as c:
        my_desk = c.execute(select(Department.code).where(Department.area_code == site.mine)).scalar()
    assert my_desk in seen["/events"]
    # the big screen's town filter: my town only (no "whole county" that would mean it anyway)
    assert [v for v in seen["/"] if v == "" or (isinstance(v, str) and len(v) == 9)] == [site.mine]
    # the options the explorer sets as its filters move
    kids = areas.children(site.engine, site.mine)
    r = b.callback("ex-url.search", {"ex-url.search": f"?area={kids[0].code}", "ex-url.pathname": "/events"},
                   changed=["ex-url.search"])
    assert r.status_code == 200, txt(r)
    values = options_in(r)
    assert values and foreign(site, values) == []
    r = b.callback("ex-url.search", {"ex-town.value": site.mine, "ex-url.pathname": "/events", "ex-range.value": "7d"},
                   changed=["ex-town.value"])
    assert r.status_code == 200 and foreign(site, options_in(r)) == []


def test_a_town_officer_naming_another_towns_desk_or_area_is_refused(site):
    b = logged_in(site, "town1")
    with site.engine.connect() as c:
        other_desk = c.execute(select(Department.code).where(Department.area_code == site.others[0])).scalar()
    assert "404" in txt(page(b, f"/events?handler={other_desk}"))
    assert "404" in txt(page(b, f"/events?area={site.others[0]}"))
    r = b.callback("ex-url.search", {"ex-url.search": f"?handler={other_desk}", "ex-url.pathname": "/events"},
                   changed=["ex-url.search"])
    assert r.status_code == 404 and other_desk not in txt(r)
    r = b.callback("ex-url.search", {"ex-handler.value": other_desk, "ex-url.pathname": "/events",
                                     "ex-range.value": "7d"}, changed=["ex-handler.value"])
    assert r.status_code == 404
    r = b.callback("ex-count.children", {"ex-state.data": f"handler={other_desk}"})
    assert r.status_code == 404
    # the county's view has them all
    leader = logged_in(site, "leader1")
    assert other_desk in options_in(page(leader, "/events"))


# --- who acts, and who may ------------------------------------------------------------------------


def open_case(site, town: str | None = None) -> int:
    with site.engine.connect() as c:
        q = select(Event.id).where(Event.status.in_(("dispatched", "in_progress"))).order_by(Event.id)
        if town:
            q = q.where(Event.grid_code.like(town + "%"))
        return c.execute(q).scalars().all()[-1]


def test_without_supervise_the_server_refuses_a_crafted_supervision(site):
    ev = open_case(site)
    for user in ("leader1", "town1"):
        b = logged_in(site, user)
        r = b.callback("ep-message.children", {"ep-supervise.n_clicks": 1, "ep-note.value": "请加快",
                                               "ep-params.data": {"id": ev}})
        assert r.status_code == 403, user
        row = {"id": ev, "title": "x", "open": True}
        r = b.callback("ex-message.children", {"ex-supervise.n_clicks": 1, "ex-note.value": "请加快",
                                               "ex-table.selectedRows": [row]})
        assert r.status_code == 403, user
    with site.engine.connect() as c:
        assert c.execute(select(Supervision.id).where(Supervision.event_id == ev)).first() is None


def test_no_name_can_be_typed_for_a_supervision_or_a_warning(site):
    duty = logged_in(site, "duty1")
    ev = open_case(site)
    # the old free-text boxes are gone: a request carrying one is not a request the page sends
    body = callback_body(site.app, "ep-message.children", {"ep-supervise.n_clicks": 1, "ep-note.value": "请加快",
                                                           "ep-params.data": {"id": ev}})
    body["state"].append({"id": "ep-actor", "property": "value", "value": "县委书记"})
    r = duty.c.post("/_dash-update-component", json=body, headers=duty._headers(True))
    assert r.status_code == 400
    r = duty.callback("ep-message.children", {"ep-supervise.n_clicks": 1, "ep-note.value": "请加快",
                                              "ep-params.data": {"id": ev}})
    assert r.status_code == 200 and "李值班" in txt(r)
    with site.engine.connect() as c:
        assert c.execute(select(Supervision.actor).where(Supervision.event_id == ev)).scalars().all() == ["李值班"]
    until = (AS_OF + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    values = {"wn-submit.n_clicks": 1, "wn-scope.value": site.mine, "wn-level.value": 3, "wn-reason.value": "节前排查",
              "wn-until.value": until}
    body = callback_body(site.app, "wn-feedback.children", values, changed=["wn-submit.n_clicks"])
    body["state"].insert(4, {"id": "wn-by", "property": "value", "value": "县委书记"})
    assert duty.c.post("/_dash-update-component", json=body, headers=duty._headers(True)).status_code == 400
    r = duty.callback("wn-feedback.children", values, changed=["wn-submit.n_clicks"])
    assert r.status_code == 200, txt(r)
    issued = W.list_warnings(site.engine, AS_OF, kind="manual", status="all").iloc[0]
    assert issued["issued_by"] == "李值班" and "节前排查" in issued["reasons"][0]


def test_without_login_acts_are_recorded_under_a_fixed_label(demo_copy):
    from app import create_app

    app = create_app(settings_for(demo_copy.url.render_as_string(hide_password=False)))
    c = app.server.test_client()
    with demo_copy.connect() as conn:
        ev = conn.execute(select(Event.id).where(Event.status == "in_progress").order_by(Event.id)).scalar()
    r = c.post("/_dash-update-component", json=callback_body(app, "ep-message.children", {
        "ep-supervise.n_clicks": 1, "ep-note.value": "请加快", "ep-params.data": {"id": ev}}))
    assert r.status_code == 200 and "演示（未登录）" in txt(r)
    with demo_copy.connect() as conn:
        assert conn.execute(select(Supervision.actor).where(Supervision.event_id == ev)).scalar() == "演示（未登录）"
    town = sorted(areas.names(demo_copy, "town"))[0]
    r = c.post("/_dash-update-component", json=callback_body(app, "wn-feedback.children", {
        "wn-submit.n_clicks": 1, "wn-scope.value": town, "wn-level.value": 4, "wn-reason.value": "演练",
        "wn-until.value": (AS_OF + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")}, changed=["wn-submit.n_clicks"]))
    assert r.status_code == 200, txt(r)
    assert W.list_warnings(demo_copy, AS_OF, kind="manual", status="all").iloc[0]["issued_by"] == "演示（未登录）"


def test_a_supervision_without_a_note_shows_the_life_cycles_refusal(site):
    """The rule (a 督办 says what it asks) is the life cycle's; the page shows its words."""
    ev = open_case(site)
    with Session(site.engine) as s:
        try:
            lifecycle.supervise(s, s.get(Event, ev), at=AS_OF, actor="探测", note="")
            expected = None
        except ValueError as exc:
            expected = str(exc)
        s.rollback()
    if expected is None:
        pytest.skip("lifecycle.supervise accepts an empty note in this tree")
    duty = logged_in(site, "duty1")
    for note in ("", "   "):
        r = duty.callback("ep-message.children", {"ep-supervise.n_clicks": 1, "ep-note.value": note,
                                                  "ep-params.data": {"id": ev}})
        assert r.status_code == 200 and expected in txt(r) and "desk-message bad" in txt(r)


# --- lifting asks first ---------------------------------------------------------------------------


def test_lifting_a_warning_needs_its_confirmation(site):
    duty = logged_in(site, "duty1")
    w = W.issue(site.engine, scope=site.mine, level=2, reason="汛期值守", until=AS_OF + timedelta(days=5),
                issued_by="李值班", at=AS_OF - timedelta(hours=1))

    def active() -> bool:
        return not W.list_warnings(site.engine, AS_OF, status="active", warning_id=w.id).empty

    lift = {"wn-lift": [{"type": "wn-lift", "id": w.id}]}
    key = json.dumps({"id": w.id, "type": "wn-lift"}, sort_keys=True)
    # The lift button only asks: the confirmation names the warning; nothing is lifted.
    r = duty.callback("wn-lift-confirm-text.children", {f"{key}.n_clicks": 1}, matches=lift,
                      changed=[f'{{"id":{w.id},"type":"wn-lift"}}.n_clicks'])
    assert r.status_code == 200, txt(r)
    shown = r.get_json()["response"]
    assert shown["wn-lift-confirm"]["hidden"] is False and shown["wn-lift-pending"]["data"] == {"id": w.id}
    assert f"#{w.id}" in shown["wn-lift-confirm-text"]["children"]
    assert active()
    # 确认解除 with nothing asked for does nothing
    r = duty.callback("wn-feedback.children", {"wn-lift-yes.n_clicks": 1, "wn-lift-pending.data": None},
                      changed=["wn-lift-yes.n_clicks"])
    assert r.status_code in (200, 204) and active()
    assert r.status_code == 204 or r.get_json()["response"] == {}  # no update at all
    # the old one-click lift (the button as the trigger of the act) is not a request the page sends
    body = callback_body(site.app, "wn-feedback.children", {"wn-lift-yes.n_clicks": 1}, changed=["wn-lift-yes.n_clicks"])
    body["inputs"][1] = [{"id": {"type": "wn-lift", "id": w.id}, "property": "n_clicks", "value": 1}]
    assert duty.c.post("/_dash-update-component", json=body, headers=duty._headers(True)).status_code == 400
    assert active()
    # a leader may neither ask nor confirm
    leader = logged_in(site, "leader1")
    r = leader.callback("wn-lift-confirm-text.children", {f"{key}.n_clicks": 1}, matches=lift,
                        changed=[f'{{"id":{w.id},"type":"wn-lift"}}.n_clicks'])
    assert r.status_code == 403
    r = leader.callback("wn-feedback.children", {"wn-lift-yes.n_clicks": 1, "wn-lift-pending.data": {"id": w.id}},
                        changed=["wn-lift-yes.n_clicks"])
    assert r.status_code == 403 and active()
    # confirmed by who may: lifted, the bar closes
    r = duty.callback("wn-feedback.children", {"wn-lift-yes.n_clicks": 1, "wn-lift-pending.data": {"id": w.id}},
                      changed=["wn-lift-yes.n_clicks"])
    assert r.status_code == 200 and f"已解除预警 #{w.id}" in txt(r)
    assert r.get_json()["response"]["wn-lift-confirm"]["hidden"] is True
    assert not active()
