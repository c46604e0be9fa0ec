"""Finding cases in one place: GET /api/v1/events, the explorer's count and pages, and the stock
figures of ``metrics`` agree for the same filter; the desk lists keep the area's clock and the
handler's clock apart (a case sent back, or disposed and awaiting verification, is overdue for the
area but no longer for its handler)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs

import pytest

from dashboard.domain import windows
from dashboard.figures import caselist, metrics

from .apisupport import client, county  # noqa: F401  (fixtures)
from .conftest import AS_OF
from .factories import DEPT, GRID_B, TOWN, case

OPEN = "accepted,dispatched,in_progress,disposed"  # the API's spelling of every open status
START, END = AS_OF - timedelta(days=20), AS_OF - timedelta(days=2)
H = timedelta(hours=1)

# (the explorer's URL words, the API's query) for the same cases
SAME = {
    "open": ({"status": "open"}, {"status": OPEN}),
    "overdue": ({"overdue": "1"}, {"overdue": "true"}),
    "not overdue": ({"overdue": "0"}, {"overdue": "false"}),
    "handler overdue": ({"handler_overdue": "1"}, {"handler_overdue": "true"}),
    "town": ({"area": "340223100"}, {"area": "340223100"}),
    "grid, open": ({"area": "340223102001007", "status": "open"}, {"area": "340223102001007", "status": OPEN}),
    "handler": ({"handler": "D03"}, {"handler": "D03"}),
    "handler, overdue": ({"handler": "D03", "overdue": "1"}, {"handler": "D03", "overdue": "true"}),
    "window": ({"range": "custom", "start": START.isoformat(), "end": END.isoformat()},
               {"start": START.isoformat(), "end": END.isoformat()}),
    "last 30 days, town, overdue": ({"range": "30d", "area": "340223105", "overdue": "1"},
                                    {"start": (AS_OF - timedelta(days=30)).isoformat(), "end": AS_OF.isoformat(),
                                     "area": "340223105", "overdue": "true"}),
    "supervised, source": ({"supervised": "1", "source": "12345热线"}, {"supervised": "true", "source": "hotline"}),
}


@pytest.mark.parametrize("name", list(SAME))
def test_the_api_and_the_explorer_find_the_same_cases(api, demo_engine, name):
    url, query = SAME[name]
    f = caselist.from_query(url, AS_OF, strict=True)
    n = caselist.count(demo_engine, f, AS_OF)
    j = api.get("/api/v1/events", query_string={**query, "per_page": 200, "sort": "-reported_at"}).get_json()
    assert j["total"] == n
    assert [e["id"] for e in j["items"]] == [r["id"] for r in caselist.rows(demo_engine, f, AS_OF, limit=200)]
    assert [e["overdue"] for e in j["items"]] == [r["overdue"] for r in caselist.rows(demo_engine, f, AS_OF, limit=200)]
    if name not in ("not overdue", "town", "handler", "window"):
        assert n > 0, name  # the demo holds such cases, so the comparison says something


def test_the_explorer_counts_the_summarys_stocks(demo_engine):
    everything = windows.Window(AS_OF - timedelta(days=400), AS_OF)
    for scope, extra in ((metrics.Scope(), {}), (metrics.Scope(area="340223100"), {"area": "340223100"}),
                         (metrics.Scope(department="D03"), {"handler": "D03"})):
        s = metrics.summary(demo_engine, everything, scope)
        for field, words in (("open_now", {"status": "open"}), ("overdue_now", {"overdue": "1"}),
                             ("handler_overdue_now", {"handler_overdue": "1"})):
            f = caselist.from_query({**extra, **words}, AS_OF)
            assert caselist.count(demo_engine, f, AS_OF) == s[field], (scope, field)


def test_sent_back_and_disposed_cases_are_overdue_for_the_area_not_for_the_handler(client):
    engine = client.engine
    t0 = AS_OF - timedelta(days=5)  # a 24-hour limit: every case below is past its deadline
    held = case(engine, t0, [("accept", 1), ("dispatch", 2, DEPT), ("start", 3)])
    sent_back = case(engine, t0, [("accept", 1), ("dispatch", 2, DEPT), ("send_back", 4)])
    disposed = case(engine, t0, [("accept", 1), ("dispatch", 2, DEPT), ("start", 3), ("dispose", 5)], grid=GRID_B)
    case(engine, t0, [("accept", 1), ("dispatch", 2, DEPT), ("start", 3), ("dispose", 5), ("verify_ok", 6)])

    # The area's list: every open case, all three overdue on the area's clock.
    rows = {r["id"]: r for r in caselist.open_cases(engine, TOWN, AS_OF)}
    assert set(rows) == {held, sent_back, disposed}
    assert all(r["overdue"] and r["kind"] == "overdue" for r in rows.values())
    assert {i: rows[i]["handler_overdue"] for i in rows} == {held: True, sent_back: False, disposed: False}
    assert {i: rows[i]["stage"] for i in rows} == {held: "disposal", sent_back: "dispatch", disposed: "verification"}
    # The handler's list: only the case it still holds.
    assert [r["id"] for r in caselist.overdue_with_handler(engine, DEPT, AS_OF)] == [held]
    assert [r["id"] for r in caselist.overdue_with_handler(engine, DEPT, AS_OF, area=GRID_B)] == []
    # The same stock as the department page's figure beside the list.
    s = metrics.summary(engine, windows.Window(t0 - H, AS_OF), metrics.Scope(department=DEPT, area=TOWN))
    assert s["handler_overdue_now"] == 1 and s["overdue_now"] == 3
    # The API and the explorer's URL say the same.
    assert client.get("/events", query_string={"handler": DEPT, "handler_overdue": "true"}).get_json()["total"] == 1
    assert client.get("/events", query_string={"handler": DEPT, "overdue": "true"}).get_json()["total"] == 3
    assert client.get("/events", query_string={"handler": DEPT, "handler_overdue": "false",
                                               "status": OPEN}).get_json()["total"] == 2
    f = caselist.from_query({"handler": DEPT, "handler_overdue": "1"}, AS_OF)
    assert caselist.count(engine, f, AS_OF) == 1


@pytest.mark.parametrize("query, field", [
    ({"handler_overdue": "maybe"}, "handler_overdue"),
    ({"overdue": "2"}, "overdue"),
    ({"status": "open,gone"}, "status"),
    ({"source": "微信"}, "source"),
    ({"range": "week"}, "range"),
    ({"range": "custom", "start": "2026-11-20", "end": "2026-11-01"}, "end"),
])
def test_a_strict_query_names_each_bad_parameter_in_chinese(api, query, field):
    with pytest.raises(caselist.FilterError) as err:
        caselist.from_query(query, AS_OF, strict=True)
    assert set(err.value.fields) == {field}
    caselist.from_query(query, AS_OF)  # read leniently, a hand-edited link still opens (the bad part dropped)
    r = api.get("/api/v1/explorer/events.csv", query_string=query)
    assert r.status_code == 400 and set(r.get_json()["fields"]) == {field}
    assert "筛选条件有误" in r.get_json()["error"]


def test_a_query_reads_back_from_its_url():
    f = caselist.from_query({"range": "custom", "start": "2026-11-01", "area": "340223100", "status": "open,closed",
                             "handler": "D03", "source": "12345热线", "severity": "urgent", "overdue": "0",
                             "handler_overdue": "1", "supervised": "true", "q": "路灯"}, AS_OF, strict=True)
    assert (f.source, f.overdue, f.handler_overdue, f.supervised, f.end) == ("hotline", False, True, True, None)
    again = caselist.from_query(parse_qs(caselist.to_query(f)), AS_OF, strict=True)
    assert again.key() == f.key() and again.range_key == "custom" and again.start_text == "2026-11-01"
