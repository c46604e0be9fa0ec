"""One source row made ours: each mapped column read, translated and typed, or the row refused
with the field and the reason."""

from __future__ import annotations

import math
from dataclasses import dataclass

from dashboard.ingest.catalog import FALSE, TRUE
from dashboard.strings import SYNC_REFUSALS as R
from dashboard.strings import CLAUSE_SEP, SYNC_SOURCE_ERRORS, WITH_NOTE
from dashboard.connector.fields import BY_NAME, FIELDS
from dashboard.connector.mapping import Entity, Mapping
from dashboard.connector.source import as_text, as_utc


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
        return as_text(raw.get(column or spec.key)) or R["blank_key"]


def check_columns(entity: str, spec: Entity, sample: dict) -> None:
    """Every column the mapping names is in the query's result (checked on the first row)."""
    wanted = [("key", spec.key)] + ([("watermark", spec.watermark)] if spec.watermark else []) + \
        [(f"columns.{ours}", theirs) for ours, theirs in spec.columns.items()]
    missing = [WITH_NOTE.format(text=theirs, note=where) for where, theirs in wanted if theirs not in sample]
    if missing:
        raise MappingMismatch(SYNC_SOURCE_ERRORS["columns"].format(
            entity=entity, missing=", ".join(missing), present=", ".join(map(str, sample)) or SYNC_SOURCE_ERRORS["none"]))


def convert(entity: str, spec: Entity, mapping: Mapping, raw: dict) -> Row:
    key_text = Row.key_of(spec, raw)
    row = Row(key=key_text, raw_key=raw.get(spec.key), values={},
              mark=raw.get(spec.watermark) if spec.watermark else None)
    problems, failed = [], set()
    fields = BY_NAME[entity]
    for ours, theirs in spec.columns.items():
        try:
            row.values[ours] = _value(fields[ours], raw.get(theirs), spec, mapping, entity)
        except Refused as exc:
            failed.add(ours)
            problems.append(R["field"].format(field=ours, column=theirs, reason=exc))
    for f in FIELDS[entity]:
        if f.required and f.name in spec.columns and row.values.get(f.name) is None and f.name not in failed:
            problems.append(R["field"].format(field=f.name, column=spec.columns[f.name], reason=R["empty"]))
    if key_text == R["blank_key"]:
        problems.insert(0, R["no_key"].format(column=spec.key))
    if problems:
        raise Refused(CLAUSE_SEP.join(problems))
    return row


def _value(f, value, spec: Entity, mapping: Mapping, entity: str):
    if f.kind == "time":
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return as_utc(value, mapping.zone)
        except (ValueError, TypeError, OverflowError):
            raise Refused(R["not_time"].format(value=as_text(value))) from None
    if f.kind in ("float", "int"):
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        try:
            number = float(value)
        except (ValueError, TypeError):
            raise Refused(R["not_number"].format(value=as_text(value))) from None
        if not math.isfinite(number):
            raise Refused(R["not_finite"].format(value=as_text(value)))
        if f.kind == "int":
            if not number.is_integer() or number < 0:
                raise Refused(R["not_count"].format(value=as_text(value)))
            return int(number)
        return number
    text_ = as_text(value)
    if f.kind == "enum":
        table = spec.translate.get(f.name)
        if text_ is None:
            return None
        if table is not None:
            if text_ not in table:
                raise Refused(R["not_translated"].format(value=text_, entity=entity, field=f.name))
            return table[text_]
        if text_ not in f.choices:
            raise Refused(R["not_choice"].format(value=text_, choices=", ".join(f.choices), entity=entity, field=f.name))
        return text_
    if f.kind == "bool":
        table = spec.translate.get(f.name)
        if table is not None:
            if (text_ or "") not in table:
                raise Refused(R["not_translated"].format(value=text_ or "", entity=entity, field=f.name))
            return table[text_ or ""]
        if text_ is None:
            return None
        v = text_.lower()
        if v in TRUE:
            return True
        if v in FALSE:
            return False
        raise Refused(R["not_bool"].format(value=text_))
    if text_ is None:
        return None
    if f.kind == "code" and f.codes:
        text_ = mapping.codes.get(f.codes, {}).get(text_, text_)
    if f.max_len is not None and len(text_) > f.max_len:
        raise Refused(R["too_long"].format(n=f.max_len))
    return text_
