"""The backend schema: stores, registers, staff, catalog, stock, sales, push dedupe, change log.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "stores",
        sa.Column("code", sa.String(10), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("tax_id", sa.String(20), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("registers_issued", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_stores"),
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("register_code", sa.String(10), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("enrolled_at", _utc(), nullable=False),
        sa.Column("revoked_at", _utc(), nullable=True),
        sa.Column("last_seq", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("last_seen_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_devices"),
        sa.ForeignKeyConstraint(
            ["store_code"], ["stores.code"], name="fk_devices_store_code_stores"
        ),
        sa.UniqueConstraint("token_hash", name="uq_devices_token_hash"),
        sa.UniqueConstraint(
            "store_code", "register_code", name="uq_devices_store_code_register_code"
        ),
    )
    op.create_table(
        "enrollment_codes",
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("expires_at", _utc(), nullable=False),
        sa.Column("used_at", _utc(), nullable=True),
        sa.Column("device_id", sa.String(36), nullable=True),
        sa.PrimaryKeyConstraint("code_hash", name="pk_enrollment_codes"),
        sa.ForeignKeyConstraint(
            ["store_code"], ["stores.code"], name="fk_enrollment_codes_store_code_stores"
        ),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("pin_hash", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="1"),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_staff"),
        sa.ForeignKeyConstraint(["store_code"], ["stores.code"], name="fk_staff_store_code_stores"),
        sa.UniqueConstraint("store_code", "name", name="uq_staff_store_code_name"),
    )
    op.create_table(
        "tax_rates",
        sa.Column("id", _BigId, nullable=False, autoincrement=True),
        sa.Column("tax_class", sa.String(20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("rate", sa.String(10), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_tax_rates"),
        sa.UniqueConstraint("tax_class", "valid_from", name="uq_tax_rates_tax_class_valid_from"),
    )
    op.create_table(
        "categories",
        sa.Column("code", sa.String(20), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_categories"),
    )
    op.create_table(
        "products",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("sku", sa.String(40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("category", sa.String(20), nullable=True),
        sa.Column("tax_class", sa.String(20), nullable=False),
        sa.Column("price_cents", sa.BigInteger(), nullable=False),
        sa.Column("measure", sa.String(10), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="1"),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_products"),
        sa.UniqueConstraint("sku", name="uq_products_sku"),
    )
    op.create_table(
        "barcodes",
        sa.Column("code", sa.String(14), nullable=False),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_barcodes"),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["products.id"],
            name="fk_barcodes_product_id_products",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_barcodes_product_id", "barcodes", ["product_id"])
    op.create_table(
        "stock_movements",
        sa.Column("id", _BigId, nullable=False, autoincrement=True),
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("delta_milli", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=True),
        sa.Column("event_id", sa.Text(), nullable=True),
        sa.Column("reference", sa.String(40), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_stock_movements"),
        sa.ForeignKeyConstraint(
            ["store_code"], ["stores.code"], name="fk_stock_movements_store_code_stores"
        ),
    )
    op.create_index(
        "ix_stock_movements_store_code_product_id", "stock_movements", ["store_code", "product_id"]
    )
    op.create_table(
        "stock_levels",
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("quantity_milli", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("store_code", "product_id", name="pk_stock_levels"),
        sa.ForeignKeyConstraint(
            ["store_code"], ["stores.code"], name="fk_stock_levels_store_code_stores"
        ),
    )
    op.create_table(
        "sales",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("register_code", sa.String(10), nullable=False),
        sa.Column("receipt_number", sa.String(40), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("gross_cents", sa.BigInteger(), nullable=False),
        sa.Column("discount_cents", sa.BigInteger(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("tax_cents", sa.BigInteger(), nullable=False),
        sa.Column("completed_at", _utc(), nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sales"),
        sa.ForeignKeyConstraint(["store_code"], ["stores.code"], name="fk_sales_store_code_stores"),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_sales_device_id_devices"),
        sa.UniqueConstraint("receipt_number", name="uq_sales_receipt_number"),
    )
    op.create_index("ix_sales_store_code_completed_at", "sales", ["store_code", "completed_at"])
    op.create_table(
        "abandoned_sales",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("register_code", sa.String(10), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("line_count", sa.Integer(), nullable=False),
        sa.Column("abandoned_at", _utc(), nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_abandoned_sales"),
        sa.ForeignKeyConstraint(
            ["store_code"], ["stores.code"], name="fk_abandoned_sales_store_code_stores"
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name="fk_abandoned_sales_device_id_devices"
        ),
    )
    op.create_table(
        "processed_events",
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("event_type", sa.String(60), nullable=False),
        sa.Column("payload_sha256", sa.String(64), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("code", sa.String(40), nullable=True),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("processed_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "seq", name="pk_processed_events"),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name="fk_processed_events_device_id_devices"
        ),
    )
    op.create_index("ix_processed_events_event_id", "processed_events", ["event_id"])
    counter = op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_change_counter"),
    )
    op.bulk_insert(counter, [{"id": 1, "value": 0}])
    op.create_table(
        "change_log",
        sa.Column("seq", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("entity", sa.String(20), nullable=False),
        sa.Column("op", sa.String(10), nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("scope", sa.String(10), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("changed_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_change_log"),
    )
    op.create_index("ix_change_log_entity_scope_key", "change_log", ["entity", "scope", "key"])


def downgrade() -> None:
    for table in (
        "change_log",
        "change_counter",
        "processed_events",
        "abandoned_sales",
        "sales",
        "stock_levels",
        "stock_movements",
        "barcodes",
        "products",
        "categories",
        "tax_rates",
        "staff",
        "enrollment_codes",
        "devices",
        "stores",
    ):
        op.drop_table(table)
