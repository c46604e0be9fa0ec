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
WRITE_ERRORS = {
    400: "请求体不是 JSON、缺少 Idempotency-Key",
    401: "缺少或无效的 API 令牌",
    403: "API 令牌已吊销，或令牌没有这项写操作的权限",
    413: "请求体过大",
    422: "字段有误（fields 逐项说明），或 Idempotency-Key 已用于另一个请求",
}


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
                           "description": "每次写操作唯一的键（如 UUID）；重试时原样重发，服务器返回首次的结果而不会重复写入"})
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
            "description": "网格员 App 等系统上报事件、流转事件、心跳，以及查询事件与指标。写操作需要 Bearer 令牌"
                           "（gridscreen token create NAME [--town 镇街编码] [--may 权限]）和 Idempotency-Key；操作人记录为令牌的客户端名称。"
                           "时间为 ISO 8601，年份 2000–2100；无时区的时间按北京时间理解。",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "gridscreen token create NAME 生成的令牌"}},
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
document("GET", "/summary", "指标汇总（DESIGN.md 的全部指标）", {
    200: ("窗口内上报事件的指标，按窗口结束时刻计算", SummaryOut),
    400: ("时间参数有误，或同时给出 area 与 department", ErrorOut),
    404: ("区域或处置单位不存在", ErrorOut),
}, query=SummaryQuery, tags=["指标"])
document("GET", "/geo/<level>.geojson", "地图数据（GeoJSON，按级别，带 ETag）", {
    200: ("GeoJSON FeatureCollection", {"type": "object", "required": ["type", "features"]}, "application/geo+json"),
    304: ("未变化", None),
    400: ("区域编码有误", ErrorOut),
    404: ("没有该级别的地图数据", ErrorOut),
}, query=GeoQuery, tags=["地图"])
# the big screen's compact geometry
document("GET", "/geo/<level>.pbf", "地图数据（geobuf 二进制，大屏使用，带 ETag）", {
    200: ("geobuf FeatureCollection", {"type": "string", "format": "binary"}, "application/x-protobuf"),
    304: ("未变化", None),
    400: ("参数有误", ErrorOut),
    404: ("没有该级别的地图数据", ErrorOut),
}, query=GeoPbfQuery, tags=["地图"])
document("GET", "/warnings", "四级预警：各网格等级、汇总与预警列表", {
    200: ("预警等级与原因", {"type": "object", "required": ["area", "counts", "grids", "warnings"]}),
    400: ("查询参数有误", ErrorOut),
    404: ("区域不存在", ErrorOut),
}, query=WarningsQuery, tags=["预警"])
for _fmt, _media in (("csv", "text/csv"), ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
    document("GET", f"/explorer/events.{_fmt}", f"导出事件查询的当前筛选（{_fmt.upper()}）", {
        200: ("文件", {"type": "string", "format": "binary"}, _media),
        400: ("筛选条件有误", ErrorOut),
        413: ("行数过多，请改用 CSV", ErrorOut),
    }, query=EventFilesQuery, tags=["事件"])
document("GET", "/version", "数据版本（大屏轮询）", {
    200: ("各数据通道的版本号", VersionOut),
    503: ("数据库暂时不可用", ErrorOut),
}, tags=["大屏"])
