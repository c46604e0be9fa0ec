"""The OpenAPI 3.1 document of /api/v1, served at /api/v1/openapi.json.

Each view declares its operation with ``@document(...)`` beside its route: the request body, query
and response models are the same pydantic models that validate and shape the traffic, and their
JSON Schemas (OpenAPI 3.1 is JSON Schema 2020-12) go into ``components`` as they are. A test
checks that every route of the blueprint is documented and every documented operation exists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import jsonify
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from dashboard import strings
from dashboard.web.api import blueprint
from dashboard.web.api.schemas import MAX_ID, ErrorOut, EventFilesQuery, GeoPbfQuery, GeoQuery, SummaryOut, SummaryQuery, VersionOut, WarningsQuery

PREFIX = "/api/v1"
ERROR = "#/components/schemas/ErrorOut"
KEY_SCHEMA = {"type": "string", "pattern": r"^[\x21-\x7e]{1,128}$"}
# Standard answers of every write; each operation adds its own.
WRITE_ERRORS = strings.API_DOC_WRITE_ERRORS
DOC = strings.API_DOC
TAGS = strings.API_DOC_TAGS


@dataclass
class Operation:
    method: str
    rule: str  # Flask rule under the blueprint, e.g. /events/<int:event_id>
    summary: str
    # status -> (description, model) or (description, model, media type); the model may be a
    # pydantic model, a plain JSON Schema dict (bodies that are not ours, e.g. GeoJSON), or None.
    responses: dict[int, tuple]
    body: type[BaseModel] | None = None
    body_required: bool = True
    query: type[BaseModel] | None = None
    write: bool = False
    description: str = ""
    tags: list[str] = field(default_factory=list)

    @property
    def path(self) -> str:
        return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", self.rule)


OPERATIONS: dict[tuple[str, str], Operation] = {}


def document(method: str, rule: str, summary: str, responses: dict, **kw):
    """Declare the OpenAPI operation of a view (use beside its ``@blueprint.route``)."""
    op = Operation(method.upper(), rule, summary, responses, **kw)
    if op.write:
        for status, text in WRITE_ERRORS.items():
            op.responses.setdefault(status, (text, ErrorOut))
    OPERATIONS[(op.method, op.rule)] = op

    def deco(fn):
        return fn

    return deco


def _path_params(rule: str) -> list[dict]:
    out = []
    for conv, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule):
        schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID} if conv == "int" else {"type": "string"}
        out.append({"name": name, "in": "path", "required": True, "schema": schema})
    return out


def _query_params(model: type[BaseModel], defs: dict) -> list[dict]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    defs.update(schema.get("$defs", {}))
    required = set(schema.get("required", []))
    out = []
    for name, prop in schema["properties"].items():
        prop = dict(prop)
        desc = prop.pop("description", None)
        prop.pop("title", None)
        # ``x | None`` in a query means "may be left out": a query string has no null.
        if "anyOf" in prop and {"type": "null"} in prop["anyOf"]:
            rest = [s for s in prop["anyOf"] if s != {"type": "null"}]
            prop.pop("anyOf")
            prop.update(rest[0] if len(rest) == 1 else {"anyOf": rest})
            prop.pop("default", None)
        param = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if desc:
            param["description"] = desc
        out.append(param)
    return out


def _content(model, media_type: str = "application/json") -> dict:
    schema = model if isinstance(model, dict) else {"$ref": f"#/components/schemas/{model.__name__}"}
    return {media_type: {"schema": schema}}


def build() -> dict:
    """The whole document, built from the declared operations and their models."""
    models: set[type[BaseModel]] = {ErrorOut}
    for op in OPERATIONS.values():
        if op.body:
            models.add(op.body)
        models.update(r[1] for r in op.responses.values() if isinstance(r[1], type))
    inputs = {m for op in OPERATIONS.values() for m in [op.body] if m}
    keyed = [(m, "validation" if m in inputs else "serialization") for m in sorted(models, key=lambda m: m.__name__)]
    _, top = models_json_schema(keyed, ref_template="#/components/schemas/{model}")
    schemas = dict(top.get("$defs", {}))

    paths: dict[str, dict] = {}
    for op in sorted(OPERATIONS.values(), key=lambda o: (o.path, o.method)):
        params = _path_params(op.rule)
        if op.query:
            params += _query_params(op.query, schemas)
        if op.write:
            params.append({"name": "Idempotency-Key", "in": "header", "required": True, "schema": KEY_SCHEMA,
                           "description": DOC["idempotency_key"]})
        item = {"summary": op.summary, "operationId": f"{op.method.lower()}_{re.sub(r'[^a-z0-9]+', '_', op.path.lower()).strip('_')}",
                "responses": {}}
        if op.description:
            item["description"] = op.description
        if op.tags:
            item["tags"] = op.tags
        if params:
            item["parameters"] = params
        if op.body:
            item["requestBody"] = {"required": op.body_required, "content": _content(op.body)}
        if op.write:
            item["security"] = [{"bearer": []}]
        for status, (text, model, *media) in sorted(op.responses.items()):
            resp = {"description": text}
            if model is not None:
                resp["content"] = _content(model, *media)
            item["responses"][str(status)] = resp
        paths.setdefault(PREFIX + op.path, {})[op.method.lower()] = item

    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{strings.APP_TITLE} API",
            "version": "1",
            "description": DOC["description"],
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": DOC["bearer"]}},
        },
    }


_built: list[dict] = []


@blueprint.get("/openapi.json")
def openapi_json():
    if not _built:
        _built.append(build())
    return jsonify(_built[0])


# The read endpoints that predate this document (readers.py) are declared here, so that module
# stays as it was.
_op = strings.API_DOC_OPERATIONS["summary"]
document("GET", "/summary", _op["summary"], {
    200: (_op[200], SummaryOut),
    400: (_op[400], ErrorOut),
    404: (_op[404], ErrorOut),
}, query=SummaryQuery, tags=[TAGS["indicators"]])
_op = strings.API_DOC_OPERATIONS["geojson"]
document("GET", "/geo/<level>.geojson", _op["summary"], {
    200: ("GeoJSON FeatureCollection", {"type": "object", "required": ["type", "features"]}, "application/geo+json"),
    304: (_op[304], None),
    400: (_op[400], ErrorOut),
    404: (_op[404], ErrorOut),
}, query=GeoQuery, tags=[TAGS["map"]])
# the big screen's compact geometry
_op = strings.API_DOC_OPERATIONS["pbf"]
document("GET", "/geo/<level>.pbf", _op["summary"], {
    200: ("geobuf FeatureCollection", {"type": "string", "format": "binary"}, "application/x-protobuf"),
    304: (_op[304], None),
    400: (_op[400], ErrorOut),
    404: (_op[404], ErrorOut),
}, query=GeoPbfQuery, tags=[TAGS["map"]])
_op = strings.API_DOC_OPERATIONS["warnings"]
document("GET", "/warnings", _op["summary"], {
    200: (_op[200], {"type": "object", "required": ["area", "counts", "grids", "warnings"]}),
    400: (_op[400], ErrorOut),
    404: (_op[404], ErrorOut),
}, query=WarningsQuery, tags=[TAGS["warnings"]])
_op = strings.API_DOC_OPERATIONS["explorer_export"]
for _fmt, _media in (("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
    document("GET", f"/explorer/events.{_fmt}", _op["summary"].format(format=_fmt.upper()), {
        200: (_op[200], {"type": "string", "format": "binary"}, _media),
        400: (_op[400], ErrorOut),
        413: (_op[413], ErrorOut),
    }, query=EventFilesQuery, tags=[TAGS["events"]])
_op = strings.API_DOC_OPERATIONS["version"]
document("GET", "/version", _op["summary"], {
    200: (_op[200], VersionOut),
    503: (_op[503], ErrorOut),
}, tags=[TAGS["screen"]])
