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
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, ValidationError
from sqlalchemy import text

from .fields import BY_NAME, CODE_KINDS, FIELDS, IGNORE, STAGE_FIELDS

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
        from .fields import ORDER

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
        where = f"第{self.line}行 " if self.line else ""
        return f"{where}{self.key}: {self.reason}" if self.key else f"{where}{self.reason}"


class MappingError(ValueError):
    def __init__(self, problems: list[Problem], name: str = "映射文件"):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"映射文件 {name} 有 {len(problems)} 处错误:\n{shown}")


def load(path: str | Path) -> tuple[Mapping, str]:
    """(mapping, its text) from a file; ``MappingError`` names every mistake."""
    path = Path(path)
    try:
        text_ = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise MappingError([Problem(None, "", f"找不到文件 {path}")], path.name) from None
    except (UnicodeDecodeError, OSError) as exc:
        raise MappingError([Problem(None, "", f"无法读取文件（应为 UTF-8 文本）: {exc}")], path.name) from None
    return parse(text_, path.name), text_


_AT = re.compile(r"\(at line (\d+), column (\d+)\)|\(at end of document\)")


def parse(text_: str, name: str = "映射文件") -> Mapping:
    try:
        doc = tomllib.loads(text_)
    except tomllib.TOMLDecodeError as exc:
        m = _AT.search(str(exc))
        line = int(m.group(1)) if m and m.group(1) else None
        where = f"第{m.group(2)}列，" if m and m.group(2) else ""
        raise MappingError([Problem(line, "", f"{where}不是有效的 TOML（{_AT.sub('', str(exc)).strip()}）")], name) from None
    lines = key_lines(text_)
    # Each section is validated on its own, so that the mistakes of all of them are reported together.
    problems, parts = [], {}
    for key, value in doc.items():
        if key not in Mapping.model_fields:
            problems.append(_problem(lines, (key,), f"无法识别的节，应为 {', '.join(Mapping.model_fields)}"))
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


_PYDANTIC_REASONS = {
    "missing": "缺少必需的键",
    "extra_forbidden": "无法识别的键",
    "string_type": "应为文本（加引号）",
    "string_too_short": "不能为空",
    "string_too_long": "太长",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "greater_than_equal": "太小",
    "less_than_equal": "太大",
    "dict_type": "应为一个表（[节] 或 {{ … }}）",
    "model_type": "应为一个表（[节]）",
}


def _reason(error: dict) -> str:
    t = error["type"]
    if t in ("greater_than_equal", "less_than_equal"):
        bound = error.get("ctx", {}).get("ge", error.get("ctx", {}).get("le"))
        return f"{_PYDANTIC_REASONS[t]}（{'至少' if t == 'greater_than_equal' else '至多'} {bound}）"
    if t.endswith("_type") and t not in _PYDANTIC_REASONS:
        return f"类型不对（{error['msg']}）"
    return _PYDANTIC_REASONS.get(t, error["msg"])


# --- what pydantic cannot see: fields, translations, parameters, the two ways to tell a case's life --


def bind_names(query: str) -> set[str]:
    """The named parameters (``:name``) a query binds, as SQLAlchemy reads them."""
    return set(text(query)._bindparams)


def check(m: Mapping) -> list[tuple[tuple, str]]:
    out: list[tuple[tuple, str]] = []
    try:
        ZoneInfo(m.source.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        out.append((("source", "timezone"), f"“{m.source.timezone}”不是时区名（如 Asia/Shanghai）"))
    for kind in m.codes:
        if kind not in CODE_KINDS:
            out.append((("codes", kind), f"未知的编码种类，应为 {', '.join(CODE_KINDS)}"))
    if m.event_log is not None and m.events is None:
        out.append((("event_log",), "流转记录需要 [events] 一节给出事件"))
    for entity, spec in m.entities():
        out.extend(_check_entity(entity, spec, m))
    if not m.entities():
        out.append(((), "没有任何实体（areas、departments、categories、staff、events、event_log）"))
    return out


def _check_entity(entity: str, spec: Entity, m: Mapping) -> list[tuple[tuple, str]]:
    out = []
    fields = BY_NAME[entity]
    for ours, theirs in spec.columns.items():
        if ours not in fields:
            out.append(((entity, "columns", ours), f"未知字段，{entity} 的字段有 {', '.join(fields)}"))
        elif not theirs.strip():
            out.append(((entity, "columns", ours), "列名不能为空"))
    for f in FIELDS[entity]:
        if f.required and f.name not in spec.columns:
            out.append(((entity, "columns"), f"缺少必需字段 {f.name}"))
    if entity == "events" and m.event_log is not None:
        for name in STAGE_FIELDS:
            if name in spec.columns:
                out.append(((entity, "columns", name),
                            "已有 [event_log] 流转记录，各环节由流转记录给出，此处不应再映射环节字段"))
    for ours, table in spec.translate.items():
        f = fields.get(ours)
        if f is None or f.kind not in ("enum", "bool"):
            enumerated = [g.name for g in FIELDS[entity] if g.kind in ("enum", "bool")]
            out.append(((entity, "translate", ours), f"只有枚举字段可以对照翻译（{', '.join(enumerated) or '无'}）"))
            continue
        if ours not in spec.columns:
            out.append(((entity, "translate", ours), f"字段 {ours} 未在 [{entity}.columns] 中映射"))
        for theirs, value in table.items():
            if f.kind == "bool" and not isinstance(value, bool):
                out.append(((entity, "translate", ours, theirs), f"应为 true 或 false，而不是 {value!r}"))
            elif f.kind == "enum" and value not in f.choices:
                out.append(((entity, "translate", ours, theirs), f"“{value}”不是有效取值，应为 {', '.join(f.choices)}"))
    binds = bind_names(spec.query)
    if entity == "event_log":
        if spec.watermark is not None or spec.initial is not None:
            out.append(((entity, "watermark"), "流转记录随事件读取（:keys），不需要水位"))
        if "keys" not in binds:
            out.append(((entity, "query"), "查询必须用 :keys 选出正在同步的事件的全部流转记录，如 WHERE c.case_no IN :keys"))
        extra = binds - {"keys"}
    else:
        if spec.watermark is None:
            if spec.initial is not None:
                out.append(((entity, "initial"), "没有 watermark 时不需要 initial"))
            if "since" in binds:
                out.append(((entity, "query"), "查询用了 :since，但没有给出 watermark 列"))
        else:
            if spec.initial is None:
                out.append(((entity, "initial"), "需要 initial：首次同步从这个水位开始（如 0 或 2000-01-01T00:00:00）"))
            if "since" not in binds:
                out.append(((entity, "query"), "查询必须用 :since 只读出水位之后变化的行，如 WHERE update_time > :since"))
        extra = binds - {"since"}
    for name in sorted(extra):
        out.append(((entity, "query"), f"查询中的参数 :{name} 无法提供（只能用 {':keys' if entity == 'event_log' else ':since'}）"))
    if isinstance(spec.initial, time):
        out.append(((entity, "initial"), "应为整数、日期时间或文本"))
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


def describe(value: Any) -> str:
    return value.isoformat() if isinstance(value, (datetime, date)) else str(value)
