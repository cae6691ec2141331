"""The till (issue 8): till sessions from their counted float to their Z close, cash put in
and taken out, and the session each sale, return, abandoned sale and drawer opening fell in.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TAGGED = ("sales", "returns", "abandoned_sales", "drawer_openings")


def upgrade() -> None:
    op.create_table(
        "till_sessions",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("opened_at", sa.String(length=32), nullable=False),
        sa.Column("opened_utc", sa.String(length=32), nullable=False),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("float_cents", sa.Integer(), nullable=False),
        sa.Column("float_count", sa.Text(), nullable=False),
        sa.Column("closed_at", sa.String(length=32)),
        sa.Column("closed_by", sa.Text()),
        sa.Column("z_number", sa.String(length=40), unique=True),
        sa.Column("z_year", sa.Integer()),
        sa.Column("z_seq", sa.Integer()),
        sa.Column("counted_cents", sa.Integer()),
        sa.Column("counted", sa.Text()),
        sa.Column("expected_cents", sa.Integer()),
        sa.Column("difference_cents", sa.Integer()),
        sa.Column("report", sa.Text()),
    )
    op.create_index(
        "ux_till_sessions_one_open",
        "till_sessions",
        ["status"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "till_movements",
        sa.Column("id", sa.String(length=36), primary_key=True),
        sa.Column(
            "till_id", sa.String(length=36), sa.ForeignKey("till_sessions.id"), nullable=False
        ),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.Text(), nullable=False, server_default=""),
    )
    op.create_index("ix_till_movements_till_id", "till_movements", ["till_id"])
    for table in _TAGGED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("till_id", sa.String(length=36)))


def downgrade() -> None:
    for table in reversed(_TAGGED):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("till_id")
    op.drop_index("ix_till_movements_till_id", table_name="till_movements")
    op.drop_table("till_movements")
    op.drop_index("ux_till_sessions_one_open", table_name="till_sessions")
    op.drop_table("till_sessions")
