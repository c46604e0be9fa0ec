"""SQL expressions that differ between SQLite and PostgreSQL, written once as SQLAlchemy
constructs so that the indicator queries are the same text for both databases.

Local time is UTC+8 (Asia/Shanghai has no daylight saving), hence the fixed offset.
"""

from __future__ import annotations

from sqlalchemy import Float, Integer, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from dashboard.timeutil import LOCAL_OFFSET_HOURS


class hours_between(FunctionElement):
    """hours_between(later, earlier) -> float hours."""

    type = Float()
    inherit_cache = True
    name = "hours_between"


@compiles(hours_between, "sqlite")
def _hours_sqlite(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"((julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)})) * 24.0)"


@compiles(hours_between, "postgresql")
def _hours_pg(element, compiler, **kw):
    later, earlier = list(element.clauses)
    return f"(EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)})) / 3600.0)"


class local_day(FunctionElement):
    """The Asia/Shanghai calendar day of a UTC timestamp, as text 'YYYY-MM-DD'."""

    type = String()
    inherit_cache = True
    name = "local_day"


@compiles(local_day, "sqlite")
def _day_sqlite(element, compiler, **kw):
    (col,) = list(element.clauses)
    return f"date({compiler.process(col, **kw)}, '+{LOCAL_OFFSET_HOURS} hours')"


@compiles(local_day, "postgresql")
def _day_pg(element, compiler, **kw):
    (col,) = list(element.clauses)
    return f"to_char({compiler.process(col, **kw)} + interval '{LOCAL_OFFSET_HOURS} hours', 'YYYY-MM-DD')"


class local_hour(FunctionElement):
    """The Asia/Shanghai hour of day (0-23) of a UTC timestamp."""

    type = Integer()
    inherit_cache = True
    name = "local_hour"


@compiles(local_hour, "sqlite")
def _hour_sqlite(element, compiler, **kw):
    (col,) = list(element.clauses)
    return f"CAST(strftime('%H', {compiler.process(col, **kw)}, '+{LOCAL_OFFSET_HOURS} hours') AS INTEGER)"


@compiles(local_hour, "postgresql")
def _hour_pg(element, compiler, **kw):
    (col,) = list(element.clauses)
    return f"CAST(EXTRACT(HOUR FROM {compiler.process(col, **kw)} + interval '{LOCAL_OFFSET_HOURS} hours') AS INTEGER)"


class local_weekday(FunctionElement):
    """The Asia/Shanghai day of week of a UTC timestamp: 0 Monday … 6 Sunday."""

    type = Integer()
    inherit_cache = True
    name = "local_weekday"


@compiles(local_weekday, "sqlite")
def _dow_sqlite(element, compiler, **kw):
    (col,) = list(element.clauses)
    return f"((CAST(strftime('%w', {compiler.process(col, **kw)}, '+{LOCAL_OFFSET_HOURS} hours') AS INTEGER) + 6) % 7)"


@compiles(local_weekday, "postgresql")
def _dow_pg(element, compiler, **kw):
    (col,) = list(element.clauses)
    return f"(CAST(EXTRACT(ISODOW FROM {compiler.process(col, **kw)} + interval '{LOCAL_OFFSET_HOURS} hours') AS INTEGER) - 1)"
