"""Accounts, login, roles and town scope, enforced on the server — tested with the HTTP
requests a browser (or someone editing them) sends: pages, Dash callbacks, exports and the API.

One nanling demo per module with login on (``auth=True``); each role gets an account."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from dashboard.web import accounts
from dashboard.web import apiclients
from dashboard.domain import areas
from dashboard.store import audit
from dashboard.domain import windows
from dashboard.store import db as dbmod
from dashboard.store.models import AuditEntry, Department, Event, User
from dashboard.settings import ConfigError, Settings

from .authsupport import ORIGIN, PASSWORD, Browser, add, callback_body, txt
from .conftest import AS_OF, settings_for

WINDOW = windows.Window(AS_OF - timedelta(days=200), AS_OF)


@pytest.fixture(scope="module")
def site(databases):
    """The nanling demo with login on and one account per role; the town officer's town is the
    first town, ``other`` the second."""
    from app import create_app
    from dashboard.demo import seed

    url = databases.new_url()
    engine = dbmod.make_engine(url)
    seed(engine, "nanling", 7, as_of=AS_OF)
    towns = sorted(areas.names(engine, "town"))
    mine, other = towns[0], towns[1]
    add(engine, "admin1", "admin")
    add(engine, "leader1", "leader", name="王县长")
    add(engine, "duty1", "duty_officer", name="李值班")
    add(engine, "town1", "town_officer", town=mine, name="张镇干")
    add(engine, "wall1", "display")
    app = create_app(settings_for(url, auth=True, login_rate="1000 per minute", login_account_rate="1000 per minute",
                                  login_failures=1000))

    class Site:
        pass

    s = Site()
    s.app, s.engine, s.url, s.mine, s.other = app, engine, url, mine, other
    yield s
    engine.dispose()


def browser(site, username: str | None = None) -> Browser:
    b = Browser(site.app)
    if username:
        r = b.login(username)
        assert r.status_code == 303, txt(r)
    return b


def first(engine, stmt):
    with engine.connect() as c:
        return c.execute(stmt).first()


def event_in(site, town: str) -> int:
    return first(site.engine, select(Event.id).where(Event.grid_code.like(town + "%")).order_by(Event.id))[0]


def grid_in(site, town: str) -> str:
    return next(a.code for a in areas.children(site.engine, next(iter(areas.children(site.engine, town))).code))


def audit_rows(engine, action: str):
    with engine.connect() as c:
        return c.execute(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all()


# --- settings: when no login is allowed ---------------------------------------------------------


def test_only_the_embedded_demo_on_loopback_opens_without_login():
    assert not Settings(embedded=True, host="127.0.0.1").auth_required
    assert Settings(embedded=True, host="0.0.0.0").auth_required
    assert Settings(embedded=False, host="127.0.0.1").auth_required
    assert not Settings(embedded=False, host="::1", auth=False).auth_required
    with pytest.raises(ConfigError, match="GRIDSCREEN_AUTH=off"):
        Settings(embedded=False, host="0.0.0.0", auth=False).check_web()
    with pytest.raises(ConfigError, match="GRIDSCREEN_SECRET_KEY"):
        Settings(embedded=False, host="0.0.0.0", auth=True).check_web()
    assert Settings.from_env({"GRIDSCREEN_AUTH": "off"}).auth is False


def test_serve_refuses_auth_off_off_loopback(tmp_path):
    from dashboard.cli import main

    r = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"],
                           env={"GRIDSCREEN_AUTH": "off", "GRIDSCREEN_DATA_DIR": str(tmp_path)})
    assert r.exit_code != 0 and "GRIDSCREEN_AUTH=off" in r.output


def test_without_login_the_screen_opens_with_the_demo_mark_and_only_for_loopback(demo_app):
    c = demo_app.server.test_client()
    assert c.get("/").status_code == 200
    page = c.post("/_dash-update-component", json=callback_body(demo_app, "page.children",
                                                                {"url.pathname": "/"}))
    assert page.status_code == 200 and "演示" in txt(page)
    assert c.get("/api/v1/summary").status_code == 200
    # Not from another machine, not through a proxy, not under a foreign Host name (DNS rebinding)
    assert c.get("/", environ_base={"REMOTE_ADDR": "10.0.0.8"}).status_code == 403
    assert c.get("/api/v1/summary", headers={"X-Forwarded-For": "10.0.0.8"}).status_code == 403
    assert c.get("/", headers={"Host": "evil.example"}).status_code == 403


# --- accounts ------------------------------------------------------------------------------------


def test_passwords_are_argon2id_and_sessions_end_with_password_or_account(engine):
    from dashboard.demo import seed  # noqa: F401  (the empty database needs no county for a leader)

    u = accounts.add_user(engine, "alice", "a long password", "leader")
    with engine.connect() as c:
        stored = c.execute(select(User.password_hash).where(User.id == u.id)).scalar()
    assert stored.startswith("$argon2id$") and "a long password" not in stored
    assert accounts.authenticate(engine, "alice", "a long password").id == u.id
    assert accounts.authenticate(engine, "alice", "wrong password!") is None
    assert accounts.authenticate(engine, "nobody", "a long password") is None
    with pytest.raises(accounts.AccountError):
        accounts.add_user(engine, "bob", "short", "leader")
    with pytest.raises(accounts.AccountError):
        accounts.add_user(engine, "bob", "a long password", "town_officer")  # a town officer needs a town

    token, _ = accounts.start_session(engine, u, hours=12, display_days=30)
    assert accounts.load_session(engine, token, display_days=30) is not None
    assert accounts.set_password(engine, "alice", "another long one") == 1
    assert accounts.load_session(engine, token, display_days=30) is None
    token, _ = accounts.start_session(engine, u, hours=12, display_days=30)
    accounts.set_active(engine, "alice", False)
    assert accounts.load_session(engine, token, display_days=30) is None
    assert accounts.authenticate(engine, "alice", "another long one") is None
    # People's sessions expire after a shift
    accounts.set_active(engine, "alice", True)
    token, _ = accounts.start_session(engine, u, hours=12, display_days=30, now=AS_OF)
    assert accounts.load_session(engine, token, display_days=30, now=AS_OF + timedelta(hours=11)) is not None
    assert accounts.load_session(engine, token, display_days=30, now=AS_OF + timedelta(hours=13)) is None


def test_a_wall_screens_session_lives_while_it_keeps_asking(engine):
    u = accounts.add_user(engine, "wall", "a long password", "display")
    token, info = accounts.start_session(engine, u, hours=12, display_days=30, now=AS_OF)
    t = AS_OF
    for _ in range(4):  # asking every 20 days keeps it alive well past 30 days
        t += timedelta(days=20)
        assert accounts.load_session(engine, token, display_days=30, now=t) is not None
    assert accounts.revoke_sessions(engine, "wall", now=t) == 1
    assert accounts.load_session(engine, token, display_days=30, now=t) is None


def test_user_cli_add_passwd_disable_list(db_url):
    from dashboard.cli import main

    env = {"DATABASE_URL": db_url}
    run = CliRunner().invoke
    r = run(main, ["user", "add", "zhao", "--role", "duty_officer", "--name", "赵值班", "--password-stdin"],
            input="a long password\n", env=env)
    assert r.exit_code == 0, r.output
    assert "值班员" in r.output
    r = run(main, ["user", "add", "zhao", "--role", "leader", "--password", "a long password"], env=env)
    assert r.exit_code != 0 and "已存在" in r.output
    assert run(main, ["user", "passwd", "zhao", "--password", "new long password"], env=env).exit_code == 0
    e = dbmod.make_engine(db_url)
    assert accounts.authenticate(e, "zhao", "new long password") is not None
    assert run(main, ["user", "disable", "zhao"], env=env).exit_code == 0
    assert accounts.authenticate(e, "zhao", "new long password") is None
    r = run(main, ["user", "list"], env=env)
    assert "zhao" in r.output and "已停用" in r.output and "new long password" not in r.output
    assert [a.action for a in audit.recent(e)] == ["user.disable", "user.passwd", "user.add"]
    e.dispose()


# --- login ---------------------------------------------------------------------------------------


def test_login_page_is_chinese_and_everything_else_needs_a_login(site):
    c = site.app.server.test_client()
    r = c.get("/grid/" + grid_in(site, site.mine))
    assert r.status_code == 302 and r.headers["Location"].startswith("/login?next=")
    page = txt(c.get("/login"))
    assert "账号登录" in page and "用户名" in page and "密码" in page and 'lang="zh-CN"' in page
    for method, path in [("GET", "/"), ("GET", "/_dash-layout"), ("GET", "/_dash-dependencies"),
                         ("GET", "/api/v1/summary"), ("GET", "/api/v1/version"), ("GET", "/api/v1/events"),
                         ("GET", "/api/v1/geo/grid.geojson"), ("GET", "/api/v1/explorer/events.csv"),
                         ("GET", "/export/chart/trend.png"), ("POST", "/export/bulletin")]:
        r = c.open(path, method=method)
        assert r.status_code in (302, 401), (path, r.status_code)
    body = callback_body(site.app, "page.children", {"url.pathname": "/"})
    r = c.post("/_dash-update-component", json=body, headers={"Origin": ORIGIN})
    assert r.status_code == 401 and "演示" not in txt(r)


def test_login_sets_a_hardened_cookie_and_logs_in_and_out(site):
    b = Browser(site.app)
    bad = b.login("leader1", "wrong password")
    assert bad.status_code == 401 and "用户名或密码错误" in txt(bad)
    r = b.login("leader1", nxt="/warnings")
    assert r.status_code == 303 and r.headers["Location"] == "/warnings"
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert b.get("/").status_code == 200
    assert b.get("/api/v1/summary").status_code == 200
    # an open redirect is refused
    assert Browser(site.app).login("leader1", nxt="//evil.example/x").headers["Location"] == "/"
    # logout ends the session on the server: a copy of the cookie is worthless afterwards
    logout = txt(b.c.get("/logout"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', logout).group(1)
    assert b.c.post("/logout", data={"csrf_token": token}, headers={"Origin": ORIGIN}).status_code == 303
    assert b.get("/api/v1/summary").status_code == 401
    logins = audit_rows(site.engine, "login")
    assert any(r.outcome == "failed" and r.actor == "leader1" for r in logins)
    assert any(r.outcome == "ok" and r.actor == "leader1" for r in logins)
    assert not any("wrong password" in (r.target or "") + (r.detail or "") for r in logins)


def test_login_form_without_its_csrf_token_or_from_another_site_is_refused(site):
    c = site.app.server.test_client()
    r = c.post("/login", data={"username": "leader1", "password": PASSWORD}, headers={"Origin": ORIGIN})
    assert r.status_code == 400
    b = Browser(site.app)
    page = txt(b.c.get("/login"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    r = b.c.post("/login", data={"username": "leader1", "password": PASSWORD, "csrf_token": token},
                 headers={"Origin": "http://evil.example"})
    assert r.status_code == 403



def test_the_browsers_own_favicon_request_leaves_the_login_form_valid(site):
    """A browser asks /favicon.ico by itself, in parallel with the login page and without cookies
    after a logout: that request must not render a login form of its own (its new CSRF token in a
    new session cookie would expire the form being filled in)."""
    b = Browser(site.app)
    page = txt(b.c.get("/login"))
    assert '<link rel="icon" href="/_favicon.ico">' in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    for client in (site.app.server.test_client(), b.c):  # without cookies, and with the form's
        icon = client.get("/favicon.ico")
        assert icon.status_code == 301 and icon.headers["Location"].endswith("/_favicon.ico")
        assert "Set-Cookie" not in icon.headers
    assert b.c.get("/_favicon.ico").status_code == 200
    r = b.c.post("/login", data={"username": "leader1", "password": PASSWORD, "csrf_token": token},
                 headers={"Origin": ORIGIN})
    assert r.status_code == 303


def test_answers_send_the_session_cookie_only_when_the_session_changed(site):
    """A polling screen's answers carry no session cookie (one still in flight when its page is
    left cannot overwrite a login started meanwhile); a wall screen's cookie is sent again when the
    server slides its expiry forward, so cookie and session end together."""
    from sqlalchemy import update

    from dashboard.store.models import UserSession
    from dashboard.timeutil import now_utc

    b = Browser(site.app)
    assert b.login("wall1").status_code == 303
    for path in ("/api/v1/version", "/", "/_dash-layout"):
        r = b.get(path)
        assert r.status_code == 200, path
        assert "gridscreen_session" not in r.headers.get("Set-Cookie", ""), path
    with site.engine.begin() as c:  # the wall screen was last seen beyond the touch interval
        wall = c.scalar(select(User.id).where(User.username == "wall1"))
        c.execute(update(UserSession).where(UserSession.user_id == wall, UserSession.revoked_at.is_(None))
                  .values(last_seen_at=now_utc() - accounts.TOUCH_EVERY - timedelta(minutes=1)))
    r = b.get("/api/v1/version")
    assert r.status_code == 200 and "gridscreen_session=" in r.headers.get("Set-Cookie", "")
    assert "Expires=" in r.headers["Set-Cookie"]  # a wall screen's permanent cookie
    assert "gridscreen_session" not in b.get("/api/v1/version").headers.get("Set-Cookie", "")

def test_callbacks_need_the_csrf_token_of_the_session(site):
    b = browser(site, "leader1")
    ok = b.callback("page.children", {"url.pathname": "/"})
    assert ok.status_code == 200
    assert b.callback("page.children", {"url.pathname": "/"}, csrf=False).status_code == 403
    r = b.c.post("/_dash-update-component", json=callback_body(site.app, "page.children", {"url.pathname": "/"}),
                 headers={"Origin": ORIGIN, "X-CSRFToken": "forged"})
    assert r.status_code == 403
    r = b.c.post("/_dash-update-component", json=callback_body(site.app, "page.children", {"url.pathname": "/"}),
                 headers={"Origin": "http://evil.example", "X-CSRFToken": b.csrf()})
    assert r.status_code == 403


def test_login_is_rate_limited_per_address_and_paused_per_name_from_that_address(databases):
    from app import create_app

    url = databases.new_url()
    e = dbmod.make_engine(url)
    dbmod.upgrade(e)
    add(e, "carol", "leader")
    app = create_app(settings_for(url, auth=True, login_rate="5 per minute", login_failures=3))
    b = Browser(app)
    codes = [b.login("carol", "wrong wrong wrong").status_code for _ in range(4)]
    assert codes == [401, 401, 401, 429]  # the 4th: the name is paused after 3 failures
    assert "分钟后再试" in txt(b.login("carol"))  # even the right password, for now
    assert b.login("carol").status_code == 429  # the 6th attempt from this address within the minute
    e.dispose()


# --- roles and town scope, on every path -----------------------------------------------------------


def test_town_officer_pages_of_another_town_are_not_found(site):
    b = browser(site, "town1")
    other_grid, my_grid = grid_in(site, site.other), grid_in(site, site.mine)
    other_event, my_event = event_in(site, site.other), event_in(site, site.mine)
    other_dept = first(site.engine, select(Department.code).where(Department.area_code == site.other))[0]

    def page(path):
        r = b.callback("page.children", {"url.pathname": path, "url.search": ""})
        assert r.status_code == 200
        return txt(r)

    for path in (f"/town/{site.other}", f"/grid/{other_grid}", f"/event/{other_event}", f"/department/{other_dept}",
                 f"/community/{areas.children(site.engine, site.other)[0].code}"):
        assert "404" in page(path), path
    assert "404" not in page(f"/grid/{my_grid}")
    assert "404" not in page(f"/event/{my_event}")
    assert "404" not in page(f"/town/{site.mine}")
    assert "404" not in page("/department/D01")  # a county department: its work in my town


def test_town_officer_crafted_callbacks_for_another_town_get_nothing(site):
    b = browser(site, "town1")
    other_grid, other_event = grid_in(site, site.other), event_in(site, site.other)
    kpis = {"gp-kpis": [{"type": "gp-kpis", "field": f} for f in
                        ("reported", "accepted", "closed", "in_progress", "overdue", "closure_rate", "on_time_rate")]}
    body_for = {
        "gp-badge": {"gp-params.data": {"code": other_grid, "query": {}}},
        "ep-head": {"ep-params.data": {"id": other_event}},
        "ap-badge": {"ap-params.data": {"code": site.other, "level": "town", "query": {}}},
    }
    for key, values in body_for.items():
        body = callback_body(site.app, key, values, matches=kpis)
        r = b.c.post("/_dash-update-component", json=body, headers=b._headers(True))
        assert r.status_code == 404, (key, r.status_code)
        text = txt(r)
        assert other_grid not in text and "figure" not in text
    # the big screen's own callbacks: another town's filter is refused, no filter means my town
    r = b.callback("bs-board.children", {"bs-town.value": site.other, "bs-range.value": "7d"})
    assert r.status_code == 404
    r = b.callback("bs-board.children", {"bs-town.value": "", "bs-range.value": "7d"})
    assert r.status_code == 200
    other_name = areas.get(site.engine, site.other).name
    assert other_name not in txt(r)
    # 督办 on another town's case: a town officer may not supervise at all
    r = b.callback("ep-message.children", {"ep-supervise.n_clicks": 1, "ep-note.value": "快办",
                                           "ep-params.data": {"id": other_event}})
    assert r.status_code in (403, 404)


def test_the_shared_cache_never_answers_a_town_officer_with_a_county_screens_figures(site):
    """Panels are computed once per question for every screen (the shared cache): the
    question must be the town the principal may see, not the raw filter both screens send."""
    from dashboard.present import mapdata

    other_name = areas.get(site.engine, site.other).name
    county = {"bs-town.value": "", "bs-range.value": "7d", "bs-measure.value": "open"}
    leader = browser(site, "leader1")
    r = leader.callback("bs-board.children", county)
    assert r.status_code == 200 and other_name in txt(r)  # the county board names every town
    r = leader.callback("bs-map-colours.data", county)
    assert r.status_code == 200
    index = mapdata.grid_index(site.engine)
    county_values = r.get_json()["response"]["bs-map-colours"]["data"]["v"]
    assert any(v is not None for c, v in zip(index.codes, county_values) if c.startswith(site.other))

    town1 = browser(site, "town1")
    r = town1.callback("bs-board.children", county)
    assert r.status_code == 200 and other_name not in txt(r)
    r = town1.callback("bs-map-colours.data", county)
    values = r.get_json()["response"]["bs-map-colours"]["data"]["v"]
    assert all(v is None for c, v in zip(index.codes, values) if not c.startswith(site.mine))
    assert any(v is not None for c, v in zip(index.codes, values) if c.startswith(site.mine))
    # the map's geometry for the town officer holds its own grids only
    geo = town1.get("/api/v1/geo/grid.geojson?detail=overview")
    assert geo.status_code == 200, (geo.status_code, txt(geo)[:300])
    codes = [f["properties"]["c"] for f in geo.get_json()["features"]]
    assert codes and all(c.startswith(site.mine) for c in codes)


def test_town_officer_api_and_exports_are_their_towns(site):
    b = browser(site, "town1")
    other_grid, other_event, my_event = grid_in(site, site.other), event_in(site, site.other), event_in(site, site.mine)
    assert b.get(f"/api/v1/summary?area={site.other}").status_code == 404
    assert b.get(f"/api/v1/summary?area={other_grid}").status_code == 404
    mine = b.get("/api/v1/summary?start=2026-01-01&end=2026-11-21").get_json()
    assert mine["area"] == site.mine and mine["reported"] > 0
    admin = browser(site, "admin1")
    assert mine == admin.get(f"/api/v1/summary?start=2026-01-01&end=2026-11-21&area={site.mine}").get_json()
    assert mine["reported"] < admin.get("/api/v1/summary?start=2026-01-01&end=2026-11-21").get_json()["reported"]
    assert b.get(f"/api/v1/events/{other_event}").status_code == 404
    assert b.get(f"/api/v1/events/{my_event}").status_code == 200
    listed = b.get("/api/v1/events?per_page=200&start=2026-01-01").get_json()
    assert listed["total"] > 0 and all(e["grid"].startswith(site.mine) for e in listed["items"])
    assert b.get(f"/api/v1/events?area={site.other}").status_code == 400
    assert b.get(f"/api/v1/warnings?area={site.other}").status_code == 404
    cat = b.get("/api/v1/catalog").get_json()
    assert cat["grids"] and all(g["code"].startswith(site.mine) for g in cat["grids"])
    geo = b.get("/api/v1/geo/grid.geojson").get_json()
    assert geo["features"] and all(f["properties"]["c"].startswith(site.mine) for f in geo["features"])
    assert b.get(f"/api/v1/geo/grid.geojson?within={site.other}").status_code == 404
    # exports
    assert b.get(f"/api/v1/explorer/events.csv?range=all&area={site.other}").status_code == 404
    r = b.get("/api/v1/explorer/events.csv?range=all")
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(txt(r).lstrip("\ufeff"))))[1:]
    with site.engine.connect() as c:
        n_mine = c.execute(select(func.count(Event.id)).where(Event.grid_code.like(site.mine + "%"))).scalar()
    assert len(rows) == n_mine
    assert b.get(f"/export/chart/trend.svg?range=7d&area={site.other}").status_code == 404
    exports = audit_rows(site.engine, "export")
    assert any(e.actor == "town1" and "events.csv" in e.target for e in exports)


def test_display_role_gets_the_big_screen_only(site):
    b = browser(site, "wall1")
    assert b.get("/").status_code == 200
    assert b.get("/api/v1/version").status_code == 200
    assert b.callback("bs-board.children", {"bs-town.value": "", "bs-range.value": "7d"}).status_code == 200
    r = b.callback("page.children", {"url.pathname": "/", "url.search": ""})
    assert r.status_code == 200 and "bs-root" in txt(r)
    r = b.callback("page.children", {"url.pathname": "/events", "url.search": ""})
    assert "403" in txt(r) and "ex-table" not in txt(r)
    for path in ("/api/v1/summary", "/api/v1/events", "/api/v1/explorer/events.csv", "/export/chart/trend.png"):
        assert b.get(path).status_code == 403, path
    body = callback_body(site.app, "gp-badge", {"gp-params.data": {"code": grid_in(site, site.mine), "query": {}}})
    r = b.c.post("/_dash-update-component", json=body, headers=b._headers(True))
    assert r.status_code == 403


def test_only_duty_officers_supervise_and_issue_warnings_in_their_own_name(site):
    ev = event_in(site, site.mine)
    with site.engine.connect() as c:
        ev = c.execute(select(Event.id).where(Event.status.in_(("dispatched", "in_progress")))).scalar()
    leader = browser(site, "leader1")
    r = leader.callback("ep-message.children", {"ep-supervise.n_clicks": 1, "ep-note.value": "请加快",
                                                "ep-params.data": {"id": ev}})
    assert r.status_code == 403
    duty = browser(site, "duty1")
    r = duty.callback("ep-message.children", {"ep-supervise.n_clicks": 1, "ep-actor.value": "冒名",
                                              "ep-note.value": "请加快", "ep-params.data": {"id": ev}})
    assert r.status_code == 200, txt(r)
    assert "李值班" in txt(r) and "冒名" not in txt(r)
    sup = audit_rows(site.engine, "supervise")
    assert sup[-1].actor == "duty1" and sup[-1].target == f"event:{ev}" and "请加快" not in (sup[-1].detail or "")
    # warnings: issue and lift
    until = (AS_OF + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    values = {"wn-submit.n_clicks": 1, "wn-scope.value": site.mine, "wn-level.value": 2, "wn-reason.value": "汛期",
              "wn-until.value": until, "wn-by.value": "冒名"}
    r = leader.callback("wn-feedback.children", values, changed=["wn-submit.n_clicks"])
    assert r.status_code == 403
    r = duty.callback("wn-feedback.children", values, changed=["wn-submit.n_clicks"])
    assert r.status_code == 200, txt(r)
    issued = audit_rows(site.engine, "warning.issue")
    assert issued and issued[-1].actor == "duty1" and "汛期" not in (issued[-1].detail or "")


def test_api_tokens_read_and_write_and_writes_are_audited(site):
    _, token = apiclients.create(site.engine, "网格通App")
    h = {"Authorization": f"Bearer {token}"}
    c = site.app.server.test_client()
    assert c.get("/api/v1/summary", headers=h).status_code == 200
    assert c.get("/", headers=h).status_code in (302, 401, 403)  # a token is for the API only
    assert c.get("/api/v1/summary", headers={"Authorization": "Bearer nope"}).status_code == 401
    r = c.post("/api/v1/staff/1/heartbeat", json={}, headers={**h, "Idempotency-Key": "k-1"})
    assert r.status_code == 200
    writes = audit_rows(site.engine, "api.write")
    assert writes[-1].actor == "网格通App" and writes[-1].actor_kind == "token"


# --- hardening -------------------------------------------------------------------------------------


def test_security_headers(site):
    c = site.app.server.test_client()
    for path in ("/login", "/api/v1/version", "/"):
        h = c.get(path).headers
        csp = h["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp and "script-src 'self'" in csp
        assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]
        assert h["X-Content-Type-Options"] == "nosniff" and h["X-Frame-Options"] == "DENY"


def test_unexpected_errors_show_an_id_and_no_traceback(databases, caplog):
    from app import create_app

    url = databases.new_url()
    e = dbmod.make_engine(url)
    dbmod.upgrade(e)
    app = create_app(settings_for(url))

    @app.server.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    r = app.server.test_client().get("/boom")
    text = txt(r)
    assert r.status_code == 500 and "出错了" in text and "secret internals" not in text and "Traceback" not in text
    error_id = re.search(r"错误编号：([0-9A-F]{8})", text).group(1)
    assert any(error_id in rec.getMessage() for rec in caplog.records)
    e.dispose()


def test_staff_phones_are_masked_on_the_grid_page(site):
    b = browser(site, "admin1")
    r = b.callback("page.children", {"url.pathname": "/grid/" + grid_in(site, site.mine), "url.search": ""})
    body = callback_body(site.app, "gp-badge", {"gp-params.data": {"code": grid_in(site, site.mine), "query": {}}})
    body["outputs"][0] = []
    r = b.c.post("/_dash-update-component", json=body, headers=b._headers(True))
    text = txt(r)
    assert not re.search(r"1[3-9]\d{9}", text)  # no full mobile number anywhere in the answer


def test_a_town_token_reads_and_writes_its_town_only(site):
    _, token = apiclients.create(site.engine, "镇App", area=site.mine)
    h = {"Authorization": f"Bearer {token}"}
    c = site.app.server.test_client()
    assert c.get(f"/api/v1/summary?area={site.other}", headers=h).status_code == 404
    assert c.get("/api/v1/summary", headers=h).get_json()["area"] == site.mine
    assert c.get(f"/api/v1/events/{event_in(site, site.other)}", headers=h).status_code == 404
    cat = c.get("/api/v1/catalog", headers=h).get_json()
    mine = next(g for g in cat["grids"] if g.get("worker"))
    other = grid_in(site, site.other)
    body = {"category": "SQ01", "title": "镇令牌上报", "reporter": mine["worker"]["id"]}
    r = c.post("/api/v1/events", json={**body, "grid": other}, headers={**h, "Idempotency-Key": "town-1"})
    assert r.status_code == 422 and "grid" in r.get_json()["fields"]
    r = c.post("/api/v1/events", json={**body, "grid": mine["code"]}, headers={**h, "Idempotency-Key": "town-2"})
    assert r.status_code == 201, r.get_json()
    with site.engine.connect() as conn:
        open_other = conn.execute(select(Event.id).where(Event.grid_code.like(site.other + "%"),
                                                         Event.status == "reported")).scalar()
    if open_other is not None:
        r = c.post(f"/api/v1/events/{open_other}/transitions", json={"action": "accept"},
                   headers={**h, "Idempotency-Key": "town-3"})
        assert r.status_code == 404
    for outside in ("340223999", "340223"):  # no such area; the root (that is everything)
        with pytest.raises(ValueError):
            apiclients.create(site.engine, "坏App", area=outside)


def test_warnings_issued_and_lifted_on_the_command_line_are_audited(demo_copy):
    from dashboard.cli import main

    env = {"DATABASE_URL": demo_copy.url.render_as_string(hide_password=False)}
    town = sorted(areas.names(demo_copy, "town"))[0]
    r = CliRunner().invoke(main, ["warnings", "issue", "--scope", town, "--level", "3", "--reason", "节假日",
                                  "--by", "周值班"], env=env)
    import traceback
    assert r.exit_code == 0, "".join(traceback.format_exception(*r.exc_info))
    issued = audit_rows(demo_copy, "warning.issue")[-1]
    assert issued.actor == "周值班" and issued.actor_kind == "cli" and "节假日" not in (issued.detail or "")
    r = CliRunner().invoke(main, ["warnings", "lift", issued.target.split(":")[1]], env=env)
    assert r.exit_code == 0, r.output
    assert audit_rows(demo_copy, "warning.lift")[-1].target == issued.target


def test_a_login_sees_who_it_is_and_the_way_out(site):
    r = browser(site, "town1").callback("page.children", {"url.pathname": "/", "url.search": ""})
    town = areas.get(site.engine, site.mine).name
    assert "user-badge" in txt(r) and f"张镇干 · 镇（街道）工作人员（{town}）" in txt(r) and "/logout" in txt(r)
    r = browser(site, "wall1").callback("page.children", {"url.pathname": "/", "url.search": ""})
    assert "user-badge" not in txt(r)
