"""Staff, policies and PIN failures: sign-in with a PIN and manager overrides.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("staff_id", sa.String(length=36), nullable=False),
        sa.Column("store_code", sa.String(length=10), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("pin_hash", sa.Text(), nullable=True),
        sa.Column("active", sa.Integer(), server_default="1", nullable=False),
        sa.PrimaryKeyConstraint("staff_id"),
    )
    op.create_table(
        "policies",
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "pin_failures",
        sa.Column("staff_id", sa.String(length=36), nullable=False),
        sa.Column("failures", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("staff_id"),
    )


def downgrade() -> None:
    op.drop_table("pin_failures")
    op.drop_table("policies")
    op.drop_table("staff")
