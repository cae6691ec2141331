"""Initial schema of the register database, with the FTS5 product name index.

Revision ID: 0001
Revises:
Create Date: 2026-11-25 02:11:42.686203
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "abandoned_sales",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("abandoned_at", sa.String(length=32), nullable=False),
        sa.Column("abandoned_utc", sa.String(length=32), nullable=False),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("cart", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "categories",
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=12), server_default="pending", nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sa.UniqueConstraint("event_id"),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "parked_sales",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("parked_at", sa.String(length=32), nullable=False),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("item_count", sa.String(length=16), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("cart", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "products",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.String(length=20), nullable=True),
        sa.Column("tax_class", sa.String(length=20), nullable=False),
        sa.Column("price_cents", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(length=10), nullable=False),
        sa.Column("active", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("id"),
        sa.UniqueConstraint("sku"),
    )
    op.create_table(
        "receipt_series",
        sa.Column("series", sa.String(length=40), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("series"),
    )
    op.create_table(
        "sales",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("receipt_number", sa.String(length=40), nullable=False),
        sa.Column("receipt_year", sa.Integer(), nullable=False),
        sa.Column("receipt_seq", sa.Integer(), nullable=False),
        sa.Column("store_code", sa.String(length=10), nullable=False),
        sa.Column("register_code", sa.String(length=10), nullable=False),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("completed_at", sa.String(length=32), nullable=False),
        sa.Column("completed_utc", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("gross_cents", sa.Integer(), nullable=False),
        sa.Column("discount_cents", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("tax_cents", sa.Integer(), nullable=False),
        sa.Column("change_cents", sa.Integer(), nullable=False),
        sa.Column("item_count", sa.String(length=16), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("receipt_number"),
    )
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.create_index("ix_sales_completed_utc", ["completed_utc"], unique=False)

    op.create_table(
        "store_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("store_code", sa.String(length=10), nullable=False),
        sa.Column("register_code", sa.String(length=10), nullable=False),
        sa.Column("store_name", sa.Text(), nullable=False),
        sa.Column("tax_id", sa.String(length=20), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "tax_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tax_class", sa.String(length=20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("rate", sa.String(length=10), nullable=False),
        sa.Column("valid_from", sa.String(length=10), nullable=False),
        sa.Column("valid_to", sa.String(length=10), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("tax_class", "valid_from"),
    )
    op.create_table(
        "barcodes",
        sa.Column("code", sa.String(length=14), nullable=False),
        sa.Column("product_pk", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["product_pk"], ["products.pk"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("code"),
        sqlite_with_rowid=False,
    )
    with op.batch_alter_table("barcodes", schema=None) as batch_op:
        batch_op.create_index("ix_barcodes_product_pk", ["product_pk"], unique=False)

    op.create_table(
        "receipt_prints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sale_id", sa.String(length=36), nullable=False),
        sa.Column("printed_at", sa.String(length=32), nullable=False),
        sa.Column("copy", sa.Integer(), nullable=False),
        sa.Column("ok", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sale_id"],
            ["sales.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("receipt_prints", schema=None) as batch_op:
        batch_op.create_index("ix_receipt_prints_sale_id", ["sale_id"], unique=False)

    op.create_table(
        "sale_lines",
        sa.Column("sale_id", sa.String(length=36), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("measure", sa.String(length=10), nullable=False),
        sa.Column("quantity", sa.String(length=16), nullable=False),
        sa.Column("unit_price_cents", sa.Integer(), nullable=False),
        sa.Column("gross_cents", sa.Integer(), nullable=False),
        sa.Column("discount_cents", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("tax_class", sa.String(length=20), nullable=False),
        sa.Column("tax_rate", sa.String(length=10), nullable=False),
        sa.Column("base_cents", sa.Integer(), nullable=False),
        sa.Column("tax_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sale_id"],
            ["sales.id"],
        ),
        sa.PrimaryKeyConstraint("sale_id", "line_no"),
    )
    op.create_table(
        "sale_payments",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("sale_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("tendered_cents", sa.Integer(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sale_id"],
            ["sales.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("sale_payments", schema=None) as batch_op:
        batch_op.create_index("ix_sale_payments_sale_id", ["sale_id"], unique=False)

    op.create_table(
        "sale_taxes",
        sa.Column("sale_id", sa.String(length=36), nullable=False),
        sa.Column("tax_class", sa.String(length=20), nullable=False),
        sa.Column("rate", sa.String(length=10), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("base_cents", sa.Integer(), nullable=False),
        sa.Column("tax_cents", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sale_id"],
            ["sales.id"],
        ),
        sa.PrimaryKeyConstraint("sale_id", "tax_class", "rate"),
    )
    op.create_table(
        "stock_levels",
        sa.Column("product_pk", sa.Integer(), nullable=False),
        sa.Column("quantity_milli", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["product_pk"], ["products.pk"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("product_pk"),
    )
    op.create_table(
        "stock_movements",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("product_pk", sa.Integer(), nullable=False),
        sa.Column("delta_milli", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("synced", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["product_pk"],
            ["products.pk"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.create_index("ix_stock_movements_product_pk", ["product_pk"], unique=False)

    # Product name search: FTS5 over the name, accent-insensitive (remove_diacritics 2), with
    # prefix indexes so that "caf" or "ca" prefix queries do not scan the whole term list.
    # External content: the text lives once, in products; triggers keep the index in step.
    op.execute(
        "CREATE VIRTUAL TABLE products_fts USING fts5("
        "name, content='products', content_rowid='pk', "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3 4')"
    )
    op.execute(
        "CREATE TRIGGER products_fts_ai AFTER INSERT ON products BEGIN "
        "INSERT INTO products_fts(rowid, name) VALUES (new.pk, new.name); END"
    )
    op.execute(
        "CREATE TRIGGER products_fts_ad AFTER DELETE ON products BEGIN "
        "INSERT INTO products_fts(products_fts, rowid, name) "
        "VALUES ('delete', old.pk, old.name); END"
    )
    op.execute(
        "CREATE TRIGGER products_fts_au AFTER UPDATE OF name ON products BEGIN "
        "INSERT INTO products_fts(products_fts, rowid, name) "
        "VALUES ('delete', old.pk, old.name); "
        "INSERT INTO products_fts(rowid, name) VALUES (new.pk, new.name); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS products_fts_au")
    op.execute("DROP TRIGGER IF EXISTS products_fts_ad")
    op.execute("DROP TRIGGER IF EXISTS products_fts_ai")
    op.execute("DROP TABLE IF EXISTS products_fts")
    with op.batch_alter_table("stock_movements", schema=None) as batch_op:
        batch_op.drop_index("ix_stock_movements_product_pk")

    op.drop_table("stock_movements")
    op.drop_table("stock_levels")
    op.drop_table("sale_taxes")
    with op.batch_alter_table("sale_payments", schema=None) as batch_op:
        batch_op.drop_index("ix_sale_payments_sale_id")

    op.drop_table("sale_payments")
    op.drop_table("sale_lines")
    with op.batch_alter_table("receipt_prints", schema=None) as batch_op:
        batch_op.drop_index("ix_receipt_prints_sale_id")

    op.drop_table("receipt_prints")
    with op.batch_alter_table("barcodes", schema=None) as batch_op:
        batch_op.drop_index("ix_barcodes_product_pk")

    op.drop_table("barcodes")
    op.drop_table("tax_rates")
    op.drop_table("store_identity")
    with op.batch_alter_table("sales", schema=None) as batch_op:
        batch_op.drop_index("ix_sales_completed_utc")

    op.drop_table("sales")
    op.drop_table("receipt_series")
    op.drop_table("products")
    op.drop_table("parked_sales")
    op.drop_table("outbox")
    op.drop_table("categories")
    op.drop_table("abandoned_sales")
