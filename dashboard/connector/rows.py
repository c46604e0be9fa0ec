"""One source row made ours: each mapped column read, translated and typed, or the row refused
with the field and the reason."""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..ingest.catalog import FALSE, TRUE
from .fields import BY_NAME, FIELDS
from .mapping import Entity, Mapping
from .source import as_text, as_utc


class Refused(Exception):
    """A source row GridScreen cannot take; the message says why, in Chinese."""


class MappingMismatch(Exception):
    """The mapping names a column the query does not return: the entity cannot be read at all."""


@dataclass
class Row:
    key: str  # the row's key in the source, as text (refusals name it)
    raw_key: object  # the key as the source gives it (bound back into :keys)
    values: dict
    mark: object = None  # the watermark column's value

    @staticmethod
    def key_of(spec: Entity, raw: dict, column: str | None = None) -> str:
        return as_text(raw.get(column or spec.key)) or "（空）"


def check_columns(entity: str, spec: Entity, sample: dict) -> None:
    """Every column the mapping names is in the query's result (checked on the first row)."""
    wanted = [("key", spec.key)] + ([("watermark", spec.watermark)] if spec.watermark else []) + \
        [(f"columns.{ours}", theirs) for ours, theirs in spec.columns.items()]
    missing = [f"{theirs}（{where}）" for where, theirs in wanted if theirs not in sample]
    if missing:
        raise MappingMismatch(f"[{entity}] 的查询结果中没有这些列: {', '.join(missing)}；"
                              f"结果中的列为 {', '.join(map(str, sample)) or '（无）'}")


def convert(entity: str, spec: Entity, mapping: Mapping, raw: dict) -> Row:
    key_text = Row.key_of(spec, raw)
    row = Row(key=key_text, raw_key=raw.get(spec.key), values={},
              mark=raw.get(spec.watermark) if spec.watermark else None)
    problems = []
    fields = BY_NAME[entity]
    for ours, theirs in spec.columns.items():
        try:
            row.values[ours] = _value(fields[ours], raw.get(theirs), spec, mapping, entity)
        except Refused as exc:
            problems.append(f"{ours}（{theirs}）{exc}")
    for f in FIELDS[entity]:
        if f.required and f.name in spec.columns and row.values.get(f.name) is None and \
                not any(p.startswith(f"{f.name}（") for p in problems):
            problems.append(f"{f.name}（{spec.columns[f.name]}）不能为空")
    if key_text == "（空）":
        problems.insert(0, f"键列 {spec.key} 为空")
    if problems:
        raise Refused("；".join(problems))
    return row


def _value(f, value, spec: Entity, mapping: Mapping, entity: str):
    if f.kind == "time":
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return as_utc(value, mapping.zone)
        except (ValueError, TypeError, OverflowError):
            raise Refused(f"“{as_text(value)}”不是时间") from None
    if f.kind in ("float", "int"):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            number = float(value)
        except (ValueError, TypeError):
            raise Refused(f"“{as_text(value)}”不是数字") from None
        if not math.isfinite(number):
            raise Refused(f"“{as_text(value)}”不是有限的数字")
        if f.kind == "int":
            if not number.is_integer() or number < 0:
                raise Refused(f"“{as_text(value)}”不是非负整数")
            return int(number)
        return number
    text_ = as_text(value)
    if f.kind == "enum":
        table = spec.translate.get(f.name)
        if text_ is None:
            return None
        if table is not None:
            if text_ not in table:
                raise Refused(f"“{text_}”不在 [{entity}.translate.{f.name}] 对照表中")
            return table[text_]
        if text_ not in f.choices:
            raise Refused(f"“{text_}”不是有效取值（应为 {', '.join(f.choices)}，或在 [{entity}.translate.{f.name}] 中对照）")
        return text_
    if f.kind == "bool":
        table = spec.translate.get(f.name)
        if table is not None:
            if (text_ or "") not in table:
                raise Refused(f"“{text_ or ''}”不在 [{entity}.translate.{f.name}] 对照表中")
            return table[text_ or ""]
        if text_ is None:
            return None
        v = text_.lower()
        if v in TRUE:
            return True
        if v in FALSE:
            return False
        raise Refused(f"“{text_}”不是是/否值")
    if text_ is None:
        return None
    if f.kind == "code" and f.codes:
        text_ = mapping.codes.get(f.codes, {}).get(text_, text_)
    if f.max_len is not None and len(text_) > f.max_len:
        raise Refused(f"超过{f.max_len}个字符")
    return text_
