"""Returns: rectifying tickets in their own series, their lines, refunds and print log.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-16
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
        "returns",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("return_number", sa.String(length=40), nullable=False),
        sa.Column("return_year", sa.Integer(), nullable=False),
        sa.Column("return_seq", sa.Integer(), nullable=False),
        sa.Column("store_code", sa.String(length=10), nullable=False),
        sa.Column("register_code", sa.String(length=10), nullable=False),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("completed_at", sa.String(length=32), nullable=False),
        sa.Column("completed_utc", sa.String(length=32), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("original_kind", sa.String(length=10), nullable=False),
        sa.Column("original_reference", sa.String(length=40), nullable=False),
        sa.Column("original_id", sa.String(length=36), nullable=False),
        sa.Column("original_store_code", sa.String(length=10), nullable=False),
        sa.Column("checked", sa.Integer(), nullable=False),
        sa.Column("total_cents", sa.Integer(), nullable=False),
        sa.Column("tax_cents", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("return_number"),
    )
    op.create_index("ix_returns_original_reference", "returns", ["original_reference"])
    op.create_table(
        "return_lines",
        sa.Column("return_id", sa.String(length=36), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("original_line_no", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.String(length=36), nullable=False),
        sa.Column("sku", sa.String(length=40), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("measure", sa.String(length=10), nullable=False),
        sa.Column("quantity_milli", sa.Integer(), nullable=False),
        sa.Column("unit_refund_cents", sa.Integer(), nullable=False),
        sa.Column("refund_cents", sa.Integer(), nullable=False),
        sa.Column("tax_class", sa.String(length=20), nullable=False),
        sa.Column("tax_rate", sa.String(length=10), nullable=False),
        sa.Column("base_cents", sa.Integer(), nullable=False),
        sa.Column("tax_cents", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("disposition", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["return_id"], ["returns.id"]),
        sa.PrimaryKeyConstraint("return_id", "line_no"),
    )
    op.create_table(
        "return_refunds",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("return_id", sa.String(length=36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["return_id"], ["returns.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_return_refunds_return_id", "return_refunds", ["return_id"])
    op.create_table(
        "return_prints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_id", sa.String(length=36), nullable=False),
        sa.Column("printed_at", sa.String(length=32), nullable=False),
        sa.Column("copy", sa.Integer(), nullable=False),
        sa.Column("ok", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("maybe_printed", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(["return_id"], ["returns.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_return_prints_return_id", "return_prints", ["return_id"])


def downgrade() -> None:
    op.drop_index("ix_return_prints_return_id", table_name="return_prints")
    op.drop_table("return_prints")
    op.drop_index("ix_return_refunds_return_id", table_name="return_refunds")
    op.drop_table("return_refunds")
    op.drop_table("return_lines")
    op.drop_index("ix_returns_original_reference", table_name="returns")
    op.drop_table("returns")
