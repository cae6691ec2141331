"""Small SQL helpers that read the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert


def utcnow() -> datetime:
    return datetime.now(UTC)


def dumps(document: Any) -> str:
    """JSON text as stored and hashed: compact, keys sorted, UTF-8 kept as is."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def upsert_statement(
    conn: Connection, table: Table, *, conflict: Sequence[str], update: Sequence[str]
) -> Insert:
    """``INSERT ... ON CONFLICT (conflict) DO UPDATE SET update = excluded.update``
    (or ``DO NOTHING`` when ``update`` is empty)."""
    if conn.dialect.name == "postgresql":
        pg = postgresql.insert(table)
        if not update:
            return pg.on_conflict_do_nothing(index_elements=list(conflict))
        return pg.on_conflict_do_update(
            index_elements=list(conflict), set_={c: pg.excluded[c] for c in update}
        )
    lite = sqlite.insert(table)
    if not update:
        return lite.on_conflict_do_nothing(index_elements=list(conflict))
    return lite.on_conflict_do_update(
        index_elements=list(conflict), set_={c: lite.excluded[c] for c in update}
    )


def upsert(
    conn: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    conflict: Sequence[str],
    update: Sequence[str],
) -> None:
    if rows:
        conn.execute(upsert_statement(conn, table, conflict=conflict, update=update), list(rows))
