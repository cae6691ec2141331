"""Register takeover (issue 9): enrolment codes that hand over an existing register.

A code made with ``enrollment-code --replace-register C01`` names the device it replaces; the
replacement is a new device with the same register code, and the old one is revoked. So a
register code is unique among the registers that are not revoked only (a partial unique index
instead of the unique constraint).

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ACTIVE = sa.text("revoked_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.add_column(sa.Column("replaces_device_id", sa.String(36), nullable=True))
    with op.batch_alter_table("devices") as batch:
        batch.drop_constraint("uq_devices_store_code_register_code", type_="unique")
    op.create_index(
        "ux_devices_active_register",
        "devices",
        ["store_code", "register_code"],
        unique=True,
        sqlite_where=_ACTIVE,
        postgresql_where=_ACTIVE,
    )


def downgrade() -> None:
    # Only possible while no register was taken over (two devices would share a code).
    op.drop_index("ux_devices_active_register", table_name="devices")
    with op.batch_alter_table("devices") as batch:
        batch.create_unique_constraint(
            "uq_devices_store_code_register_code", ["store_code", "register_code"]
        )
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.drop_column("replaces_device_id")
