"""API tokens: writes need one (401 without, 403 revoked), tokens are hashed at rest, and the
``gridscreen token`` commands create, list and revoke them."""

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from dashboard.web import apiclients
from dashboard.cli import main
from dashboard.store.models import ApiClient

from .apisupport import client, county, snapshot  # noqa: F401  (fixtures)
from .factories import GRID_A

REPORT = {"category": "SQ01", "title": "无令牌上报", "grid": GRID_A, "reporter": 1}
WRITES = [("/events", REPORT), ("/events/1/transitions", {"action": "accept"}), ("/staff/1/heartbeat", {})]


@pytest.fixture
def one_event(client):
    return client.report()["id"]


@pytest.mark.parametrize("path, body", WRITES)
@pytest.mark.parametrize("auth", [None, "Bearer ", "Basic dXNlcjpwYXNz", "Bearer gs_not-a-real-token", "gs_no-scheme"])
def test_writes_without_a_valid_token_are_401_and_write_nothing(client, one_event, path, body, auth):
    before = snapshot(client.engine)
    headers = client.headers(token=None)
    if auth is not None:
        headers["Authorization"] = auth
    r = client.http.post("/api/v1" + path, json=body, headers=headers)
    assert r.status_code == 401
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert "令牌" in r.get_json()["error"]
    assert snapshot(client.engine) == before


@pytest.mark.parametrize("path, body", WRITES)
def test_revoked_token_is_403_and_writes_nothing(client, one_event, path, body):
    apiclients.revoke(client.engine, name="测试App")
    before = snapshot(client.engine)
    r = client.post(path, body)
    assert r.status_code == 403 and r.get_json()["error"] == "API 令牌已吊销"
    assert snapshot(client.engine) == before


def test_the_token_is_checked_before_the_body(client):
    r = client.post_raw("/events", b"{not json", token=None)
    assert r.status_code == 401


def test_reads_need_no_token(client, one_event):
    for path in ("/events", f"/events/{one_event}", "/summary", "/version", "/catalog", "/openapi.json"):
        assert client.get(path).status_code == 200, path


def test_tokens_are_hashed_at_rest(client):
    with client.engine.connect() as c:
        dump = repr(c.execute(text("SELECT * FROM api_clients")).all())
    assert client.token not in dump
    assert apiclients.hash_token(client.token) in dump


def test_revoking_by_name_revokes_every_active_token_of_that_client(county):
    _, t1 = apiclients.create(county, "网格通")
    _, t2 = apiclients.create(county, "网格通")
    _, other = apiclients.create(county, "12345热线")
    assert len(apiclients.revoke(county, name="网格通")) == 2
    for t in (t1, t2):
        with pytest.raises(apiclients.AuthError) as exc:
            apiclients.authenticate(county, t)
        assert exc.value.reason == "revoked"
    assert apiclients.authenticate(county, other).name == "12345热线"


def run(db_url, *args):
    return CliRunner().invoke(main, list(args), env={"DATABASE_URL": db_url}, catch_exceptions=False)


def test_token_commands(client, db_url):
    r = run(db_url, "token", "create", "网格通App")
    assert r.exit_code == 0, r.output
    token = r.stdout.strip().splitlines()[-1]
    assert token.startswith("gs_") and len(token) > 40
    # The new token writes.
    r = client.post("/staff/1/heartbeat", token=token)
    assert r.status_code == 200
    listing = run(db_url, "token", "list").output
    assert "网格通App" in listing and token[:10] in listing and token not in listing and "有效" in listing
    r = run(db_url, "token", "revoke", "网格通App")
    assert r.exit_code == 0 and "已吊销" in r.output
    assert client.post("/staff/1/heartbeat", token=token).status_code == 403
    assert "已吊销" in run(db_url, "token", "list").output
    r = run(db_url, "token", "revoke", "网格通App")
    assert r.exit_code == 1 and "没有可吊销的令牌" in r.output
    with client.engine.connect() as c:
        ids = [i for i, in c.execute(select(ApiClient.id).where(ApiClient.name == "测试App"))]
    assert run(db_url, "token", "revoke", "--id", str(ids[0])).exit_code == 0
    assert client.post("/staff/1/heartbeat").status_code == 403
