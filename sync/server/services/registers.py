"""Registers (devices): one-time enrolment codes, enrolment, token checks, listing, revoking.

A register enrols once with a one-time code of its store and gets a token, returned once; the
backend keeps only the token's SHA-256. Register codes (C01, C02, ...) are given in order per
store from a counter on the store's row, never reused. Re-enrolling with ``device_id`` (the
demo does it at every start) gives an existing, not revoked register of the code's store a new
token and keeps its register code and ``last_seq``; a revoked register is never brought back —
it enrols as a new one. A takeover code (``replace_register``) gives a new machine an existing
register's code, series and fiscal chain, and revokes the machine it replaces (``takeover.py``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, insert, select, update

from pos_app.domain.ids import new_id
from sync.protocol import EnrollRequest, EnrollResponse
from sync.server.core.security import (
    hash_enrollment_code,
    hash_token,
    new_enrollment_code,
    new_token,
)
from sync.server.errors import CommandError, EnrollmentRefused, Revoked, Unauthorized
from sync.server.services._sql import utcnow
from sync.server.services.stores import require_store, store_info
from sync.server.services.takeover import active_device, take_over
from sync.server.tables import devices, enrollment_codes, stores

log = logging.getLogger(__name__)

MAX_VALID_HOURS = 24 * 30
_SEEN_EVERY = timedelta(seconds=60)  # last_seen_at is written at most this often


@dataclass(frozen=True, slots=True)
class DeviceIdentity:
    """The register a request comes from, once its token is checked."""

    device_id: str
    store_code: str
    register_code: str
    name: str
    last_seen_at: datetime | None = None

    def seen_long_ago(self, now: datetime) -> bool:
        """Whether ``last_seen_at`` is worth writing again (at most once a minute)."""
        return self.last_seen_at is None or now - self.last_seen_at >= _SEEN_EVERY


@dataclass(frozen=True, slots=True)
class RegisterRow:
    device_id: str
    store_code: str
    register_code: str
    name: str
    created_at: datetime
    revoked_at: datetime | None
    last_seq: int
    last_seen_at: datetime | None


def create_enrollment_code(
    conn: Connection,
    store_code: str,
    *,
    valid_for: timedelta,
    now: datetime | None = None,
    replace_register: str | None = None,
) -> str:
    """A new one-time code for ``store_code``; only its hash is stored. With
    ``replace_register`` (C01), a takeover code: the machine enrolled with it replaces that
    register (``services/takeover.py``)."""
    now = now or utcnow()
    store_code = require_store(conn, store_code)
    if not timedelta(0) < valid_for <= timedelta(hours=MAX_VALID_HOURS):
        raise CommandError(f"a code is valid for 1 to {MAX_VALID_HOURS} hours")
    replaces = None
    if replace_register is not None:
        replaces = active_device(conn, store_code, replace_register)
    code = new_enrollment_code()
    conn.execute(
        insert(enrollment_codes).values(
            code_hash=hash_enrollment_code(code),
            store_code=store_code,
            created_at=now,
            expires_at=now + valid_for,
            replaces_device_id=replaces,
        )
    )
    log.info("enrolment code issued for store %s, valid until %s", store_code, now + valid_for)
    return code


def enroll(
    conn: Connection, request: EnrollRequest, *, now: datetime | None = None
) -> EnrollResponse:
    now = now or utcnow()
    code = conn.execute(
        select(enrollment_codes)
        .where(enrollment_codes.c.code_hash == hash_enrollment_code(request.code))
        .with_for_update()
    ).first()
    if code is None:
        log.warning("enrolment refused: unknown code")
        raise EnrollmentRefused(
            "this enrolment code is not valid: check it, or ask IT for a new one"
        )
    if code.used_at is not None:
        log.warning("enrolment refused: code of store %s already used", code.store_code)
        raise EnrollmentRefused(
            f"this enrolment code was already used on {code.used_at:%Y-%m-%d %H:%M} UTC; "
            "ask IT for a new one",
            code="enrollment_code_used",
            status=410,
        )
    if code.expires_at <= now:
        log.warning("enrolment refused: code of store %s expired", code.store_code)
        raise EnrollmentRefused(
            f"this enrolment code expired on {code.expires_at:%Y-%m-%d %H:%M} UTC; "
            "ask IT for a new one",
            code="enrollment_code_expired",
            status=410,
        )
    if request.store_code is not None and request.store_code.upper() != code.store_code.upper():
        log.warning("enrolment refused: code of store %s given for another store", code.store_code)
        raise EnrollmentRefused(
            f"this enrolment code is for store {code.store_code}, not {request.store_code}: "
            "check the store, or ask IT for a code of that store",
            code="wrong_store",
            status=409,
        )
    token = new_token()
    if code.replaces_device_id is not None:
        device_id, register_code, continuation = take_over(
            conn,
            replaced_device_id=code.replaces_device_id,
            store_code=code.store_code,
            register_name=request.register_name,
            token=token,
            now=now,
        )
        conn.execute(
            update(enrollment_codes)
            .where(enrollment_codes.c.code_hash == code.code_hash)
            .values(used_at=now, device_id=device_id)
        )
        return EnrollResponse(
            device_id=device_id,
            register_code=register_code,
            token=token,
            store=store_info(conn, code.store_code),
            continuation=continuation,
        )
    existing = None
    if request.device_id:
        existing = conn.execute(
            select(devices.c.id, devices.c.register_code).where(
                devices.c.id == request.device_id,
                devices.c.store_code == code.store_code,
                devices.c.revoked_at.is_(None),
            )
        ).first()
    if existing is not None:
        device_id, register_code = existing.id, existing.register_code
        conn.execute(
            update(devices)
            .where(devices.c.id == device_id)
            .values(
                token_hash=hash_token(token),
                name=request.register_name,
                enrolled_at=now,
                last_seen_at=now,
            )
        )
        how = "re-enrolled"
    else:
        issued = conn.execute(
            update(stores)
            .where(stores.c.code == code.store_code)
            .values(registers_issued=stores.c.registers_issued + 1)
            .returning(stores.c.registers_issued)
        ).scalar_one()
        device_id, register_code = new_id(), f"C{int(issued):02d}"
        conn.execute(
            insert(devices).values(
                id=device_id,
                store_code=code.store_code,
                name=request.register_name,
                register_code=register_code,
                token_hash=hash_token(token),
                created_at=now,
                enrolled_at=now,
                last_seq=0,
                last_seen_at=now,
            )
        )
        how = "enrolled"
    conn.execute(
        update(enrollment_codes)
        .where(enrollment_codes.c.code_hash == code.code_hash)
        .values(used_at=now, device_id=device_id)
    )
    info = store_info(conn, code.store_code)
    log.info("register %s/%s %s (device %s)", code.store_code, register_code, how, device_id)
    return EnrollResponse(device_id=device_id, register_code=register_code, token=token, store=info)


def authenticate(conn: Connection, token: str) -> DeviceIdentity:
    """The register holding ``token``; ``Unauthorized`` or ``Revoked`` otherwise."""
    row = conn.execute(
        select(
            devices.c.id,
            devices.c.store_code,
            devices.c.register_code,
            devices.c.name,
            devices.c.revoked_at,
            devices.c.last_seen_at,
        ).where(devices.c.token_hash == hash_token(token))
    ).first()
    if row is None:
        raise Unauthorized("unknown token: enrol this register with a code from IT")
    if row.revoked_at is not None:
        raise Revoked(row.revoked_at)
    return DeviceIdentity(row.id, row.store_code, row.register_code, row.name, row.last_seen_at)


def mark_seen(conn: Connection, device_id: str, now: datetime) -> None:
    conn.execute(update(devices).where(devices.c.id == device_id).values(last_seen_at=now))


def list_registers(
    conn: Connection, store_code: str | None = None, *, device_id: str | None = None
) -> list[RegisterRow]:
    query = select(devices).order_by(devices.c.store_code, devices.c.register_code)
    if store_code:
        query = query.where(devices.c.store_code == require_store(conn, store_code))
    if device_id is not None:
        query = query.where(devices.c.id == device_id)
    return [
        RegisterRow(
            device_id=r.id,
            store_code=r.store_code,
            register_code=r.register_code,
            name=r.name,
            created_at=r.created_at,
            revoked_at=r.revoked_at,
            last_seq=int(r.last_seq),
            last_seen_at=r.last_seen_at,
        )
        for r in conn.execute(query)
    ]


def revoke_register(
    conn: Connection, device_id: str, *, now: datetime | None = None
) -> RegisterRow:
    """Revoke a register's token for good. Revoking twice keeps the first time."""
    now = now or utcnow()
    device_id = device_id.strip()
    conn.execute(
        update(devices)
        .where(devices.c.id == device_id, devices.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    found = list_registers(conn, device_id=device_id)
    if not found:
        raise CommandError(f"no register with device id {device_id!r} (see `registers`)")
    revoked = found[0]
    log.info(
        "register %s/%s revoked (device %s)", revoked.store_code, revoked.register_code, device_id
    )
    return revoked
