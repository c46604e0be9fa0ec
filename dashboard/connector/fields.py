"""What GridScreen takes from a county platform, entity by entity: our fields, their kinds, which
are required, and the values an enumerated field may take.

The mapping file names, for each of these fields, the column of the entity's query that holds it
(``columns``), and translates the platform's own values of enumerated fields to ours
(``translate``: exhaustive, a value not listed refuses the row). Codes of areas, departments,
categories and staff that differ from ours are translated once for every place they appear
(``codes``: partial, a code not listed is taken as it is).
"""

from __future__ import annotations

from dataclasses import dataclass

from dashboard import vocabulary

# The order entities are synced in: what a row refers to is synced before it.
ORDER = ("areas", "departments", "categories", "staff", "events", "event_log")
CODE_KINDS = ("area", "department", "category", "staff")
# A status-log row may say that an action is no part of the life cycle here (a comment, a phone call).
IGNORE = "ignore"


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # text | code | time | float | int | bool | enum
    required: bool = False
    max_len: int | None = None
    choices: tuple = ()  # enum: our values
    codes: str | None = None  # code: which [codes.*] table translates it


def _f(name, kind, **kw) -> Field:
    return Field(name, kind, **kw)


FIELDS: dict[str, tuple[Field, ...]] = {
    "areas": (
        _f("code", "code", required=True, max_len=15, codes="area"),
        _f("name", "text", required=True, max_len=64),
        _f("level", "enum", choices=vocabulary.AREA_LEVELS),  # default: from the code's length
        _f("parent_code", "code", max_len=15, codes="area"),  # default: the code less its last 3 digits
        _f("households", "int"),
        _f("houses", "int"),
        _f("population", "int"),
        _f("geometry", "text"),  # GeoJSON or WKT, longitude-latitude (WGS-84 / CGCS2000)
        _f("deleted", "bool"),
    ),
    "departments": (
        _f("code", "code", required=True, max_len=32, codes="department"),
        _f("name", "text", required=True, max_len=64),
        _f("level", "enum", required=True, choices=vocabulary.HANDLER_LEVELS),
        _f("deleted", "bool"),
    ),
    "categories": (
        _f("code", "code", required=True, max_len=32, codes="category"),
        _f("name", "text", required=True, max_len=64),
        _f("parent_code", "code", max_len=32, codes="category"),
        _f("time_limit_hours", "float"),
        _f("default_handler_code", "code", max_len=32, codes="department"),
        _f("is_major", "bool"),
        _f("is_dispute", "bool"),
        _f("deleted", "bool"),
    ),
    "staff": (
        _f("name", "text", required=True, max_len=32),
        _f("grid_code", "code", required=True, max_len=15, codes="area"),
        _f("role", "enum", required=True, choices=vocabulary.STAFF_ROLES),
        _f("phone", "text", max_len=32),  # stored masked only
        _f("active", "bool"),
        _f("last_seen_at", "time"),
        _f("deleted", "bool"),
    ),
    "events": (
        _f("ext_id", "text", max_len=64),  # default: the key
        _f("title", "text", required=True, max_len=200),
        _f("description", "text"),
        _f("category_code", "code", required=True, max_len=32, codes="category"),
        _f("grid_code", "code", required=True, max_len=15, codes="area"),
        _f("source", "enum", required=True, choices=vocabulary.SOURCES),
        _f("severity", "enum", choices=vocabulary.SEVERITIES),
        _f("lat", "float"),
        _f("lon", "float"),
        _f("reporter", "code", max_len=64, codes="staff"),
        _f("photo_url", "text", max_len=500),
        _f("status", "enum", choices=vocabulary.STATUSES),  # checked against the life the case went through
        _f("reported_at", "time", required=True),
        _f("deadline", "time"),
        # stage times (when the platform keeps no status log)
        _f("accepted_at", "time"),
        _f("invalid_at", "time"),
        _f("dispatched_at", "time"),
        _f("handler_code", "code", max_len=32, codes="department"),
        _f("disposed_at", "time"),
        _f("closed_at", "time"),
        _f("rework_count", "int"),
        _f("deleted", "bool"),
    ),
    "event_log": (
        _f("event", "text", required=True, max_len=64),  # the case's key, as the events entity gives it
        _f("action", "enum", required=True, choices=vocabulary.ACTIONS + (IGNORE,)),
        _f("at", "time", required=True),
        _f("handler_code", "code", max_len=32, codes="department"),
        _f("actor", "text", max_len=64),
        _f("note", "text"),
    ),
}

BY_NAME = {entity: {f.name: f for f in fields} for entity, fields in FIELDS.items()}
# Events told by stage times; a platform with a status log maps these on ``event_log`` instead.
STAGE_FIELDS = ("accepted_at", "invalid_at", "dispatched_at", "handler_code", "disposed_at", "closed_at",
                "rework_count")
