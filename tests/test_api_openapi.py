"""The OpenAPI document is true to the implementation: every route is documented and every
documented operation exists, and a schemathesis run over the document finds no server error and
no answer that contradicts it (status codes, content types, response schemas)."""

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (content_type_conformance, response_headers_conformance,
                                               response_schema_conformance, status_code_conformance)

from dashboard.web import apiclients
from dashboard.web.api import openapi

from .apisupport import client, county  # noqa: F401  (fixtures)
from .conftest import AS_OF
from .factories import CLOSE, H, case

UNDOCUMENTED = {"api.openapi_json", "api.not_found"}


def test_the_document_is_served_and_is_openapi_3_1(client):
    r = client.get("/openapi.json")
    assert r.status_code == 200
    doc = r.get_json()
    assert doc["openapi"] == "3.1.0"
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    report = doc["paths"]["/api/v1/events"]["post"]
    assert report["security"] == [{"bearer": []}]
    assert any(p["name"] == "Idempotency-Key" and p["required"] for p in report["parameters"])
    # The schemas are the models' own: the limits in the document are the ones the code enforces.
    props = doc["components"]["schemas"]["EventReport"]["properties"]
    assert props["title"]["maxLength"] == 200 and doc["components"]["schemas"]["EventReport"]["additionalProperties"] is False
    assert set(report["responses"]) == {"201", "400", "401", "403", "409", "413", "422"}


def test_every_route_is_documented_and_every_operation_exists(client):
    doc = client.get("/openapi.json").get_json()
    documented = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    routed = set()
    for rule in client.app.server.url_map.iter_rules():
        if rule.endpoint.startswith("api.") and rule.endpoint not in UNDOCUMENTED:
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            routed |= {(m, path) for m in rule.methods - {"HEAD", "OPTIONS"}}
    assert routed == documented


# The document is built from the declared operations: no database is needed to load it.
schema = schemathesis.openapi.from_dict(openapi.build())


@pytest.fixture
def seeded(client):
    """The small county with a case in each of a few states, so generated ids hit real cases."""
    for i, steps in enumerate([[], [("accept", 1)], CLOSE]):
        case(client.engine, AS_OF - H * (10 + i), steps)
    return client


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error_and_answers_match_the_document(case, seeded):
    case.call_and_validate(
        app=seeded.app.server,
        # identity: schemathesis's in-process WSGI transport does not undo gzip (real clients do).
        headers={"Authorization": f"Bearer {seeded.token}", "Accept-Encoding": "identity"},
        # A real server always names the peer; schemathesis's bare werkzeug client does not, and
        # the app without login answers loopback peers only.
        environ_base={"REMOTE_ADDR": "127.0.0.1"},
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
                response_schema_conformance],
    )


def test_a_revoked_token_is_refused_by_the_live_document_too(client):
    """Guards the fixture above: the token handed to schemathesis really writes."""
    r = client.post("/staff/1/heartbeat")
    assert r.status_code == 200
    apiclients.revoke(client.engine, name="测试App")
    assert client.post("/staff/1/heartbeat").status_code == 403
