"""Vouchers (store credit) as this register knows them: the balance it last knew, and when."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import Connection, select

from pos_app.services.ports import KnownVoucher
from pos_app.storage import tables as t
from pos_app.storage.repositories import utc_text


class SqlVoucherRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, code: str) -> KnownVoucher | None:
        row = self._conn.execute(select(t.vouchers).where(t.vouchers.c.code == code)).first()
        if row is None:
            return None
        return KnownVoucher(
            code=row.code,
            issued_cents=row.issued_cents,
            balance_cents=row.balance_cents,
            known_at=datetime.fromisoformat(row.known_at),
            source=row.source,
        )

    def remember(
        self, code: str, *, issued_cents: int, balance_cents: int, at: datetime, source: str
    ) -> None:
        """Record (or replace) what is known of ``code`` now."""
        values = {
            "issued_cents": issued_cents,
            "balance_cents": balance_cents,
            "known_at": utc_text(at),
            "source": source,
        }
        updated = self._conn.execute(
            t.vouchers.update().where(t.vouchers.c.code == code).values(**values)
        )
        if updated.rowcount == 0:
            self._conn.execute(t.vouchers.insert().values(code=code, **values))

    def spend(self, code: str, cents: int) -> None:
        """This register spent ``cents`` of ``code``: its known balance goes down."""
        self._conn.execute(
            t.vouchers.update()
            .where(t.vouchers.c.code == code)
            .values(balance_cents=t.vouchers.c.balance_cents - cents)
        )

    def unsynced_spent(self, code: str) -> int:
        """Cents of ``code`` this register spent in sales not yet pushed to the backend."""
        payloads = self._conn.execute(
            select(t.outbox.c.payload).where(
                t.outbox.c.state == "pending",
                t.outbox.c.event_type == "sale.completed",
                t.outbox.c.payload.contains(code),
            )
        ).scalars()
        return sum(
            int(payment["amount_cents"])
            for payload in payloads
            for payment in json.loads(payload).get("payments", [])
            if payment.get("kind") == "voucher" and payment.get("reference") == code
        )
