"""Staff at the registers: policies (staff limits), the audit log; existing staff and the
default limits published to the change log.

A database made before this revision has staff that registers never pulled, and no limits. So
this revision writes, through the change counter as every writer does, a ``staff`` change for
every person, and, when there are stores (a register may be enrolled), the default
``staff_limits`` policy. On a new database there is nothing to publish: the first store's
creation writes the default limits (``services/policies.py``).

The data written here is a snapshot of ``StaffData`` and of the ``StaffLimits`` defaults as
they were at this revision, on purpose: a migration must not change with later code.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-08
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DEFAULT_STAFF_LIMITS: dict[str, Any] = {
    "max_discount_percent": "10",
    "max_discount_cents": 1000,
    "max_refund_cents": 5000,
    "void_needs_manager": True,
    "drawer_needs_manager": True,
    "refund_without_receipt_needs_manager": True,
    "price_edit_needs_manager": True,
    "pin_attempts": 5,
    "lockout_minutes": 5,
}


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def _dumps(document: Any) -> str:
    # As services/_sql.dumps: compact, keys sorted, UTF-8 kept.
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def upgrade() -> None:
    policies = op.create_table(
        "policies",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_policies"),
    )
    op.create_table(
        "audit_log",
        sa.Column("store_code", sa.String(10), nullable=False),
        sa.Column("register_code", sa.String(10), nullable=False),
        sa.Column("audit_id", sa.String(36), nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("at", _utc(), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("action", sa.String(30), nullable=False),
        sa.Column("staff_id", sa.String(36), nullable=False),
        sa.Column("staff_name", sa.Text(), nullable=False),
        sa.Column("approver_id", sa.String(36), nullable=False),
        sa.Column("approver_name", sa.Text(), nullable=False),
        sa.Column("reference", sa.String(60), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("received_at", _utc(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("store_code", "register_code", "audit_id", name="pk_audit_log"),
        sa.ForeignKeyConstraint(
            ["store_code"], ["stores.code"], name="fk_audit_log_store_code_stores"
        ),
        sa.ForeignKeyConstraint(
            ["device_id"], ["devices.id"], name="fk_audit_log_device_id_devices"
        ),
    )
    op.create_index("ix_audit_log_store_code_at", "audit_log", ["store_code", "at"])
    _publish_existing(policies)


def _publish_existing(policies: sa.Table) -> None:
    conn = op.get_bind()
    now = datetime.now(UTC)
    staff = sa.table(
        "staff",
        sa.column("id", sa.String()),
        sa.column("store_code", sa.String()),
        sa.column("name", sa.String()),
        sa.column("role", sa.String()),
        sa.column("pin_hash", sa.Text()),
        sa.column("active", sa.Boolean()),
    )
    stores = sa.table("stores", sa.column("code", sa.String()))
    changes: list[tuple[str, str, str, dict[str, Any]]] = []  # entity, key, scope, data
    if conn.execute(sa.select(stores.c.code).limit(1)).first() is not None:
        conn.execute(
            sa.insert(policies).values(
                name="staff_limits",
                data=_dumps(_DEFAULT_STAFF_LIMITS),
                # SQLite keeps naive UTC text (as tables.UtcDateTime does).
                updated_at=now if conn.dialect.name == "postgresql" else now.replace(tzinfo=None),
            )
        )
        changes.append(("policy", "staff_limits", "", _DEFAULT_STAFF_LIMITS))
    for row in conn.execute(sa.select(staff).order_by(staff.c.store_code, staff.c.name)):
        data = {
            "staff_id": row.id,
            "store_code": row.store_code,
            "name": row.name,
            "role": row.role,
            "pin_hash": row.pin_hash,
            "active": bool(row.active),
        }
        changes.append(("staff", row.id, row.store_code, data))
    if not changes:
        return
    counter = sa.table("change_counter", sa.column("id", sa.Integer()), sa.column("value"))
    top = conn.execute(
        sa.update(counter)
        .where(counter.c.id == 1)
        .values(value=counter.c.value + len(changes))
        .returning(counter.c.value)
    ).scalar_one()
    first = int(top) - len(changes) + 1
    change_log = sa.table(
        "change_log",
        sa.column("seq", sa.BigInteger()),
        sa.column("entity", sa.String()),
        sa.column("op", sa.String()),
        sa.column("key", sa.String()),
        sa.column("scope", sa.String()),
        sa.column("data", sa.Text()),
        sa.column("changed_at", _utc()),
    )
    stamp = now if conn.dialect.name == "postgresql" else now.replace(tzinfo=None)
    conn.execute(
        sa.insert(change_log),
        [
            {
                "seq": first + i,
                "entity": entity,
                "op": "upsert",
                "key": key,
                "scope": scope,
                "data": _dumps(data),
                "changed_at": stamp,
            }
            for i, (entity, key, scope, data) in enumerate(changes)
        ],
    )


def downgrade() -> None:
    op.drop_index("ix_audit_log_store_code_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("policies")
