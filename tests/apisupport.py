"""Helpers for the reporting-API tests: an app on the small test county with a token, a client that
sends writes the way the grid workers' app does, and a snapshot of every table a write may touch
(to prove that a refused request wrote nothing)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text

from dashboard.web import apiclients
from dashboard import vocabulary

from .conftest import settings_for
from .factories import small_county

WRITE_TABLES = ("events", "event_log", "supervisions", "staff", "idempotency_keys", "api_clients", "data_versions")


def snapshot(engine) -> dict[str, list]:
    """Every row of every table a write may touch."""
    with engine.connect() as c:
        return {t: [tuple(r) for r in c.execute(text(f"SELECT * FROM {t} ORDER BY 1"))] for t in WRITE_TABLES}


class ApiClient:
    """The Flask test client plus a token; ``post`` sends JSON with a fresh Idempotency-Key."""

    def __init__(self, app, engine, token: str):
        self.app = app
        self.http = app.server.test_client()
        self.engine = engine
        self.token = token

    def headers(self, key: str | None = "new", token: str | None = "mine", **extra) -> dict:
        h = {}
        if token is not None:
            h["Authorization"] = f"Bearer {self.token if token == 'mine' else token}"
        if key is not None:
            h["Idempotency-Key"] = uuid.uuid4().hex if key == "new" else key
        h.update(extra)
        return h

    def post(self, path: str, body=None, *, key: str | None = "new", token: str | None = "mine", **kw):
        return self.http.post("/api/v1" + path, json=body, headers=self.headers(key, token), **kw)

    def post_raw(self, path: str, data, *, content_type: str | None = "application/json", key: str | None = "new",
                 token: str | None = "mine"):
        extra = {"Content-Type": content_type} if content_type else {}
        return self.http.post("/api/v1" + path, data=data, headers=self.headers(key, token, **extra))

    def get(self, path: str, **kw):
        return self.http.get("/api/v1" + path, **kw)

    def report(self, **fields):
        body = {"category": "SQ01", "title": "测试井盖缺失", "grid": "340223100001001", "reporter": 1}
        body.update(fields)
        r = self.post("/events", body)
        assert r.status_code == 201, r.get_json()
        return r.get_json()

    def move(self, event_id: int, action: str, **fields):
        return self.post(f"/events/{event_id}/transitions", {"action": action, **fields})


@pytest.fixture
def county(engine):
    small_county(engine)
    return engine


@pytest.fixture
def client(county, db_url):
    """The app on the small county, clock frozen at AS_OF, with a token for "测试App" that may do
    every write (督办 included)."""
    from app import create_app

    app = create_app(settings_for(db_url))
    _, token = apiclients.create(county, "测试App", permissions=vocabulary.API_PERMISSIONS)
    yield ApiClient(app, county, token)
    dispose(app)


def dispose(app) -> None:
    """Close the app's database connections (a test's app would otherwise hold them until garbage
    collection, and a long PostgreSQL run would exhaust the server's connections)."""
    from dashboard.web.runtime import EXTENSION_KEY

    app.server.extensions[EXTENSION_KEY].engine.dispose()
