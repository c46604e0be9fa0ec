"""A town-limited API token attacks another town, the way a security review did: heartbeats for
the other town's workers (and reading their names by walking ids), naming them as reporter,
filing to the other town's grid or a point inside it, dispatching its own case to the other
town's desks, moving the other town's cases. Each attempt must answer exactly like a request naming
something that does not exist — same status, same message with only the requested id or code in
it — and write nothing.

The app runs with login on, as a deployment does; town A is ``TOWN`` (grids A and B), town B is
``TOWN2`` (grid C). Staff 1–4 work in town A, 5–6 in town B.
"""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import select

from dashboard.web import apiclients
from dashboard import vocabulary
from dashboard.store.models import Event, Staff

from .apisupport import county, dispose, snapshot  # noqa: F401  (fixtures)
from .conftest import AS_OF, settings_for
from .factories import COMMUNITY, COMMUNITY2, DEPT, GRID_A, GRID_B, GRID_C, TOWN, TOWN2, H, case

B_STAFF = 5  # grid C's worker, in town B
NO_STAFF = 999_999
NO_GRID = "340223101001999"  # a well-formed grid code of town B that does not exist
# Points (lon, lat): inside grid C (town B), inside grid A, and in no grid of the county.
IN_B = (118.25, 30.85)
IN_A = (118.05, 30.85)
NOWHERE = (116.4, 39.9)
REPORTED = AS_OF - 10 * H


class Town:
    """An HTTP client of the app holding one token."""

    def __init__(self, app, engine, token):
        self.http, self.engine, self.token = app.server.test_client(), engine, token

    def post(self, path, body):
        return self.http.post("/api/v1" + path, json=body, headers={
            "Authorization": f"Bearer {self.token}", "Idempotency-Key": uuid.uuid4().hex})

    def get(self, path):
        return self.http.get("/api/v1" + path, headers={"Authorization": f"Bearer {self.token}"})


@pytest.fixture
def site(county, db_url):
    from app import create_app

    app = create_app(settings_for(db_url, auth=True))
    _, a_token = apiclients.create(county, "甲镇App", area=TOWN, permissions=vocabulary.API_PERMISSIONS)
    _, county_token = apiclients.create(county, "县平台", permissions=vocabulary.API_PERMISSIONS)

    class Site:
        engine = county
        a = Town(app, county, a_token)
        whole = Town(app, county, county_token)

    yield Site
    dispose(app)


def answer(r, *asked) -> tuple[int, str]:
    """Status and body, with the id/code the request itself named blanked out: what remains is
    what the answer tells beyond the request."""
    text = json.dumps(r.get_json(), ensure_ascii=False, sort_keys=True)
    for value in asked:
        text = text.replace(str(value), "…")
    return r.status_code, text


def report(**fields):
    body = {"category": "SQ01", "title": "跨镇试探", "grid": GRID_A, "reporter": 1}
    body.update(fields)
    return {k: v for k, v in body.items() if v is not None}


def accepted_case(engine, grid) -> int:
    return case(engine, REPORTED, [("accept", 1)], grid=grid)


# --- heartbeats ----------------------------------------------------------------------------------


def test_a_town_token_cannot_keep_another_towns_worker_online_or_learn_their_name(site):
    before = snapshot(site.engine)
    other = site.a.post(f"/staff/{B_STAFF}/heartbeat", {})
    missing = site.a.post(f"/staff/{NO_STAFF}/heartbeat", {})
    assert other.status_code == 404
    assert answer(other, B_STAFF) == answer(missing, NO_STAFF)
    assert "网格员2" not in other.get_data(as_text=True)
    assert snapshot(site.engine) == before  # not online, no data version moved
    # Its own town's worker, and the county's token for anyone: allowed.
    assert site.a.post("/staff/1/heartbeat", {}).get_json()["online"] is True
    assert site.whole.post(f"/staff/{B_STAFF}/heartbeat", {}).status_code == 200


def test_walking_staff_ids_tells_a_town_token_nothing_about_other_towns(site):
    with site.engine.connect() as c:
        ids = list(c.execute(select(Staff.id).order_by(Staff.id)).scalars())
    seen = {i: site.a.post(f"/staff/{i}/heartbeat", {}) for i in ids}
    assert {i for i, r in seen.items() if r.status_code == 200} == {1, 2, 3, 4}
    refused = {answer(r, i) for i, r in seen.items() if r.status_code != 200}
    assert refused == {answer(site.a.post(f"/staff/{NO_STAFF}/heartbeat", {}), NO_STAFF)}


# --- reports -------------------------------------------------------------------------------------


def test_another_towns_worker_as_reporter_is_an_unknown_person(site):
    before = snapshot(site.engine)
    other = site.a.post("/events", report(reporter=B_STAFF))
    missing = site.a.post("/events", report(reporter=NO_STAFF))
    assert other.status_code == 422 and set(other.get_json()["fields"]) == {"reporter"}
    assert answer(other, B_STAFF) == answer(missing, NO_STAFF)
    assert snapshot(site.engine) == before
    assert site.whole.post("/events", report(reporter=B_STAFF)).status_code == 201


def test_another_towns_grid_is_an_unknown_grid(site):
    before = snapshot(site.engine)
    other = site.a.post("/events", report(grid=GRID_C))
    missing = site.a.post("/events", report(grid=NO_GRID))
    assert other.status_code == 422 and set(other.get_json()["fields"]) == {"grid"}
    assert answer(other, GRID_C) == answer(missing, NO_GRID)
    assert snapshot(site.engine) == before


def test_a_point_in_another_town_answers_like_a_point_outside_the_county_and_names_no_grid(site):
    before = snapshot(site.engine)
    other = site.a.post("/events", report(grid=None, lon=IN_B[0], lat=IN_B[1]))
    nowhere = site.a.post("/events", report(grid=None, lon=NOWHERE[0], lat=NOWHERE[1]))
    assert other.status_code == 422 and set(other.get_json()["fields"]) == {"lat", "lon"}
    assert answer(other, *IN_B) == answer(nowhere, *NOWHERE)
    text = other.get_data(as_text=True)
    assert GRID_C not in text and TOWN2 not in text and "乙" not in text
    # Also when the report names its own grid and only the point lies in the other town.
    assert site.a.post("/events", report(lon=IN_B[0], lat=IN_B[1])).status_code == 422
    assert snapshot(site.engine) == before
    # A point in its own town is filed to that grid; the county's token may file anywhere.
    assert site.a.post("/events", report(grid=None, lon=IN_A[0], lat=IN_A[1])).get_json()["grid"] == GRID_A
    assert site.whole.post("/events", report(grid=None, lon=IN_B[0], lat=IN_B[1], reporter=B_STAFF)
                           ).get_json()["grid"] == GRID_C


# --- moving cases --------------------------------------------------------------------------------


@pytest.mark.parametrize("desk", [TOWN2, COMMUNITY2, GRID_C])
def test_a_case_cannot_be_dispatched_to_another_towns_desk(site, desk):
    eid = accepted_case(site.engine, GRID_A)
    before = snapshot(site.engine)
    other = site.a.post(f"/events/{eid}/transitions", {"action": "dispatch", "handler": desk})
    missing = site.a.post(f"/events/{eid}/transitions", {"action": "dispatch", "handler": "NOPE01"})
    assert other.status_code == 422 and set(other.get_json()["fields"]) == {"handler"}
    assert answer(other, desk) == answer(missing, "NOPE01")
    assert snapshot(site.engine) == before


@pytest.mark.parametrize("desk", [DEPT, TOWN, COMMUNITY, GRID_B])
def test_county_departments_and_the_towns_own_desks_stay_dispatchable(site, desk):
    eid = accepted_case(site.engine, GRID_A)
    r = site.a.post(f"/events/{eid}/transitions", {"action": "dispatch", "handler": desk})
    assert r.status_code == 200 and r.get_json()["handler"] == desk


@pytest.mark.parametrize("action, body", [("accept", {}), ("supervise", {"note": "请加快"}),
                                          ("dispatch", {"handler": DEPT})])
def test_another_towns_case_is_an_unknown_case(site, action, body):
    eid = case(site.engine, REPORTED, [] if action == "accept" else [("accept", 1)], grid=GRID_C)
    missing_id = eid + 1000
    before = snapshot(site.engine)
    other = site.a.post(f"/events/{eid}/transitions", {"action": action, **body})
    missing = site.a.post(f"/events/{missing_id}/transitions", {"action": action, **body})
    assert other.status_code == 404
    assert answer(other, eid) == answer(missing, missing_id)
    assert snapshot(site.engine) == before
    # Reading it is refused the same way (access.py, with the token's town).
    assert answer(site.a.get(f"/events/{eid}"), eid) == answer(site.a.get(f"/events/{missing_id}"), missing_id)


def test_a_refused_write_leaves_the_other_towns_case_untouched(site):
    eid = accepted_case(site.engine, GRID_C)
    site.a.post(f"/events/{eid}/transitions", {"action": "dispatch", "handler": DEPT})
    with site.engine.connect() as c:
        assert c.execute(select(Event.status, Event.supervised).where(Event.id == eid)).one() == ("accepted", False)
