"""Set-based writes for the bulk paths (imports, unpacks): rows as tuples, one DBAPI
``executemany`` per table and batch, without per-row ORM objects or per-row parameter
processing. Values go in as the database stores them (:func:`stored_time`, :func:`stored_json`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from app.core import json_text

SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"  # how SQLAlchemy's DateTime stores a time in SQLite


def marks(session: Session, n: int) -> str:
    """``n`` parameter markers for a plain DBAPI statement (``?, ?`` or ``%s, %s``)."""
    mark = "?" if session.get_bind().dialect.paramstyle == "qmark" else "%s"
    return ", ".join([mark] * n)


def fetch_all(session: Session, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Every row of a plain DBAPI query (markers from :func:`marks`), as tuples: for reads of
    many small rows, where building SQLAlchemy rows costs more than the query."""
    if not params and "%s" not in sql and "?" not in sql:
        params = ()
    cursor = session.connection().connection.cursor()
    try:
        cursor.execute(sql, tuple(params))
        return list(cursor.fetchall())
    finally:
        cursor.close()


def insert_rows(
    session: Session, table: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """``INSERT INTO table (columns) VALUES (...)`` once per row of ``rows``, in one call."""
    if not rows:
        return
    connection = session.connection()
    quote = connection.dialect.identifier_preparer.quote
    names = ", ".join(quote(c) for c in columns)
    connection.exec_driver_sql(
        f"INSERT INTO {quote(table)} ({names}) VALUES ({marks(session, len(columns))})", list(rows)
    )


def is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def stored_time(session: Session, value: datetime | None) -> Any:
    """``value`` as a DateTime column receives it through SQLAlchemy."""
    if value is None or not is_sqlite(session):
        return value
    return value.strftime(SQLITE_TIME)


def stored_json(value: Any) -> str:
    """``value`` as a JSON column holds it (``None`` is JSON ``null``, as SQLAlchemy stores it)."""
    return json_text.dumps(value)


def new_uuids(n: int) -> list[str]:
    """``n`` fresh UUIDs (version 7: a millisecond timestamp, then 74 random bits), so rows
    made together sit together in the unique indexes instead of all over them."""
    stamp = f"{time.time_ns() // 1_000_000:012x}"
    head = f"{stamp[:8]}-{stamp[8:]}-7"
    noise = os.urandom(10 * n).hex()
    out = []
    for k in range(0, 20 * n, 20):
        r = noise[k : k + 20]
        out.append(f"{head}{r[:3]}-{'89ab'[int(r[3], 16) & 3]}{r[4:7]}-{r[8:20]}")
    return out
