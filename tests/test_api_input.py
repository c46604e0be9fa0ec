"""Hostile and careless input to the API: out-of-range times on every endpoint that reads them are
a 400 naming the parameter (never a 500); source and severity are accepted in the importer's
spellings (code or Chinese label); and no answer to bad input carries an English sentence."""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest

from dashboard import vocabulary
from dashboard.domain import windows
from dashboard.web.api.schemas import EventQuery, EventReport, EventFilesQuery, GeoQuery, SummaryQuery, Transition, WarningsQuery
from dashboard.timeutil import MAX_YEAR, MIN_YEAR, TimeError, parse_time

from .apisupport import client, county  # noqa: F401  (fixtures)
from .factories import GRID_A

TIME_ENDPOINTS = ["/summary", "/events", "/explorer/events.csv", "/explorer/events.xlsx"]
BAD_TIMES = [
    ("start", "0001-01-01"), ("end", "9999-12-31"), ("start", "0000-00-00"), ("end", "0000-00-00"),
    ("start", "99999-01-01"), ("end", "+10000-01-01"), ("start", "1999-12-31"), ("end", "2101-01-01"),
    ("start", "0001-01-01T00:00:00"), ("end", "9999-12-31T23:59:59+14:00"), ("start", "2026-02-30"),
    ("end", "2026-11-20T24:61"), ("start", "1" * 400),
]
CJK = re.compile(r"[\u4e00-\u9fff]")
# English in a message: two words in a row, or one of the words pydantic's, json's and werkzeug's
# sentences are made of (``'a', 'b' or 'c'``, ``Expecting value: line 1 column 2``, ``Input should be``).
ENGLISH = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}|\b(?:or|and|should|be|is|the|of|to|must|input|value|valid|expecting|"
                     r"field|required|not|line|column|char|string|number|integer|greater|less|than|equal|object|"
                     r"list|extra|permitted|missing|unexpected|error|bad|found|method)\b", re.IGNORECASE)


def messages(body: dict) -> list[str]:
    """The words of an error answer: its message and each field's reason (not the codes a 409
    lists as ``status`` and ``allowed``)."""
    return [body["error"], *(body.get("fields") or {}).values()]


def get(client, path, **query):
    r = client.get(path, query_string=query)
    r.get_data()  # a streamed export is read to its end
    r.close()
    return r


# --- times ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", TIME_ENDPOINTS)
@pytest.mark.parametrize("name, value", BAD_TIMES)
def test_out_of_range_and_malformed_times_are_a_400_naming_the_parameter(client, endpoint, name, value):
    query = {name: value}
    if endpoint.startswith("/explorer/"):
        query["range"] = "custom"
    r = get(client, endpoint, **query)
    assert r.status_code == 400, r.get_data(as_text=True)[:300]
    j = r.get_json()
    assert set(j["fields"]) == {name} and name in j["error"]
    assert CJK.search(j["fields"][name]) and not ENGLISH.search(j["fields"][name])


@pytest.mark.parametrize("endpoint", TIME_ENDPOINTS)
def test_the_widest_accepted_window_answers(client, endpoint):
    client.report()
    r = get(client, endpoint, start=f"{MIN_YEAR}-01-01", end=f"{MAX_YEAR}-12-31",
            **({"range": "custom"} if endpoint.startswith("/explorer/") else {}))
    assert r.status_code == 200


def test_the_time_parser_bounds_years_and_says_why():
    assert parse_time(f"{MIN_YEAR}-01-01") == datetime(MIN_YEAR - 1, 12, 31, 16, tzinfo=timezone.utc)
    assert parse_time(f"{MAX_YEAR}-12-31", end_of_day=True) == datetime(MAX_YEAR, 12, 31, 16, tzinfo=timezone.utc)
    for text in ("0001-01-01", "9999-12-31", "1999-12-31T23:59", f"{MAX_YEAR + 1}-01-01"):
        with pytest.raises(TimeError, match=f"{MIN_YEAR}年至{MAX_YEAR}年"):
            parse_time(text, end_of_day=True)
    # The widest window and the one before it (week-on-week arithmetic) stay in the calendar.
    w = windows.parse_window(f"{MIN_YEAR}-01-01", f"{MAX_YEAR}-12-31", datetime(2026, 1, 1, tzinfo=timezone.utc))
    assert w.previous().start.year == 2 * MIN_YEAR - MAX_YEAR - 2
    with pytest.raises(windows.WindowError) as exc:
        windows.parse_bounds("2026-11-20", "2026-11-19")
    assert exc.value.fields == {"end": "结束时间必须晚于开始时间"}


# --- one vocabulary for coded fields --------------------------------------------------------------


@pytest.mark.parametrize("source, severity", [("群众求助", "紧急"), ("12345热线", "重大"), ("hotline", "一般"),
                                              (" 视频巡查 ", "urgent")])
def test_reports_accept_the_importers_spellings(client, source, severity):
    j = client.report(source=source, severity=severity, reporter=None)
    assert (j["source"], j["severity"]) == (vocabulary.SOURCE.code(source), vocabulary.SEVERITY.code(severity))
    assert j["source"] in vocabulary.SOURCE.codes and j["severity"] in vocabulary.SEVERITY.codes


def test_the_event_list_filters_by_either_spelling(client):
    eid = client.report(source="hotline", severity="urgent", reporter=None)["id"]
    client.report()
    for source, severity in (("12345热线", "紧急"), ("hotline", "urgent")):
        items = client.get("/events", query_string={"source": source, "severity": severity}).get_json()["items"]
        assert [e["id"] for e in items] == [eid]
    r = client.get("/events", query_string={"source": "微信"})
    assert r.status_code == 400 and "群众求助" in r.get_json()["fields"]["source"]


def test_the_importer_and_the_api_share_one_vocabulary(tmp_path, county):
    from dashboard.ingest import events as importer

    assert importer.SOURCE is vocabulary.SOURCE and importer.SEVERITY is vocabulary.SEVERITY
    assert EventReport.model_validate({"category": "SQ01", "title": "x", "grid": GRID_A, "source": "部门移交",
                                       "severity": "重大"}).source == "transfer"


# --- Chinese only --------------------------------------------------------------------------------

BAD_VALUES = [None, 0, -1, 1.5, True, "", " ", "x" * 5000, [1], {"a": 1}, "\x01", "不存在", 10**30, "2026-13-45"]
BAD_QUERY = ["", "x", "-1", "0", "99999999999999999999", "2026-13-45", "0001-01-01", "a,b", "nan", "不存在", "%ff"]
BASES = {EventReport: ("/events", {"category": "SQ01", "title": "x", "grid": GRID_A, "reporter": 1}),
         Transition: ("/events/1/transitions", {"action": "dispatch", "handler": "D01"})}
QUERIES = [(EventQuery, "/events"), (SummaryQuery, "/summary"), (EventFilesQuery, "/explorer/events.csv"),
           (WarningsQuery, "/warnings"), (GeoQuery, "/geo/grid.geojson")]


def assert_chinese(r, what):
    assert r.status_code < 500, (what, r.get_data(as_text=True)[:300])
    if r.status_code < 400 or r.mimetype != "application/json":
        return
    for text in messages(r.get_json()):
        assert CJK.search(text) and not ENGLISH.search(text), (what, text)


@pytest.mark.parametrize("model", list(BASES))
def test_bad_values_in_every_body_field_are_answered_in_chinese(client, model):
    client.report()
    path, base = BASES[model]
    for field in [*model.model_fields, "actor", "unknown"]:
        for value in BAD_VALUES:
            r = client.post(path, {**base, field: value})
            assert_chinese(r, (path, field, repr(value)[:40]))


@pytest.mark.parametrize("model, path", QUERIES)
def test_bad_values_in_every_query_parameter_are_answered_in_chinese(client, model, path):
    for field in model.model_fields:
        for value in BAD_QUERY:
            assert_chinese(get(client, path, **{field: value}), (path, field, value))


@pytest.mark.parametrize("raw, content_type", [
    (b"{", "application/json"), (b'{"title": NaN}', "application/json"), (b"1" * 5000, "application/json"),
    (b"\xff\xfe", "application/json"), (b"{}", "text/plain"), (b"[]", "application/json"), (b"null", "application/json"),
    (b'{"a": 1, "a": [}', "application/json"),
])
def test_bodies_that_are_not_json_are_answered_in_chinese(client, raw, content_type):
    r = client.post_raw("/events", raw, content_type=content_type)
    assert 400 <= r.status_code < 500
    assert_chinese(r, raw[:20])


@pytest.mark.parametrize("method, path", [("PUT", "/events"), ("GET", "/nope"), ("DELETE", "/events/1"),
                                          ("GET", "/events/abc"), ("GET", "/events/99999999999"),
                                          ("POST", "/staff/0/heartbeat")])
def test_wrong_routes_and_methods_are_answered_in_chinese(client, method, path):
    r = client.http.open("/api/v1" + path, method=method,
                         headers=client.headers() if method != "GET" else {})
    assert r.status_code in (404, 405)
    assert_chinese(r, (method, path))
