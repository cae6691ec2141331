"""The schema comes only from the migrations, matches the tables, and is checked at start."""

from __future__ import annotations

import asyncio

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from sync.server import create_app
from sync.server.core.config import sqlite_url
from sync.server.database import Database
from sync.server.errors import SchemaOutOfDate
from sync.server.tables import metadata


def _migrated_schema_matches_the_tables(url: str) -> None:
    database = Database(url)
    try:
        database.migrate()
        database.migrate()  # again: nothing to do
        with database.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, metadata) == []
        database.check_schema()
    finally:
        database.dispose()


def test_the_migrations_make_exactly_the_tables_on_sqlite(tmp_path):
    _migrated_schema_matches_the_tables(sqlite_url(tmp_path / "fresh.sqlite3"))


@pytest.mark.postgres
def test_the_migrations_make_exactly_the_tables_on_postgres(pg_url):
    _migrated_schema_matches_the_tables(pg_url)


def test_the_app_refuses_to_start_on_a_database_that_is_not_migrated(tmp_path):
    url = sqlite_url(tmp_path / "empty.sqlite3")
    database = Database(url)
    try:
        with pytest.raises(SchemaOutOfDate, match="migrate"):
            database.check_schema()
    finally:
        database.dispose()
    app = create_app(url)

    async def start() -> None:
        async with app.router.lifespan_context(app):
            pass

    with pytest.raises(SchemaOutOfDate):
        asyncio.run(start())
