"""The till and the fiscal records (issue 8): every register's journal of billing records and
Z closes (never edited nor deleted: triggers refuse it), where each register's chain stands,
the queue of records to send to the tax agency, till sessions, cash movements, drawer
openings, Z closes, and the till of sales and returns.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TILLED = ("sales", "returns")  # the tables that gain till_id

_REFUSAL = "fiscal records are never edited nor deleted"

_SQLITE_TRIGGERS = tuple(
    f"CREATE TRIGGER fiscal_records_no_{what.lower()} BEFORE {what} ON fiscal_records "
    f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END"
    for what in ("UPDATE", "DELETE")
)

_PG_FUNCTION = f"""
CREATE FUNCTION fiscal_records_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '{_REFUSAL}';
END
$$
"""

_PG_TRIGGER = (
    "CREATE TRIGGER fiscal_records_no_change BEFORE UPDATE OR DELETE ON fiscal_records "
    "FOR EACH ROW EXECUTE FUNCTION fiscal_records_refuse()"
)


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    referred = target.split(".")[0]
    return sa.ForeignKeyConstraint([column], [target], name=f"fk_{table}_{column}_{referred}")


def _where(table: str) -> list[Any]:
    """store_code, device_id (with their keys) and register_code."""
    return [
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("register_code", sa.String(10), nullable=False),
        _fk(table, "store_code", "stores.code"),
        _fk(table, "device_id", "devices.id"),
    ]


def upgrade() -> None:
    op.create_table(
        "fiscal_records",
        sa.Column("id", sa.String(36), nullable=False),
        *_where("fiscal_records"),
        sa.Column("chain_seq", sa.BigInteger(), nullable=False),
        sa.Column("record_type", sa.String(10), nullable=False),
        sa.Column("invoice_type", sa.String(2), nullable=True),
        sa.Column("issuer_tax_id", sa.String(20), nullable=False),
        sa.Column("series_number", sa.String(60), nullable=False),
        sa.Column("issue_date", sa.String(10), nullable=False),
        sa.Column("tax_total", sa.String(20), nullable=False),
        sa.Column("amount_total", sa.String(20), nullable=False),
        sa.Column("previous_fingerprint", sa.String(64), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.Column("generated_at", sa.String(25), nullable=False),
        sa.Column("journal_previous", sa.String(64), nullable=False),
        sa.Column("journal_hash", sa.String(64), nullable=False),
        sa.Column("source_kind", sa.String(12), nullable=False),
        sa.Column("source_id", sa.String(36), nullable=False),
        sa.Column("rectified", sa.Text(), nullable=False),
        sa.Column("replaced", sa.Text(), nullable=False),
        sa.Column("recipient_tax_id", sa.String(20), nullable=False),
        sa.Column("recipient_name", sa.String(120), nullable=False),
        sa.Column("conflict", sa.String(40), nullable=True),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_fiscal_records"),
        sa.UniqueConstraint("device_id", "chain_seq", name="uq_fiscal_records_device_id_chain_seq"),
    )
    op.create_index(
        "ix_fiscal_records_store_code_register_code_chain_seq",
        "fiscal_records",
        ["store_code", "register_code", "chain_seq"],
    )
    op.create_table(
        "fiscal_chains",
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("last_chain_seq", sa.BigInteger(), nullable=False),
        sa.Column("last_journal_hash", sa.String(64), nullable=False),
        sa.Column("last_fingerprint", sa.String(64), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", name="pk_fiscal_chains"),
        _fk("fiscal_chains", "device_id", "devices.id"),
    )
    op.create_table(
        "fiscal_send_queue",
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("queued_at", _utc(), nullable=False),
        sa.Column("next_attempt_at", _utc(), nullable=False),
        sa.Column("sent_at", _utc(), nullable=True),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name="pk_fiscal_send_queue"),
        sa.ForeignKeyConstraint(
            ["record_id"],
            ["fiscal_records.id"],
            name="fk_fiscal_send_queue_record_id_fiscal_records",
        ),
    )
    op.create_index(
        "ix_fiscal_send_queue_state_next_attempt_at",
        "fiscal_send_queue",
        ["state", "next_attempt_at"],
    )
    op.create_table(
        "till_sessions",
        sa.Column("id", sa.String(36), nullable=False),
        *_where("till_sessions"),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("opened_at", _utc(), nullable=False),
        sa.Column("float_cents", sa.BigInteger(), nullable=False),
        sa.Column("counted", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_till_sessions"),
    )
    op.create_index(
        "ix_till_sessions_store_code_opened_at", "till_sessions", ["store_code", "opened_at"]
    )
    op.create_table(
        "till_cash_movements",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("till_id", sa.String(36), nullable=False),
        *_where("till_cash_movements"),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("kind", sa.String(3), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("approved_by", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_till_cash_movements"),
    )
    op.create_index("ix_till_cash_movements_till_id", "till_cash_movements", ["till_id"])
    op.create_table(
        "drawer_openings",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("till_id", sa.String(36), nullable=True),
        *_where("drawer_openings"),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("opened", sa.Boolean(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_drawer_openings"),
    )
    op.create_index("ix_drawer_openings_till_id", "drawer_openings", ["till_id"])
    op.create_table(
        "till_closes",
        sa.Column("till_id", sa.String(36), nullable=False),
        sa.Column("z_number", sa.String(40), nullable=False),
        *_where("till_closes"),
        sa.Column("cashier", sa.Text(), nullable=False),
        sa.Column("opened_at", _utc(), nullable=False),
        sa.Column("closed_at", _utc(), nullable=False),
        *(
            sa.Column(name, sa.BigInteger(), nullable=False)
            for name in (
                "float_cents",
                "cash_in_cents",
                "cash_out_cents",
                "expected_cash_cents",
                "counted_cash_cents",
                "difference_cents",
            )
        ),
        sa.Column("sales_count", sa.Integer(), nullable=False),
        sa.Column("sales_total_cents", sa.BigInteger(), nullable=False),
        sa.Column("returns_count", sa.Integer(), nullable=False),
        sa.Column("returns_total_cents", sa.BigInteger(), nullable=False),
        sa.Column("discounts_cents", sa.BigInteger(), nullable=False),
        sa.Column("abandoned_count", sa.Integer(), nullable=False),
        sa.Column("abandoned_total_cents", sa.BigInteger(), nullable=False),
        sa.Column("drawer_openings", sa.Integer(), nullable=False),
        sa.Column("first_number", sa.String(40), nullable=False),
        sa.Column("last_number", sa.String(40), nullable=False),
        sa.Column("journal_record_id", sa.String(36), nullable=False),
        sa.Column("mismatch", sa.Text(), nullable=True),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("till_id", name="pk_till_closes"),
    )
    op.create_index(
        "ix_till_closes_store_code_closed_at", "till_closes", ["store_code", "closed_at"]
    )
    for table in _TILLED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("till_id", sa.String(36), nullable=True))
        op.create_index(f"ix_{table}_till_id", table, ["till_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(_PG_TRIGGER)
    else:
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS fiscal_records_no_change ON fiscal_records")
        op.execute("DROP FUNCTION IF EXISTS fiscal_records_refuse()")
    else:
        for what in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS fiscal_records_no_{what}")
    for table in _TILLED:
        op.drop_index(f"ix_{table}_till_id", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("till_id")
    op.drop_index("ix_till_closes_store_code_closed_at", table_name="till_closes")
    op.drop_table("till_closes")
    op.drop_index("ix_drawer_openings_till_id", table_name="drawer_openings")
    op.drop_table("drawer_openings")
    op.drop_index("ix_till_cash_movements_till_id", table_name="till_cash_movements")
    op.drop_table("till_cash_movements")
    op.drop_index("ix_till_sessions_store_code_opened_at", table_name="till_sessions")
    op.drop_table("till_sessions")
    op.drop_index("ix_fiscal_send_queue_state_next_attempt_at", table_name="fiscal_send_queue")
    op.drop_table("fiscal_send_queue")
    op.drop_table("fiscal_chains")
    op.drop_index(
        "ix_fiscal_records_store_code_register_code_chain_seq", table_name="fiscal_records"
    )
    op.drop_table("fiscal_records")
