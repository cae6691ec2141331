"""Customers: the ones this register needs (its store's, and those looked up here), searchable
offline, and the customer attached to each sale.

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
    op.create_table(
        "customers",
        sa.Column("customer_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("loyalty_card", sa.String(length=40), nullable=False),
        sa.Column("tax_id", sa.String(length=20), nullable=False),
        sa.Column("privacy_consent", sa.Integer(), nullable=False),
        sa.Column("marketing_consent", sa.Integer(), nullable=False),
        sa.Column("consent_at", sa.String(length=32)),
        sa.Column("consent_where", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("created_where", sa.String(length=40), nullable=False),
        sa.Column("possible_duplicate", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.String(length=32), nullable=False),
        sa.Column("last_used_at", sa.String(length=32)),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("phone_digits", sa.String(length=40), nullable=False),
        sa.Column("email_norm", sa.String(length=200), nullable=False),
        sa.Column("card_norm", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("customer_id"),
    )
    op.create_index("ix_customers_phone_digits", "customers", ["phone_digits"])
    op.create_index("ix_customers_email_norm", "customers", ["email_norm"])
    op.create_index("ix_customers_card_norm", "customers", ["card_norm"])
    op.add_column("sales", sa.Column("customer_id", sa.String(length=36)))
    op.create_index("ix_sales_customer_id", "sales", ["customer_id"])


def downgrade() -> None:
    op.drop_index("ix_sales_customer_id", table_name="sales")
    with op.batch_alter_table("sales") as batch:
        batch.drop_column("customer_id")
    op.drop_index("ix_customers_card_norm", table_name="customers")
    op.drop_index("ix_customers_email_norm", table_name="customers")
    op.drop_index("ix_customers_phone_digits", table_name="customers")
    op.drop_table("customers")
