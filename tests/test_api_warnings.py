"""GET /api/v1/warnings: the engine's stored levels and the warnings over HTTP, 4xx on bad input."""

import pytest

from dashboard import warnings as W

from .conftest import AS_OF


def test_county_levels_rollup_and_warnings(api, demo_engine):
    r = api.get("/api/v1/warnings")
    assert r.status_code == 200
    j = r.get_json()
    assert j["area"] == "340223" and j["evaluated_at"] == "2026-11-21T00:00:00+08:00"
    expected = W.county_rollup(demo_engine)
    assert j["counts"] == {str(k): v for k, v in expected["counts"].items()} and j["grids_total"] == 211
    assert len(j["grids"]) == 211 - expected["counts"][0]  # the grids above normal
    assert all(g["level"] in (1, 2, 3, 4) and g["reasons"] and g["reasons"][0]["text"] for g in j["grids"])
    assert [g["level"] for g in j["grids"]] == sorted(g["level"] for g in j["grids"])  # most severe first
    assert len(j["rollup"]) == 9 and sum(t["grids"] for t in j["rollup"]) == 211
    assert {w["status"] for w in j["warnings"]} == {"active"}
    assert any(w["kind"] == "manual" for w in j["warnings"])


def test_filters_by_area_level_kind_and_status(api, demo_engine):
    town = "340223104"
    j = api.get("/api/v1/warnings", query_string={"area": town, "level": "4"}).get_json()
    assert j["area_name"] == "何湾镇" and j["grids"] and all(g["code"].startswith(town) and g["level"] == 4
                                                            for g in j["grids"])
    red = api.get("/api/v1/warnings", query_string={"level": "1"}).get_json()
    assert [g["code"] for g in red["grids"]] == W.top_grids(demo_engine, (1,))["code"].tolist()
    every = api.get("/api/v1/warnings", query_string={"level": "0,1,2,3,4", "area": town}).get_json()
    assert len(every["grids"]) == 14
    manual = api.get("/api/v1/warnings", query_string={"kind": "manual", "status": "all"}).get_json()["warnings"]
    assert {w["status"] for w in manual} == {"active", "expired"} and {w["kind"] for w in manual} == {"manual"}
    ended = api.get("/api/v1/warnings", query_string={"status": "ended", "limit": "3"}).get_json()["warnings"]
    assert 1 <= len(ended) <= 3 and all(w["status"] in ("lifted", "expired") for w in ended)


@pytest.mark.parametrize("query, status, field", [
    ({"level": "5"}, 400, "level"),
    ({"level": "red"}, 400, "level"),
    ({"kind": "auto"}, 400, "kind"),
    ({"status": "open"}, 400, "status"),
    ({"limit": "0"}, 400, "limit"),
    ({"limit": "many"}, 400, "limit"),
    ({"area": "340223999"}, 404, "area"),
])
def test_bad_requests_name_the_field(api, query, status, field):
    r = api.get("/api/v1/warnings", query_string=query)
    assert r.status_code == status
    j = r.get_json()
    assert j["error"] and field in j["fields"]


def test_several_bad_fields_are_all_named(api):
    j = api.get("/api/v1/warnings", query_string={"level": "9", "kind": "x"}).get_json()
    assert set(j["fields"]) == {"level", "kind"}
    assert AS_OF  # the demo app's clock is frozen at the seed's as-of
