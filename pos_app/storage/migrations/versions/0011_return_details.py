"""Returns keep what their event says: made with a gift receipt, the manager who approved it,
and the customer (their history shows the return, and erasure clears it).

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("returns") as batch:
        batch.add_column(
            sa.Column("gift_receipt", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(sa.Column("approved_by", sa.Text(), nullable=False, server_default=""))
        batch.add_column(sa.Column("customer_id", sa.String(length=36)))
    op.create_index("ix_returns_customer_id", "returns", ["customer_id"])


def downgrade() -> None:
    op.drop_index("ix_returns_customer_id", table_name="returns")
    with op.batch_alter_table("returns") as batch:
        batch.drop_column("customer_id")
        batch.drop_column("approved_by")
        batch.drop_column("gift_receipt")
