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

D = strings.API_DOC_FIELDS  # the fields' descriptions in the OpenAPI document

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

    category: Code = Field(description=D["report_category"])
    title: text(MAX_TITLE) = Field(description=D["title"])
    description: text(MAX_DESCRIPTION, blank=True) = Field("", description=D["description"])
    grid: GridCode | None = Field(None, description=D["report_grid"])
    lat: Lat | None = Field(None, description=D["lat"])
    lon: Lon | None = Field(None, description=D["lon"])
    source: SourceIn = Field("patrol", description=D["report_source"])
    severity: SeverityIn = Field("normal", description=D["report_severity"])
    reporter: Id | None = Field(None, description=D["reporter"])
    photo_url: PhotoUrl | None = Field(None, description=D["photo_url"])
    ext_id: text(MAX_EXT_ID) | None = Field(None, description=D["ext_id"])
    operator: text(MAX_OPERATOR) | None = Field(None, description=D["operator"])

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

    action: Action = Field(description=D["action"])
    handler: Code | None = Field(None, description=D["dispatch_handler"])
    note: text(MAX_NOTE, blank=True) | None = Field(None, description=D["note"])
    operator: text(MAX_OPERATOR) | None = Field(None, description=D["operator"])

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

    start: str | None = Field(None, description=D["reported_from"])
    end: str | None = Field(None, description=D["reported_to"])
    area: AreaCode | None = Field(None, description=D["area_any_level"])
    category: Code | None = Field(None, description=D["category_tree"])
    status: Annotated[str, StringConstraints(pattern=rf"^({'|'.join(vocabulary.STATUSES)})(,({'|'.join(vocabulary.STATUSES)}))*$")] | None = Field(
        None, description=D["statuses"])
    handler: Code | None = Field(None, description=D["handler"])
    source: SourceIn | None = Field(None, description=D["source"])
    severity: SeverityIn | None = Field(None, description=D["severity"])
    overdue: bool | None = Field(None, description=D["overdue"])
    handler_overdue: bool | None = Field(None, description=D["handler_overdue"])
    supervised: bool | None = Field(None, description=D["supervised"])
    sort: Literal["reported_at", "-reported_at", "updated_at", "-updated_at", "deadline", "-deadline", "id", "-id"] = Field(
        "-reported_at", description=D["sort"])
    page: int = Field(1, ge=1, le=1_000_000)
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE)


class SummaryQuery(BaseModel):
    """The query of GET /summary (validated by ``readers``; declared here for the document)."""

    start: str | None = Field(None, description=D["window_start"])
    end: str | None = Field(None, description=D["window_end"])
    area: str | None = Field(None, description=D["area_or_county"])
    department: str | None = Field(None, description=D["department"])


class GeoQuery(BaseModel):
    """The query of GET /geo/<level>.geojson (validated in ``geo``; declared here for the document)."""

    within: str | None = Field(None, description=D["within"])
    labels: str | None = Field(None, description=D["labels"])
    detail: Literal["full", "overview"] | None = Field(None, description=D["detail"])


class GeoPbfQuery(BaseModel):
    """The query of GET /geo/<level>.pbf (validated in ``geo``)."""

    detail: Literal["full", "overview"] | None = Field(None, description=D["detail_overview"])


class EventFilesQuery(BaseModel):
    """The query of the explorer's files (validated by ``caselist.from_query``; declared here for
    the document)."""

    range: str | None = Field(None, description=D["files_range"])
    start: str | None = Field(None, description=D["files_start"])
    end: str | None = Field(None, description=D["files_end"])
    area: str | None = Field(None, description=D["area"])
    category: str | None = Field(None, description=D["category_with_children"])
    status: str | None = Field(None, description=D["status_list"])
    handler: str | None = Field(None, description=D["handler"])
    source: str | None = Field(None, description=D["source"])
    severity: str | None = Field(None, description=D["severity"])
    overdue: str | None = Field(None, description=D["only_overdue"])
    handler_overdue: str | None = Field(None, description=D["only_handler_overdue"])
    supervised: str | None = Field(None, description=D["only_supervised"])
    q: str | None = Field(None, description=D["q"])


class WarningsQuery(BaseModel):
    """The query of GET /warnings (validated in ``warnings``; declared here for the document)."""

    area: str | None = Field(None, description=D["area_or_county"])
    level: str | None = Field(None, description=D["warning_levels"])
    kind: str | None = Field(None, description=D["warning_kind"])
    status: str | None = Field(None, description=D["warning_status"])
    limit: str | None = Field(None, description=D["warning_limit"])


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
    overdue: bool = Field(description=D["is_overdue"])
    handler_overdue: bool = Field(description=D["is_handler_overdue"])
    allowed_actions: list[Action] = Field(description=D["allowed_actions"])


class LogEntryOut(_Out):
    id: int
    at: LocalTime
    action: LogAction
    from_status: Status | None
    to_status: Status
    actor: str = Field(description=D["log_actor"])
    operator: str | None = Field(None, description=D["client_operator"])
    handler: str | None
    note: str | None


class SupervisionOut(_Out):
    id: int
    at: LocalTime
    actor: str = Field(description=D["supervisor"])
    operator: str | None = Field(None, description=D["client_operator"])
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
    error: str = Field(description=D["error"])
    fields: dict[str, str] | None = Field(None, description=D["error_fields"])
    status: Status | None = Field(None, description=D["error_status"])
    allowed: list[Action] | None = Field(None, description=D["error_allowed"])


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
    time_limit_hours: float | None = Field(description=D["time_limit"])
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
    labels: dict[str, dict[str, str]] = Field(description=D["catalog_labels"])


class LateSourceOut(BaseModel):
    name: str = Field(description=D["source_name"])
    since: str | None = Field(description=D["source_since"])


class VersionOut(BaseModel):
    version: dict[str, int]
    changed_at: str | None
    now: str
    late_sources: list[LateSourceOut] = Field([], description=D["late_sources"])


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
    **{f: (int, ...) for f in metrics.EVENT_FIELDS + metrics.EXTRA_FIELDS + metrics.HANDLER_FIELDS + metrics.STOCK_FIELDS
       if not f.endswith("_rate") and not f.startswith("mean_")},
    **{f: _num for f in metrics.EVENT_FIELDS + metrics.HANDLER_FIELDS if f.endswith("_rate") or f.startswith("mean_")},
    **{f: (int | None, None) for f in metrics.AREA_FIELDS if f != "online_rate"},
    online_rate=_num,
    score=_num, score_on_time=_num, score_closure=_num, score_rework=_num, score_supervision=_num,
)
