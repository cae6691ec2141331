"""Returns: returns, their lines and their refunds (issue 7).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "returns",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("register_code", sa.String(10), nullable=False),
        sa.Column("return_number", sa.String(40), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("original_kind", sa.String(10), nullable=False),
        sa.Column("original_reference", sa.String(40), nullable=False),
        sa.Column("original_id", sa.String(36), nullable=False),
        sa.Column("checked", sa.Boolean(), nullable=False),
        sa.Column("total_cents", sa.BigInteger(), nullable=False),
        sa.Column("tax_cents", sa.BigInteger(), nullable=False),
        sa.Column("conflict", sa.String(40), nullable=True),
        sa.Column("completed_at", _utc(), nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_returns"),
        sa.ForeignKeyConstraint(
            ["store_code"], ["stores.code"], name="fk_returns_store_code_stores"
        ),
        sa.ForeignKeyConstraint(["device_id"], ["devices.id"], name="fk_returns_device_id_devices"),
        sa.UniqueConstraint(
            "store_code", "return_number", name="uq_returns_store_code_return_number"
        ),
    )
    op.create_index(
        "ix_returns_original_kind_original_reference",
        "returns",
        ["original_kind", "original_reference"],
    )
    op.create_index("ix_returns_store_code_completed_at", "returns", ["store_code", "completed_at"])
    op.create_table(
        "return_lines",
        sa.Column("return_id", sa.String(36), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("original_line_no", sa.Integer(), nullable=True),
        sa.Column("product_id", sa.String(36), nullable=False),
        sa.Column("sku", sa.String(40), nullable=False),
        sa.Column("quantity_milli", sa.BigInteger(), nullable=False),
        sa.Column("unit_refund_cents", sa.BigInteger(), nullable=False),
        sa.Column("refund_cents", sa.BigInteger(), nullable=False),
        sa.Column("tax_class", sa.String(20), nullable=False),
        sa.Column("tax_rate", sa.String(10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("disposition", sa.String(10), nullable=False),
        sa.PrimaryKeyConstraint("return_id", "line_no", name="pk_return_lines"),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.id"], name="fk_return_lines_return_id_returns"
        ),
    )
    op.create_table(
        "return_refunds",
        sa.Column("return_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("refund_id", sa.String(36), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("return_id", "position", name="pk_return_refunds"),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.id"], name="fk_return_refunds_return_id_returns"
        ),
    )


def downgrade() -> None:
    op.drop_table("return_refunds")
    op.drop_table("return_lines")
    op.drop_index("ix_returns_store_code_completed_at", table_name="returns")
    op.drop_index("ix_returns_original_kind_original_reference", table_name="returns")
    op.drop_table("returns")
