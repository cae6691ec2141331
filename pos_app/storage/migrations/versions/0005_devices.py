"""Devices: the drawer log, and whether a failed print may still have reached the paper.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("receipt_prints") as batch:
        batch.add_column(
            sa.Column("maybe_printed", sa.Integer(), server_default="0", nullable=False)
        )
    op.create_table(
        "drawer_openings",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("opened_at", sa.String(length=32), nullable=False),
        sa.Column("opened_utc", sa.String(length=32), nullable=False),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("sale_id", sa.String(length=36), nullable=True),
        sa.Column("ok", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_drawer_openings_opened_utc", "drawer_openings", ["opened_utc"])


def downgrade() -> None:
    op.drop_index("ix_drawer_openings_opened_utc", table_name="drawer_openings")
    op.drop_table("drawer_openings")
    with op.batch_alter_table("receipt_prints") as batch:
        batch.drop_column("maybe_printed")
