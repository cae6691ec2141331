"""The product name index (FTS5, external content over ``products``), kept by the writers.

There are no row triggers (migration 0004): whoever inserts, renames or deletes products calls
these in the same transaction, by batch. ``check`` compares the index with the table, for
``mostrador self-test`` and for tests.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection
from sqlalchemy.exc import DatabaseError as SqlDatabaseError

_ADD = "INSERT INTO products_fts(rowid, name) VALUES (?, ?)"
_REMOVE = "INSERT INTO products_fts(products_fts, rowid, name) VALUES ('delete', ?, ?)"
# Parameters: first and last pk. For the bulk loader, which runs on the DB-API cursor.
ADD_RANGE = (
    "INSERT INTO products_fts(rowid, name) SELECT pk, name FROM products WHERE pk BETWEEN ? AND ?"
)


def add(conn: Connection, rows: Iterable[tuple[int, str]]) -> None:
    """Index new products: ``(pk, name)`` pairs."""
    params = list(rows)
    if params:
        conn.exec_driver_sql(_ADD, params)


def remove(conn: Connection, rows: Iterable[tuple[int, str]]) -> None:
    """Take products out of the index: ``(pk, name as indexed)`` pairs (FTS5 needs the old
    text to remove its terms)."""
    params = list(rows)
    if params:
        conn.exec_driver_sql(_REMOVE, params)


def add_range(conn: Connection, first_pk: int, last_pk: int) -> None:
    """Index the products whose pk lies in ``[first_pk, last_pk]`` (a bulk load's batch)."""
    conn.exec_driver_sql(ADD_RANGE, (first_pk, last_pk))


def check(conn: Connection) -> str:
    """ "ok", or why the index does not match the products table."""
    try:
        conn.exec_driver_sql(
            "INSERT INTO products_fts(products_fts, rank) VALUES ('integrity-check', 1)"
        )
    except SqlDatabaseError as exc:
        return f"the product name index does not match the products: {exc.orig}"
    return "ok"
