"""Alembic environment for the backend database.

``Database.migrate()`` hands over an open connection, already inside a transaction (and, on
PostgreSQL, holding the migration advisory lock), in ``config.attributes["connection"]``.
"""

from __future__ import annotations

from alembic import context

from sync.server.tables import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by misuse of the alembic CLI
    raise RuntimeError("run migrations through sync.server.database.Database.migrate()")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
