"""Request and response models of the REST API (pydantic v2).

They validate every request body and query, shape every response, and are the one source of the
OpenAPI document's schemas (``openapi``), so the document cannot drift from what the code does.

Request bodies are validated strictly (JSON types as sent: ``"5"`` is not an integer) and refuse
unknown fields, so a typo in a field name is an error rather than a silently ignored value.
Text may not contain control characters (other than tab and line breaks) or be blank: PostgreSQL
refuses NUL bytes, and a title of spaces is not a report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, HttpUrl, PlainSerializer, StringConstraints,
                      UrlConstraints, WithJsonSchema, create_model, model_validator)
from pydantic_core import PydanticCustomError

from dashboard import strings
from dashboard.domain import categories
from dashboard import vocabulary
from dashboard.figures import metrics
from dashboard.timeutil import to_local

MAX_ID = 2**31 - 1  # ids are 32-bit integers in the database
MAX_TITLE = 200
MAX_DESCRIPTION = 4000
MAX_NOTE = 1000
MAX_OPERATOR = 64
MAX_URL = 500
MAX_EXT_ID = 64
MAX_PER_PAGE = 200

_CTRL = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f"
# Any text without control characters (tab, CR and LF allowed) ...
FREE_TEXT = rf"^[^{_CTRL}]*$"
# ... with at least one visible character.
NON_BLANK_TEXT = rf"^[^{_CTRL}]*[^\s{_CTRL}][^{_CTRL}]*$"
CODE = rf"^{categories.CODE_PATTERN}$"


def text(max_length: int, *, blank: bool = False):
    return Annotated[str, StringConstraints(max_length=max_length, min_length=0 if blank else 1,
                                            pattern=FREE_TEXT if blank else NON_BLANK_TEXT)]


Code = Annotated[str, StringConstraints(min_length=1, max_length=32, pattern=CODE)]
GridCode = Annotated[str, StringConstraints(pattern=r"^\d{15}$")]
AreaCode = Annotated[str, StringConstraints(pattern=r"^\d{6}(\d{3}){0,3}$")]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Lat = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Lon = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
PhotoUrl = Annotated[HttpUrl, UrlConstraints(max_length=MAX_URL)]
# Times leave the API in Asia/Shanghai with their offset, like /summary's window.
LocalTime = Annotated[
    datetime,
    PlainSerializer(lambda d: to_local(d).isoformat(), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}),
]

Source = Literal[vocabulary.SOURCES]  # type: ignore[valid-type]
Severity = Literal[vocabulary.SEVERITIES]  # type: ignore[valid-type]


def spelled(words: vocabulary.Vocabulary):
    """A coded field of a request, written as its code or its Chinese label (the file import's
    vocabulary); the model holds the code."""
    def to_code(value):
        code = words.code(value)
        if code is None:
            raise PydanticCustomError("field_rule", strings.API_BAD_CHOICE.format(choices=words.choices()))
        return code

    return Annotated[Literal[words.codes], BeforeValidator(to_code),  # type: ignore[valid-type]
                     WithJsonSchema({"type": "string", "enum": list(words.spellings)})]


SourceIn = spelled(vocabulary.SOURCE)
SeverityIn = spelled(vocabulary.SEVERITY)
Status = Literal[vocabulary.STATUSES]  # type: ignore[valid-type]
HandlerLevel = Literal[vocabulary.HANDLER_LEVELS]  # type: ignore[valid-type]
# Everything a case can be asked to do through the API: the life-cycle actions after the report,
# and supervision (督办), which is a flag with its own log rather than a status.
API_ACTIONS = tuple(a for a in vocabulary.ACTIONS if a != "report") + ("supervise",)
Action = Literal[API_ACTIONS]  # type: ignore[valid-type]
LogAction = Literal[vocabulary.ACTIONS]  # type: ignore[valid-type]


def allowed_actions(status: str) -> list[str]:
    """What the API accepts next for a case in ``status`` (the 409 body lists these)."""
    out = vocabulary.allowed_actions(status)
    if status in vocabulary.OPEN_STATUSES:
        out.append("supervise")
    return out


class _Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


def _field_error(field: str, message: str) -> PydanticCustomError:
    # ``field`` travels in the context so the error names the field although it comes from a
    # whole-model check (see ``validation``).
    return PydanticCustomError("field_rule", message, {"field": field})


OPERATOR_DESCRIPTION = "客户端自己的操作员编号或姓名（可选）；记录为“客户端名称（操作员 …）”，操作人始终是令牌的客户端"


def _no_actor(data):
    # Who acts is the token's client, never a name the request brings: refuse the field in words
    # (rather than as an unknown field) so a client that used to send it learns where it went.
    if isinstance(data, dict) and "actor" in data:
        raise _field_error("actor", strings.API_ACTOR_FIXED)
    return data


class EventReport(_Body):
    """上报: a new case from the grid workers' app, the hotline bridge or any other client."""

    model_config = ConfigDict(
        strict=True, extra="forbid",
        # The cross-field rules of ``_where_and_who``, for the document.
        json_schema_extra={
            "allOf": [
                {"anyOf": [{"required": ["grid"], "properties": {"grid": {"type": "string"}}},
                           {"required": ["lat", "lon"],
                            "properties": {"lat": {"type": "number"}, "lon": {"type": "number"}}}]},
                {"if": {"properties": {"source": {"const": "patrol"}}},
                 "then": {"required": ["reporter"], "properties": {"reporter": {"type": "integer"}}}},
            ],
            "dependentRequired": {"lat": ["lon"], "lon": ["lat"]},
        },
    )

    category: Code = Field(description="事件类别编码（小类）")
    title: text(MAX_TITLE) = Field(description="标题")
    description: text(MAX_DESCRIPTION, blank=True) = Field("", description="描述")
    grid: GridCode | None = Field(None, description="网格编码（15位）；不给时由坐标确定")
    lat: Lat | None = Field(None, description="纬度（WGS-84/CGCS2000）")
    lon: Lon | None = Field(None, description="经度（WGS-84/CGCS2000）")
    source: SourceIn = Field("patrol", description="来源（编码或中文名称）：patrol 网格员巡查、public 群众求助、hotline 12345热线、"
                                                   "video 视频巡查、transfer 部门移交")
    severity: SeverityIn = Field("normal", description="紧急程度（编码或中文名称）：normal 一般、major 重大、urgent 紧急")
    reporter: Id | None = Field(None, description="上报人（人员 id）；网格员巡查上报时必填")
    photo_url: PhotoUrl | None = Field(None, description="现场照片网址")
    ext_id: text(MAX_EXT_ID) | None = Field(None, description="客户端自己的事件编号（唯一）")
    operator: text(MAX_OPERATOR) | None = Field(None, description=OPERATOR_DESCRIPTION)

    @model_validator(mode="before")
    @classmethod
    def _refuse_actor(cls, data):
        return _no_actor(data)

    @model_validator(mode="after")
    def _where_and_who(self):
        if (self.lat is None) != (self.lon is None):
            missing = "lon" if self.lon is None else "lat"
            raise _field_error(missing, strings.API_LAT_LON_TOGETHER)
        if self.grid is None and self.lat is None:
            raise _field_error("grid", strings.API_GRID_OR_POINT)
        if self.source == "patrol" and self.reporter is None:
            raise _field_error("reporter", strings.API_PATROL_REPORTER)
        return self


class Transition(_Body):
    """Move a case along its life cycle, or supervise (督办) it."""

    model_config = ConfigDict(
        strict=True, extra="forbid",
        json_schema_extra={"if": {"properties": {"action": {"const": "dispatch"}}},
                           "then": {"required": ["handler"], "properties": {"handler": {"type": "string"}}},
                           "else": {"properties": {"handler": {"type": "null"}}}},
    )

    action: Action = Field(description="accept 受理、invalidate 判为无效、dispatch 派遣、start 开始处置、dispose 处置完成、"
                                       "verify_ok 核查通过结案、verify_fail 核查未通过返工、send_back 退单、supervise 督办")
    handler: Code | None = Field(None, description="处置单位编码（仅派遣时，必填）")
    note: text(MAX_NOTE, blank=True) | None = Field(None, description="说明；督办时必填（督办意见）")
    operator: text(MAX_OPERATOR) | None = Field(None, description=OPERATOR_DESCRIPTION)

    @model_validator(mode="before")
    @classmethod
    def _refuse_actor(cls, data):
        return _no_actor(data)

    @model_validator(mode="after")
    def _handler_with_dispatch(self):
        if self.action == "dispatch" and self.handler is None:
            raise _field_error("handler", strings.API_DISPATCH_HANDLER)
        if self.action != "dispatch" and self.handler is not None:
            raise _field_error("handler", strings.API_HANDLER_ONLY_DISPATCH)
        return self


class Heartbeat(_Body):
    """The app's heartbeat carries nothing but its identity (the path); the body may be empty."""


class EventQuery(BaseModel):
    """Filters, sorting and paging of GET /events (query-string values, converted)."""

    model_config = ConfigDict(extra="ignore")

    start: str | None = Field(None, description="上报时间起（含），ISO 日期或时间；无时区即北京时间")
    end: str | None = Field(None, description="上报时间止（不含）；只给日期时包含当天")
    area: AreaCode | None = Field(None, description="区域编码（县/镇街/社区/网格）")
    category: Code | None = Field(None, description="事件类别编码（大类含其小类）")
    status: Annotated[str, StringConstraints(pattern=rf"^({'|'.join(vocabulary.STATUSES)})(,({'|'.join(vocabulary.STATUSES)}))*$")] | None = Field(
        None, description="状态，可用逗号分隔多个")
    handler: Code | None = Field(None, description="处置单位编码")
    source: SourceIn | None = Field(None, description="来源（编码或中文名称）")
    severity: SeverityIn | None = Field(None, description="紧急程度（编码或中文名称）")
    overdue: bool | None = Field(None, description="true：已受理未结案且已过办理时限（超期）")
    handler_overdue: bool | None = Field(
        None, description="true：在处置单位手中（已派遣、未处置、未退单）且已过办理时限（超期未处置）")
    supervised: bool | None = Field(None, description="true：已督办")
    sort: Literal["reported_at", "-reported_at", "updated_at", "-updated_at", "deadline", "-deadline", "id", "-id"] = Field(
        "-reported_at", description="排序字段，前缀 - 为倒序")
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)


class SummaryQuery(BaseModel):
    """The query of GET /summary (validated by ``readers``; declared here for the document)."""

    start: str | None = Field(None, description="窗口开始，ISO 日期或时间；无时区即北京时间。默认今日零点")
    end: str | None = Field(None, description="窗口结束（计算时点）；只给日期时包含当天。默认现在")
    area: str | None = Field(None, description="区域编码；默认全县")
    department: str | None = Field(None, description="处置单位编码（与 area 二选一）")


class GeoQuery(BaseModel):
    """The query of GET /geo/<level>.geojson (validated in ``geo``; declared here for the document)."""

    within: str | None = Field(None, description="只返回该区域编码之下的要素")
    labels: str | None = Field(None, description="1：返回名称标注点（区域质心）而不是面")
    detail: Literal["full", "overview"] | None = Field(
        None, description="大屏用的精简要素（c 编码、n 名称、i 序号）；overview：按全县视图简化（仍无缝拼接）")


class GeoPbfQuery(BaseModel):
    """The query of GET /geo/<level>.pbf (validated in ``geo``)."""

    detail: Literal["full", "overview"] | None = Field(None, description="overview：按全县视图简化（仍无缝拼接）")


class EventFilesQuery(BaseModel):
    """The query of the explorer's files (validated by ``caselist.from_query``; declared here for
    the document)."""

    range: str | None = Field(None, description="today、7d、30d、all 或 custom（默认 all；只给 start/end 即 custom）")
    start: str | None = Field(None, description="上报时间起（含），ISO 日期或时间")
    end: str | None = Field(None, description="上报时间止（不含）；只给日期时包含当天")
    area: str | None = Field(None, description="区域编码")
    category: str | None = Field(None, description="事件类别编码（大类含其小类）")
    status: str | None = Field(None, description="状态，逗号分隔；open 为全部在办")
    handler: str | None = Field(None, description="处置单位编码")
    source: str | None = Field(None, description="来源（编码或中文名称）")
    severity: str | None = Field(None, description="紧急程度（编码或中文名称）")
    overdue: str | None = Field(None, description="1：只要超期的；0：只要未超期的")
    handler_overdue: str | None = Field(None, description="1：只要超期未处置的（处置单位的时钟）")
    supervised: str | None = Field(None, description="1：只要已督办的；0：只要未督办的")
    q: str | None = Field(None, description="事件编号或标题关键词")


class WarningsQuery(BaseModel):
    """The query of GET /warnings (validated in ``warnings``; declared here for the document)."""

    area: str | None = Field(None, description="区域编码；默认全县")
    level: str | None = Field(None, description="预警等级，逗号分隔：1 红、2 橙、3 黄、4 蓝、0 正常；默认 1,2,3,4")
    kind: str | None = Field(None, description="manual（人工发布）或 computed（系统研判）")
    status: str | None = Field(None, description="active（默认）、ended 或 all")
    limit: str | None = Field(None, description="最多返回的网格与预警条数")


# --- responses ------------------------------------------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class EventOut(_Out):
    id: int
    ext_id: str | None
    title: str
    description: str
    category: str
    category_name: str | None
    source: Source
    severity: Severity
    grid: str
    grid_name: str | None
    community: str
    town: str
    lat: float | None
    lon: float | None
    reporter: int | None
    photo_url: str | None
    status: Status
    reported_at: LocalTime
    accepted_at: LocalTime | None
    invalid_at: LocalTime | None
    dispatched_at: LocalTime | None
    disposed_at: LocalTime | None
    closed_at: LocalTime | None
    deadline: LocalTime | None
    handler: str | None
    handler_name: str | None
    handler_level: HandlerLevel | None
    rework_count: int
    sendback_count: int
    supervised: bool
    supervised_at: LocalTime | None
    updated_at: LocalTime
    overdue: bool = Field(description="已受理未结案且已过办理时限（超期）")
    handler_overdue: bool = Field(description="在处置单位手中（已派遣、未处置、未退单）且已过办理时限（超期未处置）")
    allowed_actions: list[Action] = Field(description="当前状态下可执行的操作")


class LogEntryOut(_Out):
    id: int
    at: LocalTime
    action: LogAction
    from_status: Status | None
    to_status: Status
    actor: str = Field(description="操作人：登录账号或 API 客户端名称")
    operator: str | None = Field(None, description="API 客户端自己的操作员")
    handler: str | None
    note: str | None


class SupervisionOut(_Out):
    id: int
    at: LocalTime
    actor: str = Field(description="督办人：登录账号或 API 客户端名称")
    operator: str | None = Field(None, description="API 客户端自己的操作员")
    note: str


class EventDetail(EventOut):
    log: list[LogEntryOut]
    supervisions: list[SupervisionOut]


class EventPage(BaseModel):
    items: list[EventOut]
    total: int
    page: int
    per_page: int
    sort: str


class HeartbeatOut(BaseModel):
    staff_id: int
    name: str
    role: str
    grid: str
    last_seen_at: LocalTime
    online: bool


class ErrorOut(BaseModel):
    error: str = Field(description="说明（中文）")
    fields: dict[str, str] | None = Field(None, description="每个有误字段及原因")
    status: Status | None = Field(None, description="409：事件当前状态")
    allowed: list[Action] | None = Field(None, description="409：当前状态下允许的操作")


class WorkerOut(BaseModel):
    id: int
    name: str


class GridOut(BaseModel):
    code: str
    name: str
    community: str
    community_name: str
    town: str
    town_name: str
    centroid_lon: float | None
    centroid_lat: float | None
    households: int
    area_km2: float | None
    worker: WorkerOut | None


class CategoryOut(BaseModel):
    code: str
    name: str
    parent: str | None
    time_limit_hours: float | None = Field(description="办理时限（小时）；大类可为空，其小类各有时限")
    is_major: bool
    is_dispute: bool
    default_handler: str | None


class HandlerOut(BaseModel):
    code: str
    name: str
    level: HandlerLevel
    area: str | None


class Catalog(BaseModel):
    county: str | None
    county_name: str | None
    categories: list[CategoryOut]
    handlers: list[HandlerOut]
    grids: list[GridOut]
    labels: dict[str, dict[str, str]] = Field(description="来源、紧急程度、状态、操作的中文名称")


class LateSourceOut(BaseModel):
    name: str = Field(description="来源名称")
    since: str | None = Field(description="最后一次同步成功的时间；从未成功为空")


class VersionOut(BaseModel):
    version: dict[str, int]
    changed_at: str | None
    now: str
    late_sources: list[LateSourceOut] = Field([], description="同步延迟（超过 GRIDSCREEN_SYNC_LATE_SECONDS 未成功同步）的数据来源")


_num = (float | None, None)
SummaryOut = create_model(
    "SummaryOut",
    __config__=ConfigDict(extra="allow"),
    start=(str, ...),
    end=(str, ...),
    area=(str | None, None),
    area_name=(str | None, None),
    level=(str | None, None),
    department=(str | None, None),
    department_name=(str | None, None),
    handler_level=(str | None, None),
    **{f: (int, ...) for f in metrics.EVENT_FIELDS + metrics.EXTRA_FIELDS
       if not f.endswith("_rate") and not f.startswith("mean_")},
    **{f: _num for f in metrics.EVENT_FIELDS if f.endswith("_rate") or f.startswith("mean_")},
    **{f: (int | None, None) for f in metrics.AREA_FIELDS if f != "online_rate"},
    online_rate=_num,
    score=_num, score_on_time=_num, score_closure=_num, score_rework=_num, score_supervision=_num,
)
