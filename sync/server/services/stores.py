"""Stores and their staff, as IT sets them up from the command line."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Connection, insert, select, update

from pos_app.domain.ids import new_id
from sync.protocol import Entity, StoreInfo
from sync.server.core.security import check_pin, hash_pin
from sync.server.errors import CommandError, NotFound
from sync.server.services._sql import utcnow
from sync.server.services.changelog import ChangeEntry, record_changes
from sync.server.tables import staff, stores

log = logging.getLogger(__name__)

_CODE = re.compile(r"^[A-Z0-9]{1,10}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
ROLES = ("cashier", "manager")


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
    record_changes(
        conn,
        [ChangeEntry(Entity.STORE, spec.code, info.model_dump(mode="json"), scope=spec.code)],
        now=now,
    )
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
    """Add a person to a store's staff, or change their role and PIN. True when added."""
    now = now or utcnow()
    store_code = require_store(conn, store_code)
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise CommandError("a staff name is 1 to 80 characters")
    if role not in ROLES:
        raise CommandError(f"a role is one of {', '.join(ROLES)}, not {role!r}")
    if pin is not None:
        try:
            check_pin(pin)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
    elif role == "manager":
        raise CommandError("a manager needs a PIN (pass --pin and type it when asked)")
    pin_hash = hash_pin(pin) if pin is not None else None
    existing = conn.execute(
        select(staff.c.id).where(staff.c.store_code == store_code, staff.c.name == name)
    ).scalar()
    if existing:
        conn.execute(
            update(staff)
            .where(staff.c.id == existing)
            .values(role=role, pin_hash=pin_hash, active=True, updated_at=now)
        )
    else:
        conn.execute(
            insert(staff).values(
                id=new_id(),
                store_code=store_code,
                name=name,
                role=role,
                pin_hash=pin_hash,
                active=True,
                created_at=now,
                updated_at=now,
            )
        )
    log.info(
        "staff %r of store %s %s as %s", name, store_code, "updated" if existing else "added", role
    )
    return existing is None
