"""Small SQL helpers that read the same on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, String, Table, all_, any_, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.elements import ColumnElement


def utcnow() -> datetime:
    return datetime.now(UTC)


def dumps(document: Any) -> str:
    """JSON text as stored and hashed: compact, keys sorted, UTF-8 kept as is."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def upsert_statement(
    conn: Connection,
    table: Table,
    *,
    conflict: Sequence[str],
    update: Sequence[str],
    increment: Sequence[str] = (),
) -> Insert:
    """``INSERT ... ON CONFLICT (conflict) DO UPDATE SET col = excluded.col`` for ``update``
    and ``col = col + excluded.col`` for ``increment`` (``DO NOTHING`` when both are empty)."""
    statement: postgresql.Insert | sqlite.Insert
    if conn.dialect.name == "postgresql":
        statement = postgresql.insert(table)
    else:
        statement = sqlite.insert(table)
    excluded = statement.excluded
    values: dict[str, Any] = {c: excluded[c] for c in update}
    values.update({c: table.c[c] + excluded[c] for c in increment})
    if not values:
        return statement.on_conflict_do_nothing(index_elements=list(conflict))
    return statement.on_conflict_do_update(index_elements=list(conflict), set_=values)


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


def one_of(
    conn: Connection, column: ColumnElement[Any], values: Sequence[str], *, negate: bool = False
) -> ColumnElement[bool]:
    """``column IN (values)`` (or ``NOT IN``). On PostgreSQL one array parameter
    (``= ANY(:array)``) rather than thousands of placeholders, which is much cheaper to send."""
    if conn.dialect.name == "postgresql":
        array = bindparam(None, list(values), type_=postgresql.ARRAY(String()))
        return column != all_(array) if negate else column == any_(array)
    return column.not_in(values) if negate else column.in_(values)


def storable(value: Any) -> bool:
    """True if every text in ``value`` (nested in dicts and lists, keys included) can be
    stored: PostgreSQL refuses NUL characters, and no database takes a lone UTF-16 surrogate
    (which JSON's ``\\ud800`` escapes can carry)."""
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(storable(k) and storable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return all(storable(item) for item in value)
    return True


def storable_text(text: str) -> str:
    """``text`` with what cannot be stored (NUL, lone surrogates) replaced by U+FFFD."""
    return "".join("\ufffd" if ch == "\x00" or "\ud800" <= ch <= "\udfff" else ch for ch in text)
