"""The mapping file: how one county platform's database becomes GridScreen's data.

A TOML file, validated whole when it is loaded (``load``/``parse``): every mistake is reported at
once, each with its line, its key and the reason in Chinese (``MappingError``). The worked example
for the test platform is ``docs/connector-example.toml``; the README explains each part.

    [source]                       how the platform keeps times; rows per write batch
    [codes.category]               the platform's codes -> ours, where they differ (also area,
                                   department, staff)
    [events]                       one section per entity (areas, departments, categories, staff,
    query = '''SELECT ...          events, event_log): a query in the platform's own SQL that
             WHERE update_time > :since'''   binds :since (the watermark) ...
    key = "case_no"                ... the column naming a row in refusals
    watermark = "update_time"      ... the column the watermark follows (update time or rising id)
    initial = 2000-01-01T00:00:00  ... where the first run starts
    [events.columns]               our field = the query's column
    [events.translate.status]      the platform's value = ours (exhaustive)

``event_log`` (a status-log table) binds ``:keys`` instead: the keys of the cases being synced,
whose whole log it returns.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, ValidationError
from sqlalchemy import text

from dashboard.strings import MAPPING_ERRORS as E
from dashboard.connector.fields import BY_NAME, CODE_KINDS, FIELDS, STAGE_FIELDS

Scalar = StrictBool | StrictInt | StrictFloat | str


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceSection(_Model):
    timezone: str = "Asia/Shanghai"  # the zone of the platform's times without one (naive)
    batch: int = Field(500, ge=1, le=20000)  # source rows written per transaction
    actor: str | None = Field(None, min_length=1, max_length=64)  # the log's actor when a step names none


class Entity(_Model):
    query: str = Field(min_length=1)
    key: str = Field(min_length=1)
    watermark: str | None = Field(None, min_length=1)
    initial: int | datetime | date | str | None = None
    columns: dict[str, str]
    translate: dict[str, dict[str, Scalar]] = {}


class Mapping(_Model):
    source: SourceSection = SourceSection()
    codes: dict[str, dict[str, str]] = {}
    areas: Entity | None = None
    departments: Entity | None = None
    categories: Entity | None = None
    staff: Entity | None = None
    events: Entity | None = None
    event_log: Entity | None = None

    def entities(self) -> list[tuple[str, Entity]]:
        from dashboard.connector.fields import ORDER

        return [(name, getattr(self, name)) for name in ORDER if getattr(self, name) is not None]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.source.timezone)


@dataclass(frozen=True)
class Problem:
    line: int | None
    key: str
    reason: str

    def __str__(self) -> str:
        where = E["line"].format(line=self.line) + " " if self.line else ""
        return f"{where}{self.key}: {self.reason}" if self.key else f"{where}{self.reason}"


class MappingError(ValueError):
    def __init__(self, problems: list[Problem], name: str = "mapping.toml"):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems)
        super().__init__(E["file"].format(name=name, n=len(problems)) + "\n" + shown)


def load(path: str | Path) -> tuple[Mapping, str]:
    """(mapping, its text) from a file; ``MappingError`` names every mistake."""
    path = Path(path)
    try:
        text_ = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MappingError([Problem(None, "", E["not_found"].format(path=path))], path.name) from None
    except (UnicodeDecodeError, OSError) as exc:
        raise MappingError([Problem(None, "", E["unreadable"].format(error=exc))], path.name) from None
    return parse(text_, path.name), text_


_AT = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def parse(text_: str, name: str = "mapping.toml") -> Mapping:
    try:
        doc = tomllib.loads(text_)
    except tomllib.TOMLDecodeError as exc:
        m = _AT.search(str(exc))
        line = int(m.group(1)) if m and m.group(1) else None
        where = E["column"].format(column=m.group(2)) if m and m.group(2) else ""
        raise MappingError([Problem(line, "", E["toml"].format(where=where, error=_AT.sub("", str(exc)).strip()))],
                           name) from None
    lines = key_lines(text_)
    # Each section is validated on its own, so that the mistakes of all of them are reported together.
    problems, parts = [], {}
    for key, value in doc.items():
        if key not in Mapping.model_fields:
            problems.append(_problem(lines, (key,), E["unknown_section"].format(allowed=", ".join(Mapping.model_fields))))
            continue
        try:
            parts[key] = Mapping.__pydantic_validator__.validate_assignment(Mapping.model_construct(), key, value)
        except ValidationError as exc:
            problems.extend(_problem(lines, (key,) + tuple(str(p) for p in e["loc"][1:]), _reason(e))
                            for e in exc.errors())
    if problems:
        raise MappingError(problems, name)
    mapping = Mapping.model_validate(doc)
    problems = [_problem(lines, path, reason) for path, reason in check(mapping)]
    if problems:
        raise MappingError(problems, name)
    return mapping


def _problem(lines: dict, path: tuple, reason: str) -> Problem:
    return Problem(line_of(lines, path), ".".join(path), reason)


def _reason(error: dict) -> str:
    t = error["type"]
    ctx = error.get("ctx", {})
    if t == "greater_than_equal":
        return E["too_small"].format(bound=ctx.get("ge"))
    if t == "less_than_equal":
        return E["too_large"].format(bound=ctx.get("le"))
    if t in E:
        return E[t]
    return E["wrong_type"].format(detail=error["msg"])


# --- what pydantic cannot see: fields, translations, parameters, the two ways to tell a case's life --


def bind_names(query: str) -> set[str]:
    """The named parameters (``:name``) a query binds, as SQLAlchemy reads them."""
    return set(text(query)._bindparams)


def check(m: Mapping) -> list[tuple[tuple, str]]:
    out: list[tuple[tuple, str]] = []
    try:
        ZoneInfo(m.source.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        out.append((("source", "timezone"), E["timezone"].format(value=m.source.timezone)))
    for kind in m.codes:
        if kind not in CODE_KINDS:
            out.append((("codes", kind), E["code_kind"].format(kinds=", ".join(CODE_KINDS))))
    if m.event_log is not None and m.events is None:
        out.append((("event_log",), E["log_needs_events"]))
    for entity, spec in m.entities():
        out.extend(_check_entity(entity, spec, m))
    if not m.entities():
        out.append(((), E["no_entity"]))
    return out


def _check_entity(entity: str, spec: Entity, m: Mapping) -> list[tuple[tuple, str]]:
    out = []
    fields = BY_NAME[entity]
    for ours, theirs in spec.columns.items():
        if ours not in fields:
            out.append(((entity, "columns", ours), E["unknown_field"].format(entity=entity, fields=", ".join(fields))))
        elif not theirs.strip():
            out.append(((entity, "columns", ours), E["empty_column"]))
    for f in FIELDS[entity]:
        if f.required and f.name not in spec.columns:
            out.append(((entity, "columns"), E["missing_field"].format(field=f.name)))
    if entity == "events" and m.event_log is not None:
        for name in STAGE_FIELDS:
            if name in spec.columns:
                out.append(((entity, "columns", name), E["stage_with_log"]))
    for ours, table in spec.translate.items():
        f = fields.get(ours)
        if f is None or f.kind not in ("enum", "bool"):
            enumerated = [g.name for g in FIELDS[entity] if g.kind in ("enum", "bool")]
            out.append(((entity, "translate", ours), E["not_enum"].format(fields=", ".join(enumerated) or "—")))
            continue
        if ours not in spec.columns:
            out.append(((entity, "translate", ours), E["translate_unmapped"].format(field=ours, entity=entity)))
        for theirs, value in table.items():
            if f.kind == "bool" and not isinstance(value, bool):
                out.append(((entity, "translate", ours, theirs), E["not_bool"].format(value=repr(value))))
            elif f.kind == "enum" and value not in f.choices:
                out.append(((entity, "translate", ours, theirs),
                            E["bad_choice"].format(value=value, choices=", ".join(f.choices))))
    binds = bind_names(spec.query)
    if entity == "event_log":
        if spec.watermark is not None or spec.initial is not None:
            out.append(((entity, "watermark"), E["log_watermark"]))
        if "keys" not in binds:
            out.append(((entity, "query"), E["log_keys"]))
        extra = binds - {"keys"}
    else:
        if spec.watermark is None:
            if spec.initial is not None:
                out.append(((entity, "initial"), E["initial_without"]))
            if "since" in binds:
                out.append(((entity, "query"), E["since_without"]))
        else:
            if spec.initial is None:
                out.append(((entity, "initial"), E["initial_needed"]))
            if "since" not in binds:
                out.append(((entity, "query"), E["since_needed"]))
        extra = binds - {"since"}
    for name in sorted(extra):
        out.append(((entity, "query"), E["unknown_param"].format(name=name, allowed=":keys" if entity == "event_log" else ":since")))
    if isinstance(spec.initial, time):
        out.append(((entity, "initial"), E["initial_type"]))
    return out


# --- where each key is in the file (TOML parsers do not say) ----------------------------------

_KEY = r"""(?:"(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)"""
_DOTTED = rf"{_KEY}(?:\s*\.\s*{_KEY})*"
_HEADER = re.compile(rf"^\s*\[\[?\s*({_DOTTED})\s*\]\]?\s*(?:#.*)?$")
_PAIR = re.compile(rf"^\s*({_DOTTED})\s*=\s*(.*)$")
_SEGMENT = re.compile(_KEY)


def _segments(dotted: str) -> tuple[str, ...]:
    out = []
    for m in _SEGMENT.finditer(dotted):
        s = m.group(0)
        if s[0] == '"':
            s = s[1:-1].encode().decode("unicode_escape") if "\\" in s else s[1:-1]
        elif s[0] == "'":
            s = s[1:-1]
        out.append(s)
    return tuple(out)


def key_lines(text_: str) -> dict[tuple[str, ...], int]:
    """{key path: line number} of every table header and key in a TOML text, including the keys
    of one-line inline tables. Multi-line strings and arrays are stepped over."""
    out: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    lines = text_.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        number = i + 1
        i += 1
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        h = _HEADER.match(line)
        if h:
            table = _segments(h.group(1))
            out.setdefault(table, number)
            continue
        p = _PAIR.match(line)
        if not p:
            continue
        path = table + _segments(p.group(1))
        out.setdefault(path, number)
        value = p.group(2).strip()
        for delim in ('"""', "'''"):
            if value.startswith(delim) and value.count(delim) < 2:
                while i < len(lines) and delim not in lines[i]:
                    i += 1
                i += 1
                break
        else:
            if value.startswith("{"):
                for inner in re.finditer(rf"[{{,]\s*({_DOTTED})\s*=", value):
                    out.setdefault(path + _segments(inner.group(1)), number)
            elif value.startswith("[") and value.count("[") > value.count("]"):
                depth = value.count("[") - value.count("]")
                while i < len(lines) and depth > 0:
                    depth += lines[i].count("[") - lines[i].count("]")
                    i += 1
    return out


def line_of(lines: dict[tuple[str, ...], int], path: tuple[str, ...]) -> int | None:
    """The line of ``path``, or of its nearest enclosing key or table that is in the file."""
    for n in range(len(path), 0, -1):
        if path[:n] in lines:
            return lines[path[:n]]
    return None
