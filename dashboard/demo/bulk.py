"""Fast bulk loading for generated data: COPY on PostgreSQL, executemany on SQLite.

Rows are tuples in column order; datetimes are aware and written as naive UTC like
``models.UTCDateTime`` does.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterable, Sequence

from sqlalchemy import text
from sqlalchemy.engine import Connection


def _plain(v):
    if isinstance(v, datetime):
        return v.astimezone(timezone.utc).replace(tzinfo=None)
    return v


def insert_rows(conn: Connection, table: str, columns: Sequence[str], rows: Iterable[tuple], chunk: int = 50_000) -> int:
    n = 0
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with raw.cursor() as cur:
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(tuple(_plain(v) for v in row))
                    n += 1
        return n
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    raw = conn.connection.driver_connection
    batch = []
    for row in rows:
        batch.append(tuple(_plain(v) for v in row))
        if len(batch) >= chunk:
            raw.executemany(sql, batch)
            n += len(batch)
            batch.clear()
    if batch:
        raw.executemany(sql, batch)
        n += len(batch)
    return n


def reset_sequences(conn: Connection, tables: Iterable[str]) -> None:
    """After loading explicit ids, move PostgreSQL's serial sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for t in tables:
        conn.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), COALESCE((SELECT MAX(id) FROM {t}), 0) + 1, false)"
        ))
