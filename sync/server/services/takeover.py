"""Register takeover (issue 9): a replacement machine takes over a broken register.

IT makes a one-time code bound to a register (``enrollment-code --store T01 --replace-register
C01``). Enrolling with it:

- revokes the device that held the register (its machine, should it come back, is refused like
  any revoked register: ``401 revoked``);
- makes a new device with the same store and register code (a register code is unique among
  the devices that are not revoked), with its own push sequence from 1;
- carries the register's fiscal chain over to the new device (``fiscal_chains``), so its first
  record must chain onto the last one the backend holds, checked like any other;
- answers where the register's series stand, from what the backend received: the last number
  of each series (tickets, returns, replacement invoices, Z closes) and the chain position.

What the old machine never pushed is not known here: the new machine continues after what the
backend holds. Those events stay in the old machine's database (IT recovers them only by
re-enrolling that database elsewhere, never on a second machine at once).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Connection, Table, insert, select, update

from pos_app.domain.ids import new_id
from sync.protocol import ChainPosition, RegisterContinuation, SeriesPosition
from sync.server.core.security import hash_token
from sync.server.errors import CommandError, EnrollmentRefused
from sync.server.services.stores import require_store
from sync.server.tables import (
    devices,
    fiscal_chains,
    fiscal_records,
    returns,
    sales,
    till_closes,
)

log = logging.getLogger(__name__)


def active_device(conn: Connection, store_code: str, register_code: str) -> str:
    """The device holding ``register_code`` of ``store_code`` now (not revoked)."""
    store_code = require_store(conn, store_code)
    register_code = register_code.strip().upper()
    device_id = conn.execute(
        select(devices.c.id).where(
            devices.c.store_code == store_code,
            devices.c.register_code == register_code,
            devices.c.revoked_at.is_(None),
        )
    ).scalar()
    if device_id is None:
        raise CommandError(
            f"store {store_code} has no register {register_code} in use to replace "
            "(see `registers`)"
        )
    return str(device_id)


def take_over(
    conn: Connection,
    *,
    replaced_device_id: str,
    store_code: str,
    register_name: str,
    token: str,
    now: datetime,
) -> tuple[str, str, RegisterContinuation]:
    """Inside the enrolment's transaction: revoke ``replaced_device_id``, make the device that
    replaces it, and say where the register stands. Returns (device id, register code,
    continuation)."""
    old = conn.execute(
        select(devices.c.id, devices.c.register_code, devices.c.revoked_at)
        .where(devices.c.id == replaced_device_id, devices.c.store_code == store_code)
        .with_for_update()
    ).first()
    if old is None:  # the code was made for a device of this store: never happens by itself
        raise EnrollmentRefused("this enrolment code names a register that does not exist")
    register_code = str(old.register_code)
    holder = conn.execute(
        select(devices.c.id, devices.c.enrolled_at).where(
            devices.c.store_code == store_code,
            devices.c.register_code == register_code,
            devices.c.revoked_at.is_(None),
            devices.c.id != replaced_device_id,
        )
    ).first()
    if holder is not None:
        log.warning(
            "takeover refused: register %s/%s already taken over", store_code, register_code
        )
        raise EnrollmentRefused(
            f"register {register_code} was already taken over by another machine on "
            f"{holder.enrolled_at:%Y-%m-%d %H:%M} UTC; ask IT for a new code to replace it",
            code="register_taken_over",
            status=409,
        )
    conn.execute(
        update(devices)
        .where(devices.c.id == replaced_device_id, devices.c.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    device_id = new_id()
    conn.execute(
        insert(devices).values(
            id=device_id,
            store_code=store_code,
            name=register_name,
            register_code=register_code,
            token_hash=hash_token(token),
            created_at=now,
            enrolled_at=now,
            last_seq=0,
            last_seen_at=now,
        )
    )
    chain = conn.execute(
        select(fiscal_chains).where(fiscal_chains.c.device_id == replaced_device_id)
    ).first()
    position = ChainPosition()
    if chain is not None:
        position = ChainPosition(
            chain_seq=int(chain.last_chain_seq),
            journal_hash=chain.last_journal_hash,
            fingerprint=chain.last_fingerprint,
        )
        conn.execute(
            insert(fiscal_chains).values(
                device_id=device_id,
                last_chain_seq=chain.last_chain_seq,
                last_journal_hash=chain.last_journal_hash,
                last_fingerprint=chain.last_fingerprint,
                updated_at=now,
            )
        )
    continuation = RegisterContinuation(
        replaced_device_id=replaced_device_id,
        series=series_positions(conn, store_code, register_code),
        chain=position,
    )
    log.info(
        "register %s/%s taken over by device %s (device %s revoked; journal at %d)",
        store_code,
        register_code,
        device_id,
        replaced_device_id,
        position.chain_seq,
    )
    return device_id, register_code, continuation


def series_positions(conn: Connection, store_code: str, register_code: str) -> list[SeriesPosition]:
    """The last number of each series of a register that the backend holds, from every
    device that held the register: ``T01-C01-2026-000042`` counts as 42 of ``T01-C01-2026``."""
    numbers = [
        *_numbers(conn, sales, "receipt_number", store_code, register_code),
        *_numbers(conn, returns, "return_number", store_code, register_code),
        *_numbers(conn, till_closes, "z_number", store_code, register_code),
        # Replacement invoices (F3) are numbered in their own series; F1 invoices are sales.
        *conn.execute(
            select(fiscal_records.c.series_number).where(
                fiscal_records.c.store_code == store_code,
                fiscal_records.c.register_code == register_code,
                fiscal_records.c.record_type == "alta",
                fiscal_records.c.invoice_type == "F3",
            )
        ).scalars(),
    ]
    last: dict[str, int] = {}
    for series, number in _parsed(numbers):
        last[series] = max(number, last.get(series, 0))
    return [SeriesPosition(series=s, last_number=n) for s, n in sorted(last.items())]


def _numbers(
    conn: Connection, table: Table, column: str, store_code: str, register_code: str
) -> Iterable[str]:
    """Every number of ``table.column`` that the register's devices pushed (read at a
    takeover only)."""
    return conn.execute(
        select(table.c[column]).where(
            table.c.store_code == store_code, table.c.register_code == register_code
        )
    ).scalars()


def _parsed(numbers: Iterable[str]) -> Iterable[tuple[str, int]]:
    """(series, number) of each well-formed ``SERIES-NNNNNN``; anything else is skipped."""
    for value in numbers:
        series, _, digits = value.rpartition("-")
        if series and digits.isdigit() and int(digits) > 0:
            yield series, int(digits)
