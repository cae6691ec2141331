"""Alembic environment for the register database.

Migrations run at start-up from ``pos_app.storage.db.migrate``, which hands over an open
connection in ``config.attributes["connection"]``; there is no alembic.ini to edit.
"""

from __future__ import annotations

from alembic import context

from pos_app.storage.tables import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by misuse of the alembic CLI
    raise RuntimeError("run migrations through pos_app.storage.db.migrate()")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
)
with context.begin_transaction():
    context.run_migrations()
