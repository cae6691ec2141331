"""Sale cancellations (issue 8): a completed sale annulled at its register, at most one per
sale, counted in the Z of its till.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sale_cancellations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("sale_id", sa.String(36), nullable=False),
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("register_code", sa.String(10), nullable=False),
        sa.Column("receipt_number", sa.String(40), nullable=False),
        sa.Column("till_id", sa.String(36), nullable=True),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("journal_record_id", sa.String(36), nullable=False),
        sa.Column("conflict", sa.String(40), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_sale_cancellations"),
        sa.UniqueConstraint("sale_id", name="uq_sale_cancellations_sale_id"),
        sa.ForeignKeyConstraint(
            ["store_code"], ["stores.code"], name="fk_sale_cancellations_store_code_stores"
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name="fk_sale_cancellations_device_id_devices"
        ),
    )
    op.create_index("ix_sale_cancellations_till_id", "sale_cancellations", ["till_id"])


def downgrade() -> None:
    op.drop_index("ix_sale_cancellations_till_id", table_name="sale_cancellations")
    op.drop_table("sale_cancellations")
