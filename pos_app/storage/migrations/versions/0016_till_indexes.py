"""Indexes on the till of sales, returns, voided sales and drawer openings (issue 8): the X
report and the Z close read a session's rows by ``till_id``; without an index each read scans
every sale the register ever made, which grows by the year.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TILLED = ("sales", "returns", "abandoned_sales", "drawer_openings")


def upgrade() -> None:
    for table in _TILLED:
        op.create_index(f"ix_{table}_till_id", table, ["till_id"])


def downgrade() -> None:
    for table in _TILLED:
        op.drop_index(f"ix_{table}_till_id", table_name=table)
