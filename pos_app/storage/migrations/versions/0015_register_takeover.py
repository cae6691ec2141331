"""Register takeover (issue 9): a replacement machine continues a register's series and journal.

``journal_anchor`` holds, for a register taken over from a broken machine, where the backend
said the register's journal stood: the first local record chains onto it (``chain_seq`` + 1,
its journal hash, the last billing huella), and ``journal verify`` starts from it. At most one
row, written once, never edited or deleted (like the journal itself). The receipt series go on
through ``receipt_series`` as before.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "journal_anchor",
        sa.Column("id", sa.Integer(), primary_key=True),  # always 1
        sa.Column("chain_seq", sa.Integer(), nullable=False),
        sa.Column("journal_hash", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("replaced_device_id", sa.String(length=36), nullable=False),
        sa.Column("taken_over_at", sa.String(length=32), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_journal_anchor_single"),
    )
    op.execute(
        "CREATE TRIGGER journal_anchor_no_update BEFORE UPDATE ON journal_anchor "
        "BEGIN SELECT RAISE(ABORT, 'the journal anchor is never edited'); END"
    )
    op.execute(
        "CREATE TRIGGER journal_anchor_no_delete BEFORE DELETE ON journal_anchor "
        "BEGIN SELECT RAISE(ABORT, 'the journal anchor is never deleted'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS journal_anchor_no_delete")
    op.execute("DROP TRIGGER IF EXISTS journal_anchor_no_update")
    op.drop_table("journal_anchor")
