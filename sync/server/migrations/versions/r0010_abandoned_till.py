"""The till of voided (abandoned) sales (issue 8): the backend counts a Z's voided sales from
the ones it holds for the same till.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("abandoned_sales") as batch:
        batch.add_column(sa.Column("till_id", sa.String(36), nullable=True))
    op.create_index("ix_abandoned_sales_till_id", "abandoned_sales", ["till_id"])


def downgrade() -> None:
    op.drop_index("ix_abandoned_sales_till_id", table_name="abandoned_sales")
    with op.batch_alter_table("abandoned_sales") as batch:
        batch.drop_column("till_id")
