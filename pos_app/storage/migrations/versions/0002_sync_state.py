"""Sync state of the register (device, cursor, last success) and the needs-attention list.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("device_id", sa.String(length=36), nullable=True),
        sa.Column("backend_url", sa.Text(), nullable=True),
        sa.Column("register_name", sa.Text(), nullable=True),
        sa.Column("cursor", sa.Text(), server_default="0", nullable=False),
        sa.Column("enrolled_at", sa.String(length=32), nullable=True),
        sa.Column("last_push_at", sa.String(length=32), nullable=True),
        sa.Column("last_pull_at", sa.String(length=32), nullable=True),
        sa.Column("last_success_at", sa.String(length=32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "attention_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=True),
        sa.Column("event_id", sa.String(length=36), nullable=True),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("resolved_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    # The sale a stock movement belongs to is how an acknowledged push marks it synced.
    with op.batch_alter_table("stock_movements") as batch_op:
        batch_op.create_index("ix_stock_movements_reference", ["reference"])


def downgrade() -> None:
    with op.batch_alter_table("stock_movements") as batch_op:
        batch_op.drop_index("ix_stock_movements_reference")
    op.drop_table("attention_items")
    op.drop_table("sync_state")
