"""SQL shared by the rollups: adding rows into one, and questions asked of ``events`` asked of a
rollup instead (which columns a condition or a group key reads, and the same expression over a
rollup table whose columns carry the same names)."""

from __future__ import annotations

from sqlalchemy import Column, bindparam, func
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.sql import visitors

from dashboard.store.models import Event

_EVENTS = Event.__table__


def events_columns(*exprs) -> set[str]:
    """The names of the ``events`` columns ``exprs`` read (None is skipped)."""
    names = set()
    for expr in exprs:
        if expr is None:
            continue
        for el in visitors.iterate(expr):
            if isinstance(el, Column) and el.table is _EVENTS:
                names.add(el.name)
    return names


def retarget(expr, table, nullable=frozenset()):
    """``expr`` over ``events`` rewritten over ``table``; a column of ``nullable`` is kept there
    as '' for NULL (a primary key cannot hold NULL) and read back as NULL."""
    if expr is None:
        return None

    def swap(el):
        if isinstance(el, Column) and el.table is _EVENTS:
            col = table.c[el.name]
            return func.nullif(col, "") if el.name in nullable else col
        return None

    return visitors.replacement_traverse(expr, {}, swap)


def adding(dialect_name: str, table, rows, keys, counts):
    """The INSERT of ``rows`` (a select of ``keys`` then ``counts``) into ``table`` that adds the
    counts to those of a row already there (an upsert, on SQLite and PostgreSQL alike). Built once
    and kept by the caller: executing the same statement object skips SQLAlchemy's cache-key walk
    over the counting columns."""
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[dialect_name]
    stmt = dialect.insert(table).from_select([*keys, *counts], rows)
    return stmt.on_conflict_do_update(index_elements=list(keys),
                                      set_={c: table.c[c] + stmt.excluded[c] for c in counts})


# The cases a rollup write reads: ``Event.id.in_(IDS)``, executed with {"ids": [...]}.
IDS = bindparam("ids", expanding=True)
CHUNK = 5000  # ids per statement (bounds the IN list)


def run_for_ids(conn: Connection, statements, ids: list[int]) -> None:
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        for stmt in statements:
            conn.execute(stmt, {"ids": chunk})
