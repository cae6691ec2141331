"""The store's staff, the policies and the PIN failures counted at this register."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, select

from pos_app.domain.permissions import Role, StaffLimits
from pos_app.services.ports import PinFailures, StaffMember
from pos_app.storage import tables as t
from sync.protocol import RETURN_POLICY, Change, ReturnPolicy

STAFF_LIMITS = "staff_limits"
log = logging.getLogger(__name__)


def _member(row: Any) -> StaffMember:
    try:
        role = Role(row.role)
    except ValueError:
        role = Role.CASHIER  # a role this build does not know gets the least it could mean
    return StaffMember(
        staff_id=row.staff_id,
        store_code=row.store_code,
        name=row.name,
        role=role,
        pin_hash=row.pin_hash,
        active=bool(row.active),
    )


class SqlStaffRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def list(self, *, active_only: bool = True) -> list[StaffMember]:
        query = select(t.staff).order_by(t.staff.c.name, t.staff.c.staff_id)
        if active_only:
            query = query.where(t.staff.c.active == 1)
        return [_member(row) for row in self._conn.execute(query)]

    def get(self, staff_id: str) -> StaffMember | None:
        row = self._conn.execute(select(t.staff).where(t.staff.c.staff_id == staff_id)).first()
        return None if row is None else _member(row)

    def count(self) -> int:
        return int(self._conn.execute(select(func.count()).select_from(t.staff)).scalar_one())

    def limits(self) -> StaffLimits:
        data = self._conn.execute(
            select(t.policies.c.data).where(t.policies.c.name == STAFF_LIMITS)
        ).scalar_one_or_none()
        if data is None:
            return StaffLimits()
        try:
            plain = json.loads(data)
        except ValueError:
            return StaffLimits()
        return StaffLimits.from_plain(plain if isinstance(plain, dict) else {})

    def return_policy(self) -> ReturnPolicy:
        """The ``return_policy`` pulled from the backend (its defaults before the first one)."""
        data = self._conn.execute(
            select(t.policies.c.data).where(t.policies.c.name == RETURN_POLICY)
        ).scalar_one_or_none()
        if data is None:
            return ReturnPolicy()
        try:
            return ReturnPolicy.model_validate_json(data)
        except ValueError:
            log.warning("the stored return policy is unreadable: its defaults apply")
            return ReturnPolicy()

    def failures(self, staff_id: str) -> PinFailures:
        row = self._conn.execute(
            select(t.pin_failures).where(t.pin_failures.c.staff_id == staff_id)
        ).first()
        if row is None:
            return PinFailures()
        until = datetime.fromisoformat(row.locked_until) if row.locked_until else None
        return PinFailures(int(row.failures), until)

    def set_failures(self, staff_id: str, failures: PinFailures) -> None:
        self._conn.execute(delete(t.pin_failures).where(t.pin_failures.c.staff_id == staff_id))
        if failures.failures or failures.locked_until is not None:
            until = failures.locked_until
            self._conn.execute(
                t.pin_failures.insert().values(
                    staff_id=staff_id,
                    failures=failures.failures,
                    locked_until=until.isoformat() if until is not None else None,
                )
            )


# --- pulled changes (called by change_apply, on the caller's transaction) -------------------

_UPSERT_STAFF = (
    "INSERT INTO staff (staff_id, store_code, name, role, pin_hash, active) "
    "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (staff_id) DO UPDATE SET "
    "store_code = excluded.store_code, name = excluded.name, role = excluded.role, "
    "pin_hash = excluded.pin_hash, active = excluded.active"
)
_UPSERT_POLICY = (
    "INSERT INTO policies (name, data) VALUES (?, ?) "
    "ON CONFLICT (name) DO UPDATE SET data = excluded.data"
)


def upsert_staff(conn: Connection, changes: Sequence[Change]) -> None:
    conn.exec_driver_sql(
        _UPSERT_STAFF,
        [
            (
                c.key,
                str(c.data.get("store_code", "")),
                str(c.data.get("name", c.key)),
                str(c.data.get("role", Role.CASHIER.value)),
                c.data.get("pin_hash"),
                1 if c.data.get("active", True) else 0,
            )
            for c in changes
        ],
    )


def deactivate_staff(conn: Connection, changes: Sequence[Change]) -> None:
    # Kept for the names on past records; their PIN no longer opens anything.
    conn.exec_driver_sql(
        "UPDATE staff SET active = 0, pin_hash = NULL WHERE staff_id = ?",
        [(c.key,) for c in changes],
    )


def upsert_policies(conn: Connection, changes: Sequence[Change]) -> None:
    conn.exec_driver_sql(
        _UPSERT_POLICY,
        [(c.key, json.dumps(c.data, ensure_ascii=False, sort_keys=True)) for c in changes],
    )


def delete_policies(conn: Connection, changes: Sequence[Change]) -> None:
    conn.exec_driver_sql("DELETE FROM policies WHERE name = ?", [(c.key,) for c in changes])
