"""Click-and-collect: channel keys, pickup orders and their history, stock reservations,
customer notifications.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("stock_levels") as batch:
        batch.add_column(
            sa.Column("reserved_milli", sa.BigInteger(), nullable=False, server_default="0")
        )
    op.create_table(
        "channel_keys",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("revoked_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_channel_keys"),
        sa.UniqueConstraint("key_hash", name="uq_channel_keys_key_hash"),
    )
    op.create_table(
        "order_counters",
        sa.Column("prefix", sa.String(10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", "year", name="pk_order_counters"),
    )
    op.create_table(
        "pickup_orders",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("number", sa.String(40), nullable=False),
        sa.Column("channel", sa.String(20), nullable=False),
        sa.Column("external_ref", sa.String(60), nullable=True),
        sa.Column("request_sha256", sa.String(64), nullable=False),
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("expires_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pickup_orders"),
        sa.ForeignKeyConstraint(
            ["store_code"], ["stores.code"], name="fk_pickup_orders_store_code_stores"
        ),
        sa.UniqueConstraint("number", name="uq_pickup_orders_number"),
        sa.UniqueConstraint(
            "channel", "external_ref", name="uq_pickup_orders_channel_external_ref"
        ),
    )
    op.create_index("ix_pickup_orders_status_expires_at", "pickup_orders", ["status", "expires_at"])
    op.create_table(
        "pickup_order_history",
        sa.Column("id", _BigId, autoincrement=True, nullable=False),
        sa.Column("order_id", sa.String(36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("recorded_at", _utc(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("place", sa.String(40), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=True),
        sa.Column("event_id", sa.Text(), nullable=True),
        sa.Column("conflict", sa.String(40), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_pickup_order_history"),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["pickup_orders.id"],
            name="fk_pickup_order_history_order_id_pickup_orders",
        ),
    )
    op.create_index("ix_pickup_order_history_order_id", "pickup_order_history", ["order_id"])
    op.create_table(
        "stock_reservations",
        sa.Column("order_id", sa.String(36), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("quantity_milli", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("order_id", "line_no", name="pk_stock_reservations"),
        sa.ForeignKeyConstraint(
            ["order_id"], ["pickup_orders.id"], name="fk_stock_reservations_order_id_pickup_orders"
        ),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("order_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_attempt_at", _utc(), nullable=False),
        sa.Column("delivered_at", _utc(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_notifications"),
        sa.ForeignKeyConstraint(
            ["order_id"], ["pickup_orders.id"], name="fk_notifications_order_id_pickup_orders"
        ),
    )
    op.create_index(
        "ix_notifications_delivered_at_next_attempt_at",
        "notifications",
        ["delivered_at", "next_attempt_at"],
    )


def downgrade() -> None:
    for table in (
        "notifications",
        "stock_reservations",
        "pickup_order_history",
        "pickup_orders",
        "order_counters",
        "channel_keys",
    ):
        op.drop_table(table)
    with op.batch_alter_table("stock_levels") as batch:
        batch.drop_column("reserved_milli")
