"""Click-and-collect: the store's pickup orders and the register's progress on them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pickup_orders",
        sa.Column("pk", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.String(length=36), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("customer_name", sa.Text(), nullable=False),
        sa.Column("phone_digits", sa.String(length=40), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("pickup_code", sa.String(length=12), nullable=False),
        sa.Column("qr_payload", sa.Text(), nullable=False),
        sa.Column("paid_online", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("created_utc", sa.String(length=32), nullable=False),
        sa.Column("expires_utc", sa.String(length=32), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("local_status", sa.String(length=20), nullable=True),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("local_at", sa.String(length=32), nullable=True),
        sa.Column("progress", sa.Text(), server_default="{}", nullable=False),
        sa.Column("conflict", sa.String(length=20), server_default="", nullable=False),
        sa.PrimaryKeyConstraint("pk"),
        sa.UniqueConstraint("order_id"),
    )
    op.create_index("ix_pickup_orders_number", "pickup_orders", ["number"])
    op.create_index("ix_pickup_orders_status", "pickup_orders", ["status"])
    op.create_index("ix_pickup_orders_phone_digits", "pickup_orders", ["phone_digits"])


def downgrade() -> None:
    op.drop_index("ix_pickup_orders_phone_digits", table_name="pickup_orders")
    op.drop_index("ix_pickup_orders_status", table_name="pickup_orders")
    op.drop_index("ix_pickup_orders_number", table_name="pickup_orders")
    op.drop_table("pickup_orders")
