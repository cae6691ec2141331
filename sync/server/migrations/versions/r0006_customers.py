"""One customer for every channel: customers, their stores, suspected duplicates, and the
customer of sales, pickup orders and returns (issue 7).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

_BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_NAMED = ("sales", "pickup_orders", "returns")  # the tables that gain customer_id


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "customers",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("loyalty_card", sa.String(40), nullable=False),
        sa.Column("tax_id", sa.String(20), nullable=False),
        sa.Column("privacy_consent", sa.Boolean(), nullable=False),
        sa.Column("marketing_consent", sa.Boolean(), nullable=False),
        sa.Column("consent_at", _utc(), nullable=True),
        sa.Column("consent_where", sa.String(40), nullable=False),
        sa.Column("phone_norm", sa.String(40), nullable=False),
        sa.Column("email_norm", sa.String(200), nullable=False),
        sa.Column("name_norm", sa.Text(), nullable=False),
        sa.Column("card_norm", sa.String(40), nullable=False),
        sa.Column("stamps", sa.Text(), nullable=False),
        sa.Column("created_where", sa.String(40), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.Column("erased_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_customers"),
    )
    for column in ("phone_norm", "email_norm", "card_norm"):
        op.create_index(f"ix_customers_{column}", "customers", [column])
    op.create_table(
        "customer_stores",
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("reason", sa.String(20), nullable=False),
        sa.Column("linked_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", "store_code", name="pk_customer_stores"),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customers.id"], name="fk_customer_stores_customer_id_customers"
        ),
        sa.ForeignKeyConstraint(
            ["store_code"], ["stores.code"], name="fk_customer_stores_store_code_stores"
        ),
    )
    op.create_index("ix_customer_stores_store_code", "customer_stores", ["store_code"])
    op.create_table(
        "customer_duplicates",
        sa.Column("id", _BigId, nullable=False, autoincrement=True),
        sa.Column("customer_id", sa.String(36), nullable=False),
        sa.Column("other_id", sa.String(36), nullable=False),
        sa.Column("reason", sa.String(10), nullable=False),
        sa.Column("flagged_at", _utc(), nullable=False),
        sa.Column("resolved_at", _utc(), nullable=True),
        sa.Column("resolution", sa.String(20), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_customer_duplicates"),
        sa.UniqueConstraint(
            "customer_id",
            "other_id",
            "reason",
            name="uq_customer_duplicates_customer_id_other_id_reason",
        ),
    )
    op.create_index("ix_customer_duplicates_customer_id", "customer_duplicates", ["customer_id"])
    op.create_index("ix_customer_duplicates_other_id", "customer_duplicates", ["other_id"])
    for table in _NAMED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("customer_id", sa.String(36), nullable=True))
        op.create_index(f"ix_{table}_customer_id", table, ["customer_id"])


def downgrade() -> None:
    for table in _NAMED:
        op.drop_index(f"ix_{table}_customer_id", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("customer_id")
    op.drop_index("ix_customer_duplicates_other_id", table_name="customer_duplicates")
    op.drop_index("ix_customer_duplicates_customer_id", table_name="customer_duplicates")
    op.drop_table("customer_duplicates")
    op.drop_index("ix_customer_stores_store_code", table_name="customer_stores")
    op.drop_table("customer_stores")
    for column in ("phone_norm", "email_norm", "card_norm"):
        op.drop_index(f"ix_customers_{column}", table_name="customers")
    op.drop_table("customers")
