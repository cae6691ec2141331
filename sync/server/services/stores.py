"""Stores and their staff, as IT sets them up from the command line.

Every save of a store or of a person writes, in the same transaction and as its last step, the
change its registers pull: ``store`` (the identity) or ``staff`` (``StaffData`` with the PIN's
scrypt hash, never the PIN), scoped to the store. A store's creation also writes the default
``staff_limits`` policy when no limits were ever set (``policies.ensure_default_policies``), so
the first pull of any register brings limits.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, Row, insert, select, update

from pos_app.domain.ids import new_id
from sync.protocol import Entity, StaffData, StaffRole, StoreInfo
from sync.server.core.security import check_pin, hash_pin
from sync.server.errors import CommandError, NotFound
from sync.server.services._sql import utcnow
from sync.server.services.changelog import ChangeEntry, record_changes
from sync.server.services.policies import ensure_default_policies
from sync.server.tables import staff, stores

log = logging.getLogger(__name__)

_CODE = re.compile(r"^[A-Z0-9]{1,10}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
ROLES = tuple(role.value for role in StaffRole)  # cashier, clerk, manager


@dataclass(frozen=True, slots=True)
class StoreSpec:
    code: str
    name: str
    tax_id: str
    address: Sequence[str]
    currency: str = "EUR"
    timezone: str = "Europe/Madrid"

    def checked(self) -> StoreSpec:
        code = self.code.strip().upper()
        if not _CODE.match(code):
            raise CommandError(f"a store code is 1-10 letters or digits (like T01), not {code!r}")
        name = self.name.strip()
        if not name or len(name) > 120:
            raise CommandError("a store needs a name of 1 to 120 characters")
        tax_id = self.tax_id.strip().upper()
        if not tax_id or len(tax_id) > 20:
            raise CommandError("a store needs a tax id (NIF/CIF) of at most 20 characters")
        address = [line.strip() for line in self.address if line.strip()]
        if not address:
            raise CommandError("a store needs at least one address line (--address)")
        currency = self.currency.strip().upper()
        if not _CURRENCY.match(currency):
            raise CommandError(f"a currency is three letters (like EUR), not {currency!r}")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise CommandError(f"unknown time zone {self.timezone!r}") from exc
        return StoreSpec(code, name, tax_id, tuple(address), currency, self.timezone)


def store_info(conn: Connection, code: str) -> StoreInfo:
    row = conn.execute(select(stores).where(stores.c.code == code)).first()
    if row is None:
        raise NotFound(f"no store {code!r}")
    return StoreInfo(
        code=row.code,
        name=row.name,
        tax_id=row.tax_id,
        address=list(json.loads(row.address)),
        currency=row.currency,
        timezone=row.timezone,
    )


def save_store(conn: Connection, spec: StoreSpec, *, now: datetime | None = None) -> bool:
    """Create the store, or update it if its code exists; its registers pull the new identity.

    Returns True when it was created.
    """
    spec = spec.checked()
    now = now or utcnow()
    values = {
        "name": spec.name,
        "tax_id": spec.tax_id,
        "address": json.dumps(list(spec.address), ensure_ascii=False),
        "currency": spec.currency,
        "timezone": spec.timezone,
        "updated_at": now,
    }
    exists = conn.execute(
        select(stores.c.code).where(stores.c.code == spec.code).with_for_update()
    ).first()
    if exists:
        conn.execute(update(stores).where(stores.c.code == spec.code).values(**values))
    else:
        conn.execute(insert(stores).values(code=spec.code, created_at=now, **values))
    info = store_info(conn, spec.code)
    entries = [ChangeEntry(Entity.STORE, spec.code, info.model_dump(mode="json"), scope=spec.code)]
    entries.extend(ensure_default_policies(conn, now=now))
    record_changes(conn, entries, now=now)
    log.info("store %s %s", spec.code, "updated" if exists else "created")
    return not exists


def require_store(conn: Connection, code: str) -> str:
    code = code.strip().upper()
    if conn.execute(select(stores.c.code).where(stores.c.code == code)).first() is None:
        raise CommandError(f"no store {code!r} (create it with create-store)")
    return code


def save_staff(
    conn: Connection,
    *,
    store_code: str,
    name: str,
    role: str,
    pin: str | None,
    now: datetime | None = None,
) -> bool:
    """Add a person to a store's staff, or change their role (and PIN, when given; without one
    the stored PIN stays). Saving a deactivated person makes them active again. The store's
    registers pull the person as a ``staff`` change. True when added."""
    now = now or utcnow()
    store_code = require_store(conn, store_code)
    name = _staff_name(name)
    if role not in ROLES:
        raise CommandError(f"a role is one of {', '.join(ROLES)}, not {role!r}")
    if pin is not None:
        try:
            check_pin(pin)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
    existing = conn.execute(
        select(staff.c.id, staff.c.pin_hash)
        .where(staff.c.store_code == store_code, staff.c.name == name)
        .with_for_update()
    ).first()
    if pin is None and role == StaffRole.MANAGER and (existing is None or not existing.pin_hash):
        raise CommandError("a manager needs a PIN (pass --pin and type it when asked)")
    pin_hash = hash_pin(pin) if pin is not None else (existing.pin_hash if existing else None)
    if existing is not None:
        staff_id = existing.id
        conn.execute(
            update(staff)
            .where(staff.c.id == staff_id)
            .values(role=role, pin_hash=pin_hash, active=True, updated_at=now)
        )
    else:
        staff_id = new_id()
        conn.execute(
            insert(staff).values(
                id=staff_id,
                store_code=store_code,
                name=name,
                role=role,
                pin_hash=pin_hash,
                active=True,
                created_at=now,
                updated_at=now,
            )
        )
    record_changes(conn, [staff_entry(_staff_row(conn, staff_id))], now=now)
    log.info(
        "staff %r of store %s %s as %s", name, store_code, "updated" if existing else "added", role
    )
    return existing is None


def deactivate_staff(
    conn: Connection, *, store_code: str, name: str, now: datetime | None = None
) -> bool:
    """Mark a person of a store as gone: their registers pull them with ``active`` false and
    their PIN opens nothing any more. False when they were already inactive (nothing written).
    ``save_staff`` brings them back."""
    now = now or utcnow()
    store_code = require_store(conn, store_code)
    name = _staff_name(name)
    row = conn.execute(
        select(staff.c.id, staff.c.active)
        .where(staff.c.store_code == store_code, staff.c.name == name)
        .with_for_update()
    ).first()
    if row is None:
        raise CommandError(f"store {store_code} has no staff member {name!r}")
    if not row.active:
        return False
    conn.execute(update(staff).where(staff.c.id == row.id).values(active=False, updated_at=now))
    record_changes(conn, [staff_entry(_staff_row(conn, row.id))], now=now)
    log.info("staff %r of store %s deactivated", name, store_code)
    return True


def publish_staff(conn: Connection, *, store_code: str, now: datetime | None = None) -> int:
    """Write a ``staff`` change for every person of a store, active or not (for a database
    whose staff were saved before staff reached registers, or to resend them). The count."""
    store_code = require_store(conn, store_code)
    rows = conn.execute(
        select(staff).where(staff.c.store_code == store_code).order_by(staff.c.name)
    ).all()
    record_changes(conn, [staff_entry(row) for row in rows], now=now)
    log.info("%d staff of store %s published", len(rows), store_code)
    return len(rows)


def staff_entry(row: Row[Any]) -> ChangeEntry:
    """The ``staff`` change of a row of the ``staff`` table, for its store's registers."""
    data = StaffData(
        staff_id=row.id,
        store_code=row.store_code,
        name=row.name,
        role=StaffRole(row.role),
        pin_hash=row.pin_hash,
        active=bool(row.active),
    )
    return ChangeEntry(Entity.STAFF, row.id, data.model_dump(mode="json"), scope=row.store_code)


def _staff_row(conn: Connection, staff_id: str) -> Row[Any]:
    return conn.execute(select(staff).where(staff.c.id == staff_id)).one()


def _staff_name(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise CommandError("a staff name is 1 to 80 characters")
    return name
