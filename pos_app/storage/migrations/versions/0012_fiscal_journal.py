"""The register's fiscal journal (VERI*FACTU, issue 8): one row per billing record (F1, F2, F3,
R5) and Z close, chained by their hashes. Records are never edited or deleted: the database
itself refuses (triggers).

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "fiscal_records",
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("store_code", sa.String(length=10), nullable=False),
        sa.Column("register_code", sa.String(length=10), nullable=False),
        sa.Column("chain_seq", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=10), nullable=False),
        sa.Column("invoice_type", sa.String(length=2)),
        sa.Column("issuer_tax_id", sa.String(length=20), nullable=False),
        sa.Column("series_number", sa.String(length=60), nullable=False),
        sa.Column("issue_date", sa.String(length=10), nullable=False),
        sa.Column("tax_total", sa.String(length=20), nullable=False),
        sa.Column("amount_total", sa.String(length=20), nullable=False),
        sa.Column("previous_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("generated_at", sa.String(length=25), nullable=False),
        sa.Column("journal_previous", sa.String(length=64), nullable=False),
        sa.Column("journal_hash", sa.String(length=64), nullable=False),
        sa.Column("source_kind", sa.String(length=12), nullable=False),
        sa.Column("source_id", sa.String(length=36), nullable=False),
        sa.Column("rectified", sa.Text(), nullable=False),  # JSON list
        sa.Column("replaced", sa.Text(), nullable=False),  # JSON list
        sa.Column("recipient_tax_id", sa.String(length=20), nullable=False),
        sa.Column("recipient_name", sa.Text(), nullable=False),
        # The full invoice's recipient address (JSON list): printed, not in the record.
        sa.Column("recipient_address", sa.Text(), nullable=False, server_default="[]"),
        sa.PrimaryKeyConstraint("record_id"),
    )
    op.create_index("ix_fiscal_records_chain_seq", "fiscal_records", ["chain_seq"], unique=True)
    op.create_index("ix_fiscal_records_source", "fiscal_records", ["source_kind", "source_id"])
    op.execute(
        "CREATE TRIGGER fiscal_records_no_update BEFORE UPDATE ON fiscal_records "
        "BEGIN SELECT RAISE(ABORT, 'fiscal records are never edited'); END"
    )
    op.execute(
        "CREATE TRIGGER fiscal_records_no_delete BEFORE DELETE ON fiscal_records "
        "BEGIN SELECT RAISE(ABORT, 'fiscal records are never deleted'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS fiscal_records_no_delete")
    op.execute("DROP TRIGGER IF EXISTS fiscal_records_no_update")
    op.drop_index("ix_fiscal_records_source", table_name="fiscal_records")
    op.drop_index("ix_fiscal_records_chain_seq", table_name="fiscal_records")
    op.drop_table("fiscal_records")
