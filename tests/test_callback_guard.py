"""Crafted screen requests (``POST /_dash-update-component``): every registered callback of a real
app on the demo county is sent wrong types, unknown values, missing ids and wrong outputs, and
must answer with a 4xx in Chinese or a normal answer — never a 500. The shared check
(callbacks/guard.py) refuses what the page could not have sent, naming the component; what is
well formed reaches the callback, which answers it (an unknown code: not found).

The real screens still work: the browser tests (test_bigscreen, test_drill_browser,
test_screen_warnings ...) drive them through the same check."""

from __future__ import annotations

import json

import pytest
from dash import Dash, Input, Output, html

from callbacks import guard
from callbacks.contracts import ID_KEYS, PROPS
from layouts.ids import Shell

from .authsupport import callback_body, txt
from .conftest import settings_for

OK = {200, 204}
REFUSED = {400, 403, 404, 409, 413, 422}
# What an attacker sends in place of each value: wrong types, a huge string, markup, codes and
# dates that are well formed but name nothing, and out-of-range dates.
HOSTILE = [["列表"], {"town": "340223100"}, 12345, True, "x" * 100_000, "<b>未知</b>", "999999999",
           "999999999999999", "0001-01-01", "9999-12-31"]


@pytest.fixture(scope="module")
def fuzz_app(databases):
    """The demo county (a copy the fuzzing may write to: a crafted 督办 or warning may succeed)."""
    from app import create_app
    from dashboard.demo import seed
    from dashboard.store import db as dbmod

    from .conftest import AS_OF

    url = databases.new_url()
    engine = dbmod.make_engine(url)
    seed(engine, "nanling", 7, as_of=AS_OF)
    app = create_app(settings_for(url))
    yield app
    engine.dispose()


def server_callbacks(app) -> list[str]:
    return [k for k, cb in app.callback_map.items() if "callback" in cb]


def page_ids() -> dict:
    """One id per pattern-matching type, as a page would hold it."""
    out = {}
    for t, keys in ID_KEYS.items():
        out[t] = [{"type": t, **{k: next(v for v in c.samples() if v is not None) for k, c in keys.items()}}]
    return out


def baseline(app, key) -> dict:
    """The values of a first request: unset (None) where a component may be unset, else a value
    the page holds."""
    out = {}
    for _part, d in deps(app, key):
        contract = None if is_pattern(d) else contract_of(d)
        if contract is not None and not contract.optional:
            out[f"{d['id']}.{d['property']}"] = next(v for v in contract.samples() if v is not None)
    return out


def post(client, body):
    return client.post("/_dash-update-component", json=body)


def deps(app, key):
    cb = app.callback_map[key]
    return [("inputs", d) for d in cb["inputs"]] + [("state", d) for d in cb["state"]]


def is_pattern(d) -> bool:
    return d["id"].startswith("{") and "[" in d["id"]


def contract_of(d):
    cid = json.loads(d["id"]) if d["id"].startswith("{") else d["id"]
    return PROPS.get((cid["type"] if isinstance(cid, dict) else cid, d["property"]))


def assert_no_500(r, what):
    assert r.status_code in OK | REFUSED, (what, r.status_code, txt(r)[:300])
    if r.status_code in REFUSED and r.status_code != 204:
        assert r.is_json and any("\u4e00" <= ch <= "\u9fff" for ch in r.get_json()["error"]), (what, txt(r)[:200])


# --- every input of every callback declares what it accepts --------------------------------------


def test_every_callback_input_has_a_contract(fuzz_app):
    specs = guard.index(fuzz_app.callback_map)
    assert guard.missing_contracts(specs) == []
    # ... and an app whose callback reads an undeclared property does not start
    app = Dash(__name__)
    app.layout = html.Div([html.Div(id="undeclared-box"), html.Div(id="undeclared-out")])

    @app.callback(Output("undeclared-out", "children"), Input("undeclared-box", "title"))
    def _echo(v):
        return v

    with pytest.raises(RuntimeError, match="undeclared-box.title"):
        guard.install(app)


def test_contract_samples_are_accepted_by_their_own_contracts():
    for contract in PROPS.values():
        for v in contract.samples():
            contract.check(v)  # raises Refused if a sample were refused: the samples are what pages send


# --- fuzzing ---------------------------------------------------------------------------------------


def test_every_callback_answers_crafted_values_with_a_4xx_or_an_answer_never_a_500(fuzz_app):
    c = fuzz_app.server.test_client()
    ids = page_ids()
    sent = refused = 0
    for key in server_callbacks(fuzz_app):
        values = baseline(fuzz_app, key)
        base = callback_body(fuzz_app, key, values, matches=ids)
        r = post(c, base)
        assert_no_500(r, (key, "as the page first sends it"))
        sent += 1
        for part, d in deps(fuzz_app, key):
            if is_pattern(d):
                continue  # pattern ids: see the structural tests below
            contract = contract_of(d)
            name = f"{d['id']}.{d['property']}"
            samples = [v for v in contract.samples() if v is not None][-1:]
            for value in samples + HOSTILE:
                body = callback_body(fuzz_app, key, {**values, name: value}, matches=ids,
                                     changed=[name] if part == "inputs" else None)
                r = post(c, body)
                assert_no_500(r, (key, name, repr(value)[:60]))
                sent += 1
                try:
                    contract.check(value)
                except Exception:  # noqa: BLE001 - the contract refuses it: so must the server, naming it
                    refused += 1
                    assert r.status_code == 400, (key, name, repr(value)[:60], r.status_code)
                    shown = json.loads(d["id"])["type"] if d["id"].startswith("{") else d["id"]
                    assert f"组件“{shown}”" in r.get_json()["error"], r.get_json()
    print(f"{sent} crafted requests, {refused} refused by the contracts")
    assert sent > 300 and refused > 200, (sent, refused)


def test_an_unknown_map_measure_is_refused_in_chinese(fuzz_app):
    c = fuzz_app.server.test_client()
    r = post(c, callback_body(fuzz_app, "bs-map-colours.data", {"bs-measure.value": "population; drop table"},
                              changed=["bs-measure.value"]))
    assert r.status_code == 400
    assert r.get_json()["error"] == "请求无效：组件“bs-measure”的属性“value”取值无效：不是可选的值"
    r = post(c, callback_body(fuzz_app, "ap-grid-layer.hideout", {"ap-measure.value": "nope"}))
    assert r.status_code == 400 and "ap-measure" in r.get_json()["error"]


def test_wrong_types_are_refused_naming_the_component(fuzz_app):
    c = fuzz_app.server.test_client()
    cases = [
        ("bs-board.children", "bs-town.value", {"code": "340223100"}, "bs-town"),  # a dict for a town code
        ("bs-board.children", "bs-dates.start_date", 20261120, "bs-dates"),  # a number for a date
        ("bs-board.children", "bs-range.value", ["7d"], "bs-range"),  # a list where a string goes
        ("wn-list.children", "wn-kind.value", "x" * 1_000_000, "wn-kind"),  # a huge string
        ("ep-head.children", "ep-params.data", {"id": "1; select"}, "ep-params"),
        ("ex-table.getRowsResponse", "ex-table.getRowsRequest", {"startRow": 0, "endRow": 10**9}, "ex-table"),
    ]
    for key, name, value, shown in cases:
        r = post(c, callback_body(fuzz_app, key, {name: value}, changed=[name] if "getRows" not in name else None))
        assert r.status_code in (400, 413), (name, r.status_code)
        assert "请求" in r.get_json()["error"], r.get_json()
        if r.status_code == 400:
            assert f"组件“{shown}”" in r.get_json()["error"], r.get_json()


def test_out_of_range_dates_and_control_characters_are_refused(fuzz_app):
    c = fuzz_app.server.test_client()
    for value in ("0001-01-01", "9999-12-31", "2026-02-30", "2026-11-20T25:00"):
        r = post(c, callback_body(fuzz_app, "bs-board.children", {"bs-range.value": "custom",
                                                                  "bs-dates.start_date": value,
                                                                  "bs-dates.end_date": "2026-11-20"}))
        assert r.status_code == 400 and "bs-dates" in r.get_json()["error"], value
    r = post(c, callback_body(fuzz_app, "ep-message.children", {"ep-supervise.n_clicks": 1, "ep-note.value": "a\x00b",
                                                                "ep-params.data": {"id": 1}}))
    assert r.status_code == 400 and "控制字符" in r.get_json()["error"]


# --- the shape of the request ---------------------------------------------------------------------


def test_requests_the_page_could_not_send_are_refused(fuzz_app):
    c = fuzz_app.server.test_client()
    good = callback_body(fuzz_app, "bs-board.children", {"bs-range.value": "7d", "bs-town.value": ""})
    assert post(c, good).status_code == 200

    def refused(body, why):
        r = post(c, body)
        assert r.status_code == 400, (why, r.status_code, txt(r)[:200])
        assert r.get_json()["error"].startswith("请求无效："), why
        return r.get_json()["error"]

    def changed(**kw):
        b = json.loads(json.dumps(good))
        b.update(kw)
        return b

    assert "没有这样的回调" in refused(changed(output="..nope.children.."), "an unknown callback")
    refused(changed(output="bs-map-painted.data"), "a clientside callback")
    other = callback_body(fuzz_app, "bs-feed.children", {})
    assert "输出" in refused(changed(outputs=other["outputs"]), "another callback's outputs")
    refused(changed(outputs=good["outputs"][:1]), "an output missing")
    refused(changed(outputs=[{"id": "bs-board", "property": "style"}, good["outputs"][1]]), "another property")
    missing_state = changed(state=[])
    assert "状态" in refused(missing_state, "the State left out")
    refused(changed(inputs=good["inputs"][:-1]), "an input left out")
    refused(changed(inputs=good["inputs"] + [good["inputs"][0]]), "an input too many")
    swapped = changed(inputs=[good["inputs"][1], good["inputs"][0], *good["inputs"][2:]])
    refused(swapped, "inputs out of order")
    refused(changed(inputs=[{**good["inputs"][0], "id": "bs-measure"}, *good["inputs"][1:]]), "another component")
    refused(changed(changedPropIds=["ep-supervise.n_clicks"]), "a trigger that is not an input")
    refused(changed(changedPropIds="bs-range.value"), "a trigger list that is not a list")
    for body in (None, [], "x", {"output": 5}):
        r = c.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
        assert r.status_code == 400, body
    r = c.post("/_dash-update-component", data=b"{not json", content_type="application/json")
    assert r.status_code == 400
    r = c.post("/_dash-update-component", data=b"{" + b" " * 2_000_000 + b"}", content_type="application/json")
    assert r.status_code == 413 and "过大" in r.get_json()["error"]


def test_pattern_matching_ids_must_have_the_declared_shape_and_agree(fuzz_app):
    c = fuzz_app.server.test_client()
    links = [{"type": "bs-export", "chart": "trend", "format": f} for f in ("png", "svg")]
    ok = callback_body(fuzz_app, "bs-export", {"bs-range.value": "7d"}, matches={"bs-export": links})
    assert post(c, ok).status_code == 200
    # outputs for two links, state for one: the callback would answer the wrong number of values
    short = callback_body(fuzz_app, "bs-export", {}, matches={"bs-export": links})
    short["state"] = [s[:1] for s in short["state"]]
    assert post(c, short).status_code == 400
    for bad in ({"type": "bs-export", "chart": "trend", "format": "png", "extra": 1},  # another shape
                {"type": "bs-export", "chart": "salary", "format": "png"},  # a chart the screen does not have
                {"type": "bs-export", "chart": ["trend"], "format": "png"},  # a list where a key goes
                {"type": "ap-kpis", "chart": "trend", "format": "png"}):  # another pattern
        body = callback_body(fuzz_app, "bs-export", {}, matches={"bs-export": [bad]})
        r = post(c, body)
        assert r.status_code == 400, bad
    # the same id twice
    body = callback_body(fuzz_app, "bs-export", {}, matches={"bs-export": links[:1] * 2})
    assert post(c, body).status_code == 400
    # a State "id" that is not the component's id
    body = callback_body(fuzz_app, "bs-export", {}, matches={"bs-export": links})
    body["state"][0][0]["value"] = {"type": "bs-export", "chart": "map", "format": "png"}
    assert post(c, body).status_code == 400
    # a lift button of a warning id that is not a number
    body = callback_body(fuzz_app, "wn-lift-confirm-text.children", {}, matches={"wn-lift": [{"type": "wn-lift", "id": "1"}]})
    assert post(c, body).status_code == 400


# --- the database goes away ------------------------------------------------------------------------


def test_every_callback_keeps_the_screen_when_the_database_goes_away(databases):
    """One mechanism for every callback (``dashboard/web/auth/security.database_away``): a
    callback that fails on the database answers "no update" (204), so the screen keeps its last
    data under the stale banner — never a 500, whichever callback it is."""
    from app import create_app
    from dashboard.demo import seed
    from dashboard.store import db as dbmod

    from .conftest import AS_OF

    url = databases.new_url()
    engine = dbmod.make_engine(url)
    seed(engine, "nanling", 7, as_of=AS_OF)
    engine.dispose()
    app = create_app(settings_for(url))
    c = app.server.test_client()
    ids = page_ids()
    before = {key: post(c, callback_body(app, key, baseline(app, key), matches=ids)).status_code
              for key in server_callbacks(app)}
    # The database goes (a disk unmounted, a server's database dropped): every query now fails.
    dbmod.engine_for(url).dispose()
    databases.remove(url)
    after = {key: post(c, callback_body(app, key, baseline(app, key), matches=ids)).status_code
             for key in server_callbacks(app)}
    assert 500 not in after.values(), {k: v for k, v in after.items() if v == 500}
    # What answered with data before keeps its last data now (the router's page and every panel).
    kept = [k for k, v in before.items() if v == 200 and after[k] == 204]
    assert any(f"{Shell.PAGE}.children" in k for k in kept), kept
    assert sum(1 for k in kept if "panel" in k) >= 5, kept
