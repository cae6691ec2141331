"""Sale cancellations (issue 8): a completed sale annulled, with its anulación record.

A cancellation is a fact of its own (the sale row is never edited): at most one per sale, what
it refunded in each tender, and the till session it fell in.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sale_cancellations",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column(
            "sale_id", sa.String(length=36), sa.ForeignKey("sales.id"), nullable=False, unique=True
        ),
        sa.Column("receipt_number", sa.String(length=40), nullable=False),
        sa.Column("cancelled_at", sa.String(length=32), nullable=False),
        sa.Column("cancelled_utc", sa.String(length=32), nullable=False),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("tax_cents", sa.Integer(), nullable=False),
        sa.Column("till_id", sa.String(length=36)),
        sa.Column("journal_record_id", sa.String(length=36), nullable=False),
    )
    op.create_index("ix_sale_cancellations_till_id", "sale_cancellations", ["till_id"])
    op.create_table(
        "sale_cancellation_refunds",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column(
            "cancellation_id",
            sa.String(length=36),
            sa.ForeignKey("sale_cancellations.id"),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
    )
    op.create_index(
        "ix_sale_cancellation_refunds_cancellation_id",
        "sale_cancellation_refunds",
        ["cancellation_id"],
    )


def downgrade() -> None:
    op.drop_index(
        "ix_sale_cancellation_refunds_cancellation_id", table_name="sale_cancellation_refunds"
    )
    op.drop_table("sale_cancellation_refunds")
    op.drop_index("ix_sale_cancellations_till_id", table_name="sale_cancellations")
    op.drop_table("sale_cancellations")
