"""Store credit: vouchers and their movements (issue 7).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

_BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "vouchers",
        sa.Column("code", sa.String(200), nullable=False),
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("return_id", sa.String(36), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("issued_cents", sa.BigInteger(), nullable=False),
        sa.Column("balance_cents", sa.BigInteger(), nullable=False),
        sa.Column("issued_at", _utc(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default="1"),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_vouchers"),
        sa.ForeignKeyConstraint(
            ["store_code"], ["stores.code"], name="fk_vouchers_store_code_stores"
        ),
        sa.ForeignKeyConstraint(
            ["return_id"], ["returns.id"], name="fk_vouchers_return_id_returns"
        ),
    )
    op.create_index("ix_vouchers_store_code_issued_at", "vouchers", ["store_code", "issued_at"])
    op.create_table(
        "voucher_movements",
        sa.Column("id", _BigId, nullable=False, autoincrement=True),
        sa.Column("code", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=True),
        sa.Column("event_id", sa.Text(), nullable=True),
        sa.Column("sale_id", sa.String(36), nullable=True),
        sa.Column("return_id", sa.String(36), nullable=True),
        sa.Column("conflict", sa.String(40), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_voucher_movements"),
        sa.ForeignKeyConstraint(
            ["store_code"], ["stores.code"], name="fk_voucher_movements_store_code_stores"
        ),
    )
    op.create_index("ix_voucher_movements_code", "voucher_movements", ["code"])


def downgrade() -> None:
    op.drop_index("ix_voucher_movements_code", table_name="voucher_movements")
    op.drop_table("voucher_movements")
    op.drop_index("ix_vouchers_store_code_issued_at", table_name="vouchers")
    op.drop_table("vouchers")
