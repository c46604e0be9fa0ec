"""Login brakes that slow a guesser without locking the owner out, and client addresses behind a
reverse proxy: attacks sent as the HTTP requests a browser (or a script) would send, from
different client addresses."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from dashboard.store.models import AuditEntry
from dashboard.settings import ConfigError, Settings

from .authsupport import ORIGIN, PASSWORD, add, txt
from .conftest import settings_for

WRONG = "wrong wrong wrong"


def make_app(engine, **settings):
    from app import create_app

    base = {"auth": True, "login_rate": "1000 per minute", "login_account_rate": "1000 per minute",
            "login_failures": 1000}
    return create_app(settings_for(engine.url.render_as_string(hide_password=False), **{**base, **settings}))


def login(app, username: str, password: str = PASSWORD, *, addr: str = "192.0.2.10", headers: dict | None = None):
    """A login from client address ``addr`` (as the server's socket sees it), like a browser: the
    form's CSRF token first, then the form."""
    c = app.server.test_client()
    env = {"REMOTE_ADDR": addr}
    h = {"Origin": ORIGIN, **(headers or {})}
    page = c.get("/login", environ_base=env, headers=headers or {})
    token = re.search(r'name="csrf_token" value="([^"]+)"', txt(page)).group(1)
    return c.post("/login", data={"username": username, "password": password, "csrf_token": token, "next": "/"},
                  environ_base=env, headers=h)


def last_login_addresses(engine, n: int) -> list[str | None]:
    with engine.connect() as c:
        rows = c.execute(select(AuditEntry.remote_addr).where(AuditEntry.action == "login")
                         .order_by(AuditEntry.id.desc()).limit(n)).scalars().all()
    return list(reversed(rows))


def test_failures_from_one_address_do_not_lock_the_owner_out_elsewhere(engine):
    add(engine, "duty9", "duty_officer")
    app = make_app(engine, login_failures=3)
    attacker, owner = "203.0.113.66", "192.0.2.10"
    assert [login(app, "duty9", WRONG, addr=attacker).status_code for _ in range(3)] == [401, 401, 401]
    paused = login(app, "duty9", addr=attacker)  # even the right password, from there, for now
    assert paused.status_code == 429 and "分钟后再试" in txt(paused)
    ok = login(app, "duty9", addr=owner)  # the owner, at their desk, gets in
    assert ok.status_code == 303 and ok.headers["Location"] == "/"
    # the owner's own mistakes from their desk count on their own
    assert login(app, "duty9", WRONG, addr=owner).status_code == 401
    assert login(app, "duty9", addr=owner).status_code == 303


def test_attempts_are_limited_per_address(engine):
    add(engine, "carol", "leader")
    add(engine, "dave", "leader")
    app = make_app(engine, login_rate="3 per minute")
    here = "198.51.100.7"
    codes = [login(app, name, WRONG, addr=here).status_code for name in ("carol", "dave", "carol")]
    assert codes == [401, 401, 401]
    r = login(app, "dave", addr=here)  # the fourth attempt from this address within the minute
    assert r.status_code == 429 and "过于频繁" in txt(r)
    assert login(app, "dave", addr="198.51.100.8").status_code == 303  # another address is not slowed


def test_attempts_on_one_account_are_limited_per_address(engine):
    add(engine, "carol", "leader")
    add(engine, "dave", "leader")
    app = make_app(engine, login_account_rate="2 per minute")
    here = "198.51.100.7"
    assert [login(app, "carol", WRONG, addr=here).status_code for _ in range(2)] == [401, 401]
    assert login(app, "carol", addr=here).status_code == 429  # this account, from here: slowed
    assert login(app, "dave", addr=here).status_code == 303  # another account from here: not
    assert login(app, "carol", addr="198.51.100.9").status_code == 303  # this account from elsewhere: not


def test_without_a_trusted_proxy_forwarded_headers_are_ignored(engine):
    """A client may send X-Forwarded-For itself: unless a proxy is configured, it names nobody."""
    add(engine, "carol", "leader")
    app = make_app(engine, login_rate="2 per minute")
    proxy = "10.0.0.1"
    codes = [login(app, "carol", WRONG, addr=proxy, headers={"X-Forwarded-For": f"192.0.2.{i}"}).status_code
             for i in (1, 2, 3)]
    assert codes == [401, 401, 429]  # one address: the socket's, whatever the header says
    assert set(last_login_addresses(engine, 3)) == {proxy}


def test_behind_a_trusted_proxy_each_client_has_its_own_limits(engine):
    add(engine, "carol", "leader")
    app = make_app(engine, login_rate="2 per minute", trusted_proxies=1)
    proxy = "10.0.0.1"

    def via_proxy(client: str, password: str = WRONG, claimed: str | None = None):
        # The proxy appends the address it saw; a client's own header comes before it.
        xff = f"{claimed}, {client}" if claimed else client
        return login(app, "carol", password, addr=proxy, headers={"X-Forwarded-For": xff}).status_code

    assert [via_proxy("192.0.2.1"), via_proxy("192.0.2.1")] == [401, 401]
    assert via_proxy("192.0.2.1", PASSWORD) == 429  # that client's limit
    assert via_proxy("192.0.2.2", PASSWORD) == 303  # another user behind the same proxy is not slowed
    # A client cannot pick its address by sending the header itself: the trusted hop's entry counts.
    assert via_proxy("192.0.2.1", PASSWORD, claimed="192.0.2.99") == 429
    assert last_login_addresses(engine, 2)[0] == "192.0.2.2"


def test_a_trusted_proxy_needs_login_and_a_sane_count():
    with pytest.raises(ConfigError, match="GRIDSCREEN_TRUSTED_PROXIES"):
        Settings(embedded=True, host="127.0.0.1", trusted_proxies=1).check_web()  # the demo without login
    with pytest.raises(ConfigError, match="GRIDSCREEN_TRUSTED_PROXIES"):
        Settings(embedded=False, auth=True, secret_key="x" * 32, trusted_proxies=-1).check_web()
    Settings(embedded=False, auth=True, secret_key="x" * 32, trusted_proxies=2).check_web()
    assert Settings.from_env({"GRIDSCREEN_TRUSTED_PROXIES": "1"}).trusted_proxies == 1
    assert Settings.from_env({}).trusted_proxies == 0


def test_without_login_proxy_headers_are_still_refused(demo_app):
    c = demo_app.server.test_client()
    for h in ("X-Forwarded-For", "X-Real-IP", "Forwarded", "X-Forwarded-Host"):
        assert c.get("/", headers={h: "127.0.0.1"}).status_code == 403, h
