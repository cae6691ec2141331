"""The product name index is kept by the code that writes products, not by row triggers.

The FTS5 triggers of 0001/0003 cost about 26 µs a product on top of the insert: a first sync
of 1,000,000 products spent close to half a minute in them. The two writers of products (the
catalog loader and the sync's change apply) now write the index rows themselves, by batch, in
the same transaction as the products (``pos_app/storage/product_index.py``). ``mostrador
self-test`` checks the index against the table (FTS5 ``integrity-check``).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TRIGGERS = (
    "CREATE TRIGGER products_fts_ai AFTER INSERT ON products BEGIN "
    "INSERT INTO products_fts(rowid, name) VALUES (new.pk, new.name); END",
    "CREATE TRIGGER products_fts_ad AFTER DELETE ON products BEGIN "
    "INSERT INTO products_fts(products_fts, rowid, name) "
    "VALUES ('delete', old.pk, old.name); END",
    "CREATE TRIGGER products_fts_au AFTER UPDATE OF name ON products BEGIN "
    "INSERT INTO products_fts(products_fts, rowid, name) "
    "VALUES ('delete', old.pk, old.name); "
    "INSERT INTO products_fts(rowid, name) VALUES (new.pk, new.name); END",
)


def upgrade() -> None:
    for trigger in ("products_fts_au", "products_fts_ad", "products_fts_ai"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")


def downgrade() -> None:
    # The index was kept in step by the writers: the triggers can take over from here.
    for trigger in _TRIGGERS:
        op.execute(trigger)
