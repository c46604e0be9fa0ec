"""Malformed writes of every kind get a clear 4xx that names what is wrong, and write nothing."""

import io
import json

import pytest
from werkzeug.test import EnvironBuilder

from .apisupport import client, county, snapshot  # noqa: F401  (fixtures)
from .factories import GRID_A

GOOD = {"category": "SQ01", "title": "路灯不亮", "grid": GRID_A, "reporter": 1}


def without(*keys):
    return {k: v for k, v in GOOD.items() if k not in keys}


def assert_nothing_written(client, before):
    assert snapshot(client.engine) == before


@pytest.mark.parametrize("body, fields", [
    # missing fields
    (without("category"), {"category": "必填"}),
    (without("title"), {"title": "必填"}),
    (without("grid"), {"grid": "必须给出网格编码或经纬度"}),
    (without("reporter"), {"reporter": "网格员巡查上报必须给出上报人"}),
    (dict(without("grid"), lat=30.85), {"lon": "经纬度必须同时给出"}),
    # wrong types
    (dict(GOOD, title=123), {"title": "应为字符串"}),
    (dict(GOOD, reporter="1"), {"reporter": "应为整数"}),
    (dict(GOOD, reporter=1.5), {"reporter": "应为整数"}),
    (dict(GOOD, reporter=True), {"reporter": "应为整数"}),
    (dict(without("grid"), lat="30.85", lon=118.05), {"lat": "应为数字"}),
    (dict(GOOD, grid=340223100001001), {"grid": "应为字符串"}),
    (dict(GOOD, description=["a"]), {"description": "应为字符串"}),
    (dict(GOOD, title=None), {"title": "应为字符串"}),
    # unknown references
    (dict(GOOD, grid="340223100001999"), {"grid": "网格 340223100001999 不存在"}),
    (dict(GOOD, grid="340223100001"), {"grid": "应为15位数字网格编码"}),
    (dict(GOOD, category="XX99"), {"category": "事件类别 XX99 不存在"}),
    (dict(GOOD, reporter=999), {"reporter": "人员 999 不存在"}),
    (dict(GOOD, reporter=2**40), {"reporter": "不能大于 2147483647"}),
    # coordinates outside the county (and outside the Earth)
    (dict(without("grid"), lat=39.9, lon=116.4), {"lat": "坐标（116.4, 39.9）不在可上报范围内的任何网格中",
                                                  "lon": "坐标（116.4, 39.9）不在可上报范围内的任何网格中"}),
    (dict(GOOD, lat=39.9, lon=116.4), {"lat": "坐标（116.4, 39.9）不在可上报范围内的任何网格中",
                                       "lon": "坐标（116.4, 39.9）不在可上报范围内的任何网格中"}),
    (dict(without("grid"), lat=91, lon=118.05), {"lat": "不能大于 90"}),
    (dict(without("grid"), lat=30.85, lon=-181), {"lon": "不能小于 -180"}),
    # oversized and unprintable text
    (dict(GOOD, title="长" * 201), {"title": "不能超过 200 个字符"}),
    (dict(GOOD, description="长" * 4001), {"description": "不能超过 4000 个字符"}),
    (dict(GOOD, title=""), {"title": "不能为空"}),
    (dict(GOOD, title="   "), {"title": "不能为空白，且不能含控制字符"}),
    (dict(GOOD, title="a\u0000b"), {"title": "不能为空白，且不能含控制字符"}),
    (dict(GOOD, ext_id="e" * 65), {"ext_id": "不能超过 64 个字符"}),
    (dict(GOOD, photo_url="ftp://example.cn/a.jpg"), {"photo_url": "网址应以 http:// 或 https:// 开头"}),
    (dict(GOOD, photo_url="https://example.cn/" + "a" * 500), {"photo_url": "网址不能超过 500 个字符"}),
    # bad enum values
    (dict(GOOD, severity="critical"), {"severity": "应为以下之一（编码或中文名称）：normal（一般）、major（重大）、urgent（紧急）"}),
    (dict(GOOD, source="wechat"), {"source": "应为以下之一（编码或中文名称）：patrol（网格员巡查）、public（群众求助）、hotline（12345热线）、"
                                         "video（视频巡查）、transfer（部门移交）"}),
    # unknown fields
    (dict(GOOD, status="closed"), {"status": "不允许的字段"}),
    # several at once: every bad field is named
    ({"category": 1, "title": "", "grid": "x", "reporter": "me"},
     {"category": "应为字符串", "title": "不能为空", "grid": "应为15位数字网格编码", "reporter": "应为整数"}),
])
def test_bad_reports_are_422_naming_each_field(client, body, fields):
    before = snapshot(client.engine)
    r = client.post("/events", body)
    assert r.status_code == 422, r.get_json()
    j = r.get_json()
    assert j["error"] == "请求参数有误"
    assert j["fields"] == fields
    assert_nothing_written(client, before)


@pytest.mark.parametrize("data, content_type, message", [
    (b"{\"title\": ", "application/json", "请求体不是有效的 JSON"),
    (b"{'title': 'x'}", "application/json", "请求体不是有效的 JSON"),
    (b'{"lat": NaN}', "application/json", "请求体不是有效的 JSON"),
    (b"\xff\xfe{}", "application/json", "请求体不是 UTF-8 编码的 JSON"),
    (b"[" * 100_000, "application/json", None),  # over the limit: 413 below
    (b"[" * 30_000 + b"]" * 30_000, "application/json", "请求体 JSON 嵌套过深"),
    (json.dumps(GOOD).encode(), "text/plain", "请求体必须是 JSON"),
    (b"category=SQ01&title=x", "application/x-www-form-urlencoded", "请求体必须是 JSON"),
    (json.dumps(GOOD).encode(), None, "请求体必须是 JSON"),
    (b"", "application/json", "请求体必须是 JSON"),
])
def test_bodies_that_are_not_json_are_400(client, data, content_type, message):
    before = snapshot(client.engine)
    r = client.post_raw("/events", data, content_type=content_type)
    if message is None:
        assert r.status_code == 413 and "请求体过大" in r.get_json()["error"]
    else:
        assert r.status_code == 400, r.get_json()
        assert r.get_json()["error"].startswith(message)
    assert_nothing_written(client, before)


@pytest.mark.parametrize("data", [b"[]", b"\"a report\"", b"42", b"null"])
def test_json_that_is_not_an_object_is_422(client, data):
    before = snapshot(client.engine)
    r = client.post_raw("/events", data)
    assert r.status_code == 422 and r.get_json()["fields"] == {"body": "应为 JSON 对象"}
    assert_nothing_written(client, before)


def test_lone_surrogates_are_refused(client):
    before = snapshot(client.engine)
    r = client.post_raw("/events", b'{"category": "SQ01", "title": "\\ud800", "grid": "340223100001001", "reporter": 1}')
    assert r.status_code == 422 and "title" in r.get_json()["fields"]
    assert_nothing_written(client, before)


def chunked_environ(client, body: bytes) -> dict:
    """A POST /events sent with chunked transfer encoding: no Content-Length, the server reads to the end."""
    env = EnvironBuilder("/api/v1/events", method="POST", input_stream=io.BytesIO(body),
                         headers=client.headers(**{"Content-Type": "application/json"})).get_environ()
    del env["CONTENT_LENGTH"]
    env["wsgi.input_terminated"] = True
    return env


def test_chunked_bodies_are_read(client):
    r = client.http.open(chunked_environ(client, json.dumps(GOOD).encode()))
    assert r.status_code == 201


def test_a_body_over_the_limit_is_413_even_when_its_length_is_not_announced(client):
    before = snapshot(client.engine)
    big = json.dumps(dict(GOOD, description="长" * 30_000)).encode()
    r = client.post_raw("/events", big)
    assert r.status_code == 413

    r = client.http.open(chunked_environ(client, big))
    assert r.status_code == 413
    assert_nothing_written(client, before)


@pytest.mark.parametrize("data, status", [
    (b"", 200), (b"{}", 200), (b'{"battery": 80}', 422), (b"[]", 422), (b"{", 400),
])
def test_heartbeat_bodies(client, data, status):
    r = client.post_raw("/staff/1/heartbeat", data)
    assert r.status_code == status, r.get_json()


def test_heartbeat_of_unknown_staff_is_404_and_writes_nothing(client):
    before = snapshot(client.engine)
    for sid in (999, 2**40):
        r = client.post(f"/staff/{sid}/heartbeat")
        assert r.status_code == 404 and "不存在" in r.get_json()["error"]
    assert_nothing_written(client, before)


def test_unknown_paths_and_methods_under_the_api_answer_json(client):
    r = client.post("/nothing-here", {})
    assert r.status_code == 404 and r.get_json()["error"].startswith("接口不存在")
    r = client.http.delete("/api/v1/events")
    assert r.status_code == 405 and r.headers["Allow"] == "GET, POST"
    r = client.http.put("/api/v1/events/1/transitions", json={})
    assert r.status_code == 405 and r.headers["Allow"] == "POST"
